"""Checks that need the database: references, transitions, overlaps, privacy notice."""

from __future__ import annotations

from typing import Any

from fieldwelfare.errors import InvalidInput
from fieldwelfare.i18n import t
from fieldwelfare.models.vocabulary import (
    NEED_TRANSITIONS,
    REFERRAL_TRANSITIONS,
    NeedStatus,
    ReferralStatus,
)
from fieldwelfare.store.dbapi import sqlite3

REFERENCES: dict[str, dict[str, str]] = {
    "visit": {"person_id": "person"},
    "need": {"person_id": "person", "visit_id": "visit"},
    "volunteer": {"organisation_id": "organisation"},
    "availability": {"volunteer_id": "volunteer"},
    "referral": {"need_id": "need", "volunteer_id": "volunteer",
                 "organisation_id": "organisation"},
}


def exists(conn: sqlite3.Connection, table: str, rid: str) -> bool:
    row = conn.execute(f"SELECT 1 FROM {table} WHERE id = ? AND _deleted = 0", (rid,)).fetchone()
    return row is not None


def check_references(
    conn: sqlite3.Connection, kind: str, data: dict[str, Any], fields: set[str] | None = None
) -> None:
    for field, table in REFERENCES.get(kind, {}).items():
        if fields is not None and field not in fields:
            continue
        value = data.get(field)
        if value is not None and not exists(conn, table, value):
            raise InvalidInput(t("err.ref_missing", field=field, kind=table, id=value), field=field)
    check_person_alive(conn, kind, data)


def check_person_alive(conn: sqlite3.Connection, kind: str, data: dict[str, Any]) -> None:
    """Once a person is deleted, their needs take no more edits and no new referrals (every
    write of a need, or a new referral for one of its needs, is refused)."""
    if kind == "need":
        person = data.get("person_id")
    elif kind == "referral" and data.get("need_id"):
        row = conn.execute("SELECT person_id FROM need WHERE id = ?",
                           (data["need_id"],)).fetchone()
        person = row[0] if row else None
    else:
        return
    if person is not None and not exists(conn, "person", person):
        raise InvalidInput(t("err.ref_missing", field="person_id", kind="person", id=person),
                           field="person_id")


def check_need_transition(old: str, new: str) -> None:
    allowed = NEED_TRANSITIONS[NeedStatus(old)]
    if NeedStatus(new) not in allowed:
        raise InvalidInput(
            t("err.transition", old=old, new=new,
              allowed=", ".join(sorted(allowed)) or "-"),
            field="status", allowed=sorted(allowed),
        )


def check_referral_transition(
    old: str, new: str, *, outcome: str | None, reason: str | None
) -> None:
    allowed = REFERRAL_TRANSITIONS[ReferralStatus(old)]
    if ReferralStatus(new) not in allowed:
        raise InvalidInput(
            t("err.transition", old=old, new=new,
              allowed=", ".join(sorted(allowed)) or "-"),
            field="status", allowed=sorted(allowed),
        )
    check_referral_requirements(new, outcome=outcome, reason=reason)


def check_referral_requirements(status: str, *, outcome: str | None, reason: str | None) -> None:
    if status == ReferralStatus.completed and not outcome:
        raise InvalidInput(t("err.outcome_required"), field="outcome")
    if status in (ReferralStatus.declined, ReferralStatus.cancelled) and not reason:
        raise InvalidInput(t("err.reason_required", status=status), field="reason")


def check_privacy_before_send(conn: sqlite3.Connection, need_id: str) -> None:
    """A person's need cannot be sent to anyone before their privacy notice is recorded."""
    row = conn.execute(
        "SELECT p.id, p.given_name, p.family_name, p.privacy_notice FROM need n "
        "JOIN person p ON p.id = n.person_id WHERE n.id = ?",
        (need_id,),
    ).fetchone()
    if row is not None and not row[3]:
        raise InvalidInput(
            t("err.privacy_first", person=f"{row[1]} {row[2]}"), field="status"
        )


def check_overlap(conn: sqlite3.Connection, data: dict[str, Any]) -> None:
    """Reject a slot overlapping another live slot of the same volunteer and weekday."""
    far = "9999-12-31"
    rows = conn.execute(
        'SELECT start, "end" FROM availability WHERE volunteer_id = ? AND weekday = ? '
        "AND _deleted = 0 AND id != ? AND start < ? AND \"end\" > ? "
        "AND valid_from <= ? AND COALESCE(valid_to, ?) >= ?",
        (data["volunteer_id"], data["weekday"], data["id"], data["end"], data["start"],
         data.get("valid_to") or far, far, data["valid_from"]),
    ).fetchone()
    if rows is not None:
        raise InvalidInput(
            t("err.overlap", weekday=t(f"weekday.{data['weekday']}"), start=data["start"],
              end=data["end"], other_start=rows[0], other_end=rows[1]),
            field="start",
        )


VOLUNTEER_REFERRAL_FIELDS = frozenset({"status", "outcome", "reason"})
"""What a volunteer's device may change of a referral addressed to it."""


def check_role_may_write(conn: sqlite3.Connection, role: str | None, kind: str,
                         data: dict[str, Any], *, changed: set[str] | None = None,
                         creating: bool = False, deleting: bool = False) -> None:
    """A volunteer's device changes only what the hub accepts from it (store/writescope.py):
    its own volunteer record, its own availability, and the status, outcome and reason of
    the referrals addressed to it. Refused here, not later at the hub, so nothing that would
    block its outbox is ever written."""
    if role != "volunteer":
        return
    row = conn.execute("SELECT value FROM meta WHERE key = 'volunteer_id'").fetchone()
    own = row[0] if row else None
    if kind == "volunteer":
        allowed = not creating and not deleting and data.get("id") == own
    elif kind == "availability":
        allowed = own is not None and data.get("volunteer_id") == own
    elif kind == "referral":
        allowed = (not creating and not deleting and own is not None
                   and data.get("volunteer_id") == own
                   and changed is not None and changed <= VOLUNTEER_REFERRAL_FIELDS)
    else:
        allowed = False
    if not allowed:
        raise InvalidInput(t("err.role_scope", kind=kind), field="kind")
