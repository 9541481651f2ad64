"""Add or edit a person, with the privacy notice (version, date, given by)."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Header, Input, Label, Select

from fieldwelfare.errors import InvalidInput
from fieldwelfare.i18n import t
from fieldwelfare.models import Person
from fieldwelfare.screens.messages import Saved
from fieldwelfare.screens.screens.base import FwScreen
from fieldwelfare.screens.screens.form import FormMixin
from fieldwelfare.screens.screens.labels import day, parse_day
from fieldwelfare.screens.screens.setup import vocab_options
from fieldwelfare.screens.widgets import AppFooter, ComuneInput, FormField, comune_code

TEXT_FIELDS = ("given_name", "family_name", "birth_year", "fiscal_code", "address", "phone",
               "household_size", "notes")


class PersonFormScreen(FormMixin, FwScreen[str | None]):
    """Dismissed with the person's id once saved (None if left)."""

    TITLE_KEY = "person_form.title"
    BINDINGS = [("ctrl+s", "save", "key.save")]

    def __init__(self, person: Person | None = None) -> None:
        super().__init__()
        self.person = person

    def compose(self) -> ComposeResult:
        p = self.person
        lang = self.fw.lang

        def text(name: str, hint: str = "") -> FormField:
            value = getattr(p, name, None) if p else None
            return FormField(name, t(f"person.{name}"),
                             Input("" if value is None else str(value), placeholder=hint))

        yield Header(show_clock=False)
        with VerticalScroll(classes="form"):
            with Horizontal(classes="row"):
                yield text("family_name")
                yield text("given_name")
            with Horizontal(classes="row"):
                yield text("birth_year", t("hint.year"))
                yield FormField("sex", t("person.sex"), Select(
                    vocab_options("sex", lang), prompt="-",
                    value=str(p.sex) if p and p.sex else Select.NULL))
                yield text("fiscal_code")
            with Horizontal(classes="row"):
                yield FormField("comune", t("person.comune"), ComuneInput(
                    p.comune if p else None, placeholder=t("hint.comune")))
                yield text("address")
            with Horizontal(classes="row"):
                yield text("phone")
                yield text("household_size")
                yield FormField("languages", t("person.languages"), Input(
                    ", ".join(p.languages) if p else "", placeholder=t("hint.languages")))
            yield text("notes")
            yield Label(t("person.privacy_notice"), classes="section")
            notice = p.privacy_notice if p else None
            with Horizontal(classes="row"):
                yield FormField("privacy_notice.version", t("privacy.version"), Input(
                    notice.version if notice else "", placeholder=t("hint.privacy_version")))
                yield FormField("privacy_notice.given_on", t("privacy.given_on"), Input(
                    day(notice.given_on) if notice else "", placeholder=t("hint.date")))
                yield FormField("privacy_notice.given_by", t("privacy.given_by"), Input(
                    notice.given_by if notice else self.store.identity.operator))
            with Horizontal(classes="buttons"):
                yield Button(t("form.save"), id="save", variant="primary")
        yield AppFooter()

    def title_text(self) -> str:
        return t("person_form.title" if self.person is None else "person_form.edit")

    def on_mount(self) -> None:
        self.sub_title = self.title_text()
        self.query_one("#family_name", Input).focus()
        self.mark_clean()

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in (*TEXT_FIELDS, "languages", "comune", "privacy_notice-version",
                     "privacy_notice-given_on", "privacy_notice-given_by"):
            out[name] = self.query_one(f"#{name}", Input).value.strip()
        sex = self.query_one("#sex", Select).value
        out["sex"] = None if sex is Select.NULL else str(sex)
        return out

    def to_data(self) -> dict[str, Any]:
        """The record to store; raises InvalidInput for what the store cannot judge."""
        raw = self.values()
        data: dict[str, Any] = {name: raw[name] or None for name in TEXT_FIELDS}
        data["sex"] = raw["sex"]
        data["languages"] = [x.strip() for x in raw["languages"].split(",") if x.strip()]
        code = comune_code(raw["comune"])
        if raw["comune"] and code is None:
            raise InvalidInput(t("form.unknown_comune", name=raw["comune"]), field="comune")
        data["comune"] = code
        version, given_on = raw["privacy_notice-version"], raw["privacy_notice-given_on"]
        if version or given_on:
            try:
                when = parse_day(given_on) or self.fw.today()
            except ValueError:
                raise InvalidInput(t("form.bad_date"), field="privacy_notice.given_on") from None
            data["privacy_notice"] = {"version": version, "given_on": when.isoformat(),
                                      "given_by": raw["privacy_notice-given_by"]}
        else:
            data["privacy_notice"] = None
        if self.person is None:
            data = {k: v for k, v in data.items() if v not in (None, [])}
        return data

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def _save(self, data: dict[str, Any]) -> None:
        self.write_record("person", None if self.person is None else self.person.id, data)

    def on_saved(self, message: Saved) -> None:
        self.notify(t("person_form.saved"))
        self.discard()
        self.dismiss(message.record_id)
