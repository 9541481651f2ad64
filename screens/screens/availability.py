"""A volunteer's weekly availability: a grid set with a few keys."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Header, Static

from fieldwelfare.i18n import t
from fieldwelfare.screens.screens.availability_editing import (
    AvailabilityEditing,
    SlotsLoaded,
    week_hours,
)
from fieldwelfare.screens.screens.base import FwScreen
from fieldwelfare.screens.screens.labels import number
from fieldwelfare.screens.widgets import AppFooter
from fieldwelfare.screens.widgets.week_grid import WeekGrid


class AvailabilityScreen(AvailabilityEditing, FwScreen[None]):
    TITLE_KEY = "key.availability"
    CSS_PATH = "../directory.tcss"

    def __init__(self, volunteer_id: str) -> None:
        super().__init__()
        self.volunteer_id = volunteer_id

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Vertical(classes="availability"):
            yield Static(id="who", classes="section", markup=False)
            yield Static(t("avail.hint"), classes="hint")
            yield WeekGrid(id="grid")
            yield Static(id="total", classes="count", markup=False)
        yield AppFooter()

    def on_mount(self) -> None:
        grid = self.query_one(WeekGrid)
        grid.focus()
        grid.move_to(0, 9)
        self.load_slots()

    def slots_shown(self, message: SlotsLoaded) -> None:
        self.query_one("#who", Static).update(t("avail.title", name=message.volunteer_name))
        hours = week_hours(message.slots)
        self.query_one("#total", Static).update(
            t("avail.total", slots=len(message.slots), hours=number(hours)))
