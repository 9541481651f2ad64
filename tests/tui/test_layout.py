"""What fits where: footers that say when they are cut, boxes that fit 80x24 (point 12)."""

from __future__ import annotations

from pathlib import Path

from dirkit import referral, settle, volunteer_store
from textual.widgets import DataTable, Static
from tuikit import SIZE, build_app, seed

from fieldwelfare.screens.screens.help import HelpScreen
from fieldwelfare.screens.widgets import AppFooter
from fieldwelfare.store import Store


def footer_keys(app: object) -> list[str]:
    footer = app.screen.query_one(AppFooter)  # type: ignore[attr-defined]
    return [str(getattr(k, "key", "")) for k in footer.children if hasattr(k, "action")]


async def test_footer_starts_with_help_and_says_when_it_is_cut(tmp_path: Path) -> None:
    store, ids = volunteer_store(tmp_path)
    referral(store, ids, "sent")
    app = build_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        footer = app.screen.query_one(AppFooter)
        assert footer_keys(app)[:2] == ["f1", "ctrl+g"]
        assert footer.has_class("-cut")  # the "…" left of ^p
        more = footer.query_one(".more", Static)
        palette = footer.query_one(".-command-palette")
        assert more.display and more.region.right <= palette.region.x  # side by side
        assert palette.region.right == 80  # nothing of the keys below shows after it
    store.close()


async def test_footer_not_cut_where_it_fits(tui_store: Store) -> None:
    seed(tui_store)
    app = build_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f6")
        await settle(app, pilot)
        assert not app.screen.query_one(AppFooter).has_class("-cut")


async def test_help_fits_80x24_and_scrolls(tui_store: Store) -> None:
    seed(tui_store)
    app = build_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f1")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        hint = app.screen.query(".hint").last()
        assert hint.region.bottom <= 24 and hint.region.height >= 1  # nothing lost
        assert table.row_count > table.region.height - 1  # more keys than lines...
        assert table.max_scroll_y > 0  # ...and it scrolls to them
        await pilot.press(*["down"] * table.row_count)
        await settle(app, pilot)
        assert table.scroll_y == table.max_scroll_y


async def test_a_slow_read_shows_the_loading_indicator(tui_store: Store,
                                                       monkeypatch: object) -> None:
    """Point 17: a volunteer's card sat blank for a second; now the indicator shows while
    the store is read, and goes once the data is there."""
    import threading

    from fieldwelfare.screens.screens import base
    from fieldwelfare.screens.screens.volunteer_form import VolunteerFormScreen

    ids = seed(tui_store)
    monkeypatch.setattr(base, "LOADING_DELAY", 0.001)  # type: ignore[attr-defined]
    release = threading.Event()
    real_get = tui_store.get

    def slow_get(kind: str, rid: str) -> object:
        release.wait(5)
        return real_get(kind, rid)

    app = build_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        monkeypatch.setattr(tui_store, "get", slow_get)  # type: ignore[attr-defined]
        app.push_screen(VolunteerFormScreen(ids["giulia"]))
        for _ in range(3):
            await pilot.pause()
        target = app.screen.loading_target()  # type: ignore[attr-defined]
        assert target is not None and target.loading
        release.set()
        await settle(app, pilot)
        assert not target.loading
        assert app.screen.query_one("#given_name").value == "Giulia"  # type: ignore[attr-defined]


async def test_needs_columns_fit_100_and_what_matters_fits_80(tui_store: Store) -> None:
    """All six columns at 100x30; at 80x24 urgency, status, description and category (the
    status had been off-screen even at 100 columns, the description at 80)."""
    from fieldwelfare.screens.screens.needs import NeedsScreen
    from fieldwelfare.screens.widgets import RecordTable

    ids = seed(tui_store)
    tui_store.add("need", {  # the longest cells the list can hold
        "person_id": ids["rossi"], "area": "elderly", "category": "medical_escort",
        "description": "Accompagnamento alle visite di controllo in ospedale a Lecco",
        "comune": "097037", "urgency": "urgent", "status": "in_progress",
        "opened_on": "2025-06-01"})
    for size, shown in (((100, 30), 6), ((80, 24), 4)):
        app = build_app(tui_store)
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            await pilot.press("f5")
            await settle(app, pilot)
            assert isinstance(app.screen, NeedsScreen)
            table = app.screen.query_one(RecordTable)
            labels = [str(c.label) for c in table.ordered_columns]
            assert labels[:4] == ["Urgenza", "Stato", "Descrizione", "Categoria"]
            widths = [c.get_render_width(table) for c in table.ordered_columns]
            assert sum(widths[:shown]) <= table.scrollable_content_region.width, size


async def test_referrals_request_is_on_screen_at_80x24(tui_store: Store) -> None:
    from fieldwelfare.screens.screens.referrals import ReferralsScreen
    from fieldwelfare.screens.widgets import RecordTable

    referral(tui_store, seed(tui_store), "accepted")
    app = build_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f6")
        await settle(app, pilot)
        assert isinstance(app.screen, ReferralsScreen)
        table = app.screen.query_one(RecordTable)
        assert table.row_count > 0
        labels = [str(c.label) for c in table.ordered_columns]
        widths = [c.get_render_width(table) for c in table.ordered_columns]
        end = labels.index("Richiesta") + 1
        # who it goes to and what is asked come before the long category and comune
        # names (at most 14 + 24 + 30 cells): seen whatever the data
        assert labels[:end] == ["Stato", "Destinatario", "Richiesta"]
        assert sum(widths[:end]) <= 80
