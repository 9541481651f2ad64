"""Short labels shared by screens (vocabulary codes to words, dates to dd/mm/yyyy)."""

from __future__ import annotations

import datetime as dt

from fieldwelfare import vocab
from fieldwelfare.i18n import get_language
from fieldwelfare.i18n import number as number


def label(vocabulary: str, code: object) -> str:
    if code is None or code == "":
        return ""
    return vocab.label(vocabulary, str(code), get_language())


def day(value: dt.date | str | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return value.strftime("%d/%m/%Y")


def parse_day(text: str) -> dt.date | None:
    """dd/mm/yyyy, d/m/yy or yyyy-mm-dd; None if empty. Raises ValueError if unreadable."""
    text = text.strip()
    if not text:
        return None
    if "-" in text:
        return dt.date.fromisoformat(text)
    parts = text.replace(".", "/").split("/")
    if len(parts) != 3:
        raise ValueError(text)
    d, m, y = (int(p) for p in parts)
    if y < 100:
        y += 2000
    return dt.date(y, m, d)


def short(text: str | None, width: int = 40) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"

