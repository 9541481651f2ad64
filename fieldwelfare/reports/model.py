"""What a report is made of: tables of aggregates, and the facts printed with them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

ColumnKind = Literal["dim", "count", "days", "hours", "flag"]

PRIMARY = "primary"
"""A count under the threshold: shown as ``<N``."""
COMPLEMENT = "complement"
"""A cell hidden so that totals cannot give back a primary one: shown as ``*``."""
SMALL_BASE = "small_base"
"""A median or a sum computed over fewer than N people: shown as ``<N``."""


@dataclass(frozen=True)
class Column:
    key: str
    """i18n key suffix (``report.col.<key>``) and the JSON name."""
    kind: ColumnKind = "count"


@dataclass
class Table:
    """Rows of aggregates; the last row is the total when ``total_row`` is True.

    ``partition`` names the count columns that split each row's ``row_total`` column
    (so each row adds up); every count column adds up over the rows into the total row.
    Suppression (:mod:`fieldwelfare.reports.suppress`) knows these sums and protects them.
    """

    name: str
    columns: list[Column]
    rows: list[list[Any]]
    total_row: bool = True
    partition: tuple[str, ...] = ()
    row_total: str | None = None
    additive: tuple[str, ...] | None = None
    """Count columns whose total row is their sum (None: every count column)."""
    hidden: dict[tuple[int, int], str] = field(default_factory=dict)
    """``(row, column) -> PRIMARY | COMPLEMENT | SMALL_BASE``: cells not shown."""
    chart: Literal["bar", "line"] | None = None

    def index(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == key)

    def shown(self, row: int, column: int, threshold: int) -> Any:
        """The value as published: the number, or its mark when hidden."""
        mark = self.hidden.get((row, column))
        if mark is None:
            return self.rows[row][column]
        return "*" if mark == COMPLEMENT else f"<{threshold}"


@dataclass(frozen=True)
class ReportMeta:
    name: str
    start: dt.date
    end: dt.date
    by: tuple[str, ...]
    threshold: int
    source: str
    """The device or hub that produced the report."""
    hub: bool
    """True: the hub's whole-consortium data; False: what this device holds."""
    generated_at: str
    suppression: bool = True
    """False for reports of organisations only (no person is counted)."""


@dataclass
class Report:
    meta: ReportMeta
    tables: list[Table]
