"""Retention (GDPR art. 5(1)(e)): people the consortium no longer needs to know about are
erased, at the hub, as ordinary erasures whose markers reach every replica.

The policy is the hub's (``meta.retention_policy``): a person with no open need and no
activity (their record, visits, needs, the referrals of their needs) for
``person_years`` years is erased. ``retention run --dry-run`` lists who would go, with the
date of their last activity and nothing else; ``hub serve`` applies it once a day.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from typing import Any

from fieldwelfare.errors import InvalidInput
from fieldwelfare.i18n import t
from fieldwelfare.rights.erase import erase
from fieldwelfare.store import Store

KEY = "retention_policy"
MIN_YEARS = 1


@dataclass(frozen=True)
class Policy:
    person_years: int = 5


def policy(store: Store) -> Policy:
    raw = store.meta().get(KEY)
    if not raw:
        return Policy()
    try:
        return Policy(**json.loads(raw))
    except (TypeError, ValueError):
        return Policy()


def set_policy(store: Store, *, person_years: int) -> Policy:
    if person_years < MIN_YEARS:
        raise InvalidInput(t("retention.too_short", n=MIN_YEARS), field="person-years")
    chosen = Policy(person_years=person_years)
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


def job(store: Store) -> object:
    """For ``hub serve``'s daily jobs."""
    return len(run(store))
