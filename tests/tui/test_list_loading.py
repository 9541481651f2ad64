"""Opening a list reads its first page once and draws it before anything that can wait
(issue #11's speed goals rest on these; bench_tui measures the times)."""

from __future__ import annotations

from typing import Any

import pytest
from dirkit import settle
from tuikit import build_app, seed

from fieldwelfare.screens.screens.needs import NeedsScreen
from fieldwelfare.screens.screens.referrals import ReferralsScreen
from fieldwelfare.screens.widgets import PAGE_SIZE as PAGE
from fieldwelfare.screens.widgets import AppFooter, RecordTable
from fieldwelfare.store import Store


def count_fetches(monkeypatch: pytest.MonkeyPatch, screen: type[Any]) -> list[Any]:
    calls: list[Any] = []
    original = screen.fetch

    def fetch(self: Any, query: Any, offset: int, limit: int, count: bool) -> Any:
        if limit:  # pages (a count only is limit 0)
            calls.append(query)
        return original(self, query, offset, limit, count)

    monkeypatch.setattr(screen, "fetch", fetch)
    return calls


async def test_needs_list_reads_its_first_page_once(tui_store: Store,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    seed(tui_store)
    calls = count_fetches(monkeypatch, NeedsScreen)
    app = build_app(tui_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("f5")
        await settle(app, pilot)
        assert isinstance(app.screen, NeedsScreen)
        assert app.screen.query_one(RecordTable).row_count > 0
        # the six filters mounted after the rows, showing the choice already applied ...
        assert len(app.screen.query("#filters Select")) == 6
        assert len(calls) == 1
        # ... and a choice the user makes still reloads
        app.screen.query_one("#f-urgency").value = "high"
        await settle(app, pilot)
        assert len(calls) == 2
        assert calls[-1][1] == {"status": "active", "urgency": "high"}


async def test_needs_filters_come_when_nothing_is_listed(tui_store: Store) -> None:
    app = build_app(tui_store)  # no needs at all: no rows to wait for
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("f5")
        await settle(app, pilot)
        assert app.screen.query_one(RecordTable).row_count == 0
        assert len(app.screen.query("#filters Select")) == 6


async def test_referrals_list_reads_its_first_page_once(
        tui_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    seed(tui_store)
    calls = count_fetches(monkeypatch, ReferralsScreen)
    app = build_app(tui_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("f6")
        await settle(app, pilot)
        assert isinstance(app.screen, ReferralsScreen)
        assert calls == ["open"]
        app.screen.query_one("#status").value = "all"
        await settle(app, pilot)
        assert calls == ["open", "all"]


async def test_footer_is_rebuilt_only_when_its_keys_change(tui_store: Store) -> None:
    seed(tui_store)
    app = build_app(tui_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("f5")
        await settle(app, pilot)
        footer = app.screen.query_one(AppFooter)
        keys = list(footer.children)
        for _ in range(5):  # what focus changes and mounts do
            app.screen.refresh_bindings()
        await settle(app, pilot)
        assert list(footer.children) == keys  # the same widgets: not rebuilt
        await pilot.press("f6")  # another screen, other keys
        await settle(app, pilot)
        shown = " ".join(str(getattr(k, "description", "")) for k in
                         app.screen.query_one(AppFooter).children)
        assert "Filtro" in shown


async def test_a_long_list_is_counted_up_to_a_cap_and_still_scrolls_to_its_end(
        tui_store: Store) -> None:
    from textual.widgets import Static

    from fieldwelfare.screens.screens.listing import COUNT_CAP

    tui_store.add_many("person", [{"given_name": f"Nome{i}", "family_name": "Rossetti",
                                   "comune": "097042"} for i in range(COUNT_CAP + 30)])
    app = build_app(tui_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("f3")
        await settle(app, pilot)
        await pilot.press(*"rossetti")
        await settle(app, pilot)
        counter = app.screen.query_one("#count", Static)
        assert str(counter.render()) == "50 di oltre 1.000"
        table = app.screen.query_one(RecordTable)
        table.focus()
        for _ in range(40):  # a page each time the cursor nears the end
            if table.row_count == COUNT_CAP + 30:
                break
            table.move_cursor(row=table.row_count - 1)  # what holding "down" does
            await settle(app, pilot)
        assert table.row_count == COUNT_CAP + 30
        assert str(counter.render()) == "1030 di 1030"


async def test_a_full_first_page_is_shown_before_it_is_counted(
        tui_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.widgets import Static

    from fieldwelfare.screens.screens.people import PeopleScreen

    tui_store.add_many("person", [{"given_name": f"Nome{i}", "family_name": "Rossetti",
                                   "comune": "097042"} for i in range(120)])
    calls: list[tuple[int, bool]] = []
    lines: list[str] = []
    fetch, show_count = PeopleScreen.fetch, PeopleScreen.show_count

    def counting_fetch(self: Any, query: Any, offset: int, limit: int, count: bool) -> Any:
        calls.append((limit, count))
        return fetch(self, query, offset, limit, count)

    def recorded_show_count(self: Any) -> None:
        show_count(self)
        lines.append(str(self.query_one("#count", Static).render()))

    monkeypatch.setattr(PeopleScreen, "fetch", counting_fetch)
    monkeypatch.setattr(PeopleScreen, "show_count", recorded_show_count)
    app = build_app(tui_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("f3")
        await settle(app, pilot)
        calls.clear()
        lines.clear()
        await pilot.press(*"rossetti")
        await settle(app, pilot)
        assert (PAGE, False) in calls and (0, True) in calls  # rows, then their count
        assert lines[-2:] == ["50 di …", "50 di 120"]
        calls.clear()
        await pilot.press(*"zz")  # nothing found: a page that is not full counts itself
        await settle(app, pilot)
        assert calls and all(limit for limit, _ in calls)
        assert lines[-1].startswith("Nessun risultato per «rossettizz»")
