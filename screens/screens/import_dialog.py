"""Import volunteers or organisations from a CSV or XLSX file: check first, then import;
the report (row, column, value, why) stays on screen."""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    Footer,
    Header,
    Input,
    Label,
    Select,
    Static,
)

from fieldwelfare.directory import importer
from fieldwelfare.directory import messages as _messages  # noqa: F401  (registers the keys)
from fieldwelfare.errors import FieldWelfareError
from fieldwelfare.i18n import t
from fieldwelfare.screens.messages import Loaded
from fieldwelfare.screens.screens.base import FwScreen
from fieldwelfare.screens.widgets.steady import SteadyDataTable


class ImportScreen(FwScreen[None]):
    TITLE_KEY = "nav.import"
    CSS_PATH = "../reports.tcss"

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with VerticalScroll():
            with Horizontal(id="import-controls"):
                yield Label(t("import.kind"))
                yield Select([(t(f"import.kind.{k}"), k) for k in importer.KINDS],
                             value="volunteers", allow_blank=False, id="import-kind")
            yield Input(placeholder=t("import.file"), id="import-file")
            yield Checkbox(t("import.skip_bad"), id="import-skip-bad")
            with Horizontal(id="import-buttons", classes="buttons"):
                yield Button(t("import.check"), id="import-check", variant="primary")
                yield Button(t("import.run"), id="import-run", variant="warning")
            yield Static("", id="import-summary", markup=False)
            yield SteadyDataTable(id="import-problems", zebra_stripes=True, cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#import-file", Input).focus()

    @on(Button.Pressed, "#import-check")
    def _check(self) -> None:
        self._start(dry_run=True)

    @on(Button.Pressed, "#import-run")
    def _run(self) -> None:
        self._start(dry_run=False)

    @on(Input.Submitted, "#import-file")
    def _submitted(self) -> None:
        self._start(dry_run=True)

    def _start(self, *, dry_run: bool) -> None:
        path = Path(self.query_one("#import-file", Input).value.strip()).expanduser()
        if not path.is_file():
            self.query_one("#import-summary", Static).update(t("import.no_file", path=path))
            return
        what = str(self.query_one("#import-kind", Select).value)
        skip = self.query_one("#import-skip-bad", Checkbox).value
        self._import(what, path, dry_run, skip)

    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    def _import(self, what: str, path: Path, dry_run: bool, skip_bad: bool) -> None:
        try:
            report = importer.run(self.store, what, path, dry_run=dry_run, skip_bad=skip_bad)
        except FieldWelfareError as exc:
            self.post_message(Loaded(str(exc)))
            return
        self.post_message(Loaded((report, dry_run)))

    def on_loaded(self, message: Loaded) -> None:
        summary = self.query_one("#import-summary", Static)
        problems = self.query_one("#import-problems", DataTable)
        problems.clear(columns=True)
        if isinstance(message.payload, str):
            summary.update(message.payload)
            return
        report, dry_run = message.payload
        lines = [t("import.summary", file=report.file, rows=report.rows, bad=report.bad_rows,
                   duplicates=len(report.duplicates), created=report.created)]
        if report.ignored_columns:
            lines.append(t("import.ignored", columns=", ".join(report.ignored_columns)))
        if dry_run:
            lines.append(t("import.dry_run"))
        elif report.bad and not report.written:
            lines.append(t("import.refused", bad=report.bad_rows))
        elif report.written:
            self.notify(t("import.done", created=report.created))
        summary.update("\n".join(lines))
        problems.add_columns(*(t(f"import.col.{c}") for c in ("row", "column", "value", "why")))
        problems.add_rows([str(p.row), p.column, p.value, p.why] for p in report.bad)
        problems.add_rows([str(p.row), p.column, p.value, f"{t('import.duplicate_row')}: "
                           f"{p.why}"] for p in report.duplicates)
