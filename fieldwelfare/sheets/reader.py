"""Reading a spreadsheet back: CSV (comma or semicolon, UTF-8 with or without BOM) or
XLSX (a named sheet, else the first), as a header and rows of cells."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

from fieldwelfare.errors import InvalidInput
from fieldwelfare.i18n import register, t
from fieldwelfare.sheets.safe import restore_text

register({
    "import.err.format": ("{name}: formato non riconosciuto (servono .csv o .xlsx)",
                          "{name}: unknown format (.csv or .xlsx needed)"),
    "import.err.empty": ("{name}: il file è vuoto", "{name}: the file is empty"),
    "err.not_xlsx": ("{path}: non è un file Excel leggibile ({detail})",
                     "{path}: not a readable Excel file ({detail})"),
})


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return restore_text(value.strip())
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date()
    return value


def read_rows(path: Path, sheet: str | None = None,
              ) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """The header (first non-empty row) and the data rows with their row number in the
    file (the header's row is 1 in a file that starts with it); blank rows are dropped."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        table = _xlsx(path, sheet)
    elif suffix in (".csv", ".txt"):
        table = _csv(path)
    else:
        raise InvalidInput(t("import.err.format", name=path.name), field="file")
    keep = [(number, [_cell(v) for v in row]) for number, row in enumerate(table, start=1)]
    keep = [(n, row) for n, row in keep if any(v not in (None, "") for v in row)]
    if not keep:
        raise InvalidInput(t("import.err.empty", name=path.name), field="file")
    header = ["" if v is None else str(v) for v in keep[0][1]]
    return header, keep[1:]


def _csv(path: Path) -> list[list[Any]]:
    text = path.read_text(encoding="utf-8-sig")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _xlsx(path: Path, sheet: str | None) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InvalidInput(t("err.not_xlsx", path=path.name, detail=type(exc).__name__),
                           field="file") from None
    try:
        names = {n.lower(): n for n in book.sheetnames}
        chosen = book[names[sheet.lower()]] if sheet and sheet.lower() in names else \
            book.worksheets[0]
        return [list(row) for row in chosen.iter_rows(values_only=True)]
    finally:
        book.close()
