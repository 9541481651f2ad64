"""How the referral, directory, availability, volunteer home, sync and conflict screens look.

100x30 (and the volunteer home at 80x24); fixed date and record times, seeded data, ids never
shown, no cursor blink. Update only after looking at the report:
``pytest tests/tui/test_snapshots_directory.py --snapshot-update``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from dirkit import make_conflict, referral, volunteer_store
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input
from tuikit import SIZE, build_app, open_tui_store, seed

from fieldwelfare.screens.screens.availability import AvailabilityScreen
from fieldwelfare.screens.screens.conflicts import ConflictsScreen
from fieldwelfare.screens.screens.organisation_form import OrganisationFormScreen
from fieldwelfare.screens.screens.referral_detail import ReferralDetailScreen
from fieldwelfare.screens.screens.volunteer_form import VolunteerFormScreen
from fieldwelfare.screens.widgets.week_grid import WeekGrid
from fieldwelfare.store import Store

Snap = Callable[..., bool]


async def settle(pilot: Pilot[Any]) -> None:
    for _ in range(4):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def then(screen: Callable[[], Screen[Any]] | None = None,
         *pressed: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """Open ``screen`` (if given) over the start screen, then press keys, settling each time."""
    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        if screen is not None:
            pilot.app.push_screen(screen())
            await settle(pilot)
        for key in pressed:
            await pilot.press(key)
            await settle(pilot)
    return run


def network(store: Store) -> dict[str, Any]:
    ids = seed(store)
    ids["sent"] = referral(store, ids, "sent")
    ids["in_progress"] = referral(store, ids, "in_progress")
    return ids


def test_referrals_list(snap_compare: Snap, tui_store: Store) -> None:
    """Open referrals (filter "Aperti"): two to Giulia Conti, one sent, one in progress."""
    network(tui_store)
    assert snap_compare(build_app(tui_store), terminal_size=SIZE, run_before=then(None, "f6"))


def test_referral_detail(snap_compare: Snap, tui_store: Store) -> None:
    """A referral in progress: summary, history sent/accepted/in progress, and only
    "Completato" and "Annullato" offered."""
    ids = network(tui_store)
    assert snap_compare(build_app(tui_store), terminal_size=SIZE,
                        run_before=then(lambda: ReferralDetailScreen(ids["in_progress"])))


def test_referral_complete_asks_outcome(snap_compare: Snap, tui_store: Store) -> None:
    """Completing asks for the outcome; Enter on an empty answer shows it is required."""
    ids = network(tui_store)

    async def run(pilot: Pilot[Any]) -> None:
        await then(lambda: ReferralDetailScreen(ids["in_progress"]))(pilot)
        await pilot.click("#to-completed")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(build_app(tui_store), terminal_size=SIZE, run_before=run)


def test_volunteers_directory(snap_compare: Snap, tui_store: Store) -> None:
    """Volunteers by family name: Conti Giulia (no car) and Galli Paolo (car), 2 of 2."""
    seed(tui_store)
    assert snap_compare(build_app(tui_store), terminal_size=SIZE, run_before=then(None, "f7"))


def test_volunteer_form(snap_compare: Snap, tui_store: Store) -> None:
    """Giulia's card: contacts, no organisation, Spesa and Compagnia ticked, Lecco ticked."""
    ids = seed(tui_store)
    assert snap_compare(build_app(tui_store), terminal_size=SIZE,
                        run_before=then(lambda: VolunteerFormScreen(ids["giulia"])))


def test_availability_grid(snap_compare: Snap, tui_store: Store) -> None:
    """Giulia's week: Tuesday 09-12 filled, the cursor on Monday 09:00, 1 slot 3 hours."""
    ids = seed(tui_store)
    assert snap_compare(build_app(tui_store), terminal_size=SIZE,
                        run_before=then(lambda: AvailabilityScreen(ids["giulia"])))


def test_slot_overlap_refused(snap_compare: Snap, tui_store: Store) -> None:
    """The slot form over the grid with Tuesday 11:00-14:00 refused: the store's overlap
    sentence under the times, and as a notification."""
    ids = seed(tui_store)

    async def run(pilot: Pilot[Any]) -> None:
        await then(lambda: AvailabilityScreen(ids["giulia"]))(pilot)
        pilot.app.screen.query_one(WeekGrid).move_to(1, 13)
        await pilot.press("enter")
        await settle(pilot)
        pilot.app.screen.query_one("#start", Input).value = "11:00"
        pilot.app.screen.query_one("#end", Input).value = "14:00"
        await pilot.press("ctrl+s")
        await settle(pilot)

    assert snap_compare(build_app(tui_store), terminal_size=SIZE, run_before=run)


def test_volunteer_home(snap_compare: Snap, tmp_path: Path) -> None:
    """Giulia's own device: her week and the referral sent to her, keys a/d/s/c."""
    store, ids = volunteer_store(tmp_path)
    referral(store, ids, "sent")
    assert snap_compare(build_app(store), terminal_size=SIZE, run_before=then())


def test_volunteer_home_80x24(snap_compare: Snap, tmp_path: Path) -> None:
    """The same at 80x24: the grid and the referral list share the height."""
    store, ids = volunteer_store(tmp_path)
    referral(store, ids, "sent")
    assert snap_compare(build_app(store), terminal_size=(80, 24), run_before=then())


def test_volunteer_device_not_linked_80x24(snap_compare: Snap, tmp_path: Path) -> None:
    """A laptop set up with ``init --role volunteer``: it says the hub links the device to
    the volunteer's record and offers the code, the sync; only a volunteer's keys."""
    store = open_tui_store(tmp_path / "vol.db")
    store.set_identity(device_name="lap-vol", operator="Giulia Conti", role="volunteer")
    assert snap_compare(build_app(store), terminal_size=(80, 24), run_before=then())


def test_organisations_directory(snap_compare: Snap, tui_store: Store) -> None:
    """Organisations: Caritas Lecco, ODV, Lecco, Pasti and Spesa."""
    seed(tui_store)
    assert snap_compare(build_app(tui_store), terminal_size=SIZE, run_before=then(None, "f8"))


def test_organisation_form_new(snap_compare: Snap, tui_store: Store) -> None:
    """A new organisation: empty name, kind to choose, services and comuni lists."""
    assert snap_compare(build_app(tui_store), terminal_size=SIZE,
                        run_before=then(lambda: OrganisationFormScreen(None)))


def test_sync_not_enrolled(snap_compare: Snap, tui_store: Store) -> None:
    """Sync on a device with no hub yet: unsent changes counted, folder and hub fields."""
    seed(tui_store)
    assert snap_compare(build_app(tui_store), terminal_size=SIZE, run_before=then(None, "f9"))


def test_conflicts(snap_compare: Snap, tui_store: Store) -> None:
    """One conflict on Mauri Carla's phone: 0341 333333 in use (device …bbbbb, 09:07) and
    0341 222222 set aside (device …aaaaa, 09:05), side by side."""
    make_conflict(tui_store)
    assert snap_compare(build_app(tui_store), terminal_size=SIZE,
                        run_before=then(ConflictsScreen))
