"""A volunteer's own device: their week of availability and the referrals sent to them.

The volunteer record is the store meta key ``volunteer_id``, set when the hub enrolls the
device against the volunteer's record. Until then the screen says so and leads on: enter the
enrollment code, sync, or (when volunteer records are already on the device) pick a name.
"""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, DataTable, Header, Label, Static

from fieldwelfare.errors import NotFound
from fieldwelfare.i18n import t
from fieldwelfare.models.vocabulary import ReferralStatus
from fieldwelfare.screens.messages import Saved
from fieldwelfare.screens.screens.availability_editing import AvailabilityEditing, SlotsLoaded
from fieldwelfare.screens.screens.base import FwScreen
from fieldwelfare.screens.screens.listing import Listing, Rows
from fieldwelfare.screens.screens.referral_actions import ReferralActions, allowed_moves
from fieldwelfare.screens.screens.referral_rows import referral_rows
from fieldwelfare.screens.widgets import AppFooter, RecordTable
from fieldwelfare.screens.widgets.week_grid import WeekGrid

META_KEY = "volunteer_id"
MINE = [ReferralStatus.sent.value, ReferralStatus.accepted.value,
        ReferralStatus.in_progress.value]
"""What a volunteer has to act on: answer, start, complete."""


class Identified(Message):
    """The worker found who this device belongs to (or that nobody is set yet)."""

    def __init__(self, volunteer_id: str | None, *, linked: bool = False,
                 choices: int = 0) -> None:
        super().__init__()
        self.volunteer_id = volunteer_id
        self.linked = linked
        """The device is enrolled for a volunteer whose record has not arrived yet."""
        self.choices = choices
        """Active volunteer records on the device that the user could pick."""


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
        Binding("ctrl+o", "change_me", "key.change_me", show=False),  # rare: in the help
        ("ctrl+e", "enroll", "key.enroll"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.volunteer_id: str | None = None
        self.choices = 0
        self._asked = False

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Vertical(id="link", classes="link"):
            yield Static(id="link-text", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(t("home_vol.enroll"), id="enroll", variant="primary")
                yield Button(t("nav.sync"), id="go-sync")
                yield Button(t("home_vol.pick"), id="pick")
        with Vertical(classes="my-week"):
            yield Static(id="who", classes="section", markup=False)
            yield Static(t("avail.hint"), classes="hint")
            yield WeekGrid(id="grid")
            yield Label(t("home_vol.referrals"), classes="section")
            yield RecordTable([t("ref.col.status"), t("ref.col.brief"), t("ref.col.category"),
                               t("ref.col.comune"), t("ref.col.updated")], id="table")
            yield Static(id="count", classes="count", markup=False)
        yield AppFooter()

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
        linked = volunteer_id is not None
        if volunteer_id is not None:
            try:
                self.store.get("volunteer", volunteer_id)
            except NotFound:
                volunteer_id = None
        choices = 0 if linked else self.store.count("volunteer", where={"active": True})
        self.post_message(Identified(volunteer_id, linked=linked, choices=choices))

    def on_identified(self, message: Identified) -> None:
        linked = message.volunteer_id is not None
        self.set_class(not linked, "-unlinked")
        self.refresh_bindings()
        if not linked:
            self.volunteer_id = None
            self.choices = message.choices
            text = "home_vol.waiting" if message.linked else "home_vol.unlinked"
            self.query_one("#link-text", Static).update(t(text))
            self.query_one("#pick", Button).display = message.choices > 0
            self.query_one("#enroll", Button).focus()
            if message.choices and not message.linked and not self._asked:
                self._asked = True  # offered once; the button and Ctrl+O offer it again
                self._pick()
            return
        self.volunteer_id = message.volunteer_id
        self.query_one(WeekGrid).focus()
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

    def action_enroll(self) -> None:
        """The hub enrolls this device against the volunteer's record: enter its code."""
        from fieldwelfare.screens import registry

        if not registry.ENROLLMENT:
            return

        def enrolled(done: Any) -> None:
            self._identify()

        self.app.push_screen(registry.load_target(registry.ENROLLMENT[0])(), enrolled)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "enroll":
            self.action_enroll()
        elif event.button.id == "go-sync":
            self.fw.go("sync")
        elif event.button.id == "pick":
            self._pick()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("move", "detail"):
            return self.volunteer_id is not None
        if action == "change_me":
            return self.volunteer_id is not None or self.choices > 0
        if action == "enroll":
            return self.volunteer_id is None
        return super().check_action(action, parameters)

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
        return referral_rows(self.store, records, with_target=False), total  # all to them

    def show_count(self) -> None:
        table = self.list_table()
        total = "…" if table.counting else table.total  # its count follows
        self.query_one("#count", Static).update(
            t("list.count", shown=table.row_count, total=total) if table.total
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
