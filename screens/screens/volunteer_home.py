"""A volunteer's own device: their week of availability and the referrals sent to them.

The volunteer record is the store meta key ``volunteer_id`` (set at enrollment). When it is
missing, the volunteer picks their name once and it is saved.
"""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Label, Static

from fieldwelfare.errors import NotFound
from fieldwelfare.i18n import t
from fieldwelfare.models.vocabulary import ReferralStatus
from fieldwelfare.screens.messages import Page, Saved
from fieldwelfare.screens.screens.availability_editing import AvailabilityEditing, SlotsLoaded
from fieldwelfare.screens.screens.base import FwScreen
from fieldwelfare.screens.screens.listing import Listing, Rows
from fieldwelfare.screens.screens.referral_actions import ReferralActions, allowed_moves
from fieldwelfare.screens.screens.referral_rows import referral_rows
from fieldwelfare.screens.widgets import RecordTable
from fieldwelfare.screens.widgets.week_grid import WeekGrid

META_KEY = "volunteer_id"
MINE = [ReferralStatus.sent.value, ReferralStatus.accepted.value,
        ReferralStatus.in_progress.value]
"""What a volunteer has to act on: answer, start, complete."""


class Identified(Message):
    """The worker found who this device belongs to (or that nobody is set yet)."""

    def __init__(self, volunteer_id: str | None) -> None:
        super().__init__()
        self.volunteer_id = volunteer_id


class MoveChecked(Message):
    """The referral's status as stored now, read before moving it."""

    def __init__(self, referral_id: str, status: str, new_status: str) -> None:
        super().__init__()
        self.referral_id = referral_id
        self.status = status
        self.new_status = new_status


class VolunteerHomeScreen(ReferralActions, AvailabilityEditing, Listing, FwScreen[None]):
    TITLE_KEY = "nav.my_week"
    CSS_PATH = "../directory.tcss"
    BINDINGS = [
        Binding("escape", "back", "key.back", show=False),
        ("a", "move('accepted')", "key.accept"),
        ("d", "move('declined')", "key.decline"),
        ("s", "move('in_progress')", "key.start"),
        ("c", "move('completed')", "key.complete"),
        ("enter", "detail", "key.detail"),
        ("ctrl+o", "change_me", "key.change_me"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.volunteer_id: str | None = None

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Vertical(classes="my-week"):
            yield Static(id="who", classes="section", markup=False)
            yield Static(t("avail.hint"), classes="hint")
            yield WeekGrid(id="grid")
            yield Label(t("home_vol.referrals"), classes="section")
            yield RecordTable([t("ref.col.status"), t("ref.col.category"), t("ref.col.comune"),
                               t("ref.col.brief"), t("ref.col.updated")], id="table")
            yield Static(id="count", classes="count")
        yield Footer()

    def on_mount(self) -> None:
        grid = self.query_one(WeekGrid)
        grid.focus()
        grid.move_to(self.fw.today().weekday(), 9)
        self._identify()

    def on_screen_resume(self) -> None:
        if self.volunteer_id is not None:
            self.reload()

    # ------------------------------------------------------------------ who am I
    @work(thread=True, exclusive=True, group="identify", exit_on_error=False)
    def _identify(self, chosen: str | None = None) -> None:
        if chosen is not None:
            self.store.set_meta({META_KEY: chosen})
        volunteer_id = self.store.meta().get(META_KEY)
        if volunteer_id is not None:
            try:
                self.store.get("volunteer", volunteer_id)
            except NotFound:
                volunteer_id = None
        self.post_message(Identified(volunteer_id))

    def on_identified(self, message: Identified) -> None:
        if message.volunteer_id is None:
            self._pick()
            return
        self.volunteer_id = message.volunteer_id
        self.load_slots()
        self.reload()

    def _pick(self) -> None:
        from fieldwelfare.screens.screens.volunteers import VolunteersScreen

        def chosen(volunteer_id: str | None) -> None:
            if volunteer_id:
                self._identify(volunteer_id)

        self.app.push_screen(VolunteersScreen(pick=True), chosen)

    def action_change_me(self) -> None:
        self._pick()

    def slots_shown(self, message: SlotsLoaded) -> None:
        self.query_one("#who", Static).update(t("home_vol.hello", name=message.volunteer_name))

    # ------------------------------------------------------------------ my referrals
    def list_table(self) -> RecordTable:
        return self.query_one("#table", RecordTable)

    def list_query(self) -> str | None:
        return self.volunteer_id

    def fetch(self, query: Any, offset: int, limit: int, count: bool) -> tuple[Rows, int]:
        if query is None:
            return [], 0
        where = {"volunteer_id": str(query), "status": MINE}
        records = self.store.list_records("referral", where=where, limit=limit, offset=offset)
        total = self.store.count("referral", where=where) if count else 0
        rows = referral_rows(self.store, records)
        return [(key, cells[:3] + cells[4:]) for key, cells in rows], total  # not "sent to"

    def page_shown(self, page: Page) -> None:
        table = self.list_table()
        self.query_one("#count", Static).update(
            t("list.count", shown=table.row_count, total=table.total) if table.total
            else t("home_vol.none"))

    # ------------------------------------------------------------------ actions
    def action_move(self, new_status: str) -> None:
        rid = self.list_table().selected_key()
        if rid is None:
            self.notify(t("home_vol.none"), severity="warning")
            return
        self._check_move(rid, new_status)

    @work(thread=True, exclusive=True, group="check-move", exit_on_error=False)
    def _check_move(self, referral_id: str, new_status: str) -> None:
        referral = self.store.get("referral", referral_id)
        self.post_message(MoveChecked(referral_id, str(getattr(referral, "status", "")),
                                      new_status))

    def on_move_checked(self, message: MoveChecked) -> None:
        if message.new_status not in allowed_moves(message.status):
            self.notify(t("home_vol.nothing_to_do"), severity="warning")
            return
        self.move_referral(message.referral_id, message.status, message.new_status)

    def action_detail(self) -> None:
        rid = self.list_table().selected_key()
        if rid is not None:
            from fieldwelfare.screens.screens.referral_detail import ReferralDetailScreen

            self.app.push_screen(ReferralDetailScreen(rid))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_detail()

    def on_saved(self, message: Saved) -> None:
        self.notify(message.summary)
        self.reload()

    def action_back(self) -> None:
        """This is the volunteer's home: nothing below it to go back to."""
