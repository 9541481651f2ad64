"""One person: who they are, their visits, needs and referrals."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Header, Label, Static

from fieldwelfare import vocab
from fieldwelfare.errors import NotFound
from fieldwelfare.i18n import t
from fieldwelfare.models import Need, Person, Record, Referral, Visit
from fieldwelfare.screens.messages import Loaded
from fieldwelfare.screens.screens import person_rights as rights
from fieldwelfare.screens.screens.base import FwScreen
from fieldwelfare.screens.screens.labels import day, label, short
from fieldwelfare.screens.screens.referral_rows import target_names, target_of
from fieldwelfare.screens.widgets import AppFooter
from fieldwelfare.screens.widgets.steady import SteadyDataTable

LIMIT = 50


@dataclass
class PersonData:
    person: Person
    visits: list[Visit] = field(default_factory=list)
    needs: list[Need] = field(default_factory=list)
    referrals: list[tuple[Referral, str]] = field(default_factory=list)


def _typed(records: list[Record], kind: type[Any]) -> list[Any]:
    return [r for r in records if isinstance(r, kind)]


class PersonDetailScreen(FwScreen[None]):
    TITLE_KEY = "person.title"
    BINDINGS = [
        ("e", "edit", "key.edit"),
        ("v", "visit", "key.log_visit"),
        ("x", "export", "key.export"),
        ("c", "erase", "key.erase"),
    ]

    def __init__(self, person_id: str) -> None:
        super().__init__()
        self.person_id = person_id
        self.person: Person | None = None
        self._left = False

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with VerticalScroll(classes="detail"):
            yield Static(id="summary", markup=False)
            yield Label(t("person.visits"), classes="section")
            yield SteadyDataTable(id="visits", cursor_type="row")
            yield Label(t("person.needs"), classes="section")
            yield SteadyDataTable(id="needs", cursor_type="row")
            yield Label(t("person.referrals"), classes="section")
            yield SteadyDataTable(id="referrals", cursor_type="row")
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#visits", DataTable).add_columns(
            t("col.date"), t("col.visit_kind"), t("col.follow_up"), t("col.notes"))
        self.query_one("#needs", DataTable).add_columns(
            t("col.opened_on"), t("col.category"), t("col.urgency"), t("col.status"),
            t("col.description"))
        self.query_one("#referrals", DataTable).add_columns(
            t("col.category"), t("col.target"), t("col.status"))
        self.query_one("#needs", DataTable).focus()

    def on_screen_resume(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load(self) -> None:
        store = self.store
        try:
            person = store.get("person", self.person_id)
        except NotFound:  # erased here, or by a sync, while the card was open
            self.post_message(Loaded(None))
            return
        assert isinstance(person, Person)
        data = PersonData(person)
        data.visits = _typed(store.list_records(
            "visit", where={"person_id": self.person_id}, order_by="-date", limit=LIMIT), Visit)
        data.needs = _typed(store.list_records(
            "need", where={"person_id": self.person_id}, order_by="-opened_on", limit=LIMIT),
            Need)
        if data.needs:
            referrals = _typed(store.list_records(
                "referral", where={"need_id": [n.id for n in data.needs]}, limit=LIMIT),
                Referral)
            names = target_names(store, referrals)  # one query, not one per referral
            data.referrals = [(r, target_of(r, names)) for r in referrals]
        self.post_message(Loaded(data))

    def on_loaded(self, message: Loaded) -> None:
        data: PersonData | None = message.payload
        if data is None:
            self._leave(t("person.gone"))
            return
        if self.person is None:  # the read log, once the card is shown (a write: it would
            store, person_id = self.store, self.person_id  # hold the store's lock first)
            self.run_worker(lambda: rights.log_opening(store, person_id), thread=True,
                            group="rights", exit_on_error=False)
        person = self.person = data.person
        self.sub_title = f"{person.family_name} {person.given_name}"
        lines = [
            f"{person.family_name} {person.given_name}"
            + (f" ({person.birth_year})" if person.birth_year else ""),
            t("person.lives", comune=vocab.comune_name(person.comune),
              address=person.address or "-", phone=person.phone or "-"),
        ]
        if person.household_size:
            lines.append(t("person.household", size=person.household_size))
        notice = person.privacy_notice
        lines.append(t("person.privacy", version=notice.version, date=day(notice.given_on),
                       by=notice.given_by) if notice else t("person.no_privacy"))
        self.query_one("#summary", Static).update("\n".join(lines))
        visits = self.query_one("#visits", DataTable)
        visits.clear()
        for visit in data.visits:
            visits.add_row(day(visit.date), label("visit_kind", visit.kind),
                           day(visit.follow_up_on), short(visit.notes), key=visit.id)
        needs = self.query_one("#needs", DataTable)
        needs.clear()
        for need in data.needs:
            needs.add_row(day(need.opened_on), label("category", need.category),
                          label("urgency", need.urgency), label("need_status", need.status),
                          short(need.description, 30), key=need.id)
        referrals = self.query_one("#referrals", DataTable)
        referrals.clear()
        for referral, name in data.referrals:
            referrals.add_row(label("category", referral.category), name,
                              label("referral_status", referral.status), key=referral.id)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a need opens the need, on a referral the referral."""
        if event.row_key.value is None:
            return
        if event.data_table.id == "needs":
            from fieldwelfare.screens.screens.need_detail import NeedDetailScreen

            self.app.push_screen(NeedDetailScreen(str(event.row_key.value)))
        elif event.data_table.id == "referrals":
            from fieldwelfare.screens.screens.referral_detail import ReferralDetailScreen

            self.app.push_screen(ReferralDetailScreen(str(event.row_key.value)))

    def action_edit(self) -> None:
        if self.person is not None:
            from fieldwelfare.screens.screens.person_form import PersonFormScreen

            self.app.push_screen(PersonFormScreen(self.person))

    def action_visit(self) -> None:
        from fieldwelfare.screens.screens.visit_log import VisitLogScreen

        self.app.push_screen(VisitLogScreen(self.person_id))

    # ------------------------------------------------------------ rights (person_rights)
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "erase" and not rights.may_erase(self.store):
            return False  # coordinators only: no key, no footer entry
        return super().check_action(action, parameters)

    def _subject_name(self) -> str:
        person = self.person
        return f"{person.given_name} {person.family_name}" if person else self.person_id

    def action_export(self) -> None:
        rights.start_export(self, self.store, self.person_id, self._subject_name())

    def action_erase(self) -> None:
        rights.start_erase(self, self.store, self.person_id, self._subject_name())

    @on(rights.Exported)
    def _exported(self, message: rights.Exported) -> None:
        self.notify(t("rights.exported", path=message.path))

    @on(rights.ExportFailed)
    def _export_failed(self, message: rights.ExportFailed) -> None:
        self.notify(t("rights.export_failed", error=message.error), severity="error")

    @on(rights.PersonErased)
    def _erased(self, message: rights.PersonErased) -> None:
        self._leave(t("rights.erased", name=message.name))

    def _leave(self, why: str) -> None:
        """Back to the list, once (the erasure and the reload that finds nobody both come
        here, in either order)."""
        if self._left:
            return
        self._left = True
        self.notify(why)
        if self.is_current:
            self.dismiss(None)
