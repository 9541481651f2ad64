"""The volunteer's own device (accept, decline, pick themselves once) and the volunteer
directory and form."""

from __future__ import annotations

from pathlib import Path

from dirkit import referral, settle, volunteer_store
from textual.widgets import Button, Input, SelectionList, Static
from tuikit import SIZE, build_app, seed

from fieldwelfare.models import Referral, Volunteer
from fieldwelfare.screens.screens.confirm import ConfirmScreen
from fieldwelfare.screens.screens.text_prompt import TextPromptScreen
from fieldwelfare.screens.screens.volunteer_form import VolunteerFormScreen
from fieldwelfare.screens.screens.volunteer_home import VolunteerHomeScreen
from fieldwelfare.screens.screens.volunteers import VolunteersScreen
from fieldwelfare.screens.widgets import RecordTable
from fieldwelfare.store import Store


def stored(store: Store, rid: str) -> Referral:
    record = store.get("referral", rid)
    assert isinstance(record, Referral)
    return record


async def test_volunteer_device_opens_on_their_week_and_accepts(tmp_path: Path) -> None:
    store, ids = volunteer_store(tmp_path)
    rid = referral(store, ids, "sent")
    app = build_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, VolunteerHomeScreen)
        assert "Giulia Conti" in str(app.screen.query_one("#who", Static).render())
        assert app.screen.query_one(RecordTable).selected_key() == rid
        await pilot.press("a")
        await settle(app, pilot)
        assert app.screen.query_one(RecordTable).selected_key() == rid  # still open
    record = stored(store, rid)
    assert record.status == "accepted"
    assert [(e.status, e.by) for e in record.history] == [
        ("sent", "Coordinatrice"), ("accepted", "Giulia Conti")]
    store.close()


async def test_decline_requires_a_reason(tmp_path: Path) -> None:
    store, ids = volunteer_store(tmp_path)
    rid = referral(store, ids, "sent")
    app = build_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, TextPromptScreen)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, TextPromptScreen)  # empty reason refused
        error = app.screen.query_one("#prompt-error", Static)
        assert "obbligatorio" in str(error.render()) and error.region.height == 1
        assert stored(store, rid).status == "sent"
        await pilot.press(*"Sono via martedì", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, VolunteerHomeScreen)
        assert app.screen.query_one(RecordTable).row_count == 0  # no longer to act on
    record = stored(store, rid)
    assert (record.status, record.reason) == ("declined", "Sono via martedì")
    assert record.history[-1].status == "declined"
    store.close()


async def test_a_move_not_allowed_now_is_refused(tmp_path: Path) -> None:
    store, ids = volunteer_store(tmp_path)
    rid = referral(store, ids, "sent")
    app = build_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("c")  # complete a referral not yet accepted
        await settle(app, pilot)
        assert isinstance(app.screen, VolunteerHomeScreen)
    assert stored(store, rid).status == "sent"
    store.close()


async def test_volunteer_picks_themselves_once(tmp_path: Path) -> None:
    store, ids = volunteer_store(tmp_path, with_meta=False)
    app = build_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, VolunteersScreen) and app.screen.pick
        assert "ctrl+n" not in app.screen.active_bindings  # the hub creates volunteers
        await pilot.press("escape")  # back to a page that says how to link the device
        await settle(app, pilot)
        assert isinstance(app.screen, VolunteerHomeScreen)
        assert app.screen.query_one("#pick", Button).display
        await pilot.press("ctrl+o")
        await settle(app, pilot)
        assert isinstance(app.screen, VolunteersScreen)
        await pilot.press(*"giulia")
        await settle(app, pilot)
        app.screen.query_one(RecordTable).focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, VolunteerHomeScreen)
        assert "Giulia Conti" in str(app.screen.query_one("#who", Static).render())
    assert store.meta()["volunteer_id"] == ids["giulia"]
    store.close()


async def test_new_volunteer_is_stored(tui_store: Store) -> None:
    seed(tui_store)
    app = build_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f7")
        await settle(app, pilot)
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, VolunteerFormScreen)
        await pilot.press(*"Luca", "tab", *"Sala")
        form.query_one("#skills", SelectionList).select("meals")
        await pilot.press("ctrl+s")  # no phone nor email: refused next to the phone
        await settle(app, pilot)
        assert "recapito" in str(form.query_one("#err-phone", Static).render())
        assert tui_store.count("volunteer") == 2
        form.query_one("#email", Input).value = "luca.sala@example.org"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not form.is_dirty()
    (luca,) = tui_store.list_records("volunteer", search="Sala")
    assert isinstance(luca, Volunteer)
    assert (luca.email, luca.skills, luca.active) == ("luca.sala@example.org", ["meals"], True)


async def test_edit_volunteer_and_leaving_a_changed_form_asks(tui_store: Store) -> None:
    ids = seed(tui_store)
    app = build_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.push_screen(VolunteerFormScreen(ids["giulia"]))
        await settle(app, pilot)
        form = app.screen
        form.query_one("#phone", Input).value = "333 9999999"
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # stay
        await settle(app, pilot)
        assert app.screen is form
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("escape")  # saved: leaves without asking
        await settle(app, pilot)
        assert not isinstance(app.screen, (ConfirmScreen, VolunteerFormScreen))
    giulia = tui_store.get("volunteer", ids["giulia"])
    assert isinstance(giulia, Volunteer)
    assert (giulia.phone, giulia.skills) == ("333 9999999", ["shopping", "companionship"])


async def test_directory_search_pages_through_the_store(tui_store: Store) -> None:
    tui_store.add_many("volunteer", (
        {"given_name": f"Nome{i:03d}", "family_name": f"Cognome{i:03d}",
         "phone": f"333 {i:07d}"} for i in range(120)))
    app = build_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f7")
        await settle(app, pilot)
        table = app.screen.query_one(RecordTable)
        assert (table.row_count, table.total) == (50, 120)  # one page, not everything
        await pilot.press(*"cognome07")
        await settle(app, pilot)
        assert table.total == 10
