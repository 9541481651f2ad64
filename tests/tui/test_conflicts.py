"""Conflicts: a real conflict from two simulated devices, resolved by keeping one side."""

from __future__ import annotations

from dirkit import DEVICE_A, PERSON_ID, make_conflict, settle
from textual.widgets import DataTable, Static
from tuikit import SIZE, build_app

from fieldwelfare.models import Person
from fieldwelfare.screens.screens.conflicts import ConflictsScreen
from fieldwelfare.store import Store
from fieldwelfare.store import replication as rep


async def test_keep_other_stores_it_and_closes_the_conflict(tui_store: Store) -> None:
    make_conflict(tui_store)
    (conflict,) = rep.list_conflicts(tui_store, status="open")
    assert (conflict.current_value, conflict.other_value) == ("0341 333333", "0341 222222")
    app = build_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.push_screen(ConflictsScreen())
        await settle(app, pilot)
        screen = app.screen
        assert screen.query_one("#list", DataTable).row_count == 1
        current = str(screen.query_one("#current-value", Static).render())
        other = str(screen.query_one("#other-value", Static).render())
        assert "0341 333333" in current and "0341 222222" in other
        assert "Mauri Carla" in current
        assert "…0aaaaa" in str(screen.query_one("#other-who", Static).render())
        assert "10/06/2025 09:05 UTC" in str(screen.query_one("#other-who", Static).render())
        await pilot.press("2")
        await settle(app, pilot)
        assert screen.query_one("#list", DataTable).row_count == 0
        assert "Nessun conflitto" in str(screen.query_one("#none", Static).render())
    person = tui_store.get("person", PERSON_ID)
    assert isinstance(person, Person)
    assert person.phone == "0341 222222"
    assert rep.list_conflicts(tui_store, status="open") == []
    (resolved,) = rep.list_conflicts(tui_store, status="resolved")
    assert (resolved.id, resolved.other_origin) == (conflict.id, DEVICE_A)


async def test_keep_current_keeps_the_value_in_use(tui_store: Store) -> None:
    make_conflict(tui_store)
    app = build_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.push_screen(ConflictsScreen())
        await settle(app, pilot)
        await pilot.click("#keep-current")
        await settle(app, pilot)
    person = tui_store.get("person", PERSON_ID)
    assert isinstance(person, Person)
    assert person.phone == "0341 333333"
    assert rep.list_conflicts(tui_store, status="open") == []
