"""People: search as you type (full-text, prefix), one page at a time."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Input, Static

from fieldwelfare import vocab
from fieldwelfare.i18n import t
from fieldwelfare.models import Person
from fieldwelfare.screens.screens.base import FwScreen
from fieldwelfare.screens.screens.listing import SearchListing
from fieldwelfare.screens.widgets import AppFooter, RecordTable


def person_row(person: Person) -> tuple[str, list[Any]]:
    return person.id, [
        person.family_name, person.given_name, person.birth_year or "",
        vocab.comune_name(person.comune), person.phone or "",
    ]


class PeopleScreen(SearchListing, FwScreen[None]):
    TITLE_KEY = "nav.people"
    KIND = "person"
    ORDER = "family_name,given_name"
    BINDINGS = [
        ("ctrl+n", "new", "key.new_person"),
        ("ctrl+l", "visit", "key.log_visit"),
        ("ctrl+f", "search", "key.search"),
    ]

    def row(self, record: Any) -> tuple[str, list[Any]]:
        return person_row(record)

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Vertical(classes="list"):
            if self.only_note:
                yield Static(self.only_note, classes="section", markup=False)
            yield Input(placeholder=t("people.search"), id="search", select_on_focus=False)
            yield RecordTable([t("col.family_name"), t("col.given_name"), t("col.birth_year"),
                               t("col.comune"), t("col.phone")], id="table")
            yield Static(id="count", classes="count", markup=False)
        yield AppFooter()

    # ------------------------------------------------------------------ events
    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            from fieldwelfare.screens.screens.person_detail import PersonDetailScreen

            self.app.push_screen(PersonDetailScreen(str(event.row_key.value)))

    def action_new(self) -> None:
        from fieldwelfare.screens.screens.person_form import PersonFormScreen

        self.app.push_screen(PersonFormScreen())

    def action_visit(self) -> None:
        from fieldwelfare.screens.screens.visit_log import VisitLogScreen

        self.app.push_screen(VisitLogScreen(self.list_table().selected_key()))
