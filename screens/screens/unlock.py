"""Unlock: who is at the keyboard, and their passphrase (an encrypted database).

Two uses, one form: :class:`UnlockScreen` opens the database before the app starts (the
operator is chosen among the key slots), and :class:`LockScreen` covers the app after it
sat idle, asking the same operator again; the screens under it, unsaved forms included,
stay as they were.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from fieldwelfare.i18n import t
from fieldwelfare.screens.widgets import ErrorLine
from fieldwelfare.store import Store, keyslots, vault
from fieldwelfare.store.keyslots import Locked


@dataclass
class Answer(Message):
    store: Store | None
    error: str | None


class UnlockForm(ModalScreen[Store | None]):
    """Operator and passphrase; ``attempt`` turns them into a store (or raises Locked)."""

    BINDINGS = [("ctrl+q", "quit", "key.quit")]

    def __init__(self, path: Path, operators: list[str], *, operator: str | None = None,
                 title: str) -> None:
        super().__init__()
        self.path = path
        self.operators = operators
        self.operator = operator
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog unlock"):
            yield Static(self.title_text, classes="question", markup=False)
            if self.operator is None:
                yield Label(t("unlock.operator"))
                yield Select([(Text(name), name) for name in self.operators], id="operator",
                             allow_blank=len(self.operators) != 1,
                             value=self.operators[0] if len(self.operators) == 1
                             else Select.NULL)
            else:
                yield Label(t("unlock.as", name=self.operator), markup=False)
            yield Label(t("unlock.passphrase"))
            yield Input(password=True, id="passphrase")
            yield ErrorLine(id="error")
            yield Button(t("unlock.open"), id="open", variant="primary")

    def on_mount(self) -> None:
        """The passphrase first, unless there is an operator to pick first."""
        first = "#passphrase" if self.chosen() is not None else "#operator"
        self.query_one(first).focus()

    def chosen(self) -> str | None:
        if self.operator is not None:
            return self.operator
        value = self.query_one("#operator", Select).value
        return value if isinstance(value, str) else None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.submit()

    def submit(self) -> None:
        operator = self.chosen()
        if operator is None:
            self.show(t("unlock.pick"))
            return
        self.query_one("#open", Button).disabled = True
        self.show(t("unlock.opening"))
        self.attempt(operator, self.query_one("#passphrase", Input).value)

    def show(self, text: str) -> None:
        self.query_one("#error", ErrorLine).show(text)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def attempt(self, operator: str, passphrase: str) -> None:
        try:
            self.post_message(Answer(self.open_with(operator, passphrase), None))
        except Locked as error:
            self.post_message(Answer(None, str(error)))

    def open_with(self, operator: str, passphrase: str) -> Store:
        return vault.unlock(self.path, operator=operator, passphrase=passphrase)

    def on_answer(self, message: Answer) -> None:
        self.query_one("#open", Button).disabled = False
        if message.store is None:
            passphrase = self.query_one("#passphrase", Input)
            passphrase.value = ""
            passphrase.focus()
            self.show(message.error or t("keys.wrong"))
            return
        self.dismiss(message.store)

    def action_quit(self) -> None:
        self.app.exit(None)


class UnlockScreen(UnlockForm):
    """Before the app: the database at ``path``, by one of its operators."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, keyslots.operators(path), title=t("unlock.title",
                                                                 path=path.name))


class LockScreen(UnlockForm):
    """Over the app after it sat idle: the same operator's passphrase, checked against the
    key slots (the database stays open underneath)."""

    def __init__(self, store: Store, on_failure: Callable[[str], Any]) -> None:
        super().__init__(Path(store.path), [], operator=store.identity.operator,
                         title=t("lock.title"))
        self.store = store
        self.on_failure = on_failure

    def open_with(self, operator: str, passphrase: str) -> Store:
        try:
            keyslots.unlock(self.path, operator, passphrase)
        except Locked:
            self.on_failure(json.dumps({"operator": operator, "where": "lock"}))
            raise
        return self.store

    def action_quit(self) -> None:
        self.app.exit(None)
