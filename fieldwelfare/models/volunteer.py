"""A volunteer of the network and what they can offer."""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import EmailStr, Field, model_validator
from pydantic_core import PydanticCustomError

from fieldwelfare.models.base import (
    MAX_CATEGORIES,
    MAX_COMUNI,
    MAX_LANGUAGES,
    ComuneCode,
    Name,
    Record,
    RecordId,
)
from fieldwelfare.models.vocabulary import Category


class Volunteer(Record):
    KIND: ClassVar[str] = "volunteer"
    SEARCH_FIELDS: ClassVar[tuple[str, ...]] = ("given_name", "family_name", "email", "phone")

    given_name: Name
    family_name: Name
    phone: Annotated[str, Field(max_length=40)] | None = None
    email: EmailStr | None = None
    organisation_id: RecordId | None = None
    skills: Annotated[list[Category], Field(max_length=MAX_CATEGORIES)] = []
    comuni: Annotated[list[ComuneCode], Field(max_length=MAX_COMUNI)] = []
    languages: Annotated[list[Annotated[str, Field(min_length=2, max_length=40)]],
                         Field(max_length=MAX_LANGUAGES)] = []
    has_car: bool = False
    active: bool = True

    @model_validator(mode="after")
    def _contact(self) -> Volunteer:
        if not self.phone and not self.email:
            raise PydanticCustomError(
                "fw:err.contact_needed", "phone/email: at least one contact is needed",
                {"field": "phone"},
            )
        return self
