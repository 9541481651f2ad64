"""Reports for coordinators: the same aggregates as ``fieldwelfare report``, small cells
hidden, with a bar chart by the chosen breakdown or a trend by month or quarter."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Label, Select, Sparkline, Static

from fieldwelfare.i18n import t
from fieldwelfare.reports import engine, render
from fieldwelfare.reports.dims import PERIOD_DIMS
from fieldwelfare.reports.model import Report
from fieldwelfare.screens.messages import Loaded
from fieldwelfare.screens.screens.base import FwScreen
from fieldwelfare.screens.widgets.bars import Bars
from fieldwelfare.screens.widgets.steady import SteadyDataTable


@dataclass
class Exported(Message):
    path: Path


SINGLE_BY = {"needs": ("area", "ambito", "comune", "category", "month", "quarter"),
             "referrals": ("category", "target", "area", "ambito", "comune", "month"),
             "capacity": ("ambito", "comune", "category"),
             "directory": ("kind", "category", "ambito", "comune")}
"""The breakdowns offered on screen (one at a time, so each can be drawn)."""


class ReportsScreen(FwScreen[None]):
    TITLE_KEY = "nav.reports"
    CSS_PATH = "../reports.tcss"
    BINDINGS = [("escape", "back", "key.back"), ("x", "export", "reports.export")]

    def __init__(self) -> None:
        super().__init__()
        self.report: Report | None = None

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Horizontal(id="report-controls"):
            yield Label(t("reports.report"))
            yield Select([(t(f"report.title.{n}"), n) for n in engine.REPORTS],
                         value="needs", allow_blank=False, id="report-name")
            yield Label(t("reports.by"))
            yield Select(self._by_options("needs"), value="area", allow_blank=False,
                         id="report-by")
        with VerticalScroll(id="report-body"):
            yield Static(t("reports.loading"), id="report-about", markup=False)
            yield SteadyDataTable(id="report-table", zebra_stripes=True, cursor_type="row")
            with Vertical(id="report-charts"):
                yield Bars(id="report-bars")
                yield Static("", id="report-trend-title", markup=False)
                yield Sparkline([], id="report-trend")
        yield Footer()

    def on_mount(self) -> None:
        self._load("needs", "area")

    @staticmethod
    def _by_options(name: str) -> list[tuple[str, str]]:
        return [(t(f"report.col.{d}"), d) for d in SINGLE_BY[name]]

    @on(Select.Changed, "#report-name")
    def _name_changed(self, event: Select.Changed) -> None:
        name = str(event.value)
        by = self.query_one("#report-by", Select)
        with self.prevent(Select.Changed):
            by.set_options(self._by_options(name))
            by.value = SINGLE_BY[name][0]
        self._load(name, SINGLE_BY[name][0])

    @on(Select.Changed, "#report-by")
    def _by_changed(self, event: Select.Changed) -> None:
        name = str(self.query_one("#report-name", Select).value)
        if event.value in SINGLE_BY[name]:
            self._load(name, str(event.value))

    @work(thread=True, exclusive=True, group="report", exit_on_error=False)
    def _load(self, name: str, by: str) -> None:
        self.post_message(Loaded(engine.run(self.store, name, by=[by])))

    def on_loaded(self, message: Loaded) -> None:
        report: Report = message.payload
        self.report = report
        about = dict(render.about(report))
        self.query_one("#report-about", Static).update("\n".join(
            f"{k}: {about[k]}" for k in (t("report.meta.period"), t("report.meta.scope"),
                                         t("report.meta.rule"))))
        table = report.tables[0]
        view = self.query_one("#report-table", DataTable)
        view.clear(columns=True)
        view.add_columns(*render.header(table))
        rows = list(render.cells(report, table))
        view.add_rows([[str(v) for v in row] for row in rows])
        self._draw(report, rows)

    def _draw(self, report: Report, rows: list[list[Any]]) -> None:
        table = report.tables[0]
        dim = table.columns[0].key
        value_col = next(i for i, c in enumerate(table.columns) if c.kind == "count")
        data = rows[:-1] if table.total_row else rows
        column = t(f"report.col.{table.columns[value_col].key}")
        bars = self.query_one("#report-bars", Bars)
        trend = self.query_one("#report-trend", Sparkline)
        trend_title = self.query_one("#report-trend-title", Static)
        if dim in PERIOD_DIMS:
            bars.update("")
            trend_title.update(t("reports.trend", column=column, dim=t(f"report.col.{dim}"))
                               + f"  ({data[0][0]} … {data[-1][0]})" if data else "")
            trend.data = [v if isinstance(v, int | float) else 0 for v in
                          (r[value_col] for r in data)]
            trend.display = True
            return
        trend.display = False
        trend_title.update("")
        bars.show(t("reports.chart", column=column, dim=t(f"report.col.{dim}")),
                  [(str(r[0]), r[value_col]) for r in data])

    def action_export(self) -> None:
        from fieldwelfare.screens.screens.text_prompt import TextPromptScreen

        if self.report is None:
            return
        default = f"report-{self.report.meta.name}.xlsx"

        def save(path: str | None) -> None:
            if path and self.report is not None:
                self._export(self.report, Path(path).expanduser())

        self.fw.open_screen(TextPromptScreen(t("reports.export_to"), default), save)

    @work(thread=True, group="export", exit_on_error=False)
    def _export(self, report: Report, path: Path) -> None:
        render.write_report_xlsx(report, path)
        self.post_message(Exported(path))

    def on_exported(self, message: Exported) -> None:
        self.notify(t("reports.exported", path=message.path))
