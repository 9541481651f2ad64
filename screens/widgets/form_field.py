"""A labelled form field with its error line right under the input."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Label, Static


def field_id(name: str) -> str:
    """Core field names (``privacy_notice.given_on``) as widget ids."""
    return name.replace(".", "-")


class FormField(Vertical):
    """``FormField("family_name", "Cognome", Input(...))``: the input gets the id
    ``family_name`` and the error line ``err-family_name``."""

    def __init__(self, name: str, label: str, widget: Widget) -> None:
        super().__init__(classes="form-field", id=f"field-{field_id(name)}")
        self._label = label
        self._widget = widget
        if widget.id is None:
            widget.id = field_id(name)
        if hasattr(widget, "compact"):
            widget.compact = True  # one line per input: forms fit in 80x24
        self._error_id = f"err-{field_id(name)}"

    def compose(self) -> ComposeResult:
        yield Label(self._label, classes="field-label", markup=False)
        yield self._widget
        yield Static("", id=self._error_id, classes="field-error", markup=False)

    def set_error(self, message: str | None) -> None:
        error = self.query_one(f"#{self._error_id}", Static)
        error.update(message or "")
        self.set_class(bool(message), "-invalid")
