"""Sync: this device's state, bundles to and from a folder (USB stick), HTTP sync with the hub.

Every operation is the sync library's own (``fieldwelfare.sync.device`` and ``.run``), run
in a worker; refusals and network errors become notifications.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Header, Input, Label, ProgressBar, Static

from fieldwelfare.errors import FieldWelfareError
from fieldwelfare.i18n import t
from fieldwelfare.screens.messages import Loaded
from fieldwelfare.screens.screens.base import FwScreen
from fieldwelfare.screens.screens.labels import label
from fieldwelfare.screens.screens.sync_words import is_no_hub, said
from fieldwelfare.screens.widgets import AppFooter
from fieldwelfare.sync import device
from fieldwelfare.sync.bundle import safe_name

FOLDER_KEY = "sync_folder"
"""Store meta key: the folder used last, offered next time."""


@dataclass
class SyncProgress(Message):
    phase: str
    done: int
    total: int


@dataclass
class SyncDone(Message):
    lines: list[str]
    errors: list[str]
    need_url: bool = False


def imported_line(done: device.Imported) -> str:
    if done.duplicate:
        return t("sync.dev.duplicate", path=Path(done.path).name)
    return t("sync.dev.imported", path=Path(done.path).name, applied=done.applied,
             skipped=done.skipped, conflicts=done.conflicts)


def replies_in(folder: Path, device_name: str) -> list[Path]:
    """The hub's replies for this device in ``folder``, oldest first."""
    return sorted(folder.glob(f"to-{safe_name(device_name)}-*.fwb"))


