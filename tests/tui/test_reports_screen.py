"""The Reports screen (coordinators) and the import dialog."""

from __future__ import annotations

from pathlib import Path

from dirkit import settle
from textual.widgets import Button, DataTable, Input, Select, Sparkline, Static
from tuikit import SIZE, build_app, seed

from fieldwelfare import demo
from fieldwelfare.screens.screens.import_dialog import ImportScreen
from fieldwelfare.screens.screens.reports import ReportsScreen
from fieldwelfare.screens.widgets.bars import Bars, bar
from fieldwelfare.store import Store


def test_bars_have_eighths() -> None:
    assert bar(10, 10, 4) == "████"
    assert bar(5, 10, 3) == "█▌"
    assert bar(0, 10, 4) == ""


async def test_reports_screen_shows_hidden_cells_bars_and_a_trend(tui_store: Store) -> None:
    demo.populate(tui_store, seed=3, people=80)
    app = build_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.go("reports")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ReportsScreen)
        table = screen.query_one("#report-table", DataTable)
        cells = [str(c) for r in range(table.row_count) for c in table.get_row_at(r)]
        assert table.row_count >= 2 and "Totale" in cells
        assert "<5" in cells
        about = str(screen.query_one("#report-about", Static).render())
        assert "Soglia 5" in about and "portatile-1" in about
        bars = str(screen.query_one("#report-bars", Bars).render())
        assert "Aperti per Area" in bars and "█" in bars
        screen.query_one("#report-by", Select).value = "month"
        await settle(app, pilot)
        trend = screen.query_one("#report-trend", Sparkline)
        assert trend.display and len(list(trend.data or [])) >= 2
        screen.query_one("#report-name", Select).value = "capacity"
        await settle(app, pilot)
        assert screen.report is not None and screen.report.meta.name == "capacity"
        assert "Volontari attivi" in str(screen.query_one("#report-bars", Bars).render())


async def test_reports_screen_in_english(tui_store: Store) -> None:
    seed(tui_store)
    app = build_app(tui_store, "en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.go("reports")
        await settle(app, pilot)
        about = str(app.screen.query_one("#report-about", Static).render())
        assert "Threshold 5" in about and "only the data held on this device" in about


BAD = "nome,cognome,telefono\n,Rossi,333 1234567\nLuca,Bianchi,333 7654321\n"


async def test_import_dialog_checks_then_imports(tui_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "volontari.csv"
    path.write_text(BAD, encoding="utf-8")
    app = build_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.go("import")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        screen.query_one("#import-file", Input).value = str(path)
        screen.query_one("#import-check", Button).press()
        await settle(app, pilot)
        problems = screen.query_one("#import-problems", DataTable)
        assert problems.row_count == 1
        assert [str(c) for c in problems.get_row_at(0)][:2] == ["2", "nome"]
        assert "nulla è stato scritto" in str(screen.query_one("#import-summary",
                                                               Static).render())
        screen.query_one("#import-run", Button).press()
        await settle(app, pilot)
        assert tui_store.count("volunteer") == 0
        screen.query_one("#import-skip-bad").value = True  # type: ignore[attr-defined]
        screen.query_one("#import-run", Button).press()
        await settle(app, pilot)
    assert tui_store.count("volunteer") == 1
