"""One availability slot with exact times. Refusals (overlap, end before start) keep the form
open with the store's message under it."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select

from fieldwelfare.errors import FieldWelfareError
from fieldwelfare.i18n import t
from fieldwelfare.screens.messages import Saved, SaveFailed
from fieldwelfare.screens.screens.base import FwModal
from fieldwelfare.screens.widgets import ErrorLine
from fieldwelfare.screens.widgets.slots import Slot, hhmm, read_time


class SlotFormScreen(FwModal[bool]):
    """Dismissed with True once something was stored (or deleted), False if left."""

    CSS_PATH = "../directory.tcss"
    BINDINGS = [("escape", "cancel", "key.cancel"), ("ctrl+s", "save", "key.save")]

    def __init__(self, volunteer_id: str, weekday: int, hour: int, slot: Slot | None) -> None:
        super().__init__()
        self.volunteer_id = volunteer_id
        self.slot = slot
        self.initial = {"weekday": slot.weekday if slot else weekday,
                        "start": slot.start if slot else hhmm(hour),
                        "end": slot.end if slot else hhmm(hour + 1)}

    def compose(self) -> ComposeResult:
        days = [(t(f"weekday.{d}"), d) for d in range(7)]
        with Vertical(classes="dialog slot-form"):
            yield Label(t("avail.slot"), classes="question")
            with Horizontal(classes="row"):
                with Vertical(classes="form-field"):
                    yield Label(t("avail.weekday"), classes="field-label")
                    yield Select(days, value=self.initial["weekday"], allow_blank=False,
                                 id="weekday")
                with Vertical(classes="form-field"):
                    yield Label(t("avail.start"), classes="field-label")
                    yield Input(str(self.initial["start"]), id="start", max_length=5)
                with Vertical(classes="form-field"):
                    yield Label(t("avail.end"), classes="field-label")
                    yield Input(str(self.initial["end"]), id="end", max_length=5)
            yield ErrorLine(id="slot-error")
            with Horizontal(classes="buttons"):
                yield Button(t("key.save"), id="save", variant="primary")
                if self.slot is not None:
                    yield Button(t("avail.delete"), id="delete", variant="error")
                yield Button(t("key.cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#start", Input).focus()

    def values(self) -> dict[str, Any]:
        return {"weekday": self.query_one("#weekday", Select).value,
                "start": self.query_one("#start", Input).value.strip(),
                "end": self.query_one("#end", Input).value.strip()}

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        elif event.button.id == "delete" and self.slot is not None:
            self._write(None)
        else:
            self.action_cancel()

    def action_save(self) -> None:
        self.query_one("#slot-error", ErrorLine).show(None)
        data = self.values()
        for name in ("start", "end"):
            time = read_time(data[name])
            if time is None:
                self.query_one("#slot-error", ErrorLine).show(
                    t("avail.bad_time", field=t(f"avail.{name}"), value=data[name]))
                self.query_one(f"#{name}", Input).focus()
                return
            data[name] = time
            self.query_one(f"#{name}", Input).value = time  # "9" is shown as read: 09:00
        self._write(data)

    def action_cancel(self) -> None:
        if self.values() == self.initial:
            self.dismiss(False)
            return
        from fieldwelfare.screens.screens.confirm import ConfirmScreen

        def answer(ok: bool | None) -> None:
            if ok:
                self.dismiss(False)

        self.app.push_screen(ConfirmScreen(t("confirm.discard")), answer)

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def _write(self, data: dict[str, Any] | None) -> None:
        try:
            if data is None and self.slot is not None:
                self.store.delete("availability", self.slot.id)
                rid = self.slot.id
            elif self.slot is None:
                rid = self.store.add("availability", {
                    **(data or {}), "volunteer_id": self.volunteer_id,
                    "valid_from": self.fw.today().isoformat()}).id
            else:
                rid = self.store.update("availability", self.slot.id, data or {}).id
        except FieldWelfareError as error:
            self.post_message(SaveFailed(str(error), getattr(error, "field", None)))
            return
        self.post_message(Saved("availability", rid))

    def on_save_failed(self, message: SaveFailed) -> None:
        self.query_one("#slot-error", ErrorLine).show(message.message)
        self.notify(message.message, severity="error", timeout=8)

    def on_saved(self, message: Saved) -> None:
        self.dismiss(True)
