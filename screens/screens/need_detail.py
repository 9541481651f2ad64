"""One need: what, where, how urgent, its person, its referrals; change status; match."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Header, Label, Static

from fieldwelfare import vocab
from fieldwelfare.errors import InvalidInput
from fieldwelfare.i18n import t
from fieldwelfare.models import Need, Person, Referral
from fieldwelfare.models.vocabulary import NEED_TRANSITIONS, NeedStatus
from fieldwelfare.screens.messages import Loaded, Saved, SaveFailed
from fieldwelfare.screens.screens.base import FwScreen
from fieldwelfare.screens.screens.labels import day, label
from fieldwelfare.screens.screens.referral_rows import target_name
from fieldwelfare.screens.widgets import AppFooter
from fieldwelfare.screens.widgets.steady import SteadyDataTable


@dataclass
class NeedData:
    need: Need
    person: str | None = None
    referrals: list[tuple[Referral, str]] = field(default_factory=list)


def allowed_statuses(current: str) -> list[str]:
    order = list(NeedStatus)
    return [str(s) for s in order if s in NEED_TRANSITIONS[NeedStatus(current)]]


class NeedDetailScreen(FwScreen[None]):
    TITLE_KEY = "need.title"
    BINDINGS = [
        ("s", "status", "key.status"),
        ("m", "match", "key.match"),
        ("p", "person", "key.person"),
    ]

    def __init__(self, need_id: str) -> None:
        super().__init__()
        self.need_id = need_id
        self.need: Need | None = None

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with VerticalScroll(classes="detail"):
            yield Static(id="summary", markup=False)
            yield Label(t("need.description"), classes="section")
            yield Static(id="description", markup=False)
            yield Label(t("person.referrals"), classes="section")
            yield SteadyDataTable(id="referrals", cursor_type="row")
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#referrals", DataTable).add_columns(
            t("col.target"), t("col.status"), t("col.brief"))
        self.query_one("#referrals", DataTable).focus()

    def on_screen_resume(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load(self) -> None:
        store = self.store
        need = store.get("need", self.need_id)
        assert isinstance(need, Need)
        data = NeedData(need)
        if need.person_id:
            person: Any = store.get("person", need.person_id)
            if isinstance(person, Person):
                data.person = f"{person.family_name} {person.given_name}"
        referrals = store.list_records("referral", where={"need_id": need.id}, limit=50)
        data.referrals = [(r, target_name(store, r)) for r in referrals
                          if isinstance(r, Referral)]
        self.post_message(Loaded(data))

    def on_loaded(self, message: Loaded) -> None:
        data: NeedData = message.payload
        need = self.need = data.need
        self.sub_title = t("need.subtitle", category=label("category", need.category),
                           comune=vocab.comune_name(need.comune))
        lines = [
            t("need.line1", area=label("area", need.area), category=label("category",
              need.category), urgency=label("urgency", need.urgency)),
            t("need.line2", status=label("need_status", need.status),
              opened=day(need.opened_on), comune=vocab.comune_name(need.comune)),
        ]
        if need.closed_on:
            lines.append(t("need.closed_on", date=day(need.closed_on)))
        lines.append(t("need.person", person=data.person or t("need.community")))
        self.query_one("#summary", Static).update("\n".join(lines))
        self.query_one("#description", Static).update(need.description or "-")
        table = self.query_one("#referrals", DataTable)
        table.clear()
        for referral, name in data.referrals:
            table.add_row(name, label("referral_status", referral.status),
                          referral.brief.splitlines()[0] if referral.brief else "",
                          key=referral.id)

    def action_status(self) -> None:
        if self.need is None:
            return
        from fieldwelfare.screens.screens.status import StatusScreen

        current = str(self.need.status)

        def chosen(status: str | None) -> None:
            if status:
                self._set_status(status)

        self.app.push_screen(StatusScreen("need_status", current, allowed_statuses(current)),
                             chosen)

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def _set_status(self, status: str) -> None:
        try:
            self.store.update("need", self.need_id, {"status": status})
        except InvalidInput as error:
            self.post_message(SaveFailed(str(error), error.field))
            return
        self.post_message(Saved("need", self.need_id, label("need_status", status)))

    def on_saved(self, message: Saved) -> None:
        self.notify(t("need.status_changed", status=message.summary))
        self._load()

    def on_save_failed(self, message: SaveFailed) -> None:
        self.notify(message.message, severity="error")

    def action_match(self) -> None:
        from fieldwelfare.screens.screens.match import MatchScreen

        self.app.push_screen(MatchScreen(self.need_id))

    def action_person(self) -> None:
        if self.need is not None and self.need.person_id:
            from fieldwelfare.screens.screens.person_detail import PersonDetailScreen

            self.app.push_screen(PersonDetailScreen(self.need.person_id))
