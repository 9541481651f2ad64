"""Retention (GDPR art. 5(1)(e)): what the consortium no longer needs goes, at the hub,
through markers that reach every replica.

The policy is the hub's (``meta.retention_policy``):

* a person with no open need and no activity (their record, visits, needs, the referrals
  of their needs) for ``person_years`` years is erased (an ordinary erasure);
* a closed referral (declined, completed, cancelled, or deleted) closed more than
  ``brief_years`` years ago loses its free text: brief, outcome, reason, history notes (a
  redaction marker, :mod:`fieldwelfare.store.redaction`);
* a read-log entry older than ``access_years`` years is removed (at the hub; a device
  removes its own once the hub has acknowledged them, :func:`expire_device_accesses`).

``retention run --dry-run`` lists what would go (ids and dates, nothing else); ``hub
serve`` applies it once a day.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from fieldwelfare.errors import InvalidInput
from fieldwelfare.i18n import t
from fieldwelfare.rights.erase import erase
from fieldwelfare.store import Store, accesslog, hubstate, redaction
from fieldwelfare.store.merge import day_stamp, stamp_time
from fieldwelfare.sync.scrub import after_erasure

KEY = "retention_policy"
MIN_YEARS = 1


@dataclass(frozen=True)
class Policy:
    person_years: int = 5
    brief_years: int = 2
    access_years: int = 2


def policy(store: Store) -> Policy:
    raw = store.meta().get(KEY)
    if not raw:
        return Policy()
    try:
        stored = json.loads(raw)
        return Policy(**{f.name: int(stored[f.name]) for f in fields(Policy)
                         if f.name in stored})
    except (TypeError, ValueError, AttributeError):
        return Policy()


def set_policy(store: Store, *, person_years: int | None = None,
               brief_years: int | None = None, access_years: int | None = None) -> Policy:
    """Change the given periods (years, at least :data:`MIN_YEARS`); the others stay."""
    given = {"person_years": person_years, "brief_years": brief_years,
             "access_years": access_years}
    for name, years in given.items():
        if years is not None and years < MIN_YEARS:
            raise InvalidInput(t("retention.too_short", n=MIN_YEARS),
                               field=name.replace("_", "-"))
    chosen = replace(policy(store), **{k: v for k, v in given.items() if v is not None})
    store.set_meta({KEY: json.dumps(asdict(chosen))})
    store.record_event("retention_policy", json.dumps(asdict(chosen)))
    return chosen


def cutoff(today: dt.date, years: int) -> str:
    try:
        return today.replace(year=today.year - years).isoformat()
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28).isoformat()


_DUE = """
SELECT p.id AS id, max(
    coalesce(p.updated_at, ''),
    coalesce((SELECT max(v.updated_at) FROM visit v WHERE v.person_id = p.id), ''),
    coalesce((SELECT max(n.updated_at) FROM need n WHERE n.person_id = p.id), ''),
    coalesce((SELECT max(r.updated_at) FROM referral r JOIN need n ON r.need_id = n.id
              WHERE n.person_id = p.id), '')) AS last
FROM person p
WHERE p.id NOT IN (SELECT id FROM purge)
  AND NOT EXISTS (SELECT 1 FROM need n WHERE n.person_id = p.id AND n._deleted = 0
                  AND n.status IN ('open', 'in_progress'))
"""


def due(store: Store, *, today: dt.date | None = None) -> list[dict[str, Any]]:
    """The people the policy erases today: ``{"id", "last_activity"}`` (no personal data)."""
    limit = cutoff(today or store.today(), policy(store).person_years)
    rows = store.execute_read(f"SELECT id, last FROM ({_DUE}) WHERE last < ? ORDER BY last",
                              [limit])
    return [{"id": r["id"], "last_activity": str(r["last"])[:10]} for r in rows]


def run(store: Store, *, dry_run: bool = False,
        today: dt.date | None = None) -> list[dict[str, Any]]:
    """Erase (or, ``dry_run``, only list) the people due; the hub's job."""
    found = due(store, today=today)
    if dry_run or not found:
        return found
    years = policy(store).person_years
    for person in found:
        erase(store, person["id"], t("retention.reason", years=years,
                                     last=person["last_activity"]), require_role=False)
    return found


TERMINAL = ("declined", "completed", "cancelled")
"""Referral statuses with no way out (``REFERRAL_TRANSITIONS``): the referral is closed."""

_BRIEFS = f"""
SELECT r.id AS id, coalesce(
    (SELECT max(e.hlc) FROM referral_event e WHERE e.referral_id = r.id
     AND e.status = r.status),
    (SELECT max(c.hlc) FROM change c WHERE c.tbl = 'referral' AND c.rid = r.id)) AS closed
FROM referral r
WHERE (r.status IN ({", ".join(repr(s) for s in TERMINAL)}) OR r._deleted = 1)
  AND r.id NOT IN (SELECT id FROM redaction)
  AND r.id NOT IN (SELECT rid FROM purged_record WHERE tbl = 'referral')
"""


def due_briefs(store: Store, *, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Closed referrals whose free text the policy removes today:
    ``{"kind": "referral_brief", "id", "last_activity"}`` (the day it closed)."""
    limit = day_stamp(cutoff(today or store.today(), policy(store).brief_years))
    rows = store.execute_read(f"SELECT id, closed FROM ({_BRIEFS}) WHERE closed < ? "
                              "ORDER BY closed, id", [limit])
    # the closing's stamp, not the wall clock of the laptop that closed it
    return [{"kind": "referral_brief", "id": r["id"],
             "last_activity": stamp_time(str(r["closed"]))[:10]} for r in rows]


def due_accesses(store: Store, *, today: dt.date | None = None,
                 only_sent: bool = False) -> list[dict[str, Any]]:
    """Read-log entries the policy removes today: ``{"kind": "access", "id",
    "last_activity"}`` (the day of the opening)."""
    limit = cutoff(today or store.today(), policy(store).access_years)
    return [{"kind": "access", "id": r["id"], "last_activity": str(r["at"])[:10]}
            for r in accesslog.due(store, limit, only_sent=only_sent)]


def run_all(store: Store, *, dry_run: bool = False,
            today: dt.date | None = None) -> list[dict[str, Any]]:
    """Every rule of the policy, at the hub: people erased, closed referrals' briefs
    redacted, old read-log entries removed (or, ``dry_run``, only listed). Each item has
    ``kind`` (``person``, ``referral_brief``, ``access``), ``id`` and ``last_activity``."""
    people = [{**p, "kind": "person"} for p in run(store, dry_run=dry_run, today=today)]
    briefs = due_briefs(store, today=today)
    accesses = due_accesses(store, today=today)
    if not dry_run:
        pol = policy(store)
        if briefs:
            done = redaction.redact_referrals(
                store, [b["id"] for b in briefs], t("retention.brief_reason",
                                                    years=pol.brief_years))
            after_erasure(store, done.seqs, erased=True)
        accesslog.expire(store, [a["id"] for a in accesses])
    return [*people, *briefs, *accesses]


def expire_device_accesses(store: Store) -> int:
    """On a device: remove its read-log entries older than the policy's period that the
    hub has acknowledged (all of them on a device that never enrolled). Called after each
    sync import."""
    enrolled = hubstate.get_hub(store) is not None
    due = due_accesses(store, only_sent=enrolled)
    return accesslog.expire(store, [a["id"] for a in due])


def job(store: Store) -> object:
    """For ``hub serve``'s daily jobs."""
    return len(run_all(store))
