"""An organisation of the network: comune, ETS, parish, school, health authority."""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field

from fieldwelfare.models.base import (
    MAX_CATEGORIES,
    MAX_COMUNI,
    ComuneCode,
    Name,
    Record,
    ShortText,
)
from fieldwelfare.models.vocabulary import Category, OrganisationKind


class Organisation(Record):
    KIND: ClassVar[str] = "organisation"
    SEARCH_FIELDS: ClassVar[tuple[str, ...]] = ("name", "contact")

    name: Name
    kind: OrganisationKind
    comuni: Annotated[list[ComuneCode], Field(max_length=MAX_COMUNI)] = []
    categories: Annotated[list[Category], Field(max_length=MAX_CATEGORIES)] = []
    contact: ShortText | None = None
