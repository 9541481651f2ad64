"""Pydantic models of every record, and the registry of record kinds."""

from __future__ import annotations

from fieldwelfare.models.availability import Availability
from fieldwelfare.models.base import Record, utc_now
from fieldwelfare.models.need import Need
from fieldwelfare.models.organisation import Organisation
from fieldwelfare.models.person import Person, PrivacyNotice
from fieldwelfare.models.referral import Referral, ReferralEvent
from fieldwelfare.models.visit import Visit
from fieldwelfare.models.volunteer import Volunteer

MODELS: dict[str, type[Record]] = {
    m.KIND: m
    for m in (Person, Visit, Need, Organisation, Volunteer, Availability, Referral)
}
"""Record kinds by name, in dependency order."""

KINDS = tuple(MODELS)

__all__ = [
    "KINDS",
    "MODELS",
    "Availability",
    "Need",
    "Organisation",
    "Person",
    "PrivacyNotice",
    "Record",
    "Referral",
    "ReferralEvent",
    "Visit",
    "Volunteer",
    "utc_now",
]
