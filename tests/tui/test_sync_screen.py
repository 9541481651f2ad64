"""The sync screen drives the real sync library: bundles to and from a folder, HTTP sync."""

from __future__ import annotations

import getpass
from pathlib import Path

from dirkit import enrolled_device, settle
from textual.containers import VerticalScroll
from textual.widgets import Input, Static
from tuikit import SIZE, build_app, open_tui_store

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
        assert "non è ancora registrato" in state_text(screen)
        assert screen.query_one("#enroll-box").display
        assert screen.active_bindings["ctrl+e"].binding.action == "enroll"
        screen.query_one("#folder", Input).value = str(usb)
        await pilot.click("#export")
        await settle(app, pilot)
        log = str(screen.query_one("#log", Static).render())
        assert "Registra con un codice" in log and "Ctrl+E" in log  # what to do, here
        for cli_words in ("fieldwelfare enroll", "not_enrolled", "[", "rifiutato"):
            assert cli_words not in log
            assert all(cli_words not in n.message for n in app._notifications)
        assert not screen.query_one("#export").disabled
        screen.query_one("#folder", Input).focus()
        await pilot.press("ctrl+e")  # even from an input
        await settle(app, pilot)
        assert type(app.screen).__name__ == "EnrollScreen"
    assert list(usb.iterdir()) == []


async def test_sync_without_hub_address_says_where_to_write_it(tmp_path: Path) -> None:
    """An enrolled laptop (by USB stick) without the hub's address: the screen names its own
    field, never ``--hub URL``; Enter in the folder leads to its buttons; at 80x24 the
    screen opens at its top (points 6, 12, 13)."""
    hub_store, dev = enrolled_device(tmp_path)
    app = build_app(dev)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_sync(app, pilot)
        assert screen.query_one(VerticalScroll).scroll_y == 0
        assert screen.query_one("#state", Static).region.y <= 2
        assert not screen.query_one("#enroll-box").display
        assert all(b.binding.action != "enroll" for b in screen.active_bindings.values())
        await pilot.press("enter")
        assert app.focused is screen.query_one("#export")
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        log = str(screen.query_one("#log", Static).render())
        assert "«Hub»" in log and "--hub" not in log
        assert app.focused is screen.query_one("#url", Input)
    hub_store.close()
    dev.close()


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


async def test_enroll_with_a_code_by_usb_stick(new_store: Store, tmp_path: Path) -> None:
    """First run: enroll instead of typing the identity; the hub's reply sets it."""
    from fieldwelfare.screens.screens.enroll import EnrollScreen
    from fieldwelfare.screens.screens.home import HomeScreen
    from fieldwelfare.screens.screens.setup import SetupScreen
    from fieldwelfare.sync import enrollment

    hub_store = open_tui_store(tmp_path / "hub.db")
    hub.init(hub_store, "Consorzio Lecco")
    code = enrollment.issue_code(hub_store, device="portatile-7", role="social_worker",
                                 ambito="Merate")
    usb = tmp_path / "usb"
    usb.mkdir()
    app = build_app(new_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, SetupScreen)
        await pilot.click("#enroll")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, EnrollScreen)
        screen.query_one("#code", Input).value = code
        screen.query_one("#folder", Input).value = str(usb)
        await pilot.click("#write")  # no operator's name: asked for, nothing written
        await settle(app, pilot)
        assert list(usb.iterdir()) == []
        assert app.focused is screen.query_one("#operator", Input)
        await pilot.press(*"Marco Neri")
        screen.query_one("#code", Input).value = "FW1-NOT-A-CODE"
        await pilot.click("#write")
        await settle(app, pilot)
        assert list(usb.iterdir()) == []  # a mistyped code writes nothing
        screen.query_one("#code", Input).value = code
        await pilot.click("#write")
        await settle(app, pilot)
        (request,) = usb.glob("enroll-*.fwb")
        hub.ingest(hub_store, request)  # at the hub
        hub.export_replies(hub_store, usb, device="portatile-7")
        await pilot.click("#read")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        greeting = str(app.screen.query_one("#greeting", Static).render())
        assert "Marco Neri" in greeting and getpass.getuser() not in greeting
    identity = new_store.identity
    assert (identity.device_name, identity.operator, identity.role, identity.ambito) == (
        "portatile-7", "Marco Neri", "social_worker", "Merate")
    assert device.status(new_store)["enrolled"]
    hub_store.close()


async def test_volunteer_enrolled_over_http_opens_on_their_week(new_store: Store,
                                                                 tmp_path: Path) -> None:
    from fieldwelfare.screens.screens.enroll import EnrollScreen
    from fieldwelfare.screens.screens.volunteer_home import VolunteerHomeScreen
    from fieldwelfare.sync import enrollment

    hub_store = open_tui_store(tmp_path / "hub.db")
    hub.init(hub_store, "Consorzio Lecco")
    giulia = hub_store.add("volunteer", {"given_name": "Giulia", "family_name": "Conti",
                                         "phone": "333 0000001"})
    code = enrollment.issue_code(hub_store, device="telefono-giulia", role="volunteer",
                                 ambito="Lecco", volunteer_id=giulia.id)
    server, thread = serve_in_thread(hub_store)
    try:
        app = build_app(new_store)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            await pilot.click("#enroll")
            await settle(app, pilot)
            assert isinstance(app.screen, EnrollScreen)
            app.screen.query_one("#operator", Input).value = "Giulia Conti"
            app.screen.query_one("#code", Input).value = code
            app.screen.query_one("#url", Input).value = (
                f"http://127.0.0.1:{server.server_address[1]}")
            await pilot.click("#http")
            await settle(app, pilot)
            assert isinstance(app.screen, VolunteerHomeScreen)
            assert "Giulia Conti" in str(app.screen.query_one("#who", Static).render())
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    assert new_store.meta()["volunteer_id"] == giulia.id
    assert new_store.identity.role == "volunteer"
    assert new_store.identity.operator == "Giulia Conti"
    hub_store.close()
