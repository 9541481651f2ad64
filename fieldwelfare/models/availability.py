"""A weekly time slot in which a volunteer is available."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, ClassVar

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from fieldwelfare.models.base import ClockTime, Record, RecordId


class Availability(Record):
    KIND: ClassVar[str] = "availability"

    volunteer_id: RecordId
    weekday: Annotated[int, Field(ge=0, le=6, description="0 = Monday ... 6 = Sunday")]
    start: ClockTime
    end: ClockTime
    valid_from: dt.date
    valid_to: dt.date | None = None

    @model_validator(mode="after")
    def _order(self) -> Availability:
        if self.end <= self.start:
            raise PydanticCustomError(
                "fw:err.time_order", "end: the end time must be after the start ({start})",
                {"field": "end", "start": self.start},
            )
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise PydanticCustomError(
                "fw:err.date_order", "valid_to: must be on or after valid_from",
                {"field": "valid_to", "other": "valid_from"},
            )
        return self

    def minutes(self) -> int:
        sh, sm = map(int, self.start.split(":"))
        eh, em = map(int, self.end.split(":"))
        return (eh * 60 + em) - (sh * 60 + sm)
