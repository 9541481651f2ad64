"""Volunteers: search as you type, one page at a time. Also the one-time "who are you?" pick
on a volunteer's own device (``pick=True`` dismisses with the chosen id)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Input, Static

from fieldwelfare import vocab
from fieldwelfare.i18n import t
from fieldwelfare.models import Volunteer
from fieldwelfare.screens.screens.base import FwScreen
from fieldwelfare.screens.screens.labels import label, short
from fieldwelfare.screens.screens.listing import SearchListing
from fieldwelfare.screens.widgets import AppFooter, RecordTable


def volunteer_row(v: Volunteer) -> tuple[str, list[Any]]:
    return v.id, [
        f"{v.family_name} {v.given_name}",
        short(", ".join(vocab.comune_name(c) for c in v.comuni), 22),
        short(", ".join(label("category", s) for s in v.skills), 30),
        t("dir.yes") if v.has_car else t("dir.no"),
        t("dir.yes") if v.active else t("dir.no"),
    ]


class VolunteersScreen(SearchListing, FwScreen[str | None]):
    TITLE_KEY = "nav.volunteers"
    KIND = "volunteer"
    ORDER = "family_name,given_name"
    CSS_PATH = "../directory.tcss"
    BINDINGS = [
        ("ctrl+n", "new", "key.new_volunteer"),
        ("ctrl+f", "search", "key.search"),
    ]

    def row(self, record: Any) -> tuple[str, list[Any]]:
        return volunteer_row(record)

    def __init__(self, *, pick: bool = False) -> None:
        super().__init__()
        self.pick = pick

    def list_where(self) -> dict[str, Any] | None:
        return {"active": True} if self.pick else None

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Vertical(classes="list"):
            if self.only_note:
                yield Static(self.only_note, classes="section", markup=False)
            if self.pick:
                yield Static(t("vol.pick"), classes="section")
            yield Input(placeholder=t("dir.search"), id="search", select_on_focus=False)
            yield RecordTable([t("vol.col.name"), t("vol.col.comuni"), t("vol.col.skills"),
                               t("vol.col.car"), t("vol.col.active")], id="table")
            yield Static(id="count", classes="count", markup=False)
        yield AppFooter()

    # ------------------------------------------------------------------ events
    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is None:
            return
        if self.pick:
            self.dismiss(str(event.row_key.value))
            return
        from fieldwelfare.screens.screens.volunteer_form import VolunteerFormScreen

        self.app.push_screen(VolunteerFormScreen(str(event.row_key.value)))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "new" and self.pick:
            return False  # a volunteer's record comes from the hub, never from their device
        if action == "back" and self.pick:
            return True
        return super().check_action(action, parameters)

    def action_new(self) -> None:
        if self.pick:
            return
        from fieldwelfare.screens.screens.volunteer_form import VolunteerFormScreen

        self.app.push_screen(VolunteerFormScreen(None))

    def action_back(self) -> None:
        if self.pick:
            self.dismiss(None)  # back to "my week", which says how to link this device
            return
        super().action_back()
