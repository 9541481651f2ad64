"""The weekly availability grid: hours set with Space, exact slots with Enter, overlaps
refused with the store's message and nothing stored."""

from __future__ import annotations

from dirkit import settle
from textual.widgets import Input, Static
from tuikit import SIZE, TODAY, build_app, seed

from fieldwelfare.models import Availability
from fieldwelfare.screens.app import FieldWelfareApp
from fieldwelfare.screens.screens.availability import AvailabilityScreen
from fieldwelfare.screens.screens.slot_form import SlotFormScreen
from fieldwelfare.screens.widgets.slots import Op, Slot, read_time, toggle_plan
from fieldwelfare.screens.widgets.week_grid import WeekGrid
from fieldwelfare.store import Store

MONDAY, TUESDAY = 0, 1


def slots(store: Store, volunteer_id: str) -> list[tuple[int, str, str]]:
    found = store.list_records("availability", where={"volunteer_id": volunteer_id},
                               limit=None, order_by="weekday,start")
    return [(a.weekday, a.start, a.end) for a in found if isinstance(a, Availability)]


async def open_grid(app: FieldWelfareApp, pilot: object, volunteer_id: str) -> WeekGrid:
    await settle(app, pilot)
    app.push_screen(AvailabilityScreen(volunteer_id))
    await settle(app, pilot)
    return app.screen.query_one(WeekGrid)


async def test_space_sets_hours_and_joins_them_into_one_slot(tui_store: Store) -> None:
    ids = seed(tui_store)
    app = build_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(app, pilot, ids["giulia"])
        grid.move_to(MONDAY, 15)
        for key in ("space", "down", "space", "down", "space"):
            await pilot.press(key)
            await settle(app, pilot)
        total = str(app.screen.query_one("#total", Static).render())
        assert "2 fasce, 6 ore" in total
    assert slots(tui_store, ids["giulia"]) == [(0, "15:00", "18:00"), (1, "09:00", "12:00")]
    (monday,) = [a for a in tui_store.list_records("availability", where={"weekday": 0})
                 if isinstance(a, Availability)]
    assert monday.valid_from == TODAY


async def test_space_in_the_middle_of_a_slot_splits_it(tui_store: Store) -> None:
    ids = seed(tui_store)  # Giulia: Tuesday 09:00-12:00
    app = build_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(app, pilot, ids["giulia"])
        grid.move_to(TUESDAY, 10)
        await pilot.press("space")
        await settle(app, pilot)
    assert slots(tui_store, ids["giulia"]) == [(1, "09:00", "10:00"), (1, "11:00", "12:00")]


async def test_overlapping_slot_is_refused_with_the_store_message(tui_store: Store) -> None:
    ids = seed(tui_store)  # Giulia: Tuesday 09:00-12:00
    app = build_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(app, pilot, ids["giulia"])
        grid.move_to(TUESDAY, 13)
        await pilot.press("enter")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, SlotFormScreen)
        form.query_one("#start", Input).value = "11:00"
        form.query_one("#end", Input).value = "14:00"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form  # kept open with what was typed
        error = str(form.query_one("#slot-error", Static).render())
        assert error == ("la fascia martedì 11:00-14:00 si sovrappone a quella già "
                         "registrata martedì 09:00-12:00")
        assert form.query_one("#slot-error", Static).region.height == 2  # on screen
        assert any(n.message == error for n in app._notifications)
        assert slots(tui_store, ids["giulia"]) == [(1, "09:00", "12:00")]
        form.query_one("#start", Input).value = "12:00"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, AvailabilityScreen)
    assert slots(tui_store, ids["giulia"]) == [(1, "09:00", "12:00"), (1, "12:00", "14:00")]


async def test_enter_on_a_slot_edits_it_and_can_delete_it(tui_store: Store) -> None:
    ids = seed(tui_store)
    app = build_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(app, pilot, ids["giulia"])
        grid.move_to(TUESDAY, 10)
        await pilot.press("enter")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, SlotFormScreen)
        assert form.query_one("#start", Input).value == "09:00"
        await pilot.click("#delete")
        await settle(app, pilot)
        assert isinstance(app.screen, AvailabilityScreen)
    assert slots(tui_store, ids["giulia"]) == []


def test_toggle_plan() -> None:
    a, b = Slot("a", 0, "09:00", "10:00"), Slot("b", 0, "11:00", "12:00")
    assert toggle_plan([a, b], 0, 10) == [Op("update", "a", {"end": "12:00"}), Op("delete", "b")]
    assert toggle_plan([a], 0, 8) == [Op("update", "a", {"start": "08:00"})]
    assert toggle_plan([a], 0, 9) == [Op("delete", "a")]
    assert toggle_plan([a], 1, 9) == [Op("add", data={"weekday": 1, "start": "09:00",
                                                      "end": "10:00"})]
    assert toggle_plan([Slot("c", 0, "09:30", "10:30")], 0, 9) == [
        Op("update", "c", {"start": "10:00"})]
    assert toggle_plan([Slot("d", 0, "23:00", "24:00")], 0, 22) == [
        Op("update", "d", {"start": "22:00"})]


def test_times_are_read_as_people_type_them() -> None:
    assert [read_time(x) for x in ("9", "09", "9:30", "9.30", "930", "1430", "24", " 7 ")] == [
        "09:00", "09:00", "09:30", "09:30", "09:30", "14:30", "24:00", "07:00"]
    assert [read_time(x) for x in ("25:00", "24:30", "9:75", "nove", "", "12345")] == [
        None] * 6


async def test_a_time_out_of_range_is_said_in_words_and_9_means_09_00(
        tui_store: Store) -> None:
    """No pydantic pattern on screen for 25:00; 9 is read as 09:00 (point 8)."""
    ids = seed(tui_store)
    app = build_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(app, pilot, ids["giulia"])
        grid.move_to(3, 15)
        await pilot.press("enter")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, SlotFormScreen)
        form.query_one("#start", Input).value = "25:00"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        error = str(form.query_one("#slot-error", Static).render())
        assert "«25:00» non è un'ora" in error
        assert "pattern" not in error and "String" not in error
        assert app.focused is form.query_one("#start", Input)
        form.query_one("#start", Input).value = "9"
        form.query_one("#end", Input).value = "11.30"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, AvailabilityScreen)
    assert (3, "09:00", "11:30") in slots(tui_store, ids["giulia"])
