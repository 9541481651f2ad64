"""One referral: what was asked, to whom, its history, and the status changes allowed now."""

from __future__ import annotations

from dataclasses import dataclass

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, DataTable, Header, Label, Static

from fieldwelfare import vocab
from fieldwelfare.errors import NotFound
from fieldwelfare.i18n import t
from fieldwelfare.models import Need, Referral
from fieldwelfare.screens.messages import Loaded, Saved, SaveFailed
from fieldwelfare.screens.screens.base import FwScreen
from fieldwelfare.screens.screens.labels import label, short
from fieldwelfare.screens.screens.referral_actions import ReferralActions, allowed_moves
from fieldwelfare.screens.screens.referral_rows import target_names, target_of
from fieldwelfare.screens.widgets import AppFooter
from fieldwelfare.screens.widgets.steady import SteadyDataTable


@dataclass(frozen=True)
class ReferralView:
    referral: Referral
    target: str
    need: str


def when(stamp: str) -> str:
    """``2026-03-02T09:15:00.000Z`` as ``02/03/2026 09:15`` (UTC, as stored)."""
    return f"{stamp[8:10]}/{stamp[5:7]}/{stamp[0:4]} {stamp[11:16]}" if len(stamp) >= 16 else stamp


MOVE_KEYS = {"sent": "i", "accepted": "a", "declined": "d", "in_progress": "s",
             "completed": "c", "cancelled": "x"}
"""One letter per move (as on a volunteer's week), shown only while the move is allowed."""


class ReferralDetailScreen(ReferralActions, FwScreen[None]):
    TITLE_KEY = "ref.detail"
    CSS_PATH = "../directory.tcss"
    BINDINGS = [
        (MOVE_KEYS["sent"], "move('sent')", "key.send"),
        (MOVE_KEYS["accepted"], "move('accepted')", "key.accept"),
        (MOVE_KEYS["declined"], "move('declined')", "key.decline"),
        (MOVE_KEYS["in_progress"], "move('in_progress')", "key.start"),
        (MOVE_KEYS["completed"], "move('completed')", "key.complete"),
        (MOVE_KEYS["cancelled"], "move('cancelled')", "key.cancel_referral"),
    ]

    def __init__(self, referral_id: str) -> None:
        super().__init__()
        self.referral_id = referral_id
        self.current: ReferralView | None = None

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with VerticalScroll(classes="detail", can_focus=False):  # no invisible focus stop
            yield Static(id="summary", markup=False)
            yield Label(t("ref.history"), classes="section")
            yield SteadyDataTable(id="history", cursor_type="row", zebra_stripes=True)
            yield Label(t("ref.actions"), classes="section", id="actions-label",
                        markup=False)
            yield Horizontal(id="actions", classes="buttons")
        yield AppFooter()

    def on_mount(self) -> None:
        table = self.query_one("#history", DataTable)
        table.add_columns(t("ref.col.at"), t("ref.col.status"), t("ref.col.by"),
                          t("ref.col.note"))
        self._load()

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load(self) -> None:
        try:
            referral = self.store.get("referral", self.referral_id)
        except NotFound:
            self.post_message(Loaded(None))
            return
        assert isinstance(referral, Referral)
        target = target_of(referral, target_names(self.store, [referral]))
        try:
            need = self.store.get("need", referral.need_id)
            need_text = need.description if isinstance(need, Need) else ""
        except NotFound:
            need_text = t("ref.need_hidden")
        self.post_message(Loaded(ReferralView(referral, target, need_text)))

    async def on_loaded(self, message: Loaded) -> None:
        if message.payload is None:
            self.notify(t("dir.not_found"), severity="error")
            self.dismiss(None)
            return
        self.current = view = message.payload
        r = view.referral
        lines = [
            f"{t('ref.col.status')}: {label('referral_status', r.status)}",
            f"{t('ref.col.category')}: {label('category', r.category)}"
            f"   {t('ref.col.comune')}: {vocab.comune_name(r.comune) if r.comune else ''}",
            f"{t('ref.to')}: {view.target}",
            f"{t('ref.brief')}: {r.brief}",
            f"{t('ref.need')}: {short(view.need, 200)}",
        ]
        if r.outcome:
            lines.append(f"{t('ref.outcome')}: {r.outcome}")
        if r.reason:
            lines.append(f"{t('ref.reason')}: {r.reason}")
        self.query_one("#summary", Static).update("\n".join(lines))
        table = self.query_one("#history", DataTable)
        table.clear()
        for event in r.history:
            table.add_row(when(event.at), label("referral_status", event.status), event.by,
                          event.note or "")
        await self._show_actions(r.status)

    async def _show_actions(self, status: str) -> None:
        actions = self.query_one("#actions", Horizontal)
        await actions.remove_children()
        moves = allowed_moves(status)
        self.query_one("#actions-label", Label).update(
            t("ref.actions") if moves else t("ref.no_actions"))
        await actions.mount_all(
            Button(f"{label('referral_status', move)} ({MOVE_KEYS[move]})", id=f"to-{move}",
                   variant="error" if move in ("declined", "cancelled") else "primary")
            for move in moves)

        if moves:  # the focus stays on the moves, move after move
            self.query_one(f"#to-{moves[0]}", Button).focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "move":
            return (self.current is not None and bool(parameters)
                    and str(parameters[0]) in allowed_moves(self.current.referral.status))
        return super().check_action(action, parameters)

    def action_move(self, new_status: str) -> None:
        if self.current is not None:
            self.move_referral(self.referral_id, self.current.referral.status, new_status)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        button_id = event.button.id or ""
        if button_id.startswith("to-"):
            self.action_move(button_id[3:])

    def on_saved(self, message: Saved) -> None:
        self.notify(message.summary)
        self._load()

    def on_save_failed(self, message: SaveFailed) -> None:
        self.notify(message.message, severity="error")
