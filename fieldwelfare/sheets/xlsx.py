"""Formula-safe XLSX workbooks: one sheet per table, numbers as numbers, dates as dates.

Text cells go through :func:`~fieldwelfare.sheets.safe.safe_text` and are stored as text
(``data_type = "s"``), so openpyxl never turns a leading ``=`` into a formula.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from fieldwelfare.sheets.csvfile import cell_text

_BAD_TITLE = re.compile(r"[\\/*?:\[\]]")


def sheet_title(text: str, taken: Iterable[str] = ()) -> str:
    """A valid, unique sheet name (at most 31 characters, none of ``\\ / * ? : [ ]``)."""
    base = _BAD_TITLE.sub(" ", text).strip("'")[:31] or "Sheet"
    title, n = base, 2
    used = {t.lower() for t in taken}
    while title.lower() in used:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    return title


def put(sheet: Worksheet, row: int, column: int, value: Any) -> None:
    """One cell: numbers, dates and booleans natively, everything else as safe text."""
    cell = sheet.cell(row=row, column=column)
    if value is None:
        return
    if isinstance(value, bool | int | float | dt.date | dt.datetime):
        cell.value = value
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            cell.number_format = "yyyy-mm-dd"
        return
    text = cell_text(value)  # formula-safe text (or a number inside a list's JSON: no)
    cell.value = text
    if isinstance(text, str):
        cell.data_type = "s"


class WorkbookWriter:
    """Builds a workbook sheet by sheet; :meth:`save` writes it."""

    def __init__(self) -> None:
        self.book = Workbook()
        self._first = True

    def sheet(self, title: str) -> Worksheet:
        if self._first:
            self._first = False
            sheet = self.book.active
            assert sheet is not None
            sheet.title = sheet_title(title)
            return sheet
        created: Worksheet = self.book.create_sheet(sheet_title(title, self.book.sheetnames))
        return created

    def table(self, title: str, header: Sequence[str],
              rows: Iterable[Sequence[Any]]) -> Worksheet:
        """A sheet with a bold header row and one row per item."""
        sheet = self.sheet(title)
        for column, name in enumerate(header, start=1):
            put(sheet, 1, column, name)
            sheet.cell(row=1, column=column).font = Font(bold=True)
        for r, row in enumerate(rows, start=2):
            for column, value in enumerate(row, start=1):
                put(sheet, r, column, value)
        sheet.freeze_panes = "A2"
        for column, name in enumerate(header, start=1):
            letter = get_column_letter(column)
            sheet.column_dimensions[letter].width = max(10, min(40, len(str(name)) + 2))
        return sheet

    def lines(self, title: str, lines: Iterable[Sequence[Any]]) -> Worksheet:
        """A sheet of plain rows (labels and values), first column bold."""
        sheet = self.sheet(title)
        for r, row in enumerate(lines, start=1):
            for column, value in enumerate(row, start=1):
                put(sheet, r, column, value)
            sheet.cell(row=r, column=1).font = Font(bold=True)
        sheet.column_dimensions["A"].width = 28
        sheet.column_dimensions["B"].width = 90
        return sheet

    def bar_chart(self, sheet: Worksheet, *, title: str, label_col: int,
                  value_cols: Sequence[int], rows: int, anchor: str, line: bool = False) -> None:
        """A native chart of ``value_cols`` against the labels in ``label_col``
        (rows 2..rows+1 of ``sheet``; row 1 holds the series names)."""
        if rows < 1:
            return
        chart = LineChart() if line else BarChart()
        chart.title = title
        chart.height, chart.width = 8, 18
        for col in value_cols:
            data = Reference(sheet, min_col=col, min_row=1, max_row=rows + 1)
            chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=label_col, min_row=2, max_row=rows + 1))
        sheet.add_chart(chart, anchor)

    def save(self, path: Path) -> None:
        self.book.save(path)
