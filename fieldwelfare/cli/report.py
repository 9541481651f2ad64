"""``fieldwelfare report NAME``: aggregate reports for the Piano di Zona (no personal data)."""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from fieldwelfare.cli import output
from fieldwelfare.cli.context import get_store, handle_errors
from fieldwelfare.errors import InvalidInput
from fieldwelfare.i18n import t
from fieldwelfare.reports.dims import DIMENSIONS

if TYPE_CHECKING:
    from fieldwelfare.reports.model import Report

REPORT_NAMES = ("needs", "referrals", "capacity", "directory")
FORMATS = ("table", "csv", "xlsx", "json")


def _date(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value is not None else None


@click.command(help="Report aggregati per il Piano di Zona, senza dati personali (aggregate "
                    "reports, no personal data). NAME: needs | referrals | capacity | "
                    "directory. I conteggi sotto la soglia (5, impostata all'hub) sono "
                    "mostrati come <5, con soppressione complementare.\n\n\b\nEsempio:\n"
                    "  fieldwelfare report needs --from 2026-01-01 --to 2026-06-30 "
                    "--by area --by ambito --format xlsx --out bisogni.xlsx")
@click.argument("name", type=click.Choice(REPORT_NAMES))
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), metavar="DATE",
              help="Primo giorno (first day, YYYY-MM-DD); default: 12 mesi fa.")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), metavar="DATE",
              help="Ultimo giorno (last day); default: oggi.")
@click.option("--by", multiple=True, type=click.Choice(DIMENSIONS),
              help="Dettaglio, ripetibile (breakdown, repeatable): " + "|".join(DIMENSIONS)
                   + ". Default per report: needs area+ambito, referrals category, "
                     "capacity ambito+category, directory kind+category.")
@click.option("--threshold", type=click.IntRange(min=3), metavar="N",
              help="Soglia più alta di quella dell'hub (a higher threshold than the hub's).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
              show_default=True, help="table | csv | xlsx (serve --out) | json.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Scrive su file (write to FILE) invece che a schermo.")
@handle_errors
def report(name: str, start: dt.datetime | None, end: dt.datetime | None,
           by: tuple[str, ...], threshold: int | None, fmt: str, out: Path | None) -> None:
    from fieldwelfare.reports import engine, render

    if fmt == "xlsx" and out is None:
        raise InvalidInput(t("cli.report.xlsx_out"), field="out")
    built = engine.run(get_store(), name, start=_date(start), end=_date(end), by=by,
                       threshold=threshold)
    if fmt == "xlsx":
        assert out is not None
        render.write_report_xlsx(built, out)
    elif fmt in ("json", "csv"):
        if fmt == "json":
            text = output.dumps(render.as_json(built)) + "\n"
        else:
            buffer = io.StringIO()
            render.write_report_csv(built, buffer)
            text = buffer.getvalue()
        if out is None:
            click.echo(text, nl=False)
            return
        out.write_text(text, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
    else:
        if out is None:
            _print(built, sys.stdout)
            return
        with out.open("w", encoding="utf-8") as stream:
            _print(built, stream)
    click.echo(t("cli.report.written", path=out))


def _print(built: Report, stream: TextIO) -> None:
    """The facts, then each table, as text (rich tables; 160 columns unless a terminal)."""
    from fieldwelfare.reports import render

    console = Console(file=stream, width=None if stream.isatty() else output.PIPE_WIDTH)
    for key, value in render.about(built):
        console.print(f"[bold]{escape(key)}[/bold]: {escape(value)}")
    for table in built.tables:
        view = Table(title=render.title(table))
        for name in render.header(table):
            view.add_column(name, overflow="fold")
        for row in render.cells(built, table):
            view.add_row(*(escape(str(v)) for v in row))
        console.print(view)


COMMANDS: list[click.Command] = [report]
