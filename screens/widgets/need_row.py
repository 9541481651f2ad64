"""One need typed inline in the visit form: area, category, urgency and description."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, Label, Select, Static

from fieldwelfare import vocab
from fieldwelfare.i18n import get_language, t
from fieldwelfare.screens.bindings import translate_bindings


def _options(vocabulary: str) -> list[tuple[str, str]]:
    lang = get_language()
    return [(vocab.label(vocabulary, code, lang), code) for code in vocab.codes(vocabulary)]


class NeedRow(Vertical):
    """Attributes down (``number``), messages up (:class:`RemoveRequested`). Its remove
    button sits at the end of the description line, always on screen; ``Ctrl+T`` anywhere
    in the card does the same."""

    BINDINGS = [("ctrl+t", "remove", "key.remove_need")]  # ctrl+d: an Input deletes with it

    DEFAULT_CSS = """
    NeedRow { height: auto; border: round $secondary; padding: 0 1; margin-bottom: 1; }
    NeedRow Horizontal { height: auto; }
    NeedRow Select { width: 1fr; margin-right: 1; }
    NeedRow .description { width: 1fr; margin-right: 1; }
    NeedRow .remove { width: auto; }
    NeedRow .field-error { color: $error; height: auto; display: none; }
    NeedRow.-invalid .field-error { display: block; }
    """

    @dataclass
    class RemoveRequested(Message):
        row: NeedRow

        @property
        def control(self) -> NeedRow:
            return self.row

    def __init__(self, number: int) -> None:
        super().__init__(classes="need-row")
        self.number = number
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        yield Label(t("visit.need_n", n=self.number), classes="need-title", markup=False)
        with Horizontal():
            yield Select(_options("area"), prompt=t("need.area"), classes="area",
                         compact=True)
            yield Select(_options("category"), prompt=t("need.category"),
                         classes="category", compact=True)
            yield Select(_options("urgency"), value="medium", allow_blank=False,
                         classes="urgency", compact=True)
        with Horizontal():
            yield Input(placeholder=t("need.description.hint"), classes="description",
                        compact=True)
            yield Button(t("visit.remove_need"), classes="remove", compact=True)
        yield Static("", classes="field-error", markup=False)

    def renumber(self, number: int) -> None:
        self.number = number
        self.query_one(".need-title", Label).update(t("visit.need_n", n=number))

    def values(self) -> dict[str, Any]:
        def pick(selector: str) -> str | None:
            value = self.query_one(selector, Select).value
            return None if value is Select.NULL else str(value)

        return {
            "area": pick(".area"),
            "category": pick(".category"),
            "urgency": pick(".urgency"),
            "description": self.query_one(".description", Input).value.strip(),
        }

    def set_error(self, message: str | None) -> None:
        self.query_one(".field-error", Static).update(message or "")
        self.set_class(bool(message), "-invalid")

    def is_blank(self) -> bool:
        """Nothing chosen or typed (the urgency has a default): saving ignores the card."""
        values = self.values()
        return not (values["area"] or values["category"] or values["description"])

    def action_remove(self) -> None:
        self.post_message(self.RemoveRequested(self))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.has_class("remove"):
            event.stop()
            self.action_remove()
