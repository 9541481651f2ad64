"""What pressing Space on an hour of the weekly grid does to the stored slots (pure logic).

Adding an hour next to a slot extends that slot (and joins two slots it touches); removing
an hour trims a slot at its edge or splits it in two. Everything is expressed as store
operations that the screen runs in a worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Slot:
    id: str
    weekday: int
    start: str
    end: str


@dataclass(frozen=True)
class Op:
    action: str
    """``add``, ``update`` or ``delete``."""
    slot_id: str | None = None
    data: dict[str, Any] | None = None


def read_time(text: str) -> str | None:
    """What a person types as a time, as ``HH:MM``: ``9`` -> ``09:00``, ``9.30`` and ``930``
    -> ``09:30``, ``24`` -> ``24:00``; None if it is not a time of day."""
    text = text.strip().replace(".", ":").replace(",", ":")
    if ":" in text:
        hours, _, minutes = text.partition(":")
    elif len(text) in (3, 4):
        hours, minutes = text[:-2], text[-2:]
    else:
        hours, minutes = text, "0"
    if not (hours.isdigit() and minutes.isdigit() and len(minutes) <= 2):
        return None
    h, m = int(hours), int(minutes)
    if not (0 <= h < 24 and 0 <= m < 60) and (h, m) != (24, 0):
        return None
    return f"{h:02d}:{m:02d}"


def hhmm(hour: int) -> str:
    return f"{hour:02d}:00"


def minutes(value: str) -> int:
    hours, mins = value.split(":")
    return int(hours) * 60 + int(mins)


def covering(slots: list[Slot], weekday: int, hour: int) -> Slot | None:
    """The slot that covers any part of ``hour`` on ``weekday``."""
    lo, hi = hour * 60, hour * 60 + 60
    for slot in slots:
        if slot.weekday == weekday and minutes(slot.start) < hi and minutes(slot.end) > lo:
            return slot
    return None


def toggle_plan(slots: list[Slot], weekday: int, hour: int) -> list[Op]:
    """The operations that add ``hour`` on ``weekday`` if free, or remove it if taken."""
    start, end = hhmm(hour), hhmm(hour + 1)
    taken = covering(slots, weekday, hour)
    if taken is None:
        before = next((s for s in slots if s.weekday == weekday and s.end == start), None)
        after = next((s for s in slots if s.weekday == weekday and s.start == end), None)
        if before and after:
            return [Op("update", before.id, {"end": after.end}), Op("delete", after.id)]
        if before:
            return [Op("update", before.id, {"end": end})]
        if after:
            return [Op("update", after.id, {"start": start})]
        return [Op("add", data={"weekday": weekday, "start": start, "end": end})]
    left = minutes(taken.start) < hour * 60
    right = minutes(taken.end) > hour * 60 + 60
    if left and right:
        return [Op("update", taken.id, {"end": start}),
                Op("add", data={"weekday": weekday, "start": end, "end": taken.end})]
    if left:
        return [Op("update", taken.id, {"end": start})]
    if right:
        return [Op("update", taken.id, {"start": end})]
    return [Op("delete", taken.id)]
