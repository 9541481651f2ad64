"""The unlock screen before the app, and the lock that covers it when it sits idle."""

from __future__ import annotations

import time
from pathlib import Path

from textual.widgets import Input, Static
from tuikit import SIZE, build_app, tui_clock

from fieldwelfare.screens.screens.person_form import PersonFormScreen
from fieldwelfare.screens.screens.unlock import LockScreen, UnlockScreen
from fieldwelfare.screens.unlock_app import UnlockApp
from fieldwelfare.store import Store, vault

PASS = "la frase di Anna al lavoro"


def encrypted(tmp_path: Path) -> Path:
    store, _recovery = vault.create(tmp_path / "enc.db", operator="Anna Bianchi",
                                    passphrase=PASS, clock=tui_clock())
    store.set_identity(device_name="pc", operator="Anna Bianchi", role="coordinator",
                       ambito="Lecco")
    store.close()
    return tmp_path / "enc.db"


async def test_the_unlock_screen_opens_the_database(tmp_path: Path) -> None:
    path = encrypted(tmp_path)
    app = UnlockApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, UnlockScreen)
        box = screen.query_one(".unlock").region  # centred, not in the top-left corner
        assert abs(box.x - (SIZE[0] - box.right)) <= 1 and box.y > 0
        await pilot.press(*"sbagliata!!", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is screen
        error = screen.query_one("#error", Static)
        assert "errat" in str(error.render())
        assert error.display and error.region.height > 0  # seen, not only written
        await pilot.press(*PASS, "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
    store = app.return_value
    assert isinstance(store, Store) and store.encrypted
    assert store.identity.operator == "Anna Bianchi"
    assert store.execute_read("SELECT count(*) FROM audit WHERE action = 'unlock_failed'"
                              )[0][0] == 1
    store.close()


async def test_idle_locks_and_unsaved_form_data_survives(tmp_path: Path) -> None:
    store = vault.unlock(encrypted(tmp_path), operator="Anna Bianchi", passphrase=PASS,
                         clock=tui_clock())
    store.set_meta({"lock_minutes": "1"})
    app = build_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        form = PersonFormScreen()
        app.push_screen(form)
        await pilot.pause()
        await pilot.press(*"Verdi")
        app._last_input = time.monotonic() - 61  # a minute without a key
        app.check_lock()
        await pilot.pause()
        lock = app.screen
        assert isinstance(lock, LockScreen)
        await pilot.press(*"non la so!", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is lock
        await pilot.press(*PASS, "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is form
        assert "Verdi" in [i.value for i in form.query(Input)]
    assert store.execute_read("SELECT count(*) FROM audit WHERE action = 'unlock_failed'"
                              )[0][0] == 1
    store.close()


async def test_a_plaintext_database_never_locks(tui_store: Store) -> None:
    plain = build_app(tui_store)
    assert plain.lock_after() > 0  # the TUI suite runs on encrypted (raw-key) stores
    tui_store.encrypted = False
    assert plain.lock_after() == 0


async def test_two_operators_pick_who_opens(tmp_path: Path) -> None:
    """The review's crash: with two operators the unlock screen asks who, then opens."""
    from textual.widgets import Select

    from fieldwelfare.store import keyslots

    path = encrypted(tmp_path)
    keyslots.add_operator(path, keyslots.unlock(path, "Anna Bianchi", PASS), "Bruno Neri",
                          "piove sui tetti di Lecco", "2025-06-16T08:30:00.000Z")
    app = UnlockApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert app.focused is screen.query_one("#operator", Select)  # who, first
        screen.query_one("#passphrase", Input).focus()
        await pilot.press(*"qualcosa", "enter")
        await pilot.pause()
        error = screen.query_one("#error", Static)
        assert "Scegliere" in str(error.render())
        assert error.display and error.region.height > 0
        screen.query_one("#operator", Select).value = "Bruno Neri"
        screen.query_one("#passphrase", Input).value = "piove sui tetti di Lecco"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
    store = app.return_value
    assert isinstance(store, Store) and store.identity.operator == "Bruno Neri"
    store.close()
