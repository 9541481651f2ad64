"""Helpers for the directory, referral, availability, sync and conflict screen tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tuikit import open_tui_store, seed

from fieldwelfare.hlc import format_stamp
from fieldwelfare.screens.app import FieldWelfareApp
from fieldwelfare.store import Store
from fieldwelfare.store import replication as rep
from fieldwelfare.sync import device, enrollment, hub

DEVICE_A = "0197a000-0000-7000-8000-0000000aaaaa"
DEVICE_B = "0197a000-0000-7000-8000-0000000bbbbb"
PERSON_ID = "0197a000-0000-7000-8000-000000000001"
WALL_MS = 1_749_546_000_000
"""2025-06-10 09:00 UTC: the simulated devices' clock."""


async def settle(app: FieldWelfareApp, pilot: Any) -> None:
    """Let workers finish and their messages be handled (no sleeps)."""
    for _ in range(4):
        await app.workers.wait_for_complete()
        await pilot.pause()


@contextmanager
def as_coordinator(store: Store) -> Iterator[None]:
    """Write as the coordinator would (on a volunteer's device such data arrives by sync)."""
    identity = store.identity
    if identity.role != "volunteer":
        yield
        return
    store.set_identity(device_name=identity.device_name or "", operator="Coordinatrice",
                       role="coordinator", ambito=identity.ambito)
    try:
        yield
    finally:
        store.set_identity(device_name=identity.device_name or "", operator=identity.operator,
                           role="volunteer", ambito=identity.ambito)


def referral(store: Store, ids: dict[str, Any], status: str = "sent") -> str:
    """A referral of Maria Rossi's shopping need to Giulia Conti, moved on to ``status``."""
    with as_coordinator(store):
        ref = store.add("referral", {"need_id": ids["shopping"], "volunteer_id": ids["giulia"],
                                     "brief": "Spesa settimanale a Lecco, martedì mattina",
                                     "status": "sent"})
        path = {"sent": [], "accepted": ["accepted"],
                "in_progress": ["accepted", "in_progress"]}
        for step in path[status]:
            store.update("referral", ref.id, {"status": step})
    return ref.id


def volunteer_store(tmp_path: Path, *, with_meta: bool = True) -> tuple[Store, dict[str, Any]]:
    """A volunteer's own device holding Giulia's record (and, if asked, knowing it is hers)."""
    store = open_tui_store(tmp_path / "volunteer.db")
    # the data is written as a coordinator would (a real device receives it by sync)
    store.set_identity(device_name="telefono-giulia", operator="Coordinatrice",
                       role="coordinator", ambito="Lecco")
    ids = seed(store)
    store.set_identity(device_name="telefono-giulia", operator="Giulia Conti",
                       role="volunteer", ambito="Lecco")
    if with_meta:
        store.set_meta({"volunteer_id": ids["giulia"]})
    return store, ids


def stamp(minutes: int) -> str:
    return format_stamp(WALL_MS + minutes * 60_000, 0)


def change(field: str, value: Any, minutes: int, origin: str,
           base: str | None = None) -> rep.Change:
    return rep.Change("person", PERSON_ID, field, value, stamp(minutes), origin,
                      f"op-{origin[-5:]}", base)


def make_conflict(store: Store) -> None:
    """Device A creates a person; A and B then change the phone without seeing each other."""
    created = [change(f, v, 0, DEVICE_A) for f, v in (
        ("created_at", "2025-06-10T09:00:00.000Z"), ("created_by", "op-aaaaa"),
        ("given_name", "Carla"), ("family_name", "Mauri"), ("comune", "097042"),
        ("phone", "0341 111111"))]
    rep.apply_changes(store, created, bundle_id="bundle-a1", sender=DEVICE_A,
                      file_sha256="0" * 64, kind="device-push")
    rep.apply_changes(store, [change("phone", "0341 222222", 5, DEVICE_A, stamp(0))],
                      bundle_id="bundle-a2", sender=DEVICE_A, file_sha256="0" * 64,
                      kind="device-push")
    rep.apply_changes(store, [change("phone", "0341 333333", 7, DEVICE_B, stamp(0))],
                      bundle_id="bundle-b1", sender=DEVICE_B, file_sha256="0" * 64,
                      kind="device-push")


def enrolled_device(tmp_path: Path) -> tuple[Store, Store]:
    """A hub and a social worker's laptop enrolled with it (the sync library end to end)."""
    hub_store = open_tui_store(tmp_path / "hub.db")
    hub.init(hub_store, "Consorzio Lecco")
    code = enrollment.issue_code(hub_store, device="portatile-1", role="social_worker",
                                 ambito="Lecco")
    dev = open_tui_store(tmp_path / "device.db")
    dev.set_identity(device_name="portatile-1", operator="Anna Bianchi",
                     role="social_worker", ambito="Lecco")
    enrollment.start(dev, code)
    request = enrollment.write_request(dev, tmp_path / "usb-enroll")
    hub.ingest(hub_store, request.path)
    (reply,) = hub.export_replies(hub_store, tmp_path / "usb-enroll", device="portatile-1")
    device.import_reply(dev, reply.path)
    return hub_store, dev
