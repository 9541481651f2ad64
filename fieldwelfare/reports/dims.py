"""Breakdowns (``--by``), periods, and the roll-up of SQL groups into report rows.

SQL groups by the raw fields a breakdown needs (comune, area, category, month); Python
maps them to the requested dimensions (ambito from the comune, quarter from the month)
and adds them up, so every report aggregates in SQL and stays fast on large databases.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from fieldwelfare import vocab
from fieldwelfare.errors import InvalidInput
from fieldwelfare.i18n import t

DIMENSIONS = ("comune", "ambito", "area", "category", "month", "quarter", "target", "kind")
PERIOD_DIMS = ("month", "quarter")

Raw = Mapping[str, Any]


def raw_field(dim: str) -> str:
    """The raw SQL group field a dimension is computed from."""
    return {"ambito": "comune", "quarter": "month"}.get(dim, dim)


def value_of(dim: str, raw: Raw) -> Any:
    """A dimension's value for one SQL group (codes, not labels)."""
    if dim == "ambito":
        return vocab.ambito_of(raw.get("comune")) or "?"
    if dim == "quarter":
        month = str(raw.get("month") or "")
        return f"{month[:4]}-Q{(int(month[5:7]) - 1) // 3 + 1}" if len(month) >= 7 else "?"
    value = raw.get(dim)
    return "?" if value is None else value


def check_by(by: Sequence[str], allowed: Sequence[str]) -> tuple[str, ...]:
    for dim in by:
        if dim not in allowed:
            raise InvalidInput(t("report.err.by", value=dim, allowed=", ".join(allowed)),
                               field="by", allowed=list(allowed))
    if len(set(by)) != len(by):
        raise InvalidInput(t("report.err.by_twice"), field="by")
    return tuple(by)


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last twelve months: from the first day of the month a year before the current
    one (inclusive) to today."""
    first = today.replace(day=1)
    return first.replace(year=first.year - 1), today


def month_start(month: str) -> dt.date:
    return dt.date(int(month[:4]), int(month[5:7]), 1)


def rollup(groups: Iterable[tuple[Raw, Mapping[str, int]]], by: Sequence[str],
           measures: Sequence[str]) -> dict[tuple[Any, ...], dict[str, int]]:
    """Add the measures of SQL groups into the requested breakdown."""
    out: dict[tuple[Any, ...], dict[str, int]] = defaultdict(lambda: dict.fromkeys(measures, 0))
    for raw, values in groups:
        key = tuple(value_of(d, raw) for d in by)
        row = out[key]
        for m in measures:
            row[m] += int(values.get(m) or 0)
    return dict(out)


def median_by(groups: Iterable[tuple[Raw, int, int]],
              by: Sequence[str]) -> tuple[dict[tuple[Any, ...], tuple[float, int]],
                                          tuple[float, int] | None]:
    """Medians from histograms ``(raw group, value, count)``: per breakdown key and over
    everything, each as ``(median, number of items)``."""
    hist: dict[tuple[Any, ...], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    overall: dict[int, int] = defaultdict(int)
    for raw, value, count in groups:
        hist[tuple(value_of(d, raw) for d in by)][value] += count
        overall[value] += count
    return ({k: _median(h) for k, h in hist.items()}, _median(overall) if overall else None)


def _median(hist: Mapping[int, int]) -> tuple[float, int]:
    n = sum(hist.values())
    values = sorted(hist)
    lo_rank, hi_rank = (n - 1) // 2, n // 2
    seen, lo, hi = 0, None, None
    for v in values:
        seen += hist[v]
        if lo is None and seen > lo_rank:
            lo = v
        if seen > hi_rank:
            hi = v
            break
    assert lo is not None and hi is not None
    return (lo + hi) / 2, n


def sort_key(by: Sequence[str]) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
    """Rows in a stable, readable order: vocabularies in their own order, the rest by text."""
    orders = {d: {c: i for i, c in enumerate(_codes(d))} for d in by}

    def key(values: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple((orders[d].get(v, len(orders[d])), str(v)) for d, v in zip(by, values,
                                                                                  strict=True))
    return key


def _codes(dim: str) -> list[str]:
    if dim in ("area", "category"):
        return vocab.codes(dim)
    if dim == "ambito":
        return vocab.ambiti()
    if dim == "target":
        return ["volunteer", *vocab.codes("organisation_kind")]
    if dim == "kind":
        return vocab.codes("organisation_kind")
    return []


def label(dim: str, value: Any, lang: str) -> str:
    """A dimension value as people read it."""
    if value is None:
        return t("report.total")
    if value == "?":
        return t("report.unknown")
    if dim == "comune":
        return vocab.comune_name(str(value))
    if dim in ("area", "category"):
        return vocab.label(dim, str(value), lang)
    if dim == "target":
        return (t("report.target.volunteer") if value == "volunteer"
                else vocab.label("organisation_kind", str(value), lang))
    if dim == "kind":
        return vocab.label("organisation_kind", str(value), lang)
    if dim == "ambito":
        return vocab.label("ambito", str(value), lang)
    return str(value)
