"""A person followed by the social services (utente / beneficiario)."""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from fieldwelfare.models.base import (
    MAX_LANGUAGES,
    BirthYear,
    ComuneCode,
    FiscalCode,
    Name,
    PastDate,
    Record,
    ShortText,
    Text,
)
from fieldwelfare.models.vocabulary import Sex


class PrivacyNotice(BaseModel):
    """The GDPR art. 13 information notice (informativa) given to the person."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    version: Annotated[str, Field(min_length=1, max_length=40)]
    given_on: PastDate
    given_by: Name


class Person(Record):
    KIND: ClassVar[str] = "person"
    SEARCH_FIELDS: ClassVar[tuple[str, ...]] = (
        "given_name", "family_name", "fiscal_code", "address", "phone",
    )

    given_name: Name
    family_name: Name
    birth_year: BirthYear | None = None
    sex: Sex | None = None
    fiscal_code: FiscalCode | None = None
    comune: ComuneCode
    address: ShortText | None = None
    phone: Annotated[str, Field(max_length=40)] | None = None
    household_size: Annotated[int, Field(ge=1, le=30)] | None = None
    languages: Annotated[list[Annotated[str, Field(min_length=2, max_length=40)]],
                         Field(max_length=MAX_LANGUAGES)] = []
    privacy_notice: PrivacyNotice | None = None
    notes: Text | None = None
    owner: Name | None = None
