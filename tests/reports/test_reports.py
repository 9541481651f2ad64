"""Each report against counts computed here, independently, from the records."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from typing import Any

import pytest

from fieldwelfare import vocab
from fieldwelfare.errors import InvalidInput
from fieldwelfare.reports import engine
from fieldwelfare.reports.model import Report, Table
from fieldwelfare.store import Store


def period(store: Store) -> tuple[dt.date, dt.date]:
    """About the last year and a half, whatever date the suite runs at (``--clock``)."""
    today = store.today()
    return today - dt.timedelta(days=540), today


def records(store: Store, kind: str) -> list[dict[str, Any]]:
    return [r.model_dump(mode="json") for r in store.list_records(kind, limit=None)]


def published(report: Report, table: Table) -> dict[tuple[Any, ...], dict[str, Any]]:
    """Rows by their dimension values, each cell as published (numbers or marks)."""
    dims = [c.key for c in table.columns if c.kind == "dim"]
    out = {}
    for r, row in enumerate(table.rows):
        key = tuple(row[: len(dims)])
        out[key] = {c.key: table.shown(r, i, report.meta.threshold)
                    for i, c in enumerate(table.columns)}
    return out


def check_cell(shown: Any, expected: int, threshold: int) -> None:
    """A count is shown exactly, or hidden: always when small, and never shown wrong."""
    if 0 < expected < threshold:
        assert shown == f"<{threshold}"
    elif shown == f"<{threshold}":
        pytest.fail(f"{expected} shown as <{threshold}")
    elif shown != "*":
        assert shown == expected


def test_needs_by_area_and_ambito(demo_store: Store) -> None:
    START, END = period(demo_store)
    report = engine.run(demo_store, "needs", start=START, end=END, by=["area", "ambito"])
    expected: dict[tuple[Any, ...], Counter[str]] = defaultdict(Counter)
    days_met: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for need in records(demo_store, "need"):
        opened = dt.date.fromisoformat(need["opened_on"])
        if not START <= opened <= END:
            continue
        key = (need["area"], vocab.ambito_of(need["comune"]))
        status = {"in_progress": "still_open", "open": "still_open"}.get(need["status"],
                                                                          need["status"])
        expected[key]["opened"] += 1
        expected[key][status] += 1
        if need["status"] == "met":
            days_met[key].append((dt.date.fromisoformat(need["closed_on"]) - opened).days)
    table = report.tables[0]
    rows = published(report, table)
    assert set(rows) == {*expected, (None, None)}
    hidden = 0
    for key, counts in expected.items():
        for measure in ("opened", "met", "closed_unmet", "still_open"):
            check_cell(rows[key][measure], counts[measure], 5)
            hidden += rows[key][measure] in ("<5", "*")
        if len(days_met[key]) >= 5:
            assert rows[key]["median_days_to_met"] == statistics.median(days_met[key])
        elif days_met[key]:
            assert rows[key]["median_days_to_met"] == "<5"
    total = rows[(None, None)]
    check_cell(total["opened"], sum(c["opened"] for c in expected.values()), 5)
    assert hidden > 0
    assert report.meta.threshold == 5 and not report.meta.hub


def test_needs_by_quarter_rolls_months_up(demo_store: Store) -> None:
    START, END = period(demo_store)
    report = engine.run(demo_store, "needs", start=START, end=END, by=["quarter"])
    expected: Counter[str] = Counter()
    for need in records(demo_store, "need"):
        opened = dt.date.fromisoformat(need["opened_on"])
        if START <= opened <= END:
            expected[f"{opened.year}-Q{(opened.month - 1) // 3 + 1}"] += 1
    rows = published(report, report.tables[0])
    for quarter, n in expected.items():
        check_cell(rows[(quarter,)]["opened"], n, 5)


def test_referrals_funnel_by_category(demo_store: Store) -> None:
    START, END = period(demo_store)
    report = engine.run(demo_store, "referrals", start=START, end=END, by=["category"])
    expected: dict[str, Counter[str]] = defaultdict(Counter)
    for ref in records(demo_store, "referral"):
        history = {e["status"] for e in ref["history"]} | {ref["status"]}
        c = expected[ref["category"]]
        c["proposed"] += 1
        c["sent"] += bool(history & {"sent", "accepted", "in_progress", "completed"})
        c["accepted"] += bool(history & {"accepted", "in_progress", "completed"})
        final = ref["status"] if ref["status"] in ("completed", "declined", "cancelled") \
            else "in_flight"
        c[final] += 1
    funnel, reasons = report.tables
    rows = published(report, funnel)
    assert set(rows) == {*((k,) for k in expected), (None,)}
    for category, counts in expected.items():
        for measure in ("proposed", "sent", "accepted", "in_flight", "completed",
                        "declined", "cancelled"):
            check_cell(rows[(category,)][measure], counts[measure], 5)
    declined = sum(c["declined"] for c in expected.values())
    shown = [row[2] for row in reasons.rows if row[0] == "declined"]
    assert sum(shown) == declined
    assert all(n >= 5 for n in shown)


def test_capacity_counts_active_volunteers_once_per_row(demo_store: Store) -> None:
    report = engine.run(demo_store, "capacity", by=["ambito"])
    volunteers: dict[str, set[str]] = defaultdict(set)
    for v in records(demo_store, "volunteer"):
        if v["active"]:
            for comune in v["comuni"]:
                volunteers[vocab.ambito_of(comune) or "?"].add(v["id"])
    open_needs = Counter(vocab.ambito_of(n["comune"]) for n in records(demo_store, "need")
                         if n["status"] in ("open", "in_progress"))
    rows = published(report, report.tables[0])
    for ambito in vocab.ambiti():
        check_cell(rows[(ambito,)]["volunteers"], len(volunteers[ambito]), 5)
        check_cell(rows[(ambito,)]["open_needs"], open_needs[ambito], 5)
        assert rows[(ambito,)]["gap"] == (open_needs[ambito] > len(volunteers[ambito]))


def test_directory_is_not_suppressed(demo_store: Store) -> None:
    report = engine.run(demo_store, "directory", by=["kind"])
    expected = Counter(o["kind"] for o in records(demo_store, "organisation"))
    rows = published(report, report.tables[0])
    assert {k[0]: v["organisations"] for k, v in rows.items() if k[0]} == dict(expected)
    assert not report.meta.suppression


def test_the_hub_threshold_is_a_floor(demo_store: Store) -> None:
    with pytest.raises(InvalidInput):
        engine.set_threshold(demo_store, 2)
    engine.set_threshold(demo_store, 6)
    assert engine.run(demo_store, "needs").meta.threshold == 6
    with pytest.raises(InvalidInput):
        engine.run(demo_store, "needs", threshold=5)
    assert engine.run(demo_store, "needs", threshold=8).meta.threshold == 8


def test_bad_breakdown_is_bad_input(demo_store: Store) -> None:
    with pytest.raises(InvalidInput, match="target"):
        engine.run(demo_store, "needs", by=["target"])
