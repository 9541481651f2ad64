"""Choose the next status among the allowed transitions only."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from fieldwelfare.i18n import t
from fieldwelfare.screens.screens.base import FwModal
from fieldwelfare.screens.screens.labels import label


class StatusScreen(FwModal[str | None]):
    BINDINGS = [("escape", "cancel", "key.cancel")]

    def __init__(self, vocabulary: str, current: str, allowed: list[str]) -> None:
        super().__init__()
        self.vocabulary = vocabulary
        self.current = current
        self.allowed = allowed

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(t("status.question", current=label(self.vocabulary, self.current)),
                         classes="question", markup=False)
            yield OptionList(*(Option(label(self.vocabulary, code), id=code)
                               for code in self.allowed), id="choices", markup=False)

    def on_mount(self) -> None:
        choices = self.query_one("#choices", OptionList)
        choices.highlighted = 0
        choices.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
