"""Write SVG screenshots of the main screens into docs/screenshots/ (100x30, demo data).

    python scripts/screenshots.py [NAME ...]

Each shot opens the app on a fresh demo database (fixed seed and date) and drives it with
the keyboard, as the tests do. Add a screen by appending a :class:`Shot` to ``SHOTS``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from fieldwelfare import demo
from fieldwelfare.hlc import format_stamp
from fieldwelfare.models import Referral
from fieldwelfare.screens.app import make_app
from fieldwelfare.store import Store, open_store
from fieldwelfare.store import replication as rep

TODAY = dt.date(2025, 6, 16)
SIZE = (100, 30)
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"

Steps = Callable[[Pilot[Any], Store], Awaitable[None]]


@dataclass(frozen=True)
class Shot:
    name: str
    steps: Steps
    role: str = "coordinator"
    size: tuple[int, int] = SIZE


async def settle(pilot: Pilot[Any]) -> None:
    for _ in range(4):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def keys(*pressed: str) -> Steps:
    async def run(pilot: Pilot[Any], store: Store) -> None:
        for key in pressed:
            await pilot.press(key)
            await settle(pilot)
    return run


def first_referral(store: Store, status: str) -> Referral:
    (found,) = store.list_records("referral", where={"status": status}, limit=1)
    assert isinstance(found, Referral)
    return found


async def referral_detail(pilot: Pilot[Any], store: Store) -> None:
    from fieldwelfare.screens.screens.referral_detail import ReferralDetailScreen

    pilot.app.push_screen(ReferralDetailScreen(first_referral(store, "in_progress").id))
    await settle(pilot)


async def availability(pilot: Pilot[Any], store: Store) -> None:
    from fieldwelfare.screens.screens.availability import AvailabilityScreen

    volunteer = store.list_records("volunteer", order_by="family_name", limit=1)[0]
    pilot.app.push_screen(AvailabilityScreen(volunteer.id))
    await settle(pilot)


async def volunteer_form(pilot: Pilot[Any], store: Store) -> None:
    from fieldwelfare.screens.screens.volunteer_form import VolunteerFormScreen

    volunteer = store.list_records("volunteer", order_by="family_name", limit=1)[0]
    pilot.app.push_screen(VolunteerFormScreen(volunteer.id))
    await settle(pilot)


def simulate_conflict(store: Store) -> None:
    """Device A creates a person; A and B then change the phone without seeing each other."""
    device_a = "0197a000-0000-7000-8000-0000000aaaaa"
    device_b = "0197a000-0000-7000-8000-0000000bbbbb"
    rid = "0197a000-0000-7000-8000-000000000001"
    wall = 1_749_546_000_000  # 2025-06-10 09:00 UTC

    def change(field: str, value: Any, minutes: int, origin: str,
               base: int | None = None) -> rep.Change:
        return rep.Change("person", rid, field, value, format_stamp(wall + minutes * 60_000, 0),
                          origin, "demo", None if base is None else format_stamp(wall, 0))

    batches = [
        [change(f, v, 0, device_a) for f, v in (
            ("created_at", "2025-06-10T09:00:00.000Z"), ("created_by", "demo"),
            ("given_name", "Carla"), ("family_name", "Mauri"), ("comune", "097042"),
            ("phone", "0341 111111"))],
        [change("phone", "0341 222222", 5, device_a, base=0)],
        [change("phone", "0341 333333", 7, device_b, base=0)],
    ]
    for n, batch in enumerate(batches):
        rep.apply_changes(store, batch, bundle_id=f"demo-{n}", sender=batch[0].origin,
                          file_sha256="0" * 64, kind="device-push")


async def conflicts(pilot: Pilot[Any], store: Store) -> None:
    from fieldwelfare.screens.screens.conflicts import ConflictsScreen

    simulate_conflict(store)
    pilot.app.push_screen(ConflictsScreen())
    await settle(pilot)


async def my_week(pilot: Pilot[Any], store: Store) -> None:
    await settle(pilot)


def open_need(store: Store) -> str:
    (need,) = store.list_records("need", where={"status": "open", "category": "transport"},
                                 order_by="-urgency", limit=1)
    return need.id


async def need_detail(pilot: Pilot[Any], store: Store) -> None:
    from fieldwelfare.screens.screens.need_detail import NeedDetailScreen

    pilot.app.push_screen(NeedDetailScreen(open_need(store)))
    await settle(pilot)


async def match(pilot: Pilot[Any], store: Store) -> None:
    from fieldwelfare.screens.screens.match import MatchScreen

    pilot.app.push_screen(MatchScreen(open_need(store)))
    await settle(pilot)


async def visit_log(pilot: Pilot[Any], store: Store) -> None:
    person = store.list_records("person", order_by="family_name", limit=1)[0]
    await keys("f4", *person.model_dump()["family_name"].lower()[:5], "down", "enter")(
        pilot, store)
    await keys("ctrl+n")(pilot, store)


SHOTS: list[Shot] = [
    Shot("home", keys()),
    Shot("people", keys("f3")),
    Shot("visit-log", visit_log),
    Shot("needs", keys("f5")),
    Shot("need-detail", need_detail),
    Shot("match", match),
    Shot("referrals", keys("f6")),
    Shot("referral-detail", referral_detail),
    Shot("volunteers", keys("f7")),
    Shot("volunteer-form", volunteer_form),
    Shot("availability", availability),
    Shot("organisations", keys("f8")),
    Shot("sync", keys("f9")),
    Shot("conflicts", conflicts),
    Shot("volunteer-home", my_week, role="volunteer"),
]


def demo_store(folder: Path, role: str) -> Store:
    store = open_store(folder / "demo.db")
    store.set_identity(device_name="portatile-1", operator="Anna Bianchi",
                       role="coordinator", ambito="Lecco")
    demo.populate(store, people=120, today=TODAY)
    if role == "volunteer":  # a volunteer's device: the data arrived by sync, then
        referral = first_referral(store, "sent")
        store.set_meta({"volunteer_id": str(referral.volunteer_id)})
        store.set_identity(device_name="portatile-1", operator="Anna Bianchi", role=role,
                           ambito="Lecco")
    return store


async def take(shot: Shot, folder: Path) -> Path:
    store = demo_store(folder, shot.role)
    app = make_app(store, today=lambda: TODAY, cursor_blink=False)
    try:
        async with app.run_test(size=shot.size) as pilot:
            await settle(pilot)
            await shot.steps(pilot, store)
            OUT.mkdir(parents=True, exist_ok=True)
            return Path(app.save_screenshot(f"{shot.name}.svg", str(OUT)))
    finally:
        store.close()


def main(names: list[str]) -> None:
    for shot in SHOTS:
        if names and shot.name not in names:
            continue
        with tempfile.TemporaryDirectory() as folder:
            print(asyncio.run(take(shot, Path(folder))))


if __name__ == "__main__":
    main(sys.argv[1:])
