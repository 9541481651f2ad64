"""The ``capacity`` report: active volunteers and their weekly hours by comune (or ambito)
and skill, against the open needs of the same comune and category. A row is a gap when
open needs outnumber the volunteers who could take them: what the plan should fund."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from fieldwelfare.reports.dims import rollup, sort_key, value_of
from fieldwelfare.reports.model import Column, Table
from fieldwelfare.store import Store

BY = ("comune", "ambito", "category")
DEFAULT_BY = ("ambito", "category")

_MINUTES = ("(CAST(substr(a.\"end\", 1, 2) AS INTEGER) * 60 + CAST(substr(a.\"end\", 4, 2) "
            "AS INTEGER)) - (CAST(substr(a.start, 1, 2) AS INTEGER) * 60 "
            "+ CAST(substr(a.start, 4, 2) AS INTEGER))")


def build(store: Store, start: dt.date, end: dt.date, by: Sequence[str]) -> list[Table]:
    """Volunteers and hours as of ``end`` (slots valid that week); needs open now."""
    monday = end - dt.timedelta(days=end.weekday())
    volunteers = store.execute_read(
        f"SELECT v.id AS id, v.comuni AS comuni, v.skills AS skills, "
        f"(SELECT coalesce(sum({_MINUTES}), 0) FROM availability a WHERE a.volunteer_id = v.id "
        f"AND a._deleted = 0 AND a.valid_from <= ? AND (a.valid_to IS NULL OR a.valid_to >= ?)) "
        f"AS minutes FROM volunteer v WHERE v._deleted = 0 AND v.active = 1",
        ((monday + dt.timedelta(days=6)).isoformat(), monday.isoformat()))
    people: dict[tuple[Any, ...], set[str]] = defaultdict(set)
    minutes: dict[tuple[Any, ...], int] = defaultdict(int)
    everyone: set[str] = set()
    total_minutes = 0
    for v in volunteers:
        keys = set()
        for comune in json.loads(v["comuni"] or "[]") or [None]:
            for skill in json.loads(v["skills"] or "[]") or [None]:
                keys.add(tuple(value_of(d, {"comune": comune, "category": skill}) for d in by))
        for key in keys:
            people[key].add(v["id"])
            minutes[key] += int(v["minutes"])
        everyone.add(v["id"])
        total_minutes += int(v["minutes"])
    raw = sorted({"comune" if d in ("comune", "ambito") else d for d in by})
    select = "".join(f"{f}, " for f in raw)
    group = f"GROUP BY {', '.join(raw)}" if raw else ""
    needs = store.execute_read(
        f"SELECT {select}count(*) AS n FROM need WHERE _deleted = 0 "
        f"AND status IN ('open', 'in_progress') {group}")
    open_needs = rollup(((dict(r), {"open_needs": r["n"]}) for r in needs), by, ("open_needs",))

    columns = [*(Column(d, "dim") for d in by), Column("volunteers"),
               Column("weekly_hours", "hours"), Column("open_needs"), Column("gap", "flag")]
    rows: list[list[Any]] = []
    for key in sorted(set(people) | set(open_needs), key=sort_key(by)):
        n_people = len(people.get(key, ()))
        n_needs = open_needs.get(key, {}).get("open_needs", 0)
        rows.append([*key, n_people, (round(minutes.get(key, 0) / 60, 1), n_people), n_needs,
                     n_needs > n_people])
    all_needs = sum(r["open_needs"] for r in open_needs.values())
    rows.append([*([None] * len(by)), len(everyone), (round(total_minutes / 60, 1), len(everyone)),
                 all_needs, all_needs > len(everyone)])
    return [Table("capacity", columns, rows, additive=("open_needs",), chart="bar")]
