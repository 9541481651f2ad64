"""Organisations of the network: search as you type, one page at a time."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Header, Input, Static

from fieldwelfare import vocab
from fieldwelfare.i18n import t
from fieldwelfare.models import Organisation
from fieldwelfare.screens.screens.base import FwScreen
from fieldwelfare.screens.screens.labels import label, short
from fieldwelfare.screens.screens.listing import Listing, Rows
from fieldwelfare.screens.widgets import RecordTable


def organisation_row(o: Organisation) -> tuple[str, list[Any]]:
    return o.id, [
        short(o.name, 34),
        short(label("organisation_kind", o.kind), 22),
        short(", ".join(vocab.comune_name(c) for c in o.comuni), 20),
        short(", ".join(label("category", c) for c in o.categories), 24),
    ]


class OrganisationsScreen(Listing, FwScreen[None]):
    TITLE_KEY = "nav.organisations"
    CSS_PATH = "../directory.tcss"
    BINDINGS = [
        ("ctrl+n", "new", "key.new_organisation"),
        ("ctrl+f", "search", "key.search"),
    ]

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Vertical(classes="list"):
            yield Input(placeholder=t("org.search"), id="search")
            yield RecordTable([t("org.col.name"), t("org.col.kind"), t("org.col.comuni"),
                               t("org.col.categories")], id="table")
            yield Static(id="count", classes="count")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#search", Input).focus()

    def on_screen_resume(self) -> None:
        self.reload()

    def list_table(self) -> RecordTable:
        return self.query_one("#table", RecordTable)

    def list_query(self) -> str:
        return self.query_one("#search", Input).value

    def fetch(self, query: Any, offset: int, limit: int, count: bool) -> tuple[Rows, int]:
        search = str(query).strip() or None
        order = None if search else "name"
        records = self.store.list_records("organisation", search=search, limit=limit,
                                          offset=offset, order_by=order)
        total = self.store.count("organisation", search=search) if count else 0
        return [organisation_row(o) for o in records if isinstance(o, Organisation)], total

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            from fieldwelfare.screens.screens.organisation_form import OrganisationFormScreen

            self.app.push_screen(OrganisationFormScreen(str(event.row_key.value)))

    def action_new(self) -> None:
        from fieldwelfare.screens.screens.organisation_form import OrganisationFormScreen

        self.app.push_screen(OrganisationFormScreen(None))
