"""Spreadsheet files in and out: formula-safe CSV and XLSX writing, and reading rows back.

Every cell of text that leaves fieldwelfare for a spreadsheet goes through
:func:`~fieldwelfare.sheets.safe.safe_text` (OWASP "CSV injection"): a cell starting with
``= + - @``, a tab or a carriage return gets a leading ``'``, so Excel and LibreOffice show
it as text and never run it; control characters are written as ``\\xNN``.
"""

from fieldwelfare.sheets.csvfile import cell_text, to_csv, write_csv
from fieldwelfare.sheets.safe import restore_text, safe_cell, safe_text

__all__ = ["cell_text", "restore_text", "safe_cell", "safe_text", "to_csv", "write_csv"]
