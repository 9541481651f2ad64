"""Neutralising spreadsheet formulas in exported text (OWASP, "CSV Injection").

OWASP: no cell may begin with ``=``, ``+``, ``-``, ``@``, tab (0x09) or carriage return
(0x0D); such a cell is prefixed with a single quote and the field is quoted, with inner
double quotes doubled (the CSV writer quotes). The text is otherwise unchanged, except the
control characters a spreadsheet cannot hold, which are written as ``\\xNN`` (never dropped).
Numbers, booleans and dates are not text and are written as they are.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""The first characters that make a spreadsheet read a cell as a formula (OWASP)."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _escape(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()):02x}"


def safe_text(text: str) -> str:
    """``text`` as a spreadsheet will show it and never evaluate it."""
    text = _CONTROL.sub(_escape, text)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def restore_text(text: str) -> str:
    """The text :func:`safe_text` neutralised, as it was (for files read back in)."""
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def safe_cell(value: Any) -> Any:
    """A value for a spreadsheet cell: text made safe, anything else unchanged."""
    return safe_text(value) if isinstance(value, str) else value
