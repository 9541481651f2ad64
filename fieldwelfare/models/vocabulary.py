"""Closed vocabularies as enums. Their codes are drift-tested against ``schema/*.csv``."""

from __future__ import annotations

from enum import StrEnum


class Sex(StrEnum):
    F = "F"
    M = "M"
    X = "X"


class VisitKind(StrEnum):
    home = "home"
    office = "office"
    phone = "phone"
    online = "online"


class Area(StrEnum):
    family_minors = "family_minors"
    disability = "disability"
    addiction = "addiction"
    elderly = "elderly"
    migrants = "migrants"
    poverty = "poverty"
    multi = "multi"


class Category(StrEnum):
    transport = "transport"
    shopping = "shopping"
    companionship = "companionship"
    meals = "meals"
    digital_support = "digital_support"
    homework_help = "homework_help"
    medical_escort = "medical_escort"
    small_repairs = "small_repairs"
    job_orientation = "job_orientation"
    housing = "housing"
    financial_support = "financial_support"
    other = "other"


class Urgency(StrEnum):
    low = "low"
    medium = "medium"
    high = "high"
    urgent = "urgent"


class NeedStatus(StrEnum):
    open = "open"
    in_progress = "in_progress"
    met = "met"
    closed_unmet = "closed_unmet"


class OrganisationKind(StrEnum):
    municipality = "municipality"
    odv = "odv"
    aps = "aps"
    social_cooperative = "social_cooperative"
    social_enterprise = "social_enterprise"
    health_authority = "health_authority"
    parish = "parish"
    school = "school"
    other = "other"


class ReferralStatus(StrEnum):
    proposed = "proposed"
    sent = "sent"
    accepted = "accepted"
    declined = "declined"
    in_progress = "in_progress"
    completed = "completed"
    cancelled = "cancelled"


class Role(StrEnum):
    social_worker = "social_worker"
    volunteer = "volunteer"
    coordinator = "coordinator"


class Ambito(StrEnum):
    Lecco = "Lecco"
    Bellano = "Bellano"
    Merate = "Merate"


URGENCY_RANK = {Urgency.low: 0, Urgency.medium: 1, Urgency.high: 2, Urgency.urgent: 3}

NEED_TRANSITIONS: dict[NeedStatus, frozenset[NeedStatus]] = {
    NeedStatus.open: frozenset({NeedStatus.in_progress, NeedStatus.met, NeedStatus.closed_unmet}),
    NeedStatus.in_progress: frozenset({NeedStatus.open, NeedStatus.met, NeedStatus.closed_unmet}),
    NeedStatus.met: frozenset({NeedStatus.open}),
    NeedStatus.closed_unmet: frozenset({NeedStatus.open}),
}

REFERRAL_TRANSITIONS: dict[ReferralStatus, frozenset[ReferralStatus]] = {
    ReferralStatus.proposed: frozenset({ReferralStatus.sent, ReferralStatus.cancelled}),
    ReferralStatus.sent: frozenset(
        {ReferralStatus.accepted, ReferralStatus.declined, ReferralStatus.cancelled}
    ),
    ReferralStatus.accepted: frozenset({ReferralStatus.in_progress, ReferralStatus.cancelled}),
    ReferralStatus.in_progress: frozenset({ReferralStatus.completed, ReferralStatus.cancelled}),
    ReferralStatus.declined: frozenset(),
    ReferralStatus.completed: frozenset(),
    ReferralStatus.cancelled: frozenset(),
}

OPEN_REFERRAL_STATUSES = frozenset(
    {ReferralStatus.proposed, ReferralStatus.sent, ReferralStatus.accepted,
     ReferralStatus.in_progress}
)
OPEN_NEED_STATUSES = frozenset({NeedStatus.open, NeedStatus.in_progress})
