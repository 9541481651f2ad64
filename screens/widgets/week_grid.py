"""A week of availability as a grid: days across, hours down, a cell cursor.

Attributes down: :meth:`show_slots`. Messages up: :class:`ToggleHour` (Space) and
:class:`EditHour` (Enter or click). The grid never touches the store.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from fieldwelfare.i18n import t
from fieldwelfare.screens.bindings import translate_bindings
from fieldwelfare.screens.widgets.slots import Slot, covering, minutes
from fieldwelfare.screens.widgets.steady import SteadyMixin

FIRST_HOUR = 7
LAST_HOUR = 21
"""Rows run from 07:00 to 22:00; slots outside show in the slot list only."""


class WeekGrid(SteadyMixin):
    DEFAULT_CSS = """
    WeekGrid { height: 1fr; }
    """
    BINDINGS = [Binding("space", "toggle_hour", "key.toggle_slot")]

    @dataclass
    class ToggleHour(Message):
        grid: WeekGrid
        weekday: int
        hour: int

        @property
        def control(self) -> WeekGrid:
            return self.grid

    @dataclass
    class EditHour(Message):
        grid: WeekGrid
        weekday: int
        hour: int
        slot: Slot | None

        @property
        def control(self) -> WeekGrid:
            return self.grid

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, cursor_type="cell", zebra_stripes=False)
        translate_bindings(self)
        self.slots: list[Slot] = []

    def on_mount(self) -> None:
        for weekday in range(7):
            self.add_column(t(f"avail.short.{weekday}"), width=7, key=str(weekday))
        for hour in range(FIRST_HOUR, LAST_HOUR + 1):
            self.add_row(*(self._cell(weekday, hour) for weekday in range(7)),
                         key=str(hour), label=f"{hour:02d}:00")

    def show_slots(self, slots: list[Slot]) -> None:
        self.slots = list(slots)
        for hour in range(FIRST_HOUR, LAST_HOUR + 1):
            for weekday in range(7):
                self.update_cell(str(hour), str(weekday), self._cell(weekday, hour))

    def _cell(self, weekday: int, hour: int) -> Text:
        slot = covering(self.slots, weekday, hour)
        if slot is None:
            return Text("   ·   ", style="dim")
        full = minutes(slot.start) <= hour * 60 and minutes(slot.end) >= hour * 60 + 60
        return Text("███████" if full else "▄▄▄▄▄▄▄", style="green")

    def position(self) -> tuple[int, int]:
        """The weekday and hour under the cursor."""
        row, column = self.cursor_coordinate
        return column, FIRST_HOUR + row

    def move_to(self, weekday: int, hour: int) -> None:
        hour = min(max(hour, FIRST_HOUR), LAST_HOUR)
        self.move_cursor(row=hour - FIRST_HOUR, column=weekday)

    def action_toggle_hour(self) -> None:
        weekday, hour = self.position()
        self.post_message(self.ToggleHour(self, weekday, hour))

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        weekday, hour = event.coordinate.column, FIRST_HOUR + event.coordinate.row
        self.post_message(self.EditHour(self, weekday, hour, covering(self.slots, weekday, hour)))
