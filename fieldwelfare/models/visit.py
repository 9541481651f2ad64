"""A home visit or meeting (visita domiciliare, colloquio)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, ClassVar

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from fieldwelfare.models.base import PastDate, Record, RecordId, Text
from fieldwelfare.models.vocabulary import VisitKind


class Visit(Record):
    KIND: ClassVar[str] = "visit"

    person_id: RecordId
    date: PastDate
    kind: VisitKind = VisitKind.home
    duration_min: Annotated[int, Field(ge=1, le=1440)] | None = None
    notes: Text | None = None
    follow_up_on: dt.date | None = None

    @model_validator(mode="after")
    def _follow_up_after_visit(self) -> Visit:
        if self.follow_up_on is not None and self.follow_up_on < self.date:
            raise PydanticCustomError(
                "fw:err.date_order", "follow_up_on: must be on or after the visit date",
                {"field": "follow_up_on", "other": "date"},
            )
        return self
