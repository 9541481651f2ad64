"""Running a report: the period, the breakdown, the threshold, the scope, and suppression.

The threshold (default 5) is set at the hub (``hub report-threshold N``) and is never
below 3; a report may ask for a higher one, never a lower one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType

from fieldwelfare.errors import InvalidInput
from fieldwelfare.i18n import t
from fieldwelfare.reports import capacity, directory, needs, referrals
from fieldwelfare.reports import messages as _messages  # noqa: F401  (registers the keys)
from fieldwelfare.reports.dims import check_by, default_period
from fieldwelfare.reports.model import COMPLEMENT, SMALL_BASE, Report, ReportMeta, Table
from fieldwelfare.reports.suppress import protect
from fieldwelfare.store import Store

DEFAULT_THRESHOLD = 5
MIN_THRESHOLD = 3
THRESHOLD_KEY = "report_threshold"


@dataclass(frozen=True)
class Definition:
    name: str
    module: ModuleType
    suppression: bool = True

    @property
    def by(self) -> tuple[str, ...]:
        return tuple(self.module.BY)

    @property
    def default_by(self) -> tuple[str, ...]:
        return tuple(self.module.DEFAULT_BY)

    @property
    def build(self) -> Callable[[Store, dt.date, dt.date, Sequence[str]], list[Table]]:
        build: Callable[[Store, dt.date, dt.date, Sequence[str]], list[Table]]
        build = self.module.build
        return build


REPORTS: dict[str, Definition] = {
    "needs": Definition("needs", needs),
    "referrals": Definition("referrals", referrals),
    "capacity": Definition("capacity", capacity),
    "directory": Definition("directory", directory, suppression=False),
}


def configured_threshold(store: Store) -> int:
    value = store.meta().get(THRESHOLD_KEY)
    return max(MIN_THRESHOLD, int(value)) if value and value.isdigit() else DEFAULT_THRESHOLD


def set_threshold(store: Store, value: int) -> None:
    """The hub's threshold for every report (refused under 3)."""
    if value < MIN_THRESHOLD:
        raise InvalidInput(t("report.err.threshold_min", value=value, min=MIN_THRESHOLD),
                           field="threshold")
    store.set_meta({THRESHOLD_KEY: str(value)})
    store.record_event("report.threshold", str(value))


def is_hub(store: Store) -> bool:
    return "hub_name" in store.meta()


def run(store: Store, name: str, *, start: dt.date | None = None, end: dt.date | None = None,
        by: Sequence[str] = (), threshold: int | None = None) -> Report:
    """Build report ``name``; every count under the threshold hidden, with complements."""
    definition = REPORTS.get(name)
    if definition is None:
        raise InvalidInput(t("report.err.name", name=name, allowed=", ".join(REPORTS)),
                           field="report", allowed=list(REPORTS))
    floor = configured_threshold(store)
    if threshold is None:
        threshold = floor
    elif threshold < floor:
        raise InvalidInput(t("report.err.threshold_low", value=threshold, min=floor),
                           field="threshold")
    first, last = default_period(store.today())
    start, end = start or first, end or last
    if end < start:
        raise InvalidInput(t("report.err.period"), field="to")
    dims = check_by(by, definition.by) if by else definition.default_by
    tables = definition.build(store, start, end, dims)
    if definition.suppression:
        for table in tables:
            if table.name == "reasons":
                referrals.pool_phrases(table, threshold)
            _small_bases(table, threshold)
            protect(table, threshold)
        _link_reasons(tables)
    else:
        for table in tables:
            _small_bases(table, 0)
    identity = store.identity
    meta = ReportMeta(name=name, start=start, end=end, by=dims, threshold=threshold,
                      source=identity.device_name or identity.device_id, hub=is_hub(store),
                      generated_at=store.now_iso(), suppression=definition.suppression)
    return Report(meta, tables)


def _small_bases(table: Table, threshold: int) -> None:
    """Medians and hours are stored as ``(value, people)``: keep the value, and hide it
    when fewer than ``threshold`` people are behind it."""
    for r, row in enumerate(table.rows):
        for c, column in enumerate(table.columns):
            if column.kind in ("days", "hours"):
                cell = row[c]
                if cell is None:
                    continue
                value, people = cell
                row[c] = value
                if people < threshold:
                    table.hidden[(r, c)] = SMALL_BASE


def _link_reasons(tables: list[Table]) -> None:
    """The reasons of a status add up to that status' total in the funnel: when the funnel
    hides that total, the reasons of that status are hidden too."""
    funnel = next((t for t in tables if t.name == "referrals"), None)
    reasons = next((t for t in tables if t.name == "reasons"), None)
    if funnel is None or reasons is None:
        return
    last = len(funnel.rows) - 1
    for r, row in enumerate(reasons.rows):
        if (last, funnel.index(row[0])) in funnel.hidden:
            reasons.hidden.setdefault((r, reasons.index("count")), COMPLEMENT)
