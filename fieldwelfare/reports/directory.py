"""The ``directory`` report: organisations by kind, category and comune served. Only
organisations are counted (no person), so no cell is suppressed."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from fieldwelfare.reports.dims import sort_key, value_of
from fieldwelfare.reports.model import Column, Table
from fieldwelfare.store import Store

BY = ("kind", "category", "comune", "ambito")
DEFAULT_BY = ("kind", "category")


def build(store: Store, start: dt.date, end: dt.date, by: Sequence[str]) -> list[Table]:
    found = store.execute_read(
        "SELECT id, kind, comuni, categories FROM organisation WHERE _deleted = 0")
    members: dict[tuple[Any, ...], set[str]] = defaultdict(set)
    for org in found:
        for comune in json.loads(org["comuni"] or "[]") or [None]:
            for category in json.loads(org["categories"] or "[]") or [None]:
                raw = {"kind": org["kind"], "comune": comune, "category": category}
                members[tuple(value_of(d, raw) for d in by)].add(org["id"])
    columns = [*(Column(d, "dim") for d in by), Column("organisations")]
    rows: list[list[Any]] = [[*key, len(members[key])]
                             for key in sorted(members, key=sort_key(by))]
    rows.append([*([None] * len(by)), len(found)])
    return [Table("directory", columns, rows, additive=(), chart="bar")]
