"""Ask for one required line of text (a referral's outcome or reason)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label

from fieldwelfare.i18n import t
from fieldwelfare.screens.screens.base import FwModal
from fieldwelfare.screens.widgets import ErrorLine


class TextPromptScreen(FwModal[str | None]):
    """Dismissed with the text typed (never empty), or None if cancelled."""

    CSS_PATH = "../directory.tcss"
    BINDINGS = [("escape", "cancel", "key.cancel")]

    def __init__(self, question: str, value: str = "") -> None:
        super().__init__()
        self.question = question
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog prompt"):
            yield Label(self.question, classes="question", markup=False)
            yield Input(self.value, id="answer", max_length=500)
            yield ErrorLine(id="prompt-error")
            with Horizontal(classes="buttons"):
                yield Button(t("key.save"), id="ok", variant="primary")
                yield Button(t("key.cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#answer", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._answer()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "ok":
            self._answer()
        else:
            self.action_cancel()

    def _answer(self) -> None:
        text = self.query_one("#answer", Input).value.strip()
        if not text:
            self.query_one("#prompt-error", ErrorLine).show(t("prompt.required"))
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        """Leave; what was typed is dropped only after asking."""
        if self.query_one("#answer", Input).value.strip() in ("", self.value):
            self.dismiss(None)
            return
        from fieldwelfare.screens.screens.confirm import ConfirmScreen

        def answer(ok: bool | None) -> None:
            if ok:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen(t("confirm.discard")), answer)
