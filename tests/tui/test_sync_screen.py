"""The sync screen drives the real sync library: bundles to and from a folder, HTTP sync."""

from __future__ import annotations

from pathlib import Path

from dirkit import enrolled_device, settle
from textual.widgets import Input, Static
from tuikit import SIZE, build_app

from fieldwelfare.models import Person
from fieldwelfare.screens.app import FieldWelfareApp
from fieldwelfare.screens.screens.sync import SyncScreen
from fieldwelfare.store import Store
from fieldwelfare.sync import device, hub
from fieldwelfare.sync.http import serve_in_thread

LECCO = "097042"


async def open_sync(app: FieldWelfareApp, pilot: object) -> SyncScreen:
    await settle(app, pilot)
    await pilot.press("f9")  # type: ignore[attr-defined]
    await settle(app, pilot)
    assert isinstance(app.screen, SyncScreen)
    return app.screen


def state_text(screen: SyncScreen) -> str:
    return str(screen.query_one("#state", Static).render())


async def test_export_writes_a_bundle_into_the_folder(tmp_path: Path) -> None:
    hub_store, dev = enrolled_device(tmp_path)
    dev.add("person", {"given_name": "Maria", "family_name": "Rossi", "comune": LECCO})
    usb = tmp_path / "usb"
    usb.mkdir()
    app = build_app(dev)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_sync(app, pilot)
        assert "Hub: Consorzio Lecco" in state_text(screen)
        screen.query_one("#folder", Input).value = str(usb)
        await pilot.click("#export")
        await settle(app, pilot)
        assert "Pacchetto scritto" in str(screen.query_one("#log", Static).render())
    (bundle,) = usb.glob("from-portatile-1-*.fwb")
    assert dev.meta()["sync_folder"] == str(usb)
    done = hub.ingest(hub_store, bundle)  # the hub accepts it: a real bundle
    assert done.applied > 0
    assert hub_store.count("person") == 1
    hub_store.close()
    dev.close()


async def test_import_applies_the_hub_reply_from_the_folder(tmp_path: Path) -> None:
    hub_store, dev = enrolled_device(tmp_path)
    hub_store.add("organisation", {"name": "Caritas Lecco", "kind": "odv", "comuni": [LECCO]})
    usb = tmp_path / "usb"
    usb.mkdir()
    hub.export_replies(hub_store, usb, device="portatile-1")
    app = build_app(dev)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_sync(app, pilot)
        screen.query_one("#folder", Input).value = str(usb)
        await pilot.click("#import")
        await settle(app, pilot)
        assert "modifiche applicate" in str(screen.query_one("#log", Static).render())
    assert [o.name for o in dev.list_records("organisation")] == ["Caritas Lecco"]
    hub_store.close()
    dev.close()


async def test_export_without_enrollment_is_refused_and_writes_nothing(
        tui_store: Store, tmp_path: Path) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    app = build_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_sync(app, pilot)
        assert "non configurato" in state_text(screen)
        screen.query_one("#folder", Input).value = str(usb)
        await pilot.click("#export")
        await settle(app, pilot)
        assert any("rifiutato" in n.message for n in app._notifications)
        assert not screen.query_one("#export").disabled
    assert list(usb.iterdir()) == []


async def test_missing_folder_is_reported(tui_store: Store, tmp_path: Path) -> None:
    app = build_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_sync(app, pilot)
        screen.query_one("#folder", Input).value = str(tmp_path / "not-there")
        await pilot.click("#export")
        await settle(app, pilot)
        assert any("cartella" in n.message for n in app._notifications)


async def test_http_sync_sends_and_receives(tmp_path: Path) -> None:
    hub_store, dev = enrolled_device(tmp_path)
    dev.add("person", {"given_name": "Maria", "family_name": "Rossi", "comune": LECCO})
    hub_store.add("organisation", {"name": "Auser Lecco", "kind": "odv", "comuni": [LECCO]})
    server, thread = serve_in_thread(hub_store)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        app = build_app(dev)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_sync(app, pilot)
            screen.query_one("#url", Input).value = url
            await pilot.press("ctrl+r")
            await settle(app, pilot)
            assert "completata" in str(screen.query_one("#log", Static).render())
            assert "non ancora inviate: 0" in state_text(screen)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    people = hub_store.list_records("person")
    assert [p.family_name for p in people if isinstance(p, Person)] == ["Rossi"]
    assert [o.name for o in dev.list_records("organisation")] == ["Auser Lecco"]
    assert device.status(dev)["unsent"] == 0
    hub_store.close()
    dev.close()
