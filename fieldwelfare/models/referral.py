"""A referral (invio) of a need to a volunteer or an organisation, with its history."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict, model_validator
from pydantic_core import PydanticCustomError

from fieldwelfare.models.base import ComuneCode, Record, RecordId, RequiredText, ShortText
from fieldwelfare.models.vocabulary import Category, ReferralStatus


class ReferralEvent(BaseModel):
    """One status change of a referral: append-only."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True)

    id: str
    referral_id: str
    status: ReferralStatus
    at: str
    by: str
    note: str | None = None


class Referral(Record):
    KIND: ClassVar[str] = "referral"

    need_id: RecordId
    volunteer_id: RecordId | None = None
    organisation_id: RecordId | None = None
    brief: RequiredText
    category: Category | None = None
    """Copied from the need when the referral is created: what a volunteer sees of the task."""
    comune: ComuneCode | None = None
    """Copied from the need when the referral is created."""
    status: ReferralStatus = ReferralStatus.proposed
    outcome: ShortText | None = None
    reason: ShortText | None = None
    history: list[ReferralEvent] = []

    @classmethod
    def computed(cls) -> frozenset[str]:
        return frozenset({"history"})

    @model_validator(mode="after")
    def _one_target(self) -> Referral:
        if (self.volunteer_id is None) == (self.organisation_id is None):
            raise PydanticCustomError(
                "fw:err.one_target", "volunteer_id/organisation_id: give exactly one target",
                {"field": "volunteer_id"},
            )
        return self
