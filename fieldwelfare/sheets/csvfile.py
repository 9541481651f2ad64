"""Formula-safe CSV: every export to CSV is written here."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from fieldwelfare.sheets.safe import safe_text


def cell_text(value: Any) -> str | int | float:
    """A value as a CSV cell: lists and objects as JSON, booleans as true/false, None empty,
    numbers as numbers, text made formula-safe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    if isinstance(value, list | dict):
        return safe_text(json.dumps(value, ensure_ascii=False))
    return safe_text(str(value))


def write_csv(stream: TextIO, header: Sequence[str],
              rows: Iterable[Sequence[Any]]) -> None:
    """Header and rows on ``stream``: text quoted (OWASP), numbers bare, one line per row."""
    writer = csv.writer(stream, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow([safe_text(h) for h in header])
    for row in rows:
        writer.writerow([cell_text(v) for v in row])


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    write_csv(buffer, header, rows)
    return buffer.getvalue()
