"""A need (bisogno) of a person or of a community."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from pydantic import model_validator
from pydantic_core import PydanticCustomError

from fieldwelfare.models.base import ComuneCode, PastDate, Record, RecordId, RequiredText
from fieldwelfare.models.vocabulary import Area, Category, NeedStatus, Urgency


class Need(Record):
    KIND: ClassVar[str] = "need"
    SEARCH_FIELDS: ClassVar[tuple[str, ...]] = ("description",)

    person_id: RecordId | None = None
    comune: ComuneCode
    area: Area
    category: Category
    description: RequiredText
    urgency: Urgency = Urgency.medium
    status: NeedStatus = NeedStatus.open
    opened_on: PastDate
    closed_on: dt.date | None = None
    visit_id: RecordId | None = None

    @model_validator(mode="after")
    def _closed_after_opened(self) -> Need:
        if self.closed_on is not None and self.closed_on < self.opened_on:
            raise PydanticCustomError(
                "fw:err.date_order", "closed_on: must be on or after opened_on",
                {"field": "closed_on", "other": "opened_on"},
            )
        return self
