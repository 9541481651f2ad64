"""The fieldwelfare Textual app: owns the store, the navigation and error reporting."""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from collections.abc import Callable, Iterable
from typing import Any, cast

from rich.text import Text
from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from fieldwelfare import paths
from fieldwelfare.errors import FieldWelfareError
from fieldwelfare.i18n import set_language, t
from fieldwelfare.screens import registry
from fieldwelfare.screens.bindings import translate_bindings
from fieldwelfare.screens.commands import ScreensProvider
from fieldwelfare.screens.idle_gc import IdleCollector
from fieldwelfare.screens.strings import register_strings
from fieldwelfare.screens.terminal_safe import install as install_terminal_safety
from fieldwelfare.store import Store

log = logging.getLogger("fieldwelfare.screens")


class FieldWelfareApp(App[str | None]):
    """Keyboard-first UI. Screens read ``app.store`` only inside workers."""

    CSS_PATH = "app.tcss"
    TITLE = "fieldwelfare"
    COMMANDS = App.COMMANDS | {ScreensProvider}
    BINDINGS = [
        ("f1", "help", "key.help"),
        ("ctrl+g", "go_menu", "key.go_menu"),
        Binding("ctrl+q", "quit", "key.quit", show=False),
        Binding("ctrl+p", "command_palette", "key.palette", show=False, priority=True),
    ]

    def __init__(
        self,
        store: Store,
        *,
        lang: str = "it",
        today: Callable[[], dt.date] | None = None,
        cursor_blink: bool = True,
    ) -> None:
        set_language(lang)
        register_strings()
        install_terminal_safety()  # before anything is drawn
        super().__init__()
        self.store = store
        self.lang = lang
        self.today: Callable[[], dt.date] = today or store.today
        self.cursor_blink = cursor_blink
        self._last_input = time.monotonic()
        self._collector = IdleCollector(lambda: self._last_input,
                                        before=self.forget_closed_watchers)
        self._locked = False
        self.strict = False
        """Tests set this: an unexpected error then fails the test instead of being reported."""
        for entry in registry.ENTRIES:
            if entry.key:
                # listed in the help and the Ctrl+G menu: the footer keeps room for the
                # screen's own keys
                self.bind(entry.key, f"go('{entry.name}')", description=entry.title,
                          show=False)
        translate_bindings(self)

    # ------------------------------------------------------------------ idle lock
    LOCK_KEY = "lock_minutes"
    """Store meta key: minutes idle before an encrypted database's UI locks (default 10)."""

    def lock_after(self) -> float:
        """Seconds idle before the screen locks (0: never); only for encrypted databases."""
        if not self.store.encrypted:
            return 0.0
        try:
            return max(0.0, float(self.store.meta().get(self.LOCK_KEY, "10")) * 60)
        except ValueError:
            return 600.0

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.MouseScrollDown,
                              events.MouseScrollUp)):
            self._last_input = time.monotonic()
        await super().on_event(event)

    def check_lock(self) -> None:
        """Cover the app with the lock screen once it sat idle long enough."""
        limit = self.lock_after()
        if not limit or self._locked or time.monotonic() - self._last_input < limit:
            return
        from fieldwelfare.screens.screens.unlock import LockScreen

        self._locked = True
        self.push_screen(LockScreen(self.store, self._lock_failed), self._unlocked)

    def _lock_failed(self, detail: str) -> None:
        self.store.record_event("unlock_failed", detail)

    def _unlocked(self, _store: Any) -> None:
        self._locked = False
        self._last_input = time.monotonic()

    # ------------------------------------------------------------------ start
    def on_mount(self) -> None:
        _log_to_file()
        self.call_after_refresh(self._collector.start)  # (once the first screen is drawn)
        self.set_interval(IdleCollector.CHECK, self._collector.check)
        demo = "demo_seed" in self.store.meta()  # fieldwelfare.cli.demo.DEMO_MARK
        self.title = t("app.title_demo") if demo else t("app.title")
        if self.store.encrypted:
            self.set_interval(15, self.check_lock)
        if not self.store.identity.initialised:
            setup = registry.load_target("fieldwelfare.screens.screens.setup:SetupScreen")
            self.push_screen(setup(), self._after_setup)
        else:
            self.go(self._start_screen())

    def forget_closed_watchers(self) -> None:
        """Textual drops a watcher whose widget has closed only when the watched value
        changes. Every screen's Header watches the app's title (which never changes here),
        and a footer's keys are bound to their footer, rebuilt whenever the keys change: each
        closed screen and each old key stayed in memory (a screen, about 150 KB, whole). The
        idle collector calls this before each pass."""
        nodes: list[Any] = [self]
        for screen in self.screen_stack:
            nodes.append(screen)
            nodes.extend(screen.walk_children())
        for node in nodes:
            watchers: dict[str, list[tuple[Any, Any]]] = getattr(node, "__watchers", {})
            for listed in watchers.values():
                listed[:] = [(watcher, callback) for watcher, callback in listed
                             if not (watcher._closing or watcher._closed)]

    def on_unmount(self) -> None:
        self._collector.stop()

    def _after_setup(self, done: Any) -> None:
        self.refresh_bindings()  # the role is known now: the keys follow it
        self.go(self._start_screen())

    def _start_screen(self) -> str:
        """A volunteer's own device opens on their week (when that screen is registered)."""
        if self.store.identity.role == "volunteer" and any(
                entry.name == "my_week" for entry in registry.ENTRIES):
            return "my_week"
        return "home"

    # ------------------------------------------------------------------ navigation
    def may_open(self, name: str) -> bool:
        """Screens follow the device's role (a volunteer's device has no person records)."""
        return registry.allowed(name, self.store.identity.role)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "go" and parameters:
            return self.may_open(str(parameters[0]))  # False: no key, no footer entry
        return True

    def go(self, name: str, *args: Any) -> None:
        """Open a registered screen above home, asking first if a form has unsaved data."""
        if not self.may_open(name):
            self.notify(t("nav.not_for_role"), severity="warning")
            return
        self.leave_then(lambda: self._open(name, *args))

    def action_go(self, name: str) -> None:
        self.go(name)

    def _open(self, name: str, *args: Any) -> None:
        home = registry.get("home").load()
        while len(self.screen_stack) > 2 or (
            len(self.screen_stack) == 2 and not isinstance(self.screen_stack[1], home)
        ):
            self.pop_screen()
        if len(self.screen_stack) < 2:
            self.push_screen(home())
        if name != "home":
            self.push_screen(registry.get(name).load()(*args))

    def open_screen(self, screen: Screen[Any], callback: Callable[[Any], None] | None = None
                    ) -> None:
        """Push a detail or form screen (attributes down: the caller built it)."""
        self.push_screen(screen, callback)

    def leave_then(self, proceed: Callable[[], object],
                   screens: list[Screen[Any]] | None = None) -> None:
        """Run ``proceed`` now, or after the user confirms dropping unsaved form data
        (of ``screens``, by default every screen on the stack)."""
        dirty = [s for s in (screens if screens is not None else self.screen_stack)
                 if getattr(s, "is_dirty", lambda: False)()]
        if not dirty:
            proceed()
            return
        from fieldwelfare.screens.screens.confirm import ConfirmScreen

        def answer(ok: bool | None) -> None:
            if ok:
                for screen in dirty:
                    discard = getattr(screen, "discard", None)
                    if discard is not None:
                        discard()
                proceed()

        self.push_screen(ConfirmScreen(t("confirm.discard")), answer)

    def action_go_menu(self) -> None:
        """Ctrl+G: a letter for every screen (terminals often take F1, F10, ...)."""
        from fieldwelfare.screens.screens.go_menu import HELP, GoMenuScreen

        if isinstance(self.screen, GoMenuScreen):
            return

        def chosen(name: str | None) -> None:
            if name == HELP:
                self.action_help()
            elif name:
                self.go(name)

        self.push_screen(GoMenuScreen(self.store.identity.role), chosen)

    def action_switch_language(self) -> None:
        """Save the other language for this database and reopen the UI in it (the command
        line relaunches the app when it returns ``switch_language``)."""
        def switch() -> None:
            self.store.set_meta({"lang": "en" if self.lang == "it" else "it"})
            self.exit(result="switch_language")

        self.leave_then(switch)

    async def action_quit(self) -> None:
        self.leave_then(self.exit)

    def action_help(self) -> None:
        from fieldwelfare.screens.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        self.push_screen(HelpScreen.for_screen(self.screen))

    # ------------------------------------------------------------------ errors
    def notify(self, message: str, *, title: str = "",
               severity: SeverityLevel = "information", timeout: float | None = None,
               markup: bool = True) -> None:
        """Every notification is plain text, whatever ``markup`` says (screens and widgets
        come here too): they quote names, paths, values and refusals that come from records,
        files and other devices. As markup, ``Rossi [/]`` would crash the app and
        ``[@click=app.quit]Mario[/]`` would be a button."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def action_help_quit(self) -> None:
        """Ctrl+C copies in a text field and never quits: say how to quit, in the UI's
        language (Textual's own hint is English markup)."""
        self.notify(t("app.how_to_quit"), title=t("app.quit_question"))

    def report_error(self, error: BaseException) -> None:
        """An error becomes a notification and a log entry; the UI carries on."""
        if isinstance(error, FieldWelfareError):
            log.warning("%s", error)
            message = str(error)
        else:
            log.error("unexpected error", exc_info=error)
            message = t("error.unexpected", error=type(error).__name__,
                        log=str(paths.log_path()))
        self.notify(message, title=t("error.title"), severity="error", timeout=10)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.report_error(event.worker.error)

    async def _dispatch_action(self, namespace: DOMNode, action_name: str,
                               params: Any) -> bool:
        try:
            return await super()._dispatch_action(namespace, action_name, params)
        except Exception as error:
            if self.strict:
                raise
            self.report_error(error)
            return True

    def _handle_exception(self, error: Exception) -> None:
        """Last resort: log the traceback and leave with one sentence, never a traceback."""
        if self.strict:
            super()._handle_exception(error)
            return
        log.critical("unexpected error, closing", exc_info=error)
        self._return_code = 1
        self.exit(return_code=1,  # printed by Rich, which would read markup in a str
                  message=Text(t("error.crash", log=str(paths.log_path()))))

    def action_command_palette(self) -> None:
        """Textual's palette, with our placeholder (its own is English)."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(cast(App[object], self)):
            self.push_screen(CommandPalette(id="--command-palette",
                                            placeholder=t("palette.placeholder")))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's system commands are English (theme, screenshot, ...): ours instead."""
        yield SystemCommand(t("cmd.help"), t("cmd.help.help"), self.action_help)
        yield SystemCommand(t("cmd.quit"), t("cmd.quit.help"), self.action_quit)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        translate_bindings(event.widget)  # Textual's widgets' keys, shown in the footer
        if not self.cursor_blink and hasattr(event.widget, "cursor_blink"):
            event.widget.cursor_blink = False


def _log_to_file() -> None:
    path = paths.log_path()
    if any(getattr(h, "baseFilename", None) == str(path) for h in log.handlers):
        return
    try:
        paths.ensure_parent(path)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
        handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        return
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)


def make_app(
    store: Store,
    *,
    lang: str = "it",
    today: Callable[[], dt.date] | None = None,
    cursor_blink: bool = True,
) -> FieldWelfareApp:
    """The one factory the CLI and the tests use."""
    return FieldWelfareApp(store, lang=lang, today=today, cursor_blink=cursor_blink)
