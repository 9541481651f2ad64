"""The keys of the screen below, in a modal (F1 or Esc closes it)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from fieldwelfare.i18n import t
from fieldwelfare.screens.screens.base import FwModal
from fieldwelfare.screens.widgets.steady import SteadyDataTable


class HelpScreen(FwModal[None]):
    BINDINGS = [("escape,f1", "close", "key.close")]

    def __init__(self, title: str, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.keys = keys

    @classmethod
    def for_screen(cls, screen: Screen[Any]) -> HelpScreen:
        keys: list[tuple[str, str]] = []
        seen: set[str] = set()
        for key, active in screen.active_bindings.items():
            if active.node is not screen and active.node is not screen.app:
                continue  # the focused widget's own keys (cursor moves) are not listed
            description = active.binding.description
            if not description or key in seen:
                continue
            seen.add(key)
            display = active.binding.key_display or screen.app.get_key_display(active.binding)
            keys.append((display, description))
        title = screen.sub_title or t("app.title")
        return cls(title, keys)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help"):
            yield Static(t("help.title", screen=self.title_text), classes="question",
                         markup=False)
            table = SteadyDataTable(cursor_type="row", show_header=True)
            table.add_columns(t("help.key"), t("help.action"))
            for key, description in self.keys:
                table.add_row(key, description)
            yield table
            yield Static(t("help.footer"), classes="hint")

    def action_close(self) -> None:
        self.dismiss(None)
