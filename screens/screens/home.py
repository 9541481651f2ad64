"""Home: what needs attention today, chosen by role, and always the sync state."""

from __future__ import annotations

from dataclasses import dataclass

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.message import Message
from textual.widgets import Header, Static

from fieldwelfare import reports, vocab
from fieldwelfare.i18n import t
from fieldwelfare.models.vocabulary import NeedStatus, ReferralStatus, Urgency
from fieldwelfare.screens.messages import Loaded
from fieldwelfare.screens.screens.base import FwScreen
from fieldwelfare.screens.sync_state import SyncState, read_sync_state, when
from fieldwelfare.screens.widgets import AppFooter

OPEN = [str(NeedStatus.open), str(NeedStatus.in_progress)]

CARDS_BY_ROLE: dict[str, tuple[str, ...]] = {
    "social_worker": ("follow_ups", "open_needs", "urgent_needs", "referrals_sent"),
    "volunteer": ("referrals_sent",),  # a volunteer's device has no needs nor directory
    "coordinator": ("urgent_needs", "open_needs", "referrals_sent", "volunteers_week",
                    "follow_ups"),
}
"""The counts each role sees first; an unknown role sees the coordinator's set."""


class Card(Static, can_focus=True):
    """A count that opens the list behind it (Enter or a click)."""

    BINDINGS = [Binding("enter", "open", "key.open", show=False)]

    @dataclass
    class Opened(Message):
        name: str

    def __init__(self, name: str, count: int) -> None:
        super().__init__(f"[b]{count}[/b]\n{t(f'home.{name}')}", classes=f"card card-{name}",
                         id=f"card-{name}")
        self.name_key = name

    def action_open(self) -> None:
        self.post_message(self.Opened(self.name_key))

    def on_click(self) -> None:
        self.action_open()


LISTS: dict[str, tuple[str, dict[str, str]]] = {
    "open_needs": ("needs", {"status": "active"}),
    "urgent_needs": ("needs", {"status": "active", "urgency": str(Urgency.urgent)}),
    "referrals_sent": ("referrals", {"status": str(ReferralStatus.sent)}),
    "volunteers_week": ("volunteers", {}),  # limited to the card's volunteers, as
    "follow_ups": ("people", {}),  # the people to contact again: see on_card_opened
}
"""The list behind each card (and its filters): the same words, the same count."""


@dataclass(frozen=True)
class HomeData:
    counts: dict[str, int]


@dataclass
class SyncLoaded(Message):
    state: SyncState


class HomeScreen(FwScreen[None]):
    TITLE_KEY = "nav.home"

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Vertical(id="home"):
            yield Static(id="greeting", markup=False)
            yield Grid(id="cards")
            yield Static(id="sync", markup=False)
            yield Static(t("home.card_hint"), classes="hint")
            yield Static(t("home.hint"), classes="hint")
        yield AppFooter()

    def on_screen_resume(self) -> None:
        identity = self.store.identity
        role = vocab.label("role", identity.role, self.fw.lang) if identity.role else ""
        ambito = vocab.label("ambito", identity.ambito, self.fw.lang) if identity.ambito else ""
        day = self.fw.today()
        self.query_one("#greeting", Static).update(t(
            "home.greeting", operator=identity.operator, device=identity.device_name or "",
            role=role, ambito=ambito, date=day.strftime("%d/%m/%Y"),
            weekday=t(f"weekday.{day.weekday()}")))
        self._load()

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load(self) -> None:
        store, today = self.store, self.fw.today()
        role = store.identity.role or "coordinator"
        wanted = CARDS_BY_ROLE.get(role, CARDS_BY_ROLE["coordinator"])
        counters = {
            "open_needs": lambda: store.count("need", where={"status": OPEN}),
            "urgent_needs": lambda: store.count(
                "need", where={"status": OPEN, "urgency": str(Urgency.urgent)}),
            "referrals_sent": lambda: store.count(
                "referral", where={"status": str(ReferralStatus.sent)}),
            "follow_ups": lambda: reports.follow_ups_due(store, today),
            "volunteers_week": lambda: reports.volunteers_available(store, today),
        }
        counts = {name: counters[name]() for name in wanted}
        self.post_message(Loaded(HomeData(counts)))
        # Counting unsent changes reads the change log: it comes after the cards.
        self.post_message(SyncLoaded(read_sync_state(store)))

    async def on_loaded(self, message: Loaded) -> None:
        data: HomeData = message.payload
        grid = self.query_one("#cards", Grid)
        await grid.remove_children()
        await grid.mount_all(Card(name, count) for name, count in data.counts.items())

    def on_card_opened(self, message: Card.Opened) -> None:
        if message.name not in LISTS:
            return
        name, filters = LISTS[message.name]
        if not self.fw.may_open(name):
            return
        today = self.fw.today()
        if name == "needs":
            from fieldwelfare.screens.screens.needs import NeedsScreen

            self.fw.open_screen(NeedsScreen(filters))
        elif name == "referrals":
            from fieldwelfare.screens.screens.referrals import ReferralsScreen

            self.fw.open_screen(ReferralsScreen(filters.get("status")))
        elif message.name == "follow_ups":
            from fieldwelfare.screens.screens.people import PeopleScreen

            people = PeopleScreen()
            people.limit_to(t("home.follow_ups_note"),
                            lambda store: reports.follow_up_people(store, today))
            self.fw.open_screen(people)
        elif message.name == "volunteers_week":
            from fieldwelfare.screens.screens.volunteers import VolunteersScreen

            volunteers = VolunteersScreen()
            volunteers.limit_to(t("home.volunteers_week_note"),
                                lambda store: reports.available_volunteers(store, today))
            self.fw.open_screen(volunteers)

    def on_sync_loaded(self, message: SyncLoaded) -> None:
        state = message.state
        last = when(state.last_sync) if state.last_sync else t("home.never")
        self.query_one("#sync", Static).update(
            t("home.sync", unsent=state.unsent, last=last))
