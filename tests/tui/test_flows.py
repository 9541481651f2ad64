"""Pilot tests: drive the UI with the keyboard and assert on what is STORED."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.widgets import Input, OptionList, Select, Static, TextArea
from tuikit import SIZE, build_app, seed

from fieldwelfare.models import Need, Referral
from fieldwelfare.screens.app import FieldWelfareApp
from fieldwelfare.screens.screens.confirm import ConfirmScreen
from fieldwelfare.screens.screens.home import HomeScreen
from fieldwelfare.screens.screens.match import MatchScreen
from fieldwelfare.screens.screens.need_detail import NeedDetailScreen
from fieldwelfare.screens.screens.people import PeopleScreen
from fieldwelfare.screens.screens.person_form import PersonFormScreen
from fieldwelfare.screens.screens.referral_form import ReferralScreen, suggested_brief
from fieldwelfare.screens.screens.setup import SetupScreen
from fieldwelfare.screens.screens.status import StatusScreen
from fieldwelfare.screens.screens.visit_log import VisitLogScreen
from fieldwelfare.screens.widgets import NeedRow, RecordTable
from fieldwelfare.store import Store

Factory = Callable[..., FieldWelfareApp]


async def settle(app: FieldWelfareApp, pilot: Any) -> None:
    """Let workers finish and their messages be handled (no sleeps)."""
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def test_first_run_setup_stores_identity(new_store: Store) -> None:
    app = build_app(new_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, SetupScreen)
        await pilot.press(*"portatile-2", "tab", *"Marco Neri")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen.query_one("#err-role", Static).visual is not None
        assert not new_store.identity.initialised  # role missing: nothing stored
        app.screen.query_one("#role", Select).value = "social_worker"
        app.screen.query_one("#ambito", Select).value = "Merate"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
    identity = new_store.identity
    assert (identity.device_name, identity.operator, identity.role, identity.ambito) == (
        "portatile-2", "Marco Neri", "social_worker", "Merate")


async def test_first_run_keeps_the_operator_who_unlocked(tmp_path: Path) -> None:
    """The first start asked the operator's name to make the encrypted database: the setup
    screen shows it and does not ask again (a second name was silently dropped)."""
    from tuikit import TUI_KEY, tui_clock

    from fieldwelfare.store import open_store

    store = open_store(tmp_path / "first.db", clock=tui_clock(), key=TUI_KEY,
                       operator="Carla Rossi")
    app = build_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, SetupScreen)
        operator = app.screen.query_one("#operator", Input)
        assert (operator.value, operator.disabled) == ("Carla Rossi", True)
        await pilot.press(*"portatile-3")
        app.screen.query_one("#role", Select).value = "coordinator"
        app.screen.query_one("#ambito", Select).value = "Lecco"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
    assert store.identity.operator == "Carla Rossi"
    store.close()


async def test_log_a_visit_with_two_needs(tui_store: Store, app_factory: Factory) -> None:
    ids = seed(tui_store)
    visits, needs = tui_store.count("visit"), tui_store.count("need")
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f4")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, VisitLogScreen)
        await pilot.press(*"colom")
        await settle(app, pilot)
        assert screen.query_one("#person-results", OptionList).option_count == 1
        await pilot.press("enter", "enter")
        await settle(app, pilot)
        assert screen.person_id == ids["colombo"]
        screen.query_one("#follow_up_on", Input).value = "30/06/2025"
        screen.query_one("#notes", TextArea).text = "Madre sola con due figli."
        for area, category, urgency, text in (
            ("family_minors", "homework_help", "high", "Compiti di matematica"),
            ("poverty", "meals", "medium", "Pasti per la settimana"),
        ):
            await pilot.press("ctrl+n")
            await settle(app, pilot)
            row = list(screen.query(NeedRow))[-1]
            row.query_one(".area", Select).value = area
            row.query_one(".category", Select).value = category
            row.query_one(".urgency", Select).value = urgency
            row.query_one(".description", Input).focus()
            await pilot.press(*text)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
    assert tui_store.count("visit") == visits + 1
    assert tui_store.count("need") == needs + 2
    visit = tui_store.list_records("visit", where={"person_id": ids["colombo"]})[0]
    assert str(visit.date) == "2025-06-16"
    assert str(visit.follow_up_on) == "2025-06-30"
    stored = tui_store.list_records("need", where={"visit_id": visit.id})
    assert sorted((n.category, n.person_id, str(n.opened_on)) for n in stored
                  if isinstance(n, Need)) == [
        ("homework_help", ids["colombo"], "2025-06-16"),
        ("meals", ids["colombo"], "2025-06-16")]


async def test_down_arrow_from_person_search_picks_a_result(tui_store: Store,
                                                            app_factory: Factory) -> None:
    ids = seed(tui_store)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f4")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, VisitLogScreen)
        await pilot.press(*"colom")
        await settle(app, pilot)
        await pilot.press("down", "enter")
        await settle(app, pilot)
        assert screen.person_id == ids["colombo"]
        assert "Colombo" in screen.query_one("#person-search", Input).value


async def test_visit_without_person_writes_nothing(tui_store: Store,
                                                   app_factory: Factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f4", "ctrl+s")
        await settle(app, pilot)
        assert str(app.screen.query_one("#err-person", Static).render()).strip()
    assert tui_store.count("visit") == 0


async def test_search_people_as_you_type(tui_store: Store, app_factory: Factory) -> None:
    seed(tui_store)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f3")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, PeopleScreen)
        table = screen.query_one(RecordTable)
        assert table.row_count == 3
        await pilot.press("f")
        await settle(app, pilot)
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == ["Ferrari"]
        await pilot.press("backspace", *"luc")
        await settle(app, pilot)
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == ["Colombo"]
        await pilot.press("enter")  # Enter in the search box opens the highlighted person
        await settle(app, pilot)
        assert app.screen.sub_title == "Colombo Lucia"
        await pilot.press("escape")
        await settle(app, pilot)
        search = screen.query_one("#search", Input)
        search.focus()
        await pilot.press("down")  # to the list
        assert app.focused is table
        await pilot.press("a")  # a letter typed on the list goes to the search box
        await settle(app, pilot)
        assert app.focused is search and search.value == "luca"


async def test_typing_on_the_needs_list_searches(tui_store: Store,
                                                 app_factory: Factory) -> None:
    """The needs list opens on its table (Enter opens a need); typing still searches."""
    seed(tui_store)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f5")
        await settle(app, pilot)
        table = app.screen.query_one(RecordTable)
        assert app.focused is table
        before = table.row_count
        await pilot.press(*"spesa")
        await settle(app, pilot)
        search = app.screen.query_one("#search", Input)
        assert search.value == "spesa" and app.focused is search
        assert 0 < table.row_count < before


async def test_person_form_error_next_to_field_writes_nothing(
    tui_store: Store, app_factory: Factory
) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.push_screen(PersonFormScreen())
        await settle(app, pilot)
        await pilot.press(*"Verdi", "tab", *"Carla", "tab", *"19x0")
        screen = app.screen
        screen.query_one("#comune", Input).value = "Lecco"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        error = str(screen.query_one("#err-birth_year", Static).render())
        assert "birth_year" in error
        assert screen.focused is screen.query_one("#birth_year", Input)
        screen.query_one("#birth_year", Input).value = "1960"
        screen.query_one("#comune", Input).value = "Atlantide"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Atlantide" in str(screen.query_one("#err-comune", Static).render())
        assert not str(screen.query_one("#err-birth_year", Static).render()).strip()
        assert tui_store.count("person") == 0
        screen.query_one("#comune", Input).value = "lecco"
        screen.query_one("#privacy_notice-version", Input).value = "2024-1"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
    person: Any = tui_store.list_records("person")[0]
    assert (person.family_name, person.comune, person.birth_year) == ("Verdi", "097042", 1960)
    assert person.privacy_notice.given_by == "Anna Bianchi"
    assert str(person.privacy_notice.given_on) == "2025-06-16"


async def test_dirty_form_asks_before_leaving(tui_store: Store, app_factory: Factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f3", "ctrl+n")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, PersonFormScreen)
        await pilot.press("escape")  # nothing typed: leaves without asking
        await settle(app, pilot)
        assert isinstance(app.screen, PeopleScreen)
        await pilot.press("ctrl+n", *"Neri")
        await settle(app, pilot)
        form = app.screen
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(app, pilot)
        assert app.screen is form
        assert form.query_one("#family_name", Input).value == "Neri"
        await pilot.press("f5")  # navigation asks too
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("s")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "NeedsScreen"
    assert tui_store.count("person") == 0


async def test_match_and_create_referral(tui_store: Store, app_factory: Factory) -> None:
    ids = seed(tui_store)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.push_screen(NeedDetailScreen(ids["shopping"]))
        await settle(app, pilot)
        await pilot.press("m")
        await settle(app, pilot)
        match = app.screen
        assert isinstance(match, MatchScreen)
        ranked = list(match.candidates)
        assert ids["giulia"] in ranked[:2]
        await pilot.press(*["down"] * ranked.index(ids["giulia"]))
        reasons = str(match.query_one("#reasons", Static).render())
        assert "Spesa" in reasons and "Lecco" in reasons
        await pilot.press("r")
        await settle(app, pilot)
        assert isinstance(app.screen, ReferralScreen)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is match
        await pilot.pause(0.3)  # past the loading indicator's delay
        assert [w for w in match.query("*") if w.loading] == []  # not stuck loading
    referrals = tui_store.list_records("referral", where={"need_id": ids["shopping"]})
    assert len(referrals) == 1
    referral = referrals[0]
    assert isinstance(referral, Referral)
    need = tui_store.get("need", ids["shopping"])
    assert isinstance(need, Need)
    assert referral.volunteer_id == ids["giulia"] and referral.organisation_id is None
    assert referral.brief == suggested_brief(need).strip()
    assert "Rossi" not in referral.brief and "Maria" not in referral.brief
    assert referral.status == "sent"


async def test_referral_refused_keeps_the_brief(tui_store: Store, app_factory: Factory) -> None:
    """Ferrari has no privacy notice: sending is refused, the modal stays with its text."""
    ids = seed(tui_store)
    need = tui_store.add("need", {"person_id": ids["ferrari"], "area": "elderly",
                                  "category": "shopping", "description": "Spesa",
                                  "opened_on": "2025-06-10"})
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.push_screen(MatchScreen(need.id))
        await settle(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        modal = app.screen
        assert isinstance(modal, ReferralScreen)
        brief = modal.query_one("#brief", TextArea)
        assert brief.cursor_location == brief.document.end  # ready to add to it
        await pilot.press(*" Grazie!")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is modal
        error = modal.query_one("#error", Static)
        assert "Ferrari" in str(error.render())
        assert "informativa" in str(error.render())
        assert not str(error.render()).startswith("status:")  # no field name shows through
        assert "scheda della persona" in str(error.render())  # and where to record it
        assert error.display and error.region.height >= 1  # seen, not only written
        assert "Grazie!" in modal.query_one("#brief", TextArea).text
    assert tui_store.count("referral") == 0


async def test_need_status_change(tui_store: Store, app_factory: Factory) -> None:
    ids = seed(tui_store)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.push_screen(NeedDetailScreen(ids["shopping"]))
        await settle(app, pilot)
        await pilot.press("s")
        await settle(app, pilot)
        modal = app.screen
        assert isinstance(modal, StatusScreen)
        assert modal.allowed == ["in_progress", "met", "closed_unmet"]
        await pilot.press("down", "enter")
        await settle(app, pilot)
        assert "Soddisfatto" in str(app.screen.query_one("#summary", Static).render())
    need = tui_store.get("need", ids["shopping"])
    assert isinstance(need, Need)
    assert need.status == "met" and str(need.closed_on) != "None"


async def test_errors_become_notifications(tui_store: Store) -> None:
    app = build_app(tui_store)
    app.strict = False
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.push_screen(NeedDetailScreen("0190a0a0-0000-7000-8000-000000000000"))
        await settle(app, pilot)
        messages = [n.message for n in app._notifications]
        assert any("non trovato" in m for m in messages), messages
        await pilot.press("f3")  # the app carries on
        await settle(app, pilot)
        assert isinstance(app.screen, PeopleScreen)


async def test_palette_reaches_screens(tui_store: Store, app_factory: Factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p", *"Bisogni")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "NeedsScreen"


async def test_english_home(tui_store: Store) -> None:
    seed(tui_store)
    app = build_app(tui_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        text = str(app.screen.query_one("#card-open_needs", Static).render())
        assert "3" in text and "needs open or in progress" in text
        assert "Monday" in str(app.screen.query_one("#greeting", Static).render())


async def test_home_shows_unsent_changes_and_last_sync(tui_store: Store,
                                                       app_factory: Factory) -> None:
    from fieldwelfare.store import hubstate
    from fieldwelfare.store.replication import unsent_count

    seed(tui_store)
    hubstate.set_hub(tui_store, {"last_sync": "2025-06-15T10:30:00.000Z"})
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        text = str(app.screen.query_one("#sync", Static).render())
    assert f"{unsent_count(tui_store)} " in text
    assert "15/06/2025" in text


async def test_switch_language_is_saved_and_asks_a_relaunch(tui_store: Store,
                                                            app_factory: Factory) -> None:
    from fieldwelfare.cli.tui import LANG_KEY, RELAUNCH

    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.action_switch_language()
        await settle(app, pilot)
    assert app.return_value == RELAUNCH
    assert tui_store.meta()[LANG_KEY] == "en"


async def test_need_without_description_is_asked_for_and_nothing_is_stored(
        tui_store: Store, app_factory: Factory) -> None:
    seed(tui_store)
    visits, needs = tui_store.count("visit"), tui_store.count("need")
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f4")
        await settle(app, pilot)
        screen = app.screen
        await pilot.press(*"colom", "down", "enter")
        await settle(app, pilot)
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        row = list(screen.query(NeedRow))[-1]
        row.query_one(".area", Select).value = "elderly"
        row.query_one(".category", Select).value = "shopping"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, VisitLogScreen)
        assert app.focused is row.query_one(".description", Input)
    assert (tui_store.count("visit"), tui_store.count("need")) == (visits, needs)


async def test_person_form_shows_every_refused_field_at_once(tui_store: Store,
                                                             app_factory: Factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.push_screen(PersonFormScreen())
        await settle(app, pilot)
        screen = app.screen
        screen.query_one("#family_name", Input).value = "Verdi"
        screen.query_one("#given_name", Input).value = "Carla"
        screen.query_one("#comune", Input).value = "Lecco"
        screen.query_one("#fiscal_code", Input).value = "RSSMRA80A41E507X"
        screen.query_one("#household_size", Input).value = "0"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "fiscal_code" in str(screen.query_one("#err-fiscal_code", Static).render())
        assert "household_size" in str(screen.query_one("#err-household_size", Static).render())
        assert screen.focused is screen.query_one("#fiscal_code", Input)
    assert tui_store.count("person") == 0


async def test_a_refused_need_saves_nothing_of_the_visit(tui_store: Store,
                                                         app_factory: Factory) -> None:
    """The visit and its needs are one write: the second need is refused by the store (a
    description over 10,000 characters), so neither the visit nor the first need is
    stored; the refused card says why and the form keeps everything for a second try."""
    seed(tui_store)
    visits, needs = tui_store.count("visit"), tui_store.count("need")
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f4")
        await settle(app, pilot)
        screen = app.screen
        await pilot.press(*"colom", "down", "enter")
        await settle(app, pilot)
        for text in ("Spesa", "x" * 10_001):
            await pilot.press("ctrl+n")
            await settle(app, pilot)
            row = list(screen.query(NeedRow))[-1]
            row.query_one(".area", Select).value = "elderly"
            row.query_one(".category", Select).value = "shopping"
            row.query_one(".description", Input).value = text
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, VisitLogScreen)
        rows = list(screen.query(NeedRow))
        assert len(rows) == 2
        error = str(rows[1].query_one(".field-error", Static).render())
        assert "description" in error and rows[1].has_class("-invalid"), error
        assert (tui_store.count("visit"), tui_store.count("need")) == (visits, needs)
        rows[1].query_one(".description", Input).value = "Spesa grande"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
    assert (tui_store.count("visit"), tui_store.count("need")) == (visits + 1, needs + 2)


async def test_a_need_card_can_be_removed_and_a_blank_one_is_ignored(
        tui_store: Store, app_factory: Factory) -> None:
    """The remove button is on screen at 80 and 100 columns, Ctrl+T removes the card the
    focus is in, and a card left blank never blocks saving the visit (point 2)."""
    ids = seed(tui_store)
    visits, needs = tui_store.count("visit"), tui_store.count("need")
    for size in ((80, 24), SIZE):
        app = app_factory()
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            await pilot.press("f4", *"colom")
            await settle(app, pilot)
            await pilot.press("enter", "enter")
            await settle(app, pilot)
            screen = app.screen
            assert isinstance(screen, VisitLogScreen)
            await pilot.press("ctrl+n")
            await settle(app, pilot)
            row = screen.query_one(NeedRow)
            button = row.query_one(".remove")
            assert button.region.right <= size[0] and button.region.width > 0
            await pilot.click(button)  # the mouse reaches it
            await settle(app, pilot)
            assert not screen.query(NeedRow)
            await pilot.press("ctrl+n")
            await settle(app, pilot)
            assert "ctrl+t" in screen.active_bindings  # in the footer while in the card
            await pilot.press("ctrl+t")
            await settle(app, pilot)
            assert not screen.query(NeedRow)
            await pilot.press("ctrl+n")  # left blank: the visit is saved without it
            await settle(app, pilot)
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert not isinstance(app.screen, VisitLogScreen)
    assert tui_store.count("visit") == visits + 2
    assert tui_store.count("need") == needs
    assert len(tui_store.list_records("visit", where={"person_id": ids["colombo"]})) == 2


async def test_editing_a_person_is_titled_so(tui_store: Store, app_factory: Factory) -> None:
    """Point 9: the edit form said "Nuova persona"."""
    from fieldwelfare.screens.screens.person_detail import PersonDetailScreen

    ids = seed(tui_store)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.push_screen(PersonDetailScreen(ids["rossi"]))
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, PersonFormScreen)
        assert app.screen.sub_title == "Modifica persona"
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("escape", "f3", "ctrl+n")
        await settle(app, pilot)
        assert isinstance(app.screen, PersonFormScreen)
        assert app.screen.sub_title == "Nuova persona"


async def test_match_speaks_like_the_command_line(tui_store: Store,
                                                  app_factory: Factory) -> None:
    """Point 11: one number (98,25 in both, not 94 here and 98.25 there), one word (ente)."""
    from textual.widgets import DataTable

    from fieldwelfare import matching
    from fieldwelfare.cli.messages import MESSAGES
    from fieldwelfare.i18n import number

    ids = seed(tui_store)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.push_screen(MatchScreen(ids["shopping"]))
        await settle(app, pilot)
        table = app.screen.query_one("#candidates", DataTable)
        rows = {str(table.get_row_at(i)[1]): [str(c) for c in table.get_row_at(i)]
                for i in range(table.row_count)}
    ranked = matching.match(tui_store, ids["shopping"], today=app.today())
    for candidate in ranked:
        _, _, kind, score = rows[candidate.name]
        assert score == number(candidate.score) == number(candidate.score, lang="it")
        assert kind == MESSAGES[f"cli.match.{candidate.kind}"][0]
    assert any(c.kind == "organisation" for c in ranked)
    assert any("," in number(c.score) for c in ranked) or all(
        c.score == int(c.score) for c in ranked)


async def test_search_inside_names_and_a_hint_when_nothing_is_found(
        tui_store: Store, app_factory: Factory) -> None:
    """Point 15: "lomb" finds Colombo (people, needs, volunteers, organisations search the
    same way), and an empty result says why instead of "0 di 0"."""
    from fieldwelfare.screens.screens.needs import NeedsScreen
    from fieldwelfare.screens.screens.organisations import OrganisationsScreen
    from fieldwelfare.screens.screens.volunteers import VolunteersScreen

    seed(tui_store)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        for key, screen_type, text, first in (
                ("f3", PeopleScreen, "lomb", "Colombo"),
                ("f5", NeedsScreen, "cardio", None),
                ("f7", VolunteersScreen, "onti", "Conti Giulia"),
                ("f8", OrganisationsScreen, "arita", "Caritas Lecco")):
            await pilot.press(key)
            await settle(app, pilot)
            screen = app.screen
            assert isinstance(screen, screen_type)
            screen.query_one("#search", Input).value = text
            await settle(app, pilot)
            table = screen.query_one(RecordTable)
            assert table.row_count == 1, (key, text)
            if first is not None:
                assert str(table.get_row_at(0)[0]) == first
        screen.query_one("#search", Input).value = "zzz"
        await settle(app, pilot)
        count = screen.query_one("#count", Static)
        assert "Nessun risultato per «zzz»" in str(count.render())
        assert count.region.height >= 2 and count.region.bottom <= 23  # all of it, on screen


async def test_home_counts_open_the_list_behind_them_and_needs_sort(
        tui_store: Store, app_factory: Factory) -> None:
    """Point 16: a card's number is the number of rows of the list it opens (same words),
    needs come most urgent first then oldest, and a header click sorts by its column."""
    from textual.widgets import DataTable

    from fieldwelfare.screens.screens.home import Card
    from fieldwelfare.screens.screens.needs import NeedsScreen
    from fieldwelfare.screens.screens.people import PeopleScreen
    from fieldwelfare.screens.screens.referrals import ReferralsScreen
    from fieldwelfare.screens.screens.volunteers import VolunteersScreen

    ids = seed(tui_store)
    tui_store.update("need", ids["shopping"], {"status": "in_progress"})
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        home = app.screen
        for card_name, screen_type in (("open_needs", NeedsScreen),
                                       ("urgent_needs", NeedsScreen),
                                       ("referrals_sent", ReferralsScreen),
                                       ("follow_ups", PeopleScreen),  # Rossi of three
                                       ("volunteers_week", VolunteersScreen)):  # Giulia of two
            card = home.query_one(f"#card-{card_name}", Card)
            count = int(str(card.render()).split()[0])
            card.focus()
            await pilot.press("enter")
            await settle(app, pilot)
            assert isinstance(app.screen, screen_type), card_name
            assert app.screen.query_one(RecordTable).total == count, card_name
            if card_name in ("follow_ups", "volunteers_week"):
                assert count == 1 and app.screen.query(".section"), card_name
            await pilot.press("escape")
            await settle(app, pilot)
        assert int(str(home.query_one("#card-open_needs", Card).render()).split()[0]) == 3
        await pilot.click("#card-open_needs")
        await settle(app, pilot)
        table = app.screen.query_one(RecordTable)
        urgencies = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert urgencies == ["Urgente", "Alta", "Media"]
        app.screen.post_message(DataTable.HeaderSelected(table, table.ordered_columns[5].key,
                                                         5, table.ordered_columns[5].label))
        await settle(app, pilot)
        opened = [str(table.get_row_at(i)[5]) for i in range(table.row_count)]
        assert opened == ["20/05/2025", "02/06/2025", "02/06/2025"]


async def test_a_persons_needs_and_referrals_open_from_the_card(tui_store: Store) -> None:
    """The card is no dead end: Enter on a need opens it, on a referral the referral."""
    from fieldwelfare.screens.screens.need_detail import NeedDetailScreen
    from fieldwelfare.screens.screens.person_detail import PersonDetailScreen
    from fieldwelfare.screens.screens.referral_detail import ReferralDetailScreen

    ids = seed(tui_store)
    person = tui_store.get("person", ids["rossi"])
    tui_store.update("person", person.id, {"privacy_notice": {
        "version": "2024-1", "given_on": "2025-06-02", "given_by": "Anna Bianchi"}})
    referral = tui_store.add("referral", {"need_id": ids["shopping"],
                                          "volunteer_id": ids["giulia"], "status": "proposed",
                                          "brief": "Spesa del martedì"})
    app = build_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.push_screen(PersonDetailScreen(person.id))
        await settle(app, pilot)
        for table, screen_type in (("#needs", NeedDetailScreen),
                                   ("#referrals", ReferralDetailScreen)):
            app.screen.query_one(table).focus()
            await pilot.press("enter")
            await settle(app, pilot)
            assert isinstance(app.screen, screen_type), table
            if screen_type is ReferralDetailScreen:
                assert app.screen.referral_id == referral.id
            await pilot.press("escape")
            await settle(app, pilot)
            assert isinstance(app.screen, PersonDetailScreen)
