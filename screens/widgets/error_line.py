"""A dialog's error line: hidden while empty, shown (and announced) as soon as it has text."""

from __future__ import annotations

from textual.widgets import Static


class ErrorLine(Static):
    """``ErrorLine(id="error")``; ``show(message)`` makes a refusal visible where the user is,
    ``show(None)`` hides it. It never depends on a parent's class to be seen."""

    DEFAULT_CSS = """
    ErrorLine {
        color: $error;
        text-style: bold;
        height: auto;
        display: none;
    }
    ErrorLine.-shown {
        display: block;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__("", id=id, markup=False)
        self.message = ""

    def show(self, message: str | None) -> None:
        self.message = message or ""
        self.update(self.message)
        self.set_class(bool(self.message), "-shown")
        if self.message:
            self.scroll_visible()
