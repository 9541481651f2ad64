"""Writing records out: JSON, JSON lines, formula-safe CSV and rich tables."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from fieldwelfare import sheets
from fieldwelfare.i18n import t
from fieldwelfare.models import Record
from fieldwelfare.text import visible

R = TypeVar("R")

FORMATS = ("table", "json", "jsonl", "csv")
PIPE_WIDTH = 160


def echo_data(text: str) -> None:
    """Machine-readable output (CSV): exact bytes into a file or pipe (click would strip
    ANSI sequences there, changing the data); control characters escaped on a terminal."""
    if sys.stdout.isatty():
        text = visible(text)
    click.echo(text, nl=False, color=True)


def dumps(data: Any, *, indent: int | None = 2) -> str:
    """JSON as the CLI prints it: UTF-8 text (no ``\\u`` escapes), indented by default."""
    return json.dumps(data, indent=indent, ensure_ascii=False)


def record_data(record: Record) -> dict[str, Any]:
    return record.model_dump(mode="json")


def echo_json(data: Any) -> None:
    click.echo(dumps(data))


def echo_record(record: Record) -> None:
    echo_json(record_data(record))


def to_csv(fields: Sequence[str], rows: Sequence[dict[str, Any]]) -> str:
    """Records as formula-safe CSV (:mod:`fieldwelfare.sheets`)."""
    return sheets.to_csv(fields, ([row.get(f) for f in fields] for row in rows))


def to_jsonl(rows: Sequence[dict[str, Any]]) -> str:
    return "".join(dumps(row, indent=None) + "\n" for row in rows)


def print_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], *, title: str | None = None,
    caption: str | None = None, no_wrap: Sequence[int] = (0,),
) -> None:
    """A rich table on stdout (click's stdout, so tests and pipes see it)."""
    table = Table(title=Text(visible(title)) if title else None,
                  caption=Text(visible(caption)) if caption else None, show_lines=False)
    for index, header in enumerate(headers):
        table.add_column(Text(visible(header)), no_wrap=index in no_wrap, overflow="fold")
    for row in rows:  # Text: stored data is never read as rich markup nor sent raw
        table.add_row(*(Text(visible(cell)) for cell in row))
    console = Console()
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console = Console(width=PIPE_WIDTH)  # piped or captured: don't squash to 80 columns
    console.print(table)


def each_bundle(files: Iterable[Path], apply: Callable[[Path], R]) -> Iterator[tuple[Path, R]]:
    """Apply bundle files one by one: a refused one is reported on stderr and skipped, the
    others go on; once all are done, any refusal ends the command with status 3."""
    from fieldwelfare.sync.errors import BundleRefused

    failed = 0
    for path in files:
        try:
            done = apply(path)
        except BundleRefused as exc:
            failed += 1
            click.echo(t("cli.error", message=str(exc)), err=True)
            continue
        yield path, done
    if failed:
        raise SystemExit(BundleRefused.exit_code)
