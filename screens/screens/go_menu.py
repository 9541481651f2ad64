"""Ctrl+G "Vai a…": every screen this device's role may open, each with a letter (and its
function key), for terminals and desktops that take the function keys. ``?`` is the help."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from fieldwelfare.i18n import t
from fieldwelfare.screens import registry
from fieldwelfare.screens.screens.base import FwModal

HELP = "?"


def menu_entries(role: str | None) -> list[tuple[str, str, str]]:
    """``(letter, name, label)`` of the screens ``role`` may open, in the registry's order."""
    entries = []
    for entry in registry.ENTRIES:
        if entry.letter and entry.allowed(role):
            fkey = f"  ({entry.key.upper()})" if entry.key else ""
            entries.append((entry.letter, entry.name, f"{entry.letter}  {t(entry.title)}{fkey}"))
    entries.append((HELP, HELP, f"{HELP}  {t('key.help')}  (F1)"))
    return entries


class GoMenuScreen(FwModal[str | None]):
    """Dismissed with a screen name, ``"?"`` for the help, or None."""

    BINDINGS = [("escape,ctrl+g", "close", "key.close")]

    def __init__(self, role: str | None) -> None:
        super().__init__()
        self.entries = menu_entries(role)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog go-menu"):
            yield Static(t("go.title"), classes="question")
            yield OptionList(*(Option(text, id=name) for _, name, text in self.entries),
                             id="targets", markup=False)

    def on_mount(self) -> None:
        self.query_one("#targets", OptionList).focus()

    def on_key(self, event: events.Key) -> None:
        for letter, name, _ in self.entries:
            if event.character == letter:
                event.stop()
                self.dismiss(name)
                return

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_close(self) -> None:
        self.dismiss(None)
