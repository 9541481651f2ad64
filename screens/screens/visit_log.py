"""Log a visit, the fast path: person, date (today), kind, notes, follow-up, and its needs.

Everything is saved by one worker in one write unit (:func:`fieldwelfare.visits.log_visit`):
the visit and its needs are stored together or not at all; a refused need says why on its
card and the form keeps everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import events, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Header, Input, Label, OptionList, Select, TextArea
from textual.widgets.option_list import Option

from fieldwelfare import vocab
from fieldwelfare.errors import InvalidInput
from fieldwelfare.i18n import t
from fieldwelfare.models import Person
from fieldwelfare.screens.messages import Loaded, Saved, SaveFailed
from fieldwelfare.screens.screens.base import FwScreen
from fieldwelfare.screens.screens.form import FormMixin
from fieldwelfare.screens.screens.labels import day, parse_day
from fieldwelfare.screens.screens.setup import vocab_options
from fieldwelfare.screens.widgets import AppFooter, FormField, NeedRow
from fieldwelfare.visits import NeedRefused, log_visit

PICK_LIMIT = 8


def person_label(person: Person) -> str:
    year = f" ({person.birth_year})" if person.birth_year else ""
    return f"{person.family_name} {person.given_name}{year} · {vocab.comune_name(person.comune)}"


@dataclass
class Found(Message):
    """People matching the picker's text (``generation`` drops stale answers)."""

    generation: int
    people: list[tuple[str, str]]


