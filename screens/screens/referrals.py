"""Referrals: every referral on this device, filtered by status, one page at a time."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Select, Static

from fieldwelfare.i18n import t
from fieldwelfare.models.vocabulary import OPEN_REFERRAL_STATUSES, ReferralStatus
from fieldwelfare.screens.messages import Page
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
        self._filter_asked = False

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Vertical(classes="list"):
            bar = Vertical(id="status-bar")  # the filter comes once the rows are painted
            bar.styles.height = 3
            yield bar
            yield RecordTable([t("ref.col.status"), t("ref.col.to"), t("ref.col.brief"),
                               t("ref.col.category"), t("ref.col.comune"),
                               t("ref.col.updated")],
                              id="table")
            yield Static(id="count", classes="count", markup=False)
        yield AppFooter()

    def on_mount(self) -> None:
        self.list_table().focus()

    def on_screen_resume(self) -> None:
        self.reload()

    # ------------------------------------------------------------------ listing
    def list_table(self) -> RecordTable:
        return self.query_one("#table", RecordTable)

    def list_query(self) -> str:
        for select in self.query("#status").results(Select):
            return str(select.value)
        return self.initial  # the first page is loaded before the filter is mounted

    def page_shown(self, page: Page) -> None:
        bar = self.query_one("#status-bar", Vertical)
        if not bar.children and not self._filter_asked:
            self._filter_asked = True
            self.list_table().after_rows_painted(lambda: bar.mount(self._status_select()))
        super().page_shown(page)

    def _status_select(self) -> Select[str]:
        options = [(t("ref.filter.open"), OPEN), (t("ref.filter.all"), ALL)] + [
            (label("referral_status", s.value), s.value) for s in ReferralStatus]
        return Select(options, value=self.list_query(), allow_blank=False, id="status")

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
        for select in self.query("#status").results(Select):
            select.focus()
