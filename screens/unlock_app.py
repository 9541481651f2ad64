"""The little app that opens an encrypted database before the real one starts."""

from __future__ import annotations

from pathlib import Path

from textual.app import App

from fieldwelfare.i18n import set_language
from fieldwelfare.screens.screens.unlock import UnlockScreen
from fieldwelfare.screens.strings import register_strings
from fieldwelfare.screens.terminal_safe import install as install_terminal_safety
from fieldwelfare.store import Store


class UnlockApp(App[Store | None]):
    """Shows :class:`UnlockScreen`; exits with the unlocked store (None: the user quit)."""

    CSS_PATH = "app.tcss"
    TITLE = "fieldwelfare"

    def __init__(self, path: Path, *, lang: str = "it") -> None:
        set_language(lang)
        register_strings()
        install_terminal_safety()  # (operator names come from the key slots)
        super().__init__()
        self.path = path

    def on_mount(self) -> None:
        self.push_screen(UnlockScreen(self.path), self.exit)


def unlock_in_terminal(path: Path, lang: str) -> Store | None:
    return UnlockApp(path, lang=lang).run()
