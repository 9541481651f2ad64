"""A volunteer's card: contacts, what they offer and where; opens their weekly availability."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Checkbox, Header, Input, Select, SelectionList

from fieldwelfare import vocab
from fieldwelfare.errors import NotFound
from fieldwelfare.i18n import t
from fieldwelfare.models import Organisation, Volunteer
from fieldwelfare.screens.messages import Loaded, Saved
from fieldwelfare.screens.screens.base import FwScreen
from fieldwelfare.screens.screens.form import FormMixin
from fieldwelfare.screens.screens.labels import label
from fieldwelfare.screens.widgets import AppFooter, FormField

TEXT_FIELDS = ("given_name", "family_name", "phone", "email")
ORGANISATION_CHOICES = 500
"""Organisations offered in the list (by name); a network has far fewer."""


@dataclass(frozen=True)
class VolunteerData:
    volunteer: Volunteer | None
    organisations: list[tuple[str, str]]


def split_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def keep_order(chosen: list[str], before: list[str]) -> list[str]:
    """The chosen codes, in the order already stored (new ones after): no change for nothing."""
    return [c for c in before if c in chosen] + [c for c in chosen if c not in before]


def comune_options() -> list[tuple[str, str]]:
    return sorted(((c.name, c.istat_code) for c in vocab.comuni().values()),
                  key=lambda pair: pair[0])


class VolunteerFormScreen(FormMixin, FwScreen[str | None]):
    """New (``volunteer_id=None``) or existing volunteer; dismissed with the id once saved."""

    TITLE_KEY = "vol.form.edit"
    CSS_PATH = "../directory.tcss"
    BINDINGS = [("ctrl+s", "save", "key.save"), ("ctrl+o", "availability", "key.availability")]

    def __init__(self, volunteer_id: str | None = None) -> None:
        super().__init__()
        self.volunteer_id = volunteer_id
        self.loaded = False
        self.before: Volunteer | None = None

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield VerticalScroll(id="form", classes="form")
        yield AppFooter()

    def on_mount(self) -> None:
        self.sub_title = t("vol.form.new" if self.volunteer_id is None else "vol.form.edit")
        self._load()

    def title_text(self) -> str:
        return t("vol.form.new" if self.volunteer_id is None else "vol.form.edit")

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load(self) -> None:
        volunteer = None
        if self.volunteer_id is not None:
            try:
                record = self.store.get("volunteer", self.volunteer_id)
            except NotFound:
                self.post_message(Loaded(None))
                return
            volunteer = record if isinstance(record, Volunteer) else None
        organisations = [(o.name, o.id) for o in self.store.list_records(
            "organisation", limit=ORGANISATION_CHOICES, order_by="name")
            if isinstance(o, Organisation)]
        self.post_message(Loaded(VolunteerData(volunteer, organisations)))

    async def on_loaded(self, message: Loaded) -> None:
        if message.payload is None:
            self.notify(t("dir.not_found"), severity="error")
            self.dismiss(None)
            return
        data: VolunteerData = message.payload
        self.before = data.volunteer
        await self.query_one("#form", VerticalScroll).mount_all(self._fields(data))
        self.loaded = True
        self.query_one("#given_name", Input).focus()
        self.call_after_refresh(self.mark_clean)

    def _fields(self, data: VolunteerData) -> list[Any]:
        v = data.volunteer

        def text(name: str) -> FormField:
            value = getattr(v, name, None) if v else None
            return FormField(name, t(f"vol.{name}"), Input("" if value is None else str(value)))

        org = v.organisation_id if v and v.organisation_id else Select.NULL
        skills = SelectionList[str](*(
            (label("category", code), code, bool(v and code in v.skills))
            for code in vocab.codes("category")))
        comuni = SelectionList[str](*(
            (name, code, bool(v and code in v.comuni)) for name, code in comune_options()))
        return [
            Horizontal(text("given_name"), text("family_name"), classes="row"),
            Horizontal(text("phone"), text("email"), classes="row"),
            Horizontal(
                FormField("organisation_id", t("vol.organisation"), Select(
                    [(Text(name), oid) for name, oid in data.organisations],
                    prompt=t("vol.no_org"), value=org)),
                FormField("languages", t("vol.languages"),
                          Input(", ".join(v.languages) if v else "")),
                classes="row"),
            Horizontal(FormField("skills", t("vol.skills"), skills),
                       FormField("comuni", t("vol.comuni"), comuni), classes="row lists"),
            Horizontal(Checkbox(t("vol.has_car"), v.has_car if v else False, id="has_car"),
                       Checkbox(t("vol.active"), v.active if v else True, id="active"),
                       classes="row"),
            Horizontal(Button(t("key.save"), id="save", variant="primary"),
                       Button(t("key.availability"), id="availability"), classes="buttons"),
        ]

    def values(self) -> dict[str, Any]:
        if not self.loaded:
            return {}
        out: dict[str, Any] = {name: self.query_one(f"#{name}", Input).value.strip()
                               for name in (*TEXT_FIELDS, "languages")}
        org = self.query_one("#organisation_id", Select).value
        out["organisation_id"] = None if org is Select.NULL else str(org)
        out["skills"] = sorted(self.query_one("#skills", SelectionList).selected)
        out["comuni"] = sorted(self.query_one("#comuni", SelectionList).selected)
        out["has_car"] = self.query_one("#has_car", Checkbox).value
        out["active"] = self.query_one("#active", Checkbox).value
        return out

    def to_data(self) -> dict[str, Any]:
        raw = self.values()
        data: dict[str, Any] = {name: raw[name] or None for name in TEXT_FIELDS}
        data["languages"] = split_list(raw["languages"])
        for name in ("organisation_id", "has_car", "active"):
            data[name] = raw[name]
        for name in ("skills", "comuni"):
            data[name] = keep_order(raw[name], list(getattr(self.before, name, [])))
        if self.volunteer_id is None:
            data = {k: v for k, v in data.items() if v is not None}
        return data

    # ------------------------------------------------------------------ actions
    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        elif event.button.id == "availability":
            self.action_availability()

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def _save(self, data: dict[str, Any]) -> None:
        self.write_record("volunteer", self.volunteer_id, data,
                          f"{data.get('given_name') or ''} {data.get('family_name') or ''}")

    def on_saved(self, message: Saved) -> None:
        self.notify(t("dir.saved", what=message.summary.strip()))
        self.volunteer_id = message.record_id
        self.sub_title = t("vol.form.edit")
        self.mark_clean()

    def action_availability(self) -> None:
        if self.volunteer_id is None:
            self.notify(t("vol.save_first"), severity="warning")
            return
        from fieldwelfare.screens.screens.availability import AvailabilityScreen

        self.app.push_screen(AvailabilityScreen(self.volunteer_id))
