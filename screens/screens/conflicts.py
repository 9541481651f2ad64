"""Conflicts: two edits of the same field made without seeing each other. Side by side, the
value in use and the one set aside, who and when; keep one or the other."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Header, Label, Static

from fieldwelfare.errors import FieldWelfareError, NotFound
from fieldwelfare.hlc import parse_stamp
from fieldwelfare.i18n import catalogue, t
from fieldwelfare.models import Record
from fieldwelfare.screens.messages import Loaded, Saved, SaveFailed
from fieldwelfare.screens.screens.base import FwScreen
from fieldwelfare.screens.screens.labels import label, short
from fieldwelfare.screens.widgets import AppFooter
from fieldwelfare.screens.widgets.steady import SteadyDataTable
from fieldwelfare.store import Store, hubstate
from fieldwelfare.store.replication import Conflict, list_conflicts, resolve_conflict

CSS_FILE = "../directory.tcss"


@dataclass(frozen=True)
class ConflictView:
    conflict: Conflict
    record: str
    field: str
    current_who: str
    other_who: str


def show_value(value: Any) -> str:
    if value is None or value == "" or value == []:
        return t("conf.empty")
    if isinstance(value, bool):
        return t("dir.yes") if value else t("dir.no")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def stamp_time(stamp: str) -> str:
    wall_ms, _ = parse_stamp(stamp)
    moment = dt.datetime.fromtimestamp(wall_ms / 1000, dt.UTC)
    return moment.strftime("%d/%m/%Y %H:%M UTC")


def record_label(record: Record) -> str:
    data = record.model_dump()
    if "family_name" in data:
        return f"{data['family_name']} {data['given_name']}"
    if "name" in data:
        return str(data["name"])
    if "weekday" in data:
        day = t("weekday.{}".format(data["weekday"]))
        return f"{day} {data['start']}-{data['end']}"
    if "category" in data:
        text = data.get("brief") or data.get("description") or ""
        return f"{label('category', data['category'])} {short(text, 24)}"
    return str(data.get("date") or "")


def field_label(tbl: str, field: str) -> str:
    key = f"{tbl}.{field}"
    return t(key) if key in catalogue() else field


def who(store: Store, origin: str, operator: str | None = None) -> str:
    """The operator (when the change log knows it) and the device that made a value."""
    if origin == store.identity.device_id:
        device = t("conf.this_device")
    else:
        known = hubstate.device_by_id(store, origin)
        device = str(known["name"]) if known is not None else t("conf.device", id=origin[-6:])
    return t("conf.operator_on", operator=operator, device=device) if operator else device


def describe(store: Store, conflict: Conflict) -> ConflictView:
    kind = t(f"conf.kind.{conflict.tbl}") if f"conf.kind.{conflict.tbl}" in catalogue() \
        else conflict.tbl
    try:
        record = f"{kind}: {record_label(store.get(conflict.tbl, conflict.rid))}"
    except NotFound:
        record = kind
    return ConflictView(conflict, record, field_label(conflict.tbl, conflict.field),
                        who(store, conflict.current_origin, conflict.current_operator),
                        who(store, conflict.other_origin, conflict.other_operator))


class ConflictsScreen(FwScreen[None]):
    TITLE_KEY = "nav.conflicts"
    CSS_PATH = CSS_FILE
    BINDINGS = [("1", "keep('current')", "key.keep_current"),
                ("2", "keep('other')", "key.keep_other")]

    def __init__(self) -> None:
        super().__init__()
        self.views: dict[str, ConflictView] = {}

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Vertical(classes="conflicts"):
            yield Static(id="none", classes="hint", markup=False)
            yield SteadyDataTable(id="list", cursor_type="row", zebra_stripes=True)
            with Horizontal(id="sides"):
                with Vertical(classes="side", id="current"):
                    yield Label(t("conf.current"), classes="section")
                    yield Static(id="current-value", classes="value", markup=False)
                    yield Static(id="current-who", classes="who", markup=False)
                    yield Button(t("key.keep_current") + " (1)", id="keep-current",
                                 variant="primary")
                with Vertical(classes="side", id="other"):
                    yield Label(t("conf.other"), classes="section")
                    yield Static(id="other-value", classes="value", markup=False)
                    yield Static(id="other-who", classes="who", markup=False)
                    yield Button(t("key.keep_other") + " (2)", id="keep-other",
                                 variant="warning")
        yield AppFooter()

    def on_mount(self) -> None:
        table = self.query_one("#list", DataTable)
        table.add_columns(t("conf.col.record"), t("conf.col.field"), t("conf.col.current"),
                          t("conf.col.other"))
        table.focus()
        self._load()

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load(self) -> None:
        views = [describe(self.store, c) for c in list_conflicts(self.store, status="open")]
        self.post_message(Loaded(views))

    def on_loaded(self, message: Loaded) -> None:
        views: list[ConflictView] = message.payload
        self.views = {v.conflict.id: v for v in views}
        table = self.query_one("#list", DataTable)
        table.clear()
        for v in views:
            table.add_row(short(v.record, 30), short(v.field, 16),
                          short(show_value(v.conflict.current_value), 20),
                          short(show_value(v.conflict.other_value), 20), key=v.conflict.id)
        self.query_one("#none", Static).update("" if views else t("conf.none"))
        self.query_one("#sides").display = bool(views)
        table.display = bool(views)
        self._show(self._selected())

    def _selected(self) -> ConflictView | None:
        table = self.query_one("#list", DataTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return self.views.get(str(row_key.value))

    def _show(self, view: ConflictView | None) -> None:
        if view is None:
            return
        c = view.conflict
        self.query_one("#current-value", Static).update(
            f"{view.record}\n{view.field}: {show_value(c.current_value)}")
        self.query_one("#other-value", Static).update(
            f"{view.record}\n{view.field}: {show_value(c.other_value)}")
        self.query_one("#current-who", Static).update(
            t("conf.who_when", origin=view.current_who, when=stamp_time(c.current_hlc)))
        self.query_one("#other-who", Static).update(
            t("conf.who_when", origin=view.other_who, when=stamp_time(c.other_hlc)))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show(self._selected())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "keep-current":
            self.action_keep("current")
        elif event.button.id == "keep-other":
            self.action_keep("other")

    def action_keep(self, side: str) -> None:
        view = self._selected()
        if view is None:
            return
        kept = view.conflict.current_value if side == "current" else view.conflict.other_value
        self._resolve(view.conflict.id, "current" if side == "current" else "other",
                      show_value(kept))

    @work(thread=True, exclusive=True, group="resolve", exit_on_error=False)
    def _resolve(self, conflict_id: str, keep: Any, shown: str) -> None:
        try:
            resolve_conflict(self.store, conflict_id, keep)
        except FieldWelfareError as error:
            self.post_message(SaveFailed(str(error), getattr(error, "field", None)))
            return
        self.post_message(Saved("conflict", conflict_id, t("conf.resolved", value=shown)))

    def on_saved(self, message: Saved) -> None:
        self.notify(message.summary)
        self._load()

    def on_save_failed(self, message: SaveFailed) -> None:
        self.notify(message.message, severity="error")
        self._load()
