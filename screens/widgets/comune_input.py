"""Pick a comune by typing its name (suggestions complete it); holds the ISTAT code."""

from __future__ import annotations

import unicodedata

from textual.suggester import SuggestFromList
from textual.widgets import Input

from fieldwelfare import vocab


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def comune_code(name: str) -> str | None:
    """The ISTAT code of a comune typed by name (case and accents ignored), or None."""
    folded = _fold(name)
    if not folded:
        return None
    for comune in vocab.comuni().values():
        if _fold(comune.name) == folded or comune.istat_code == folded:
            return comune.istat_code
    return None


class ComuneInput(Input):
    """The value is the comune's name; :attr:`code` is its ISTAT code (None if unknown)."""

    def __init__(self, code: str | None = None, *, id: str | None = None,  # noqa: A002
                 placeholder: str = "") -> None:
        names = sorted(c.name for c in vocab.comuni().values())
        super().__init__(
            value=vocab.comune_name(code) if code else "",
            placeholder=placeholder,
            suggester=SuggestFromList(names, case_sensitive=False),
            id=id,
        )

    @property
    def code(self) -> str | None:
        return comune_code(self.value)
