"""Organisations of the network: search as you type, one page at a time."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Input, Static

from fieldwelfare import vocab
from fieldwelfare.i18n import t
from fieldwelfare.models import Organisation
from fieldwelfare.screens.screens.base import FwScreen
from fieldwelfare.screens.screens.labels import label, short
from fieldwelfare.screens.screens.listing import SearchListing
from fieldwelfare.screens.widgets import AppFooter, RecordTable


def organisation_row(o: Organisation) -> tuple[str, list[Any]]:
    return o.id, [
        short(o.name, 34),
        short(label("organisation_kind", o.kind), 22),
        short(", ".join(vocab.comune_name(c) for c in o.comuni), 20),
        short(", ".join(label("category", c) for c in o.categories), 24),
    ]


class OrganisationsScreen(SearchListing, FwScreen[None]):
    TITLE_KEY = "nav.organisations"
    KIND = "organisation"
    ORDER = "name"
    CSS_PATH = "../directory.tcss"
    BINDINGS = [
        ("ctrl+n", "new", "key.new_organisation"),
        ("ctrl+f", "search", "key.search"),
    ]

    def row(self, record: Any) -> tuple[str, list[Any]]:
        return organisation_row(record)

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Vertical(classes="list"):
            yield Input(placeholder=t("org.search"), id="search", select_on_focus=False)
            yield RecordTable([t("org.col.name"), t("org.col.kind"), t("org.col.comuni"),
                               t("org.col.categories")], id="table")
            yield Static(id="count", classes="count", markup=False)
        yield AppFooter()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            from fieldwelfare.screens.screens.organisation_form import OrganisationFormScreen

            self.app.push_screen(OrganisationFormScreen(str(event.row_key.value)))

    def action_new(self) -> None:
        from fieldwelfare.screens.screens.organisation_form import OrganisationFormScreen

        self.app.push_screen(OrganisationFormScreen(None))