class SyncScreen(FwScreen[None]):
    TITLE_KEY = "nav.sync"
    CSS_PATH = "../directory.tcss"
    BINDINGS = [
        ("ctrl+r", "run", "syncui.run"),
        # before the inputs' own Ctrl+E (end of line), only while the device is not enrolled
        Binding("ctrl+e", "enroll", "syncui.enroll", priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.enrolled: bool | None = None

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with VerticalScroll(classes="sync"):
            yield Static(id="state", markup=False)
            with Horizontal(classes="buttons", id="enroll-box"):
                yield Button(t("syncui.enroll"), id="enroll", variant="primary")
            yield Label(t("syncui.folder"), classes="field-label")
            yield Input(id="folder")
            with Horizontal(classes="buttons"):
                yield Button(t("syncui.export"), id="export", variant="primary")
                yield Button(t("syncui.import"), id="import")
            yield Label(t("sync.status.hub"), classes="field-label")
            yield Input(id="url", placeholder="http://")
            with Horizontal(classes="buttons"):
                yield Button(t("syncui.run"), id="run", variant="primary")
                yield Button(t("nav.conflicts"), id="conflicts")
            yield ProgressBar(id="progress", show_eta=False)
            yield Static(id="log", markup=False)
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#progress", ProgressBar).display = False
        self.query_one("#enroll-box").display = False
        self.query_one("#folder", Input).focus()
        # the focus scrolls to the folder: the state at the top comes first
        self.call_after_refresh(self.query_one(VerticalScroll).scroll_home, animate=False)
        self._refresh(first=True)

    def on_screen_resume(self) -> None:
        self._refresh()

    # ------------------------------------------------------------------ state
    @work(thread=True, exclusive=True, group="state", exit_on_error=False)
    def _refresh(self, first: bool = False) -> None:
        info = device.status(self.store)
        info["folder"] = self.store.meta().get(FOLDER_KEY, "")
        info["first"] = first
        self.post_message(Loaded(info))

    def on_loaded(self, message: Loaded) -> None:
        info: dict[str, Any] = message.payload
        role = label("role", info.get("role")) if info.get("role") else ""
        hub = (t("syncui.hub", hub=f"{info['hub'] or ''} {info['hub_url'] or ''}".strip())
               if info["enrolled"] else t("syncui.not_enrolled"))
        self.enrolled = bool(info["enrolled"])
        self.query_one("#enroll-box").display = not self.enrolled
        self.refresh_bindings()
        lines = [
            f"{info.get('device') or ''} ({role})",
            hub,
            t("syncui.unsent", count=info["unsent"]),
            t("syncui.last", when=(info["last_sync"] or t("syncui.never"))[:16].replace("T", " ")),
            f"{t('sync.status.outbox')}: {len(info['outbox'])}",
            t("syncui.conflicts", count=info["open_conflicts"]),
        ]
        self.query_one("#state", Static).update("\n".join(lines))
        conflicts = self.query_one("#conflicts", Button)
        conflicts.label = f"{t('nav.conflicts')} ({info['open_conflicts']})"
        if info["first"]:
            self.query_one("#folder", Input).value = info["folder"]
            self.query_one("#url", Input).value = info["hub_url"] or ""

    # ------------------------------------------------------------------ actions
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "enroll":
            return self.enrolled is False
        return super().check_action(action, parameters)

    def action_enroll(self) -> None:
        from fieldwelfare.screens.screens.enroll import EnrollScreen

        self.app.push_screen(EnrollScreen())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the folder leads to its buttons; Enter in the hub address syncs."""
        event.stop()
        if event.input.id == "url":
            self.action_run()
        else:
            self.query_one("#export", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "enroll":
            self.action_enroll()
        elif event.button.id == "export":
            self._folder_action("export")
        elif event.button.id == "import":
            self._folder_action("import")
        elif event.button.id == "run":
            self.action_run()
        elif event.button.id == "conflicts":
            from fieldwelfare.screens.screens.conflicts import ConflictsScreen

            self.app.push_screen(ConflictsScreen())

    def _folder_action(self, what: str) -> None:
        folder = self.query_one("#folder", Input).value.strip()
        if not folder or not Path(folder).expanduser().is_dir():
            self.notify(t("syncui.folder_missing"), severity="error")
            self.query_one("#folder", Input).focus()
            return
        self._busy(True)
        if what == "export":
            self._export(Path(folder).expanduser())
        else:
            self._import(Path(folder).expanduser())

    def action_run(self) -> None:
        self._busy(True)
        self._run(self.query_one("#url", Input).value.strip() or None)

    def _busy(self, busy: bool) -> None:
        for button in self.query(Button):
            button.disabled = busy
        bar = self.query_one("#progress", ProgressBar)
        bar.display = busy
        if busy:
            bar.update(total=None, progress=0)
        if busy:
            self.query_one("#log", Static).update(t("syncui.working"))

    @work(thread=True, exclusive=True, group="sync", exit_on_error=False)
    def _export(self, folder: Path) -> None:
        try:
            sealed = device.export(self.store, folder)
        except FieldWelfareError as error:
            self.post_message(SyncDone([], [said(error)]))
            return
        except Exception:
            self.post_message(SyncDone([], []))
            raise
        self.store.set_meta({FOLDER_KEY: str(folder)})
        self.post_message(SyncDone([t("syncui.exported", path=s.path) for s in sealed], []))

    @work(thread=True, exclusive=True, group="sync", exit_on_error=False)
    def _import(self, folder: Path) -> None:
        lines: list[str] = []
        errors: list[str] = []
        for path in replies_in(folder, self.store.identity.device_name or "device"):
            try:
                lines.append(imported_line(device.import_reply(self.store, path)))
            except FieldWelfareError as error:
                errors.append(f"{path.name}: {said(error)}")
        if not lines and not errors:
            errors.append(t("syncui.no_replies", folder=str(folder)))
        else:
            self.store.set_meta({FOLDER_KEY: str(folder)})
        self.post_message(SyncDone(lines, errors))

    @work(thread=True, exclusive=True, group="sync", exit_on_error=False)
    def _run(self, url: str | None) -> None:
        from fieldwelfare.sync.run import run

        def progress(phase: str, done: int, total: int) -> None:
            self.post_message(SyncProgress(phase, done, total))

        try:
            result = run(self.store, url, progress=progress)
        except FieldWelfareError as error:
            self.post_message(SyncDone([], [said(error)], need_url=is_no_hub(error)))
            return
        except Exception:
            self.post_message(SyncDone([], []))
            raise
        self.post_message(SyncDone([t("syncui.sent", count=len(result.sent)),
                                    *(imported_line(d) for d in result.imported),
                                    t("syncui.done")], []))

    def on_sync_progress(self, message: SyncProgress) -> None:
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=message.total or None, progress=message.done)

    def on_sync_done(self, message: SyncDone) -> None:
        self._busy(False)
        if message.need_url:
            self.query_one("#url", Input).focus()
        if message.lines or message.errors:
            self.query_one("#log", Static).update("\n".join([*message.lines, *message.errors]))
        else:
            self.query_one("#log", Static).update("")
        for error in message.errors:
            self.notify(error, severity="error", timeout=10)
        if message.lines:
            self.notify(message.lines[-1])
        self._refresh()
