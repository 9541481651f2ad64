"""The person screen's rights actions: opening the card is logged (via tui), export writes
the file through the core and says where, erase is for coordinators only, asks a reason
and confirmation, and leaves the screen with the person gone."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from textual.widgets import Button, Input, Select
from tuikit import SIZE, build_app, open_tui_store, seed, tui_clock

from fieldwelfare.cli import cli
from fieldwelfare.screens.app import FieldWelfareApp
from fieldwelfare.screens.screens.people import PeopleScreen
from fieldwelfare.screens.screens.person_detail import PersonDetailScreen
from fieldwelfare.screens.screens.person_rights import EraseDialog, ExportDialog
from fieldwelfare.store import Store, open_store
from fieldwelfare.store.accesslog import accesses

Factory = Callable[..., FieldWelfareApp]


async def settle(app: FieldWelfareApp, pilot: Any) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


def last_seq(store: Store) -> int:
    return int(store.execute_read("SELECT coalesce(max(seq), 0) FROM change")[0][0])


def enabled_keys(app: FieldWelfareApp) -> set[str]:
    """The keys the footer and help offer on the current screen."""
    return {key for key, active in app.screen.active_bindings.items() if active.enabled}


def messages(app: FieldWelfareApp) -> list[str]:
    return [n.message for n in app._notifications]


async def open_person(app: FieldWelfareApp, pilot: Any, person_id: str) -> None:
    await settle(app, pilot)
    app.push_screen(PersonDetailScreen(person_id))
    await settle(app, pilot)


async def test_opening_a_card_is_in_person_accesses(tmp_path: Path) -> None:
    path = tmp_path / "plain.db"  # unencrypted, so the CLI opens it without a passphrase
    store = open_store(path, clock=tui_clock())
    store.set_identity(device_name="portatile-1", operator="Anna Bianchi",
                       role="social_worker", ambito="Lecco")
    ids = seed(store)
    app = build_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await open_person(app, pilot, ids["rossi"])
    (entry,) = accesses(store, ids["rossi"])
    assert (entry["via"], entry["by"]) == ("tui", "Anna Bianchi")
    assert accesses(store, ids["ferrari"]) == []
    store.close()
    result = CliRunner().invoke(cli, ["--db", str(path), "person", "accesses", ids["rossi"],
                                      "--json"])
    assert result.exit_code == 0, result.output
    assert [(e["via"], e["by"]) for e in json.loads(result.stdout)] == [("tui",
                                                                         "Anna Bianchi")]


async def test_export_writes_the_file_and_says_where(tui_store: Store, app_factory: Factory,
                                                     tmp_path: Path) -> None:
    ids = seed(tui_store)
    app = app_factory()
    out = tmp_path / "rossi.html"
    async with app.run_test(size=SIZE) as pilot:
        await open_person(app, pilot, ids["rossi"])
        await pilot.press("x")
        await settle(app, pilot)
        assert isinstance(app.screen, ExportDialog)
        app.screen.query_one("#export-path", Input).value = str(out)
        app.screen.query_one("#export-format", Select).value = "json"
        await pilot.pause()
        assert app.screen.query_one("#export-path", Input).value == str(out.with_suffix(".json"))
        await pilot.click("#ok")
        await settle(app, pilot)
        assert isinstance(app.screen, PersonDetailScreen)
        written = out.with_suffix(".json")
        assert f"Dati esportati in {written}" in messages(app)
    report = json.loads(written.read_text(encoding="utf-8"))
    assert report["person"]["id"] == ids["rossi"]
    assert [a["via"] for a in report["accesses"]] == ["tui", "export"]  # opened, exported


async def test_export_to_a_missing_folder_says_so(tui_store: Store, app_factory: Factory,
                                                 tmp_path: Path) -> None:
    ids = seed(tui_store)
    app = app_factory("en")
    out = tmp_path / "no-such-folder" / "rossi.html"
    async with app.run_test(size=SIZE) as pilot:
        await open_person(app, pilot, ids["rossi"])
        await pilot.press("x")
        await settle(app, pilot)
        app.screen.query_one("#export-path", Input).value = str(out)
        await pilot.press("enter")
        await settle(app, pilot)
        assert any(m.startswith("Export failed") for m in messages(app)), messages(app)
    assert not out.exists()


async def test_a_coordinator_erases_and_the_person_is_gone(tui_store: Store,
                                                           app_factory: Factory) -> None:
    ids = seed(tui_store)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f3")
        await settle(app, pilot)
        assert isinstance(app.screen, PeopleScreen)
        assert app.screen.list_table().row_count == 3
        await open_person(app, pilot, ids["rossi"])
        assert "c" in enabled_keys(app)
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, EraseDialog)
        await pilot.click("#erase")  # no reason yet: refused, nothing written
        await settle(app, pilot)
        assert isinstance(app.screen, EraseDialog)
        assert tui_store.execute_read("SELECT 1 FROM person WHERE id = ?", (ids["rossi"],))
        await pilot.click("#erase-reason")
        await pilot.press(*"richiesta")
        await pilot.click("#erase")
        await settle(app, pilot)
        assert isinstance(app.screen, PeopleScreen)
        assert app.screen.list_table().row_count == 2
        assert any("cancellata" in m for m in messages(app))
        assert not [n for n in app._notifications if n.severity == "error"]  # no "not found"
    assert tui_store.execute_read("SELECT 1 FROM person WHERE id = ?", (ids["rossi"],)) == []
    assert tui_store.execute_read("SELECT reason FROM purge")[0][0] == "richiesta"
    assert tui_store.doctor() == []


async def test_cancelling_the_erasure_writes_nothing(tui_store: Store,
                                                     app_factory: Factory) -> None:
    ids = seed(tui_store)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await open_person(app, pilot, ids["rossi"])
        before = last_seq(tui_store)
        await pilot.press("c")
        await settle(app, pilot)
        await pilot.press(*"ripensamento")
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, PersonDetailScreen)
        await pilot.press("c")
        await settle(app, pilot)
        await pilot.press(*"ancora")
        await pilot.click("#cancel")
        await settle(app, pilot)
        assert isinstance(app.screen, PersonDetailScreen)
    assert last_seq(tui_store) == before
    assert tui_store.execute_read("SELECT 1 FROM purge") == []
    assert tui_store.get("person", ids["rossi"]).given_name == "Maria"


async def test_a_social_worker_cannot_erase(tmp_path: Path) -> None:
    store = open_tui_store(tmp_path / "sw.db")
    store.set_identity(device_name="portatile-2", operator="Bruno Neri",
                       role="social_worker", ambito="Lecco")
    ids = seed(store)
    app = build_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await open_person(app, pilot, ids["rossi"])
        screen = app.screen
        assert isinstance(screen, PersonDetailScreen)
        keys = enabled_keys(app)
        assert "x" in keys and "c" not in keys  # export offered, erase not
        before = last_seq(store)
        await pilot.press("c")
        await settle(app, pilot)
        assert app.screen is screen  # no dialog
        screen.action_erase()  # reached anyway (the palette, a script): refused
        await settle(app, pilot)
        assert app.screen is screen
        assert "Solo un coordinatore può cancellare una persona" in messages(app)
    assert last_seq(store) == before
    assert store.get("person", ids["rossi"]).given_name == "Maria"
    store.close()


async def test_english_labels(tui_store: Store, app_factory: Factory) -> None:
    ids = seed(tui_store)
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        await open_person(app, pilot, ids["rossi"])
        await pilot.press("c")
        await settle(app, pilot)
        assert str(app.screen.query_one("#erase", Button).label) == "Erase for good"


async def test_a_card_whose_person_is_erased_elsewhere_leaves_quietly(
        tui_store: Store, app_factory: Factory) -> None:
    """Erased by a sync or another program while the card is open: the next reload goes
    back to the list with a word, not an error."""
    from fieldwelfare.rights.erase import erase

    ids = seed(tui_store)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f3")
        await settle(app, pilot)
        await open_person(app, pilot, ids["rossi"])
        screen = app.screen
        assert isinstance(screen, PersonDetailScreen)
        erase(tui_store, ids["rossi"], "richiesta")
        screen._load()  # what coming back to the card does
        await settle(app, pilot)
        assert isinstance(app.screen, PeopleScreen)
        assert any("non è più presente" in m for m in messages(app))
        assert not [n for n in app._notifications if n.severity == "error"]
