"""Needs: filters (comune, ambito, area, category, urgency, status) and search, paged."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.widgets import DataTable, Header, Input, Select, Static

from fieldwelfare import vocab
from fieldwelfare.i18n import t
from fieldwelfare.models import Need
from fieldwelfare.screens.messages import Page
from fieldwelfare.screens.screens.base import FwScreen
from fieldwelfare.screens.screens.labels import day, label, short
from fieldwelfare.screens.screens.listing import COUNT_AT_MOST, Listing, Rows
from fieldwelfare.screens.screens.setup import vocab_options
from fieldwelfare.screens.widgets import AppFooter, RecordTable

FILTERS = ("comune", "ambito", "area", "category", "urgency", "status")


def need_row(need: Need) -> tuple[str, list[Any]]:
    return need.id, [  # how urgent, where it stands and what it is first: all six fit at
        label("urgency", need.urgency), short(label("need_status", need.status), 12),
        short(need.description, 25), short(label("category", need.category), 16),
        short(vocab.comune_name(need.comune), 15), day(need.opened_on),
    ]  # 100 columns; at 80, the first four and part of the comune


ACTIVE = "active"
"""The status choice "open or in progress": what home counts as open needs."""
ACTIVE_STATUSES = ["open", "in_progress"]
COLUMNS = ("urgency", "status", "description", "category", "comune", "opened_on")
"""The table's columns as need fields: a click on a header sorts by it."""
DEFAULT_ORDER = "-urgency,opened_on"
"""Most urgent first, then the ones waiting longest."""


def need_where(filters: dict[str, str]) -> dict[str, Any]:
    """Filter choices as a ``where``: the ambito becomes the list of its comuni."""
    where: dict[str, Any] = {k: v for k, v in filters.items() if k != "ambito"}
    if where.get("status") == ACTIVE:
        where["status"] = ACTIVE_STATUSES
    if "ambito" in filters:
        comuni = [c.istat_code for c in vocab.comuni().values()
                  if c.ambito == filters["ambito"]]
        if "comune" in where:
            comuni = [c for c in comuni if c == where["comune"]] or ["-"]
        where["comune"] = comuni
    return where


class NeedsScreen(Listing, FwScreen[None]):
    TITLE_KEY = "nav.needs"
    BINDINGS = [
        ("ctrl+f", "search", "key.search"),
        ("ctrl+r", "reset", "key.reset_filters"),
    ]

    _filters_asked = False
    DEFAULT_FILTERS: dict[str, str] = {"status": ACTIVE}
    """What the list shows before the filters are mounted (and after a reset)."""

    def __init__(self, filters: dict[str, str] | None = None) -> None:
        super().__init__()
        self.initial = dict(self.DEFAULT_FILTERS if filters is None else filters)
        """The filters to open with (home's cards open the list behind their count)."""
        self.order = DEFAULT_ORDER

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Vertical(classes="list"):
            yield Input(placeholder=t("needs.search"), id="search", select_on_focus=False)
            yield Grid(id="filters")
            yield RecordTable([t(f"col.{column}") for column in COLUMNS], id="table")
            yield Static(id="count", classes="count", markup=False)
        yield AppFooter()

    def _filter_selects(self) -> list[Select[str]]:
        lang = self.fw.lang
        comuni = sorted((c.name, c.istat_code) for c in vocab.comuni().values())
        choices = {
            "comune": comuni,
            "ambito": vocab_options("ambito", lang),
            "area": vocab_options("area", lang),
            "category": vocab_options("category", lang),
            "urgency": vocab_options("urgency", lang),
            "status": [(t("needs.active"), ACTIVE), *vocab_options("need_status", lang)],
        }
        return [
            Select(choices[name], prompt=t(f"filter.{name}"), id=f"f-{name}", compact=True,
                   value=self.initial.get(name, Select.NULL))
            for name in FILTERS
        ]

    def on_mount(self) -> None:
        self.list_table().focus()

    def on_screen_resume(self) -> None:
        self.reload()

    # ------------------------------------------------------------------ listing
    def list_table(self) -> RecordTable:
        return self.query_one("#table", RecordTable)

    def list_query(self) -> tuple[str, dict[str, str], str]:
        selects = {str(sel.id)[2:]: sel for sel in self.query("#filters Select").results(Select)}
        if not selects:  # the first page is loaded before the filters are mounted
            return self.query_one("#search", Input).value, dict(self.initial), self.order
        filters = {}
        for name in FILTERS:
            value = selects[name].value
            if value is not Select.NULL:
                filters[name] = str(value)
        return self.query_one("#search", Input).value, filters, self.order

    def fetch(self, query: Any, offset: int, limit: int, count: bool) -> tuple[Rows, int]:
        text, filters, order = query
        search = str(text).strip() or None
        where = need_where(filters)
        records = self.store.list_records("need", where=where, search=search, limit=limit,
                                          offset=offset, order_by=order)
        total = self.store.count("need", where=where, search=search,
                                 at_most=COUNT_AT_MOST) if count else 0
        return [need_row(n) for n in records if isinstance(n, Need)], total

    def page_shown(self, page: Page) -> None:
        filters = self.query_one("#filters", Grid)
        if not filters.children and not self._filters_asked:
            # Six dropdowns cost more than the first page: they come once it is painted.
            self._filters_asked = True
            self.list_table().after_rows_painted(
                lambda: filters.mount_all(self._filter_selects()))
        super().page_shown(page)

    # ------------------------------------------------------------------ events
    def on_select_changed(self, event: Select.Changed) -> None:
        self.reload(if_changed=True)  # not when the filters mount with the shown choices

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        """A click on a column's header sorts by it; a second click reverses."""
        field = COLUMNS[event.column_index]
        self.order = f"-{field}" if self.order == field else field
        self.notify(t("needs.sorted", column=str(event.label)), timeout=3)
        self.reload()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            from fieldwelfare.screens.screens.need_detail import NeedDetailScreen

            self.app.push_screen(NeedDetailScreen(str(event.row_key.value)))

    def action_reset(self) -> None:
        for name in FILTERS:
            select = self.query_one(f"#f-{name}", Select)
            with select.prevent(Select.Changed):
                select.clear()
        self.query_one("#search", Input).value = ""
        self.reload()
