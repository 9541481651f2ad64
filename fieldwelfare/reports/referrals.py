"""The ``referrals`` report: the funnel (proposed, sent, accepted, completed) with declines
and cancellations, median days to answer and to complete, and the reasons and outcomes
written in the same words by at least N referrals (free text never leaves otherwise)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import Any

from fieldwelfare.reports.dims import median_by, raw_field, rollup, sort_key
from fieldwelfare.reports.model import Column, Table
from fieldwelfare.store import Store

BY = ("comune", "ambito", "area", "category", "month", "quarter", "target")
DEFAULT_BY = ("category",)
RAW_SQL = {"comune": "r.comune", "area": "n.area", "category": "r.category",
           "month": "substr(r.created_at, 1, 7)",
           "target": "CASE WHEN r.volunteer_id IS NOT NULL THEN 'volunteer' "
                     "ELSE coalesce(o.kind, 'other') END"}
PARTITION = ("in_flight", "completed", "declined", "cancelled")
MEASURES = ("proposed", "sent", "accepted", *PARTITION)
STATUS_MEASURE = {"completed": "completed", "declined": "declined", "cancelled": "cancelled"}
SENT = ("sent", "accepted", "in_progress", "completed")
ACCEPTED = ("accepted", "in_progress", "completed")

_FROM = ("FROM referral r LEFT JOIN need n ON n.id = r.need_id "
         "LEFT JOIN organisation o ON o.id = r.organisation_id "
         "WHERE r._deleted = 0 AND substr(r.created_at, 1, 10) >= ? "
         "AND substr(r.created_at, 1, 10) <= ?")


def _reached(statuses: tuple[str, ...], event: str) -> str:
    listed = ", ".join(f"'{s}'" for s in statuses)
    return (f"(r.status IN ({listed}) OR EXISTS (SELECT 1 FROM referral_event e "
            f"WHERE e.referral_id = r.id AND e.status = '{event}'))")


def _first(status: str) -> str:
    return (f"(SELECT min(substr(e.at, 1, 10)) FROM referral_event e "
            f"WHERE e.referral_id = r.id AND e.status IN ({status}))")


def build(store: Store, start: dt.date, end: dt.date, by: Sequence[str]) -> list[Table]:
    raw = sorted({raw_field(d) for d in by})
    select = "".join(f"{RAW_SQL[f]} AS g_{f}, " for f in raw)
    group = "".join(f"g_{f}, " for f in raw)
    params = (start.isoformat(), end.isoformat())
    rows = store.execute_read(
        f"SELECT {select}r.status AS g_status, {_reached(SENT, 'sent')} AS g_sent, "
        f"{_reached(ACCEPTED, 'accepted')} AS g_accepted, count(*) AS n {_FROM} "
        f"GROUP BY {group}g_status, g_sent, g_accepted", params)
    groups = []
    for row in rows:
        values = {"proposed": row["n"],
                  STATUS_MEASURE.get(row["g_status"], "in_flight"): row["n"],
                  "sent": row["n"] if row["g_sent"] else 0,
                  "accepted": row["n"] if row["g_accepted"] else 0}
        groups.append((_raw(row, raw), values))
    counts = rollup(groups, by, MEASURES)

    def days(since: str, until: str) -> list[tuple[dict[str, Any], int, int]]:
        found = store.execute_read(
            f"SELECT {select}max(0, CAST(julianday({until}) - julianday({since}) AS INTEGER)) "
            f"AS g_days, count(*) AS n {_FROM} AND {until} IS NOT NULL AND {since} IS NOT NULL "
            f"GROUP BY {group}g_days", params)
        return [(_raw(r, raw), r["g_days"], r["n"]) for r in found]

    answer, answer_all = median_by(days(_first("'sent'"), _first("'accepted', 'declined'")), by)
    done, done_all = median_by(days("substr(r.created_at, 1, 10)", _first("'completed'")), by)
    columns = [*(Column(d, "dim") for d in by), *(Column(m) for m in MEASURES),
               Column("median_days_to_answer", "days"),
               Column("median_days_to_complete", "days")]
    table_rows: list[list[Any]] = [
        [*key, *(counts[key][m] for m in MEASURES), answer.get(key), done.get(key)]
        for key in sorted(counts, key=sort_key(by))
    ]
    totals = [sum(r[len(by) + i] for r in table_rows) for i in range(len(MEASURES))]
    table_rows.append([*([None] * len(by)), *totals, answer_all, done_all])
    funnel = Table("referrals", columns, table_rows, partition=PARTITION, row_total="proposed",
                   chart="bar")
    return [funnel, _phrases(store, params)]


def _raw(row: Any, fields: list[str]) -> dict[str, Any]:
    return {f: row[f"g_{f}"] for f in fields}


def _phrases(store: Store, params: tuple[str, str]) -> Table:
    """Reasons and outcomes: a text is shown only when at least N referrals wrote exactly it
    (set later by :func:`pool_phrases`); the rest is pooled as "other"."""
    found = store.execute_read(
        f"SELECT r.status AS g_status, lower(trim(CASE WHEN r.status = 'completed' "
        f"THEN r.outcome ELSE r.reason END)) AS g_text, count(*) AS n {_FROM} "
        f"AND r.status IN ('declined', 'cancelled', 'completed') GROUP BY g_status, g_text",
        params)
    rows = [[r["g_status"], r["g_text"] or "", r["n"]] for r in found]
    return Table("reasons", [Column("status", "dim"), Column("text", "dim"), Column("count")],
                 rows, total_row=False)


def pool_phrases(table: Table, threshold: int) -> None:
    """Keep a phrase only if used at least ``threshold`` times; pool the others as
    ``other``, and fold the smallest phrases into it until it is 0 or >= threshold, so no
    published count is under the threshold."""
    by_status: dict[str, Counter[str]] = {}
    for status, text, n in table.rows:
        by_status.setdefault(status, Counter())[text] += n
    rows: list[list[Any]] = []
    for status in ("declined", "cancelled", "completed"):
        phrases = by_status.get(status, Counter())
        kept = {p: n for p, n in phrases.items() if p and n >= threshold}
        other = sum(phrases.values()) - sum(kept.values())
        while 0 < other < threshold and kept:
            smallest = min(kept, key=lambda p: (kept[p], p))
            other += kept.pop(smallest)
        for text, n in sorted(kept.items(), key=lambda item: (-item[1], item[0])):
            rows.append([status, text, n])
        if other:
            rows.append([status, None, other])
    table.rows = rows
