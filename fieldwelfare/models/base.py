"""Fields and checks shared by every record."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, ClassVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo
from pydantic_core import PydanticCustomError

from fieldwelfare import clock, fiscal_code
from fieldwelfare.ids import UUID_PATTERN
from fieldwelfare.vocab import is_valid_istat_code

_TIME = re.compile(r"^(([01]\d|2[0-3]):[0-5]\d|24:00)$")


def _check_comune(value: str) -> str:
    if not is_valid_istat_code(value):
        raise PydanticCustomError(
            "fw:err.comune", "'{value}' is not an ISTAT comune code (6 digits)", {"value": value}
        )
    return value


def _check_fiscal_code(value: str) -> str:
    value = value.strip().upper()
    if not fiscal_code.is_valid(value):
        raise PydanticCustomError("fw:err.fiscal_code", "invalid fiscal code (checksum failed)")
    return value


def _check_time(value: str) -> str:
    if not _TIME.match(value):
        raise ValueError("use HH:MM (00:00-24:00)")
    return value


def _today(info: ValidationInfo) -> dt.date:
    """Today as the validating store's clock says (``context["today"]``), else the default
    clock's."""
    given = info.context.get("today") if info.context else None
    return given if isinstance(given, dt.date) else clock.today()


def _check_not_future(value: dt.date, info: ValidationInfo) -> dt.date:
    if info.context and info.context.get("stored"):
        return value
    if value > _today(info):
        raise PydanticCustomError("fw:err.future_date", "the date cannot be in the future")
    return value


def _check_birth_year(value: int, info: ValidationInfo) -> int:
    if info.context and info.context.get("stored"):
        return value
    if value > _today(info).year:
        raise PydanticCustomError("fw:err.future_date", "the year cannot be in the future")
    return value


ComuneCode = Annotated[
    str, Field(description="6-digit ISTAT code of a comune"), AfterValidator(_check_comune)
]
BirthYear = Annotated[int, Field(ge=1900), AfterValidator(_check_birth_year)]
FiscalCode = Annotated[str, AfterValidator(_check_fiscal_code)]
ClockTime = Annotated[
    str, Field(pattern=r"^(([01]\d|2[0-3]):[0-5]\d|24:00)$", description="HH:MM"),
    AfterValidator(_check_time),
]
PastDate = Annotated[dt.date, AfterValidator(_check_not_future)]
Name = Annotated[str, Field(min_length=1, max_length=120)]
Text = Annotated[str, Field(max_length=10_000)]
MAX_LANGUAGES = 20
MAX_COMUNI = 2000
"""Lombardy has about 1,500 comuni: a list of them stays far below a bundle's line cap."""
MAX_CATEGORIES = 50
"""Lists are bounded so that any valid record fits a bundle line (1 MiB): what a device
accepts, the hub accepts."""
RequiredText = Annotated[str, Field(min_length=1, max_length=10_000)]
"""Free text that must say something (a need's description, a referral's brief)."""
ShortText = Annotated[str, Field(max_length=500)]
RecordId = Annotated[str, Field(min_length=36, max_length=36, pattern=UUID_PATTERN)]
"""A record id as every replica spells it (the id a bundle's ``rid`` must match)."""


def utc_now() -> str:
    """Timestamps are ISO 8601 UTC strings with millisecond precision (the default clock;
    the store stamps with its own injected clock)."""
    return clock.utc_now()


class Record(BaseModel):
    """Every record: device-generated UUIDv7 id, timestamps and the operator who created it."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True, str_strip_whitespace=True)

    KIND: ClassVar[str] = ""
    SEARCH_FIELDS: ClassVar[tuple[str, ...]] = ()
    """Fields indexed by full-text search (FTS5)."""
    READ_ONLY: ClassVar[frozenset[str]] = frozenset({"id", "created_at", "created_by"})
    DERIVED: ClassVar[frozenset[str]] = frozenset({"updated_at"})
    """Fields the store sets itself; not accepted from input on update."""

    id: RecordId
    created_at: str
    updated_at: str
    created_by: str

    @classmethod
    def data_fields(cls) -> list[str]:
        """The fields a user sets (everything but id, timestamps and creator)."""
        return [
            name for name in cls.model_fields
            if name not in cls.READ_ONLY | cls.DERIVED | cls.computed()
        ]

    @classmethod
    def computed(cls) -> frozenset[str]:
        """Fields stored elsewhere (e.g. referral history), returned but never written."""
        return frozenset()
