"""An organisation of the network: comune, ETS, parish, school, health authority."""

from __future__ import annotations

from typing import ClassVar

from fieldwelfare.models.base import ComuneCode, Name, Record, ShortText
from fieldwelfare.models.vocabulary import Category, OrganisationKind


class Organisation(Record):
    KIND: ClassVar[str] = "organisation"
    SEARCH_FIELDS: ClassVar[tuple[str, ...]] = ("name", "contact")

    name: Name
    kind: OrganisationKind
    comuni: list[ComuneCode] = []
    categories: list[Category] = []
    contact: ShortText | None = None
