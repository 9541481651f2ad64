"""Referrals: every referral on this device, filtered by status, one page at a time."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Select, Static

from fieldwelfare.i18n import t
from fieldwelfare.models.vocabulary import OPEN_REFERRAL_STATUSES, ReferralStatus
from fieldwelfare.screens.screens.base import FwScreen
from fieldwelfare.screens.screens.labels import label
from fieldwelfare.screens.screens.listing import COUNT_AT_MOST, Listing, Rows
from fieldwelfare.screens.screens.referral_rows import referral_rows
from fieldwelfare.screens.widgets import AppFooter, RecordTable

OPEN = "open"
ALL = "all"


def status_filter(choice: str) -> list[str] | None:
    """The statuses a filter choice lists (None: every status)."""
    if choice == ALL:
        return None
    if choice == OPEN:
        return [s.value for s in ReferralStatus if s in OPEN_REFERRAL_STATUSES]
    return [choice]


class ReferralsScreen(Listing, FwScreen[None]):
    TITLE_KEY = "nav.referrals"
    CSS_PATH = "../directory.tcss"
    BINDINGS = [("ctrl+f", "filter", "key.filter")]

    def __init__(self, status: str | None = None) -> None:
        super().__init__()
        self.initial = status or OPEN

    def compose(self) -> ComposeResult:
        options = [(t("ref.filter.open"), OPEN), (t("ref.filter.all"), ALL)] + [
            (label("referral_status", s.value), s.value) for s in ReferralStatus]
        yield Header(show_clock=False)
        with Vertical(classes="list"):
            yield Select(options, value=self.initial, allow_blank=False, id="status")
            yield RecordTable([t("ref.col.status"), t("ref.col.to"), t("ref.col.brief"),
                               t("ref.col.category"), t("ref.col.comune"),
                               t("ref.col.updated")],
                              id="table")
            yield Static(id="count", classes="count")
        yield AppFooter()

    def on_mount(self) -> None:
        self.list_table().focus()

    def on_screen_resume(self) -> None:
        self.reload()

    # ------------------------------------------------------------------ listing
    def list_table(self) -> RecordTable:
        return self.query_one("#table", RecordTable)

    def list_query(self) -> str:
        return str(self.query_one("#status", Select).value)

    def fetch(self, query: Any, offset: int, limit: int, count: bool) -> tuple[Rows, int]:
        statuses = status_filter(str(query))
        where = {"status": statuses} if statuses else None
        records = self.store.list_records("referral", where=where, limit=limit, offset=offset)
        total = self.store.count("referral", where=where, at_most=COUNT_AT_MOST) if count else 0
        return referral_rows(self.store, records), total

    # ------------------------------------------------------------------ events
    def on_select_changed(self, event: Select.Changed) -> None:
        self.reload(if_changed=True)  # not when the select mounts with its first choice

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            from fieldwelfare.screens.screens.referral_detail import ReferralDetailScreen

            self.app.push_screen(ReferralDetailScreen(str(event.row_key.value)))

    def action_filter(self) -> None:
        self.query_one("#status", Select).focus()