class VisitLogScreen(FormMixin, FwScreen[None]):
    TITLE_KEY = "nav.visit"
    BINDINGS = [
        ("ctrl+s", "save", "key.save"),
        ("ctrl+n", "add_need", "key.add_need"),
        ("ctrl+o", "new_person", "key.new_person"),
    ]

    def __init__(self, person_id: str | None = None) -> None:
        super().__init__()
        self.person_id = person_id
        """Set once the visit is stored (a later need failed): a retry adds only needs."""
        self._generation = 0

    def compose(self) -> ComposeResult:
        today = self.fw.today()
        yield Header(show_clock=False)
        with VerticalScroll(classes="form"):
            yield FormField("person", t("visit.person"), Vertical(
                Input(placeholder=t("visit.person.hint"), id="person-search", compact=True),
                OptionList(id="person-results", markup=False),
                Button(t("visit.new_person"), id="new-person", compact=True),
                id="person-box"))
            with Horizontal(classes="row"):
                yield FormField("date", t("visit.date"), Input(day(today)))
                yield FormField("kind", t("visit.kind"), Select(
                    vocab_options("visit_kind", self.fw.lang), value="home", allow_blank=False))
                yield FormField("follow_up_on", t("visit.follow_up_on"),
                                Input(placeholder=t("hint.date")))
            yield FormField("notes", t("visit.notes"), TextArea(id="notes"))
            yield Label(t("visit.needs"), classes="section")
            yield Vertical(id="need-rows")
            with Horizontal(classes="buttons"):
                yield Button(t("visit.add_need"), id="add-need")
                yield Button(t("form.save"), id="save", variant="primary")
        yield AppFooter()

    def on_mount(self) -> None:
        if self.person_id is not None:
            self._load_person(self.person_id)
            self.call_after_refresh(lambda: self.query_one("#date", Input).focus())
        else:
            self.call_after_refresh(lambda: self.query_one("#person-search", Input).focus())
        self.call_after_refresh(self.mark_clean)

    # ------------------------------------------------------------------ the person
    @work(thread=True, exclusive=True, group="person", exit_on_error=False)
    def _load_person(self, person_id: str) -> None:
        person = self.store.get("person", person_id)
        assert isinstance(person, Person)
        self.post_message(Loaded(person))

    def on_loaded(self, message: Loaded) -> None:
        person: Person = message.payload
        self.person_id = person.id
        search = self.query_one("#person-search", Input)
        with search.prevent(Input.Changed):
            search.value = person_label(person)
        results = self.query_one("#person-results", OptionList)
        results.clear_options()
        results.display = False

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "person-search":
            self.person_id = None
            self._generation += 1
            self._find(self._generation, event.value)

    @work(thread=True, exclusive=True, group="find", exit_on_error=False)
    def _find(self, generation: int, text: str) -> None:
        people: list[tuple[str, str]] = []
        if text.strip():
            records = self.store.list_records("person", search=text, limit=PICK_LIMIT)
            people = [(p.id, person_label(p)) for p in records if isinstance(p, Person)]
        self.post_message(Found(generation, people))

    def on_found(self, message: Found) -> None:
        if message.generation != self._generation:
            return
        results = self.query_one("#person-results", OptionList)
        results.clear_options()
        results.add_options([Option(label, id=pid) for pid, label in message.people])
        results.display = bool(message.people)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "person-search":
            results = self.query_one("#person-results", OptionList)
            if results.option_count:
                results.highlighted = 0
                results.focus()

    def on_key(self, event: events.Key) -> None:
        """Down from the person search goes into its results, as in any search box."""
        search = self.query_one("#person-search", Input)
        results = self.query_one("#person-results", OptionList)
        if event.key == "down" and search.has_focus and results.option_count:
            results.highlighted = 0
            results.focus()
            event.stop()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self._load_person(event.option.id)
            self.query_one("#date", Input).focus()

    def action_new_person(self) -> None:
        from fieldwelfare.screens.screens.person_form import PersonFormScreen

        def created(person_id: str | None) -> None:
            if person_id:
                self._load_person(person_id)

        self.app.push_screen(PersonFormScreen(), created)

    # ------------------------------------------------------------------ needs
    async def action_add_need(self) -> None:
        rows = self.query_one("#need-rows", Vertical)
        row = NeedRow(len(rows.children) + 1)
        await rows.mount(row)
        row.query_one(Select).focus()
        self.call_after_refresh(row.scroll_visible)

    async def on_need_row_remove_requested(self, message: NeedRow.RemoveRequested) -> None:
        rows = list(self.query(NeedRow))
        index = rows.index(message.row)
        await message.row.remove()
        rest = rows[:index] + rows[index + 1:]
        if rest:  # the focus stays in the needs: the card above, or the next one
            rest[max(index - 1, 0)].query_one(Select).focus()
        else:
            self.query_one("#add-need", Button).focus()
        self._renumber()

    def _renumber(self) -> None:
        for number, row in enumerate(self.query(NeedRow), 1):
            row.renumber(number)

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "add-need":
            await self.action_add_need()
        elif event.button.id == "save":
            self.action_save()
        elif event.button.id == "new-person":
            self.action_new_person()

    # ------------------------------------------------------------------ saving
    def values(self) -> dict[str, Any]:
        return {
            "person_id": self.person_id,
            "date": self.query_one("#date", Input).value.strip(),
            "kind": str(self.query_one("#kind", Select).value),
            "follow_up_on": self.query_one("#follow_up_on", Input).value.strip(),
            "notes": self.query_one("#notes", TextArea).text.strip(),
            "needs": [row.values() for row in self.query(NeedRow) if not row.is_blank()],
        }

    def _visit_data(self, raw: dict[str, Any]) -> dict[str, Any]:
        if not raw["person_id"]:
            raise InvalidInput(t("visit.pick_person"), field="person")
        dates: dict[str, str | None] = {}
        for name in ("date", "follow_up_on"):
            try:
                parsed = parse_day(raw[name])
            except ValueError:
                raise InvalidInput(t("form.bad_date"), field=name) from None
            dates[name] = parsed.isoformat() if parsed else None
        data = {"person_id": raw["person_id"], "date": dates["date"] or self.fw.today().isoformat(),
                "kind": raw["kind"], "notes": raw["notes"] or None,
                "follow_up_on": dates["follow_up_on"]}
        return {k: v for k, v in data.items() if v is not None}

    def action_save(self) -> None:
        self.clear_errors()
        for row in self.query(NeedRow):
            row.set_error(None)
        raw = self.values()
        try:
            visit = self._visit_data(raw)
        except InvalidInput as error:
            self.show_error(error.field, str(error))
            return
        rows = [row for row in self.query(NeedRow) if not row.is_blank()]
        for row, need in zip(rows, raw["needs"], strict=True):
            missing = [name for name in ("area", "category", "description")
                       if not need[name]]
            if missing:
                row.set_error(t("visit.need_missing",
                                fields=", ".join(t(f"need.{name}") for name in missing)))
                if missing[0] == "description":
                    row.query_one(".description", Input).focus()
                else:
                    row.query_one(f".{missing[0]}", Select).focus()
                return
        self._save(visit, raw["needs"])

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def _save(self, visit: dict[str, Any], needs: list[dict[str, Any]]) -> None:
        try:
            visit_id, count = log_visit(self.store, visit, needs)
        except NeedRefused as error:
            self.post_message(NeedFailed(error.number, str(error)))
            return
        except InvalidInput as error:
            self.post_message(SaveFailed(str(error), error.field))
            return
        summary = (t("visit.saved_none") if count == 0 else t("visit.saved_one") if count == 1
                   else t("visit.saved", needs=count))
        self.post_message(Saved("visit", visit_id, summary))

    def on_need_failed(self, message: NeedFailed) -> None:
        """Nothing was stored: the refused need says why, the form keeps everything."""
        rows = [row for row in self.query(NeedRow) if not row.is_blank()]
        rows[message.number - 1].set_error(message.error)
        self.notify(t("visit.need_refused", n=message.number, error=message.error),
                    severity="error", timeout=10)

    def on_saved(self, message: Saved) -> None:
        self.notify(message.summary)
        self.discard()
        self.dismiss(None)


@dataclass
class NeedFailed(Message):
    """Need ``number`` (1-based) was refused; nothing of the visit was stored."""

    number: int
    error: str
