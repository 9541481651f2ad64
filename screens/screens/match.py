"""Match a need: ranked volunteers and organisations with their reasons; one key to refer."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Label, Static

from fieldwelfare import matching, vocab
from fieldwelfare.i18n import t
from fieldwelfare.models import Need
from fieldwelfare.screens.messages import Loaded
from fieldwelfare.screens.screens.base import FwScreen
from fieldwelfare.screens.screens.labels import label, number
from fieldwelfare.screens.widgets import AppFooter
from fieldwelfare.screens.widgets.steady import SteadyDataTable

LIMIT = 10


class MatchScreen(FwScreen[None]):
    TITLE_KEY = "match.title"
    BINDINGS = [
        ("r", "refer", "key.refer"),
    ]

    def __init__(self, need_id: str) -> None:
        super().__init__()
        self.need_id = need_id
        self.need: Need | None = None
        self.candidates: dict[str, matching.Candidate] = {}

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Vertical(classes="list"):
            yield Static(id="need", markup=False)
            table = SteadyDataTable(id="candidates", cursor_type="row")
            yield table
            yield Label(t("match.reasons"), classes="section")
            yield Static(id="reasons", markup=False)
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#candidates", DataTable).add_columns(
            "#", t("col.name"), t("col.kind"), t("col.score"))
        self.query_one("#candidates", DataTable).focus()

    def on_screen_resume(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load(self) -> None:
        need = self.store.get("need", self.need_id)
        candidates = matching.match(self.store, self.need_id, limit=LIMIT,
                                    today=self.fw.today())
        self.post_message(Loaded((need, candidates)))

    def on_loaded(self, message: Loaded) -> None:
        need, candidates = message.payload
        self.need = need
        self.query_one("#need", Static).update(t(
            "match.need", category=label("category", need.category),
            comune=vocab.comune_name(need.comune), urgency=label("urgency", need.urgency)))
        table = self.query_one("#candidates", DataTable)
        table.clear()
        self.candidates = {c.id: c for c in candidates}
        for c in candidates:
            table.add_row(str(c.rank), c.name, t(f"match.kind.{c.kind}"), number(c.score),
                          key=c.id)
        if candidates:
            self._show_reasons(candidates[0])
        else:
            self.query_one("#reasons", Static).update(t("match.none"))

    def _show_reasons(self, candidate: matching.Candidate) -> None:
        self.query_one("#reasons", Static).update(
            "\n".join(f"• {reason}" for reason in candidate.reasons))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        candidate = self.candidates.get(str(event.row_key.value))
        if candidate is not None:
            self._show_reasons(candidate)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_refer()

    def selected(self) -> matching.Candidate | None:
        table = self.query_one("#candidates", DataTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return self.candidates.get(str(row_key.value))

    def action_refer(self) -> None:
        candidate = self.selected()
        if candidate is None or self.need is None:
            return
        from fieldwelfare.screens.screens.referral_form import ReferralScreen

        def created(referral_id: str | None) -> None:
            if referral_id:
                self.notify(t("referral.created", name=candidate.name))
                self._load()

        self.app.push_screen(ReferralScreen(self.need, candidate), created)
