"""Referral rows for tables: status, what, where, to whom (names looked up a page at a time).

Runs in worker threads only (it reads the store).
"""

from __future__ import annotations

from typing import Any

from fieldwelfare import vocab
from fieldwelfare.i18n import t
from fieldwelfare.models import Referral
from fieldwelfare.screens.screens.labels import day, label, short
from fieldwelfare.store import Store


def target_names(store: Store, referrals: list[Referral]) -> dict[str, str]:
    """Names of the volunteers and organisations the referrals are addressed to, by id."""
    names = store.names("volunteer", [r.volunteer_id for r in referrals if r.volunteer_id])
    names.update(store.names("organisation",
                             [r.organisation_id for r in referrals if r.organisation_id]))
    return names


def target_name(store: Store, referral: Referral) -> str:
    """One referral's target, a deleted one said so (a detail screen: one query each)."""
    try:
        if referral.volunteer_id:
            volunteer: Any = store.get("volunteer", referral.volunteer_id)
            return f"{volunteer.given_name} {volunteer.family_name}"
        if referral.organisation_id:
            organisation: Any = store.get("organisation", referral.organisation_id)
            return str(organisation.name)
    except Exception:  # a deleted target still shows its referral
        return t("detail.deleted")
    return ""


def target_of(referral: Referral, names: dict[str, str]) -> str:
    rid = referral.volunteer_id or referral.organisation_id or ""
    return names[rid] if rid in names else t("ref.unknown_target")


def referral_row(referral: Referral, names: dict[str, str] | None) -> tuple[str, list[Any]]:
    """Status, to whom (left out when ``names`` is None: a volunteer's own list), the
    request, category, comune, last change."""
    target = [] if names is None else [short(target_of(referral, names), 24)]
    return referral.id, [  # who and what first: at 80 columns the request is seen
        label("referral_status", referral.status),
        *target,
        short(referral.brief, 30),
        label("category", referral.category),
        vocab.comune_name(referral.comune) if referral.comune else "",
        day(referral.updated_at[:10]),
    ]


def referral_rows(store: Store, records: list[Any], *,
                  with_target: bool = True) -> list[tuple[str, list[Any]]]:
    referrals = [r for r in records if isinstance(r, Referral)]
    names = target_names(store, referrals) if with_target else None
    return [referral_row(r, names) for r in referrals]
