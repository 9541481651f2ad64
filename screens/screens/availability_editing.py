"""Loading and changing a volunteer's weekly slots; mixed into screens that show a WeekGrid.

Space on the grid adds or removes one hour (see :func:`toggle_plan`); Enter opens the slot
form for exact times. The store refuses overlaps with its own message, shown as is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from textual import work
from textual.message import Message

from fieldwelfare.errors import FieldWelfareError
from fieldwelfare.i18n import t
from fieldwelfare.models import Availability, Volunteer
from fieldwelfare.screens.messages import SaveFailed
from fieldwelfare.screens.widgets.slots import Slot, hhmm, minutes, toggle_plan
from fieldwelfare.screens.widgets.week_grid import WeekGrid
from fieldwelfare.store import Store


@dataclass
class SlotsLoaded(Message):
    volunteer_name: str
    slots: list[Slot]


@dataclass
class SlotsChanged(Message):
    summary: str


class SlotsStale(Message):
    """A write ended (stored or refused): read the slots again."""


def current_slots(store: Store, volunteer_id: str, today: dt.date) -> list[Slot]:
    """The volunteer's slots valid today or later (worker thread only)."""
    slots = []
    for a in store.list_records("availability", where={"volunteer_id": volunteer_id},
                                limit=None, order_by="weekday,start"):
        if isinstance(a, Availability) and (a.valid_to is None or a.valid_to >= today):
            slots.append(Slot(a.id, a.weekday, a.start, a.end))
    return slots


def week_hours(slots: list[Slot]) -> float:
    return sum(minutes(s.end) - minutes(s.start) for s in slots) / 60


class AvailabilityEditing:
    """For FwScreen subclasses with one :class:`WeekGrid` and a ``volunteer_id`` attribute."""

    volunteer_id: str | None = None

    def load_slots(self) -> None:
        if self.volunteer_id is not None:
            self._load_slots(self.volunteer_id)

    @work(thread=True, exclusive=True, group="slots", exit_on_error=False)
    def _load_slots(self, volunteer_id: str) -> None:
        screen: Any = self
        store: Store = screen.store
        volunteer = store.get("volunteer", volunteer_id)
        name = (f"{volunteer.given_name} {volunteer.family_name}"
                if isinstance(volunteer, Volunteer) else "")
        screen.post_message(SlotsLoaded(name, current_slots(store, volunteer_id,
                                                            screen.fw.today())))

    def on_slots_loaded(self, message: SlotsLoaded) -> None:
        screen: Any = self
        screen.query_one(WeekGrid).show_slots(message.slots)
        self.slots_shown(message)

    def slots_shown(self, message: SlotsLoaded) -> None:
        """Hook: titles, totals."""

    def on_week_grid_toggle_hour(self, message: WeekGrid.ToggleHour) -> None:
        if self.volunteer_id is None:
            return
        taken = any(s.weekday == message.weekday and
                    minutes(s.start) < message.hour * 60 + 60 and
                    minutes(s.end) > message.hour * 60 for s in message.grid.slots)
        summary = t("avail.removed" if taken else "avail.added",
                    weekday=t(f"weekday.{message.weekday}"), start=hhmm(message.hour),
                    end=hhmm(message.hour + 1))
        plan = toggle_plan(message.grid.slots, message.weekday, message.hour)
        self._run_plan(self.volunteer_id, plan, summary)

    @work(thread=True, exclusive=True, group="slot-write", exit_on_error=False)
    def _run_plan(self, volunteer_id: str, plan: list[Any], summary: str) -> None:
        screen: Any = self
        store: Store = screen.store
        try:
            for op in plan:
                if op.action == "add":
                    store.add("availability", {
                        **op.data, "volunteer_id": volunteer_id,
                        "valid_from": screen.fw.today().isoformat()})
                elif op.action == "update":
                    store.update("availability", op.slot_id, op.data)
                else:
                    store.delete("availability", op.slot_id)
        except FieldWelfareError as error:
            screen.post_message(SaveFailed(str(error), getattr(error, "field", None)))
        else:
            screen.post_message(SlotsChanged(summary))
        screen.post_message(SlotsStale())

    def on_week_grid_edit_hour(self, message: WeekGrid.EditHour) -> None:
        if self.volunteer_id is None:
            return
        from fieldwelfare.screens.screens.slot_form import SlotFormScreen

        screen: Any = self
        form = SlotFormScreen(self.volunteer_id, message.weekday, message.hour, message.slot)

        def done(changed: bool | None) -> None:
            if changed:
                self.load_slots()

        screen.app.push_screen(form, done)

    def on_slots_changed(self, message: SlotsChanged) -> None:
        screen: Any = self
        screen.notify(message.summary)

    def on_save_failed(self, message: SaveFailed) -> None:
        screen: Any = self
        screen.notify(message.message, severity="error", timeout=8)

    def on_slots_stale(self, message: SlotsStale) -> None:
        self.load_slots()
