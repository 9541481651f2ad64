"""Yes/no question, answered with the keyboard (s/y = yes, n/Esc = no) or the mouse."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from fieldwelfare.i18n import t
from fieldwelfare.screens.screens.base import FwModal


class ConfirmScreen(FwModal[bool]):
    BINDINGS = [
        ("s,y", "answer(True)", "key.yes"),
        ("n,escape", "answer(False)", "key.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="question", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(t("confirm.yes"), id="yes", variant="error")
                yield Button(t("confirm.no"), id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
