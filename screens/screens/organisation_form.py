"""An organisation's card: name, kind, comuni served, services offered, contact."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Header, Input, Select, SelectionList

from fieldwelfare import vocab
from fieldwelfare.errors import NotFound
from fieldwelfare.i18n import t
from fieldwelfare.models import Organisation
from fieldwelfare.screens.messages import Loaded, Saved
from fieldwelfare.screens.screens.base import FwScreen
from fieldwelfare.screens.screens.form import FormMixin
from fieldwelfare.screens.screens.labels import label
from fieldwelfare.screens.screens.volunteer_form import comune_options, keep_order
from fieldwelfare.screens.widgets import AppFooter, FormField

_NEW = object()


class OrganisationFormScreen(FormMixin, FwScreen[str | None]):
    """New (``organisation_id=None``) or existing organisation; stays open after saving."""

    TITLE_KEY = "org.form.edit"
    CSS_PATH = "../directory.tcss"
    BINDINGS = [("ctrl+s", "save", "key.save")]

    def __init__(self, organisation_id: str | None = None) -> None:
        super().__init__()
        self.organisation_id = organisation_id
        self.loaded = False
        self.before: Organisation | None = None

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield VerticalScroll(id="form", classes="form")
        yield AppFooter()

    def _title(self) -> str:
        return t("org.form.new" if self.organisation_id is None else "org.form.edit")

    def on_mount(self) -> None:
        self.sub_title = self._title()
        if self.organisation_id is None:
            self.post_message(Loaded(_NEW))
        else:
            self._load(self.organisation_id)

    def title_text(self) -> str:
        return self._title()

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load(self, organisation_id: str) -> None:
        try:
            record = self.store.get("organisation", organisation_id)
        except NotFound:
            self.post_message(Loaded(None))
            return
        self.post_message(Loaded(record))

    async def on_loaded(self, message: Loaded) -> None:
        if message.payload is None:
            self.notify(t("dir.not_found"), severity="error")
            self.dismiss(None)
            return
        org = message.payload if isinstance(message.payload, Organisation) else None
        self.before = org
        await self.query_one("#form", VerticalScroll).mount_all(self._fields(org))
        self.loaded = True
        self.query_one("#name", Input).focus()
        self.call_after_refresh(self.mark_clean)

    def _fields(self, o: Organisation | None) -> list[Any]:
        kinds = [(label("organisation_kind", c), c) for c in vocab.codes("organisation_kind")]
        categories = SelectionList[str](*(
            (label("category", c), c, bool(o and c in o.categories))
            for c in vocab.codes("category")))
        comuni = SelectionList[str](*(
            (name, code, bool(o and code in o.comuni)) for name, code in comune_options()))
        return [
            Horizontal(FormField("name", t("org.name"), Input(o.name if o else "")),
                       FormField("kind", t("org.kind"), Select(
                           kinds, prompt="-", value=o.kind if o else Select.NULL)),
                       classes="row"),
            FormField("contact", t("org.contact"), Input(o.contact or "" if o else "")),
            Horizontal(FormField("categories", t("org.categories"), categories),
                       FormField("comuni", t("org.comuni"), comuni), classes="row lists"),
            Horizontal(Button(t("key.save"), id="save", variant="primary"), classes="buttons"),
        ]

    def values(self) -> dict[str, Any]:
        if not self.loaded:
            return {}
        kind = self.query_one("#kind", Select).value
        return {
            "name": self.query_one("#name", Input).value.strip(),
            "kind": None if kind is Select.NULL else str(kind),
            "contact": self.query_one("#contact", Input).value.strip(),
            "categories": sorted(self.query_one("#categories", SelectionList).selected),
            "comuni": sorted(self.query_one("#comuni", SelectionList).selected),
        }

    def to_data(self) -> dict[str, Any]:
        data = self.values()
        data["name"] = data["name"] or None
        data["contact"] = data["contact"] or None
        for name in ("categories", "comuni"):
            data[name] = keep_order(data[name], list(getattr(self.before, name, [])))
        if self.organisation_id is None:
            data = {k: v for k, v in data.items() if v is not None}
        return data

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def _save(self, data: dict[str, Any]) -> None:
        self.write_record("organisation", self.organisation_id, data,
                          str(data.get("name") or ""))

    def on_saved(self, message: Saved) -> None:
        self.notify(t("dir.saved", what=message.summary))
        self.organisation_id = message.record_id
        self.sub_title = self._title()
        self.mark_clean()
