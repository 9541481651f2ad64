"""Create a referral for a matched candidate, with a brief that carries no personal data."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Static, TextArea

from fieldwelfare import vocab
from fieldwelfare.errors import FieldWelfareError
from fieldwelfare.i18n import t
from fieldwelfare.matching import Candidate
from fieldwelfare.models import Need
from fieldwelfare.models.vocabulary import ReferralStatus
from fieldwelfare.screens.messages import Saved, SaveFailed
from fieldwelfare.screens.screens.base import FwModal
from fieldwelfare.screens.screens.labels import label
from fieldwelfare.screens.widgets import ErrorLine


def suggested_brief(need: Need) -> str:
    """What the volunteer reads first: the task, the place, the urgency. Never who."""
    return t("brief.suggestion", category=label("category", need.category),
             comune=vocab.comune_name(need.comune), urgency=label("urgency", need.urgency))


class ReferralScreen(FwModal[str | None]):
    BINDINGS = [
        ("ctrl+s", "save", "key.save"),
        ("escape", "cancel", "key.cancel"),
    ]

    def __init__(self, need: Need, candidate: Candidate) -> None:
        super().__init__()
        self.need = need
        self.candidate = candidate
        self.suggestion = suggested_brief(need)
        self._discarded = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog referral"):
            yield Static(t("referral.to", name=self.candidate.name,
                           kind=t(f"match.kind.{self.candidate.kind}")), classes="question",
                         markup=False)
            yield Static(t("referral.brief_hint"), classes="hint")
            yield TextArea(self.suggestion, id="brief")
            yield Checkbox(t("referral.send_now"), True, id="send-now")
            yield ErrorLine(id="error")
            with Horizontal(classes="buttons"):
                yield Button(t("referral.create"), id="save", variant="primary")
                yield Button(t("form.cancel"), id="cancel")

    def on_mount(self) -> None:
        brief = self.query_one("#brief", TextArea)
        brief.focus()
        brief.move_cursor(brief.document.end)  # ready to add to the suggestion

    def is_dirty(self) -> bool:
        return not self._discarded and self.query_one("#brief", TextArea).text != self.suggestion

    def discard(self) -> None:
        self._discarded = True

    def values(self) -> dict[str, Any]:
        target = "volunteer_id" if self.candidate.kind == "volunteer" else "organisation_id"
        send = self.query_one("#send-now", Checkbox).value
        return {
            "need_id": self.need.id,
            target: self.candidate.id,
            "brief": self.query_one("#brief", TextArea).text.strip(),
            "status": str(ReferralStatus.sent if send else ReferralStatus.proposed),
        }

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        elif event.button.id == "cancel":
            self.action_cancel()

    def action_save(self) -> None:
        data = self.values()
        self.query_one("#error", ErrorLine).show(None)
        if not data["brief"]:
            self.query_one("#error", ErrorLine).show(t("referral.brief_required"))
            return
        self._save(data)

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def _save(self, data: dict[str, Any]) -> None:
        try:
            referral = self.store.add("referral", data)
        except FieldWelfareError as error:  # refused (no privacy notice, ...): said in the dialog
            self.post_message(SaveFailed(str(error), getattr(error, "field", None)))
            return
        self.post_message(Saved("referral", referral.id))

    def on_save_failed(self, message: SaveFailed) -> None:
        text = message.message
        if message.field and text.startswith(f"{message.field}: "):
            text = text[len(message.field) + 2:]  # the dialog has no field of that name
        if message.field == "status" and ("informativa" in text or "privacy notice" in text):
            text += t("ref.privacy_where")
        self.query_one("#error", ErrorLine).show(text)

    def on_saved(self, message: Saved) -> None:
        self.discard()
        self.dismiss(message.record_id)

    def action_cancel(self) -> None:
        self.fw.leave_then(lambda: self.dismiss(None), [self])
