"""Logging a visit with the needs found during it: one write unit, all or nothing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fieldwelfare.errors import InvalidInput
from fieldwelfare.store import Store


class NeedRefused(InvalidInput):
    """Need ``number`` (1-based) was refused: nothing of the visit was stored."""

    def __init__(self, number: int, error: InvalidInput) -> None:
        super().__init__(str(error), field=error.field, allowed=error.allowed)
        self.number = number
        self.details = error.details


def log_visit(store: Store, visit: Mapping[str, Any],
              needs: Sequence[Mapping[str, Any]]) -> tuple[str, int]:
    """Store the visit and its needs together (each need takes the visit's person, id and
    date as its ``opened_on``). Returns (visit id, needs stored). If the visit or any need
    is refused, nothing is written: :class:`NeedRefused` names the need."""
    with store.writing() as w:
        visit_id = w.add("visit", visit).id
        for number, need in enumerate(needs, 1):
            data = {**need, "person_id": visit["person_id"], "visit_id": visit_id,
                    "opened_on": visit.get("date") or w.today().isoformat()}
            try:
                w.add("need", data)
            except InvalidInput as error:
                raise NeedRefused(number, error) from None
    return visit_id, len(needs)
