"""What every fieldwelfare screen shares: the store, error reporting, leaving safely."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.worker import Worker, WorkerState

from fieldwelfare.screens.bindings import translate_bindings
from fieldwelfare.store import Store

if TYPE_CHECKING:
    from fieldwelfare.screens.app import FieldWelfareApp

ResultT = TypeVar("ResultT")

LOADING_GROUPS = frozenset({"load", "page", "identify", "slots"})
"""Worker groups that read what a screen shows (see the screens' @work decorators)."""
LOADING_TARGETS = "RecordTable, .detail, .list, .my-week, .availability, .form, #home"
LOADING_DELAY = 0.15
"""Seconds before the indicator appears."""


class _Shared:
    """Mixed into screens and modals (both are Screen subclasses)."""

    TITLE_KEY: ClassVar[str] = ""

    @property
    def fw(self) -> FieldWelfareApp:
        return cast("FieldWelfareApp", cast(Screen[Any], self).app)

    @property
    def store(self) -> Store:
        return self.fw.store

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.fw.report_error(event.worker.error)
        if event.worker.group in LOADING_GROUPS:
            self._show_loading(event.worker)

    def loading_target(self) -> Widget | None:
        """What shows the loading indicator while the screen reads its data."""
        screen = cast(Screen[Any], self)
        found = screen.query(LOADING_TARGETS)
        return found.first() if found else None

    def _reading(self) -> bool:
        """Is one of this screen's reads still to finish? (A worker cancelled before it
        started stays PENDING for ever: it does not count.)"""
        screen = cast(Screen[Any], self)
        return any(w.node is screen and w.group in LOADING_GROUPS and not w.is_cancelled
                   and w.state in (WorkerState.PENDING, WorkerState.RUNNING)
                   for w in screen.app.workers)

    def _show_loading(self, worker: Worker[Any]) -> None:
        """A read that takes longer than a blink shows Textual's loading indicator (a
        quick one shows nothing, so nothing flickers); it goes when no read is left."""
        target = self.loading_target()
        if target is None:
            return
        if worker.state in (WorkerState.PENDING, WorkerState.RUNNING):
            def still_reading() -> None:
                target.loading = self._reading()

            cast(Screen[Any], self).set_timer(LOADING_DELAY, still_reading)
        elif not self._reading():
            target.loading = False

    async def _on_message(self, message: Message) -> None:
        try:
            await super()._on_message(message)  # type: ignore[misc]
        except Exception as error:
            if self.fw.strict:
                raise
            self.fw.report_error(error)


class FwScreen(_Shared, Screen[ResultT]):
    """A full screen. Forms override :meth:`values`; leaving a changed form asks first."""

    BINDINGS = [("escape", "back", "key.back")]

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)
        self._initial: dict[str, Any] | None = None
        self._discarded = False

    def title_text(self) -> str:
        """The header's subtitle; a form that edits or creates says which."""
        from fieldwelfare.i18n import t

        return t(self.TITLE_KEY) if self.TITLE_KEY else ""

    def on_screen_resume(self) -> None:
        # Textual runs this after a subclass's own on_screen_resume: the title comes
        # from title_text, which the subclass overrides
        title = self.title_text()
        if title:
            self.sub_title = title

    # ------------------------------------------------------------------ unsaved data
    def values(self) -> dict[str, Any]:
        """What the user typed (forms only)."""
        return {}

    def mark_clean(self) -> None:
        self._initial = self.values()
        self._discarded = False

    def is_dirty(self) -> bool:
        return self._initial is not None and not self._discarded and \
            self.values() != self._initial

    def discard(self) -> None:
        self._discarded = True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # home and the setup screen have nowhere to go back to
        return not (action == "back" and len(self.app.screen_stack) <= 2)

    def action_back(self) -> None:
        """Back to the previous screen (home stays at the bottom of the stack)."""
        if len(self.app.screen_stack) <= 2:
            return
        self.fw.leave_then(lambda: self.dismiss(None), [self])


class FwModal(_Shared, ModalScreen[ResultT]):
    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)
