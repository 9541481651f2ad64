"""First run: name this device, its operator, role and ambito (``store.set_identity``)."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Header, Input, Select, Static

from fieldwelfare import vocab
from fieldwelfare.i18n import t
from fieldwelfare.screens import registry
from fieldwelfare.screens.messages import Saved, SaveFailed
from fieldwelfare.screens.screens.base import FwScreen
from fieldwelfare.screens.widgets import AppFooter, FormField


def vocab_options(vocabulary: str, lang: str) -> list[tuple[str, str]]:
    return [(vocab.label(vocabulary, code, lang), code) for code in vocab.codes(vocabulary)]


class SetupScreen(FwScreen[bool]):
    TITLE_KEY = "setup.title"
    BINDINGS = [("ctrl+s", "save", "key.save")]

    def compose(self) -> ComposeResult:
        lang = self.fw.lang
        yield Header(show_clock=False)
        with VerticalScroll(classes="form"):
            yield Static(t("setup.intro"), classes="intro")
            yield FormField("device_name", t("setup.device_name"),
                            Input(placeholder=t("setup.device_name.hint")))
            unlocked_by = self.store.session_operator  # asked already, to unlock: kept
            yield FormField("operator", t("setup.operator"),
                            Input(unlocked_by or "", placeholder=t("setup.operator.hint"),
                                  disabled=unlocked_by is not None))
            yield FormField("role", t("setup.role"),
                            Select(vocab_options("role", lang), prompt=t("select.choose")))
            yield FormField("ambito", t("setup.ambito"),
                            Select(vocab_options("ambito", lang), prompt=t("select.choose")))
            with Horizontal(classes="buttons"):
                yield Button(t("setup.save"), id="save", variant="primary")
                if registry.ENROLLMENT:
                    yield Button(t("setup.enroll"), id="enroll")
        yield AppFooter()

    def on_mount(self) -> None:
        self.sub_title = t(self.TITLE_KEY)
        self.query_one("#device_name", Input).focus()

    def values(self) -> dict[str, Any]:
        role = self.query_one("#role", Select).value
        ambito = self.query_one("#ambito", Select).value
        return {
            "device_name": self.query_one("#device_name", Input).value.strip(),
            "operator": self.query_one("#operator", Input).value.strip(),
            "role": None if role is Select.NULL else str(role),
            "ambito": None if ambito is Select.NULL else str(ambito),
        }

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        elif event.button.id == "enroll":
            self.action_enroll()

    def action_enroll(self) -> None:
        """Enrollment with a code: the sync UI registers its screen in ``registry.ENROLLMENT``."""
        if registry.ENROLLMENT:
            screen = registry.load_target(registry.ENROLLMENT[0])()

            def enrolled(done: Any) -> None:
                if done:
                    self.dismiss(True)

            self.app.push_screen(screen, enrolled)

    def action_save(self) -> None:
        data = self.values()
        missing = [name for name in ("device_name", "operator", "role") if not data[name]]
        for name in ("device_name", "operator", "role", "ambito"):
            message = t("form.required") if name in missing else None
            self.query_one(f"#field-{name}", FormField).set_error(message)
        if not missing:
            self._save(data)

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def _save(self, data: dict[str, Any]) -> None:
        identity = self.store.set_identity(**data)
        self.post_message(Saved("identity", identity.device_id))

    def on_saved(self, message: Saved) -> None:
        self.notify(t("setup.done"))
        self.dismiss(True)

    def on_save_failed(self, message: SaveFailed) -> None:
        self.notify(message.message, severity="error")
