"""The ``needs`` report: opened, met, closed unmet and still open needs, and the median
days from opening to the first referral and to met."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from fieldwelfare.reports.dims import median_by, raw_field, rollup, sort_key
from fieldwelfare.reports.model import Column, Table
from fieldwelfare.store import Store

BY = ("comune", "ambito", "area", "category", "month", "quarter")
DEFAULT_BY = ("area", "ambito")
RAW_SQL = {"comune": "n.comune", "area": "n.area", "category": "n.category",
           "month": "substr(n.opened_on, 1, 7)"}
MEASURES = ("opened", "met", "closed_unmet", "still_open")
STATUS_MEASURE = {"met": "met", "closed_unmet": "closed_unmet", "open": "still_open",
                  "in_progress": "still_open"}


def _raw(by: Sequence[str]) -> list[str]:
    return sorted({raw_field(d) for d in by})


def _select(raw: list[str]) -> str:
    return "".join(f"{RAW_SQL[f]} AS {f}, " for f in raw)


def _group(raw: list[str], extra: str) -> str:
    return "GROUP BY " + ", ".join([*raw, extra])


def build(store: Store, start: dt.date, end: dt.date, by: Sequence[str]) -> list[Table]:
    raw = _raw(by)
    period = "n._deleted = 0 AND n.opened_on >= ? AND n.opened_on <= ?"
    params = (start.isoformat(), end.isoformat())
    rows = store.execute_read(
        f"SELECT {_select(raw)}n.status AS status, count(*) AS n FROM need n "
        f"WHERE {period} {_group(raw, 'n.status')}", params)
    groups = []
    for row in rows:
        measure = STATUS_MEASURE.get(row["status"], "still_open")
        groups.append((dict(row), {"opened": row["n"], measure: row["n"]}))
    counts = rollup(groups, by, MEASURES)

    to_referral = store.execute_read(
        f"SELECT {_select(raw)}max(0, CAST(julianday(f.first) - julianday(n.opened_on) "
        f"AS INTEGER)) AS days, count(*) AS n FROM need n JOIN (SELECT need_id, "
        f"min(substr(created_at, 1, 10)) AS first FROM referral WHERE _deleted = 0 "
        f"GROUP BY need_id) f ON f.need_id = n.id WHERE {period} {_group(raw, 'days')}",
        params)
    to_met = store.execute_read(
        f"SELECT {_select(raw)}max(0, CAST(julianday(n.closed_on) - julianday(n.opened_on) "
        f"AS INTEGER)) AS days, count(*) AS n FROM need n WHERE {period} "
        f"AND n.status = 'met' AND n.closed_on IS NOT NULL {_group(raw, 'days')}", params)
    referral_median, referral_all = median_by(
        ((dict(r), r["days"], r["n"]) for r in to_referral), by)
    met_median, met_all = median_by(((dict(r), r["days"], r["n"]) for r in to_met), by)

    columns = [*(Column(d, "dim") for d in by), *(Column(m) for m in MEASURES),
               Column("median_days_to_referral", "days"), Column("median_days_to_met", "days")]
    table_rows: list[list[Any]] = []
    for key in sorted(counts, key=sort_key(by)):
        table_rows.append([*key, *(counts[key][m] for m in MEASURES),
                           referral_median.get(key), met_median.get(key)])
    totals = [sum(r[len(by) + i] for r in table_rows) for i in range(len(MEASURES))]
    table_rows.append([*([None] * len(by)), *totals, referral_all, met_all])
    return [Table("needs", columns, table_rows, partition=MEASURES[1:], row_total="opened",
                  chart="bar")]
