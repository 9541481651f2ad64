"""Enroll this device with the code the hub issued: over HTTP in one step, or by carrying
the request and the hub's reply on a USB stick. Dismissed with True once enrolled."""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Header, Input, Label, Static

from fieldwelfare.errors import FieldWelfareError
from fieldwelfare.i18n import t
from fieldwelfare.screens.screens.base import FwScreen
from fieldwelfare.screens.widgets import AppFooter
from fieldwelfare.store import Store
from fieldwelfare.sync import device, enrollment


class EnrollDone(Message):
    def __init__(self, lines: list[str], errors: list[str], enrolled: bool) -> None:
        super().__init__()
        self.lines = lines
        self.errors = errors
        self.enrolled = enrolled


def is_enrolled(store: Store) -> bool:
    return bool(device.status(store)["enrolled"]) and store.identity.initialised


class EnrollScreen(FwScreen[bool]):
    TITLE_KEY = "enroll.title"
    CSS_PATH = "../directory.tcss"

    def __init__(self) -> None:
        super().__init__()
        self.operator = ""

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with VerticalScroll(classes="sync"):
            yield Static(t("enroll.intro"), classes="hint")
            yield Label(t("enroll.operator"), classes="field-label")
            yield Input(id="operator", placeholder=t("setup.operator.hint"))
            yield Label(t("enroll.code"), classes="field-label")
            yield Input(id="code", placeholder="FW1-…")
            yield Label(t("sync.status.hub"), classes="field-label")
            yield Input(id="url", placeholder="http://")
            with Horizontal(classes="buttons"):
                yield Button(t("enroll.http"), id="http", variant="primary")
            yield Label(t("syncui.folder"), classes="field-label")
            yield Input(id="folder")
            with Horizontal(classes="buttons"):
                yield Button(t("enroll.write"), id="write")
                yield Button(t("enroll.read"), id="read")
            yield Static(id="log", markup=False)
        yield AppFooter()

    def on_mount(self) -> None:
        # the name given at set-up, never the computer's user name (root, ...)
        operator = self.store.meta().get("operator", "")
        self.query_one("#operator", Input).value = operator
        self.query_one("#code" if operator else "#operator", Input).focus()

    def _value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value.strip()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        code, folder = self._value("code"), self._value("folder")
        if not self._value("operator"):
            self.notify(t("enroll.operator_required"), severity="error")
            self.query_one("#operator", Input).focus()
            return
        if event.button.id in ("write", "read") and not Path(folder).expanduser().is_dir():
            self.notify(t("syncui.folder_missing"), severity="error")
            return
        for button in self.query(Button):
            button.disabled = True
        self.query_one("#log", Static).update(t("syncui.working"))
        self.operator = self._value("operator")
        if event.button.id == "http":
            self._http(code, self._value("url") or None)
        elif event.button.id == "write":
            self._write(code, Path(folder).expanduser())
        else:
            self._read(Path(folder).expanduser())

    def _start(self, code: str) -> None:
        """Remember the operator's name and the code typed (worker thread); a new code
        replaces a pending one."""
        if self.store.meta().get("operator") != self.operator:
            self.store.set_meta({"operator": self.operator})
        if code or enrollment.pending_code(self.store) is None:
            enrollment.start(self.store, code)

    @work(thread=True, exclusive=True, group="enroll", exit_on_error=False)
    def _http(self, code: str, url: str | None) -> None:
        from fieldwelfare.sync.run import run

        try:
            self._start(code)
            run(self.store, url)
        except FieldWelfareError as error:
            self.post_message(EnrollDone([], [str(error)], False))
            return
        self.post_message(EnrollDone([], [], is_enrolled(self.store)))

    @work(thread=True, exclusive=True, group="enroll", exit_on_error=False)
    def _write(self, code: str, folder: Path) -> None:
        try:
            self._start(code)
            sealed = enrollment.write_request(self.store, folder)
        except FieldWelfareError as error:
            self.post_message(EnrollDone([], [str(error)], False))
            return
        self.post_message(EnrollDone([t("enroll.written", path=sealed.path)], [], False))

    @work(thread=True, exclusive=True, group="enroll", exit_on_error=False)
    def _read(self, folder: Path) -> None:
        if self.store.meta().get("operator") != self.operator:
            self.store.set_meta({"operator": self.operator})
        errors: list[str] = []
        for path in sorted(folder.glob("to-*.fwb")):
            try:
                device.import_reply(self.store, path)
            except FieldWelfareError as error:  # another device's reply: try the next
                errors.append(str(error))
                continue
            if is_enrolled(self.store):
                self.post_message(EnrollDone([], [], True))
                return
        self.post_message(EnrollDone([], errors or [t("syncui.no_replies", folder=str(folder))],
                                     False))

    def on_enroll_done(self, message: EnrollDone) -> None:
        for button in self.query(Button):
            button.disabled = False
        self.query_one("#log", Static).update("\n".join([*message.lines, *message.errors]))
        if message.enrolled:
            identity = self.store.identity
            self.notify(t("enroll.done", name=identity.device_name or "",
                          role=identity.role or ""))
            self.dismiss(True)
        elif message.errors:
            self.notify(message.errors[-1], severity="error", timeout=10)
