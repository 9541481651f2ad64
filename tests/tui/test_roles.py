"""Each role starts in a working state and is offered only the screens it can use."""

from __future__ import annotations

from pathlib import Path

from dirkit import settle, volunteer_store
from textual.widgets import Button, Static
from tuikit import SIZE, build_app, open_tui_store, seed

from fieldwelfare.screens.app import FieldWelfareApp
from fieldwelfare.screens.commands import ScreensProvider
from fieldwelfare.screens.screens.enroll import EnrollScreen
from fieldwelfare.screens.screens.home import HomeScreen
from fieldwelfare.screens.screens.volunteer_home import VolunteerHomeScreen
from fieldwelfare.screens.screens.volunteers import VolunteersScreen
from fieldwelfare.store import Store

STAFF_KEYS = ("f3", "f4", "f5", "f7", "f8")


async def palette_titles(app: FieldWelfareApp) -> list[str]:
    provider = ScreensProvider(app.screen)
    return [str(hit.display) async for hit in provider.discover()]


async def test_volunteer_set_up_with_init_is_told_how_to_link(tmp_path: Path) -> None:
    """``init --role volunteer`` on a blank laptop: no volunteer records, no link yet. The
    screen says the hub enrolls the laptop and leads to the enrollment code (point 3)."""
    store = open_tui_store(tmp_path / "vol.db")
    store.set_identity(device_name="lap-vol", operator="Giulia Conti", role="volunteer")
    app = build_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, VolunteerHomeScreen)
        text = screen.query_one("#link-text", Static)
        assert "codice di registrazione" in str(text.render())
        assert text.region.height > 0
        assert not screen.query_one("#pick", Button).display  # nobody to pick
        assert "ctrl+e" in screen.active_bindings
        await pilot.press("ctrl+e")
        await settle(app, pilot)
        assert isinstance(app.screen, EnrollScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen
        await pilot.click("#go-sync")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "SyncScreen"
    assert "volunteer_id" not in store.meta()
    store.close()


async def test_linked_volunteer_waits_for_their_record(tmp_path: Path) -> None:
    store = open_tui_store(tmp_path / "vol.db")
    store.set_identity(device_name="lap-vol", operator="Giulia Conti", role="volunteer")
    store.set_meta({"volunteer_id": "0197a000-0000-7000-8000-00000000abcd"})
    app = build_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, VolunteerHomeScreen)
        assert "non è ancora arrivata" in str(app.screen.query_one("#link-text",
                                                                     Static).render())
    store.close()


async def test_volunteer_device_offers_only_its_screens(tmp_path: Path) -> None:
    """No person, visit, needs or directory screens on a volunteer's device (point 4)."""
    store, _ = volunteer_store(tmp_path)
    app = build_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, VolunteerHomeScreen)
        for key in STAFF_KEYS:
            assert key not in screen.active_bindings  # not in the footer, not in the help
            await pilot.press(key)
            await settle(app, pilot)
            assert app.screen is screen
        titles = await palette_titles(app)
        assert "La mia settimana" in titles
        assert not {"Persone", "Registra visita", "Bisogni", "Nuova persona",
                    "Volontari", "Nuovo volontario", "Enti"} & set(titles)
        app.go("people")
        await settle(app, pilot)
        assert app.screen is screen
        await pilot.press("f2")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        cards = [card.id for card in app.screen.query(".card")]
        assert cards == ["card-referrals_sent"]
    store.close()


async def test_coordinator_has_no_my_week(tui_store: Store) -> None:
    """F10 "my week" is a volunteer's screen: a coordinator never picks a volunteer as the
    device's own (point 5)."""
    seed(tui_store)
    app = build_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "f10" not in app.screen.active_bindings
        assert "f3" in app.screen.active_bindings
        await pilot.press("f10")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert not isinstance(app.screen, VolunteersScreen)
        assert "La mia settimana" not in await palette_titles(app)
    assert "volunteer_id" not in tui_store.meta()


async def test_every_screen_has_a_letter_behind_ctrl_g(tui_store: Store) -> None:
    """Terminals and desktops take F1 and F10: Ctrl+G then a letter reaches every screen
    the role may open, ``?`` the help; the footer shows ^g (point 14)."""
    from fieldwelfare.screens.screens.go_menu import GoMenuScreen, menu_entries
    from fieldwelfare.screens.screens.help import HelpScreen
    from fieldwelfare.screens.screens.needs import NeedsScreen

    seed(tui_store)
    app = build_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        shown = {key for key, b in app.screen.active_bindings.items() if b.binding.show}
        assert {"ctrl+g", "f1"} <= shown
        await pilot.press("ctrl+g")
        await settle(app, pilot)
        assert isinstance(app.screen, GoMenuScreen)
        await pilot.press("b")
        await settle(app, pilot)
        assert isinstance(app.screen, NeedsScreen)
        await pilot.press("ctrl+g", "question_mark")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
    letters = [letter for letter, _, _ in menu_entries("coordinator")]
    assert letters == ["h", "p", "v", "b", "i", "o", "e", "s", "c", "?"]
    assert [letter for letter, _, _ in menu_entries("volunteer")] == ["h", "i", "s", "c", "m",
                                                                      "?"]
