"""How each core screen looks (100x30, and home at 80x24). Fixed date, seeded data, no blink.

Update only after looking at the report: ``pytest tests/tui --snapshot-update``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Select
from tuikit import SIZE, build_app, seed

from fieldwelfare.screens.screens.match import MatchScreen
from fieldwelfare.screens.screens.need_detail import NeedDetailScreen
from fieldwelfare.screens.screens.person_detail import PersonDetailScreen
from fieldwelfare.screens.screens.person_form import PersonFormScreen
from fieldwelfare.store import Store

Snap = Callable[..., bool]


async def settle(pilot: Pilot[Any]) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def keys(*pressed: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in pressed:
            await pilot.press(key)
            await settle(pilot)
    return run


def test_setup(snap_compare: Snap, new_store: Store) -> None:
    """First run: device name, operator, role and ambito; the cursor in the device name."""
    assert snap_compare(build_app(new_store), terminal_size=SIZE, run_before=keys())


def test_home_coordinator(snap_compare: Snap, tui_store: Store) -> None:
    """Home of a coordinator: urgent 1, open 3, referrals waiting 0, volunteers 1, follow-ups 1."""
    seed(tui_store)
    assert snap_compare(build_app(tui_store), terminal_size=SIZE, run_before=keys())


def test_home_80x24(snap_compare: Snap, tui_store: Store) -> None:
    """The same home at 80x24: cards wrap, the footer keys still fit."""
    seed(tui_store)
    assert snap_compare(build_app(tui_store), terminal_size=(80, 24), run_before=keys())


def test_people_search(snap_compare: Snap, tui_store: Store) -> None:
    """People searched with "ro": only Rossi Maria, and the count line says 1 of 1."""
    seed(tui_store)
    assert snap_compare(build_app(tui_store), terminal_size=SIZE,
                        run_before=keys("f3", "r", "o"))


def test_person_detail(snap_compare: Snap, tui_store: Store) -> None:
    """Rossi Maria: privacy notice recorded, one visit, two needs, no referrals."""
    ids = seed(tui_store)

    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.push_screen(PersonDetailScreen(ids["rossi"]))
        await settle(pilot)

    assert snap_compare(build_app(tui_store), terminal_size=SIZE, run_before=run)


def test_person_form_error(snap_compare: Snap, tui_store: Store) -> None:
    """New person with an unknown comune: the error is under the Comune field."""
    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.push_screen(PersonFormScreen())
        await settle(pilot)
        for key in ("V", "e", "r", "d", "i", "tab", "C", "a", "r", "l", "a"):
            await pilot.press(key)
        pilot.app.screen.query_one("#comune", Input).value = "Atlantide"
        await pilot.press("ctrl+s")
        await settle(pilot)

    assert snap_compare(build_app(tui_store), terminal_size=SIZE, run_before=run)


def test_visit_log(snap_compare: Snap, tui_store: Store) -> None:
    """Visit for Colombo Lucia, today's date filled in, one need row (Famiglia e minori)."""
    seed(tui_store)

    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in ("f4", "c", "o", "l", "enter", "enter", "ctrl+n"):
            await pilot.press(key)
            await settle(pilot)
        pilot.app.screen.query(".area").first(Select).value = "family_minors"
        await settle(pilot)

    assert snap_compare(build_app(tui_store), terminal_size=SIZE, run_before=run)


def test_needs_list(snap_compare: Snap, tui_store: Store) -> None:
    """Open needs (default filter): three rows, newest first; the met need is hidden."""
    seed(tui_store)
    assert snap_compare(build_app(tui_store), terminal_size=SIZE, run_before=keys("f5"))


def test_need_detail(snap_compare: Snap, tui_store: Store) -> None:
    """The shopping need of Rossi Maria: area, urgency Alta, status Aperto, no referrals."""
    ids = seed(tui_store)

    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.push_screen(NeedDetailScreen(ids["shopping"]))
        await settle(pilot)

    assert snap_compare(build_app(tui_store), terminal_size=SIZE, run_before=run)


def test_match(snap_compare: Snap, tui_store: Store) -> None:
    """Candidates for the shopping need with scores, and the reasons of the first."""
    ids = seed(tui_store)

    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.push_screen(MatchScreen(ids["shopping"]))
        await settle(pilot)

    assert snap_compare(build_app(tui_store), terminal_size=SIZE, run_before=run)


def test_referral_brief(snap_compare: Snap, tui_store: Store) -> None:
    """The referral modal: the suggested brief names task, comune and urgency, not the person."""
    ids = seed(tui_store)

    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.push_screen(MatchScreen(ids["shopping"]))
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)

    assert snap_compare(build_app(tui_store), terminal_size=SIZE, run_before=run)


def test_help(snap_compare: Snap, tui_store: Store) -> None:
    """F1 on the people screen: its keys (new person, log visit, search) and the app's."""
    assert snap_compare(build_app(tui_store), terminal_size=SIZE, run_before=keys("f3", "f1"))


def test_dirty_confirm(snap_compare: Snap, tui_store: Store) -> None:
    """Esc on a changed form asks before dropping the data."""
    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.push_screen(PersonFormScreen())
        await settle(pilot)
        await pilot.press("N", "escape")
        await settle(pilot)

    assert snap_compare(build_app(tui_store), terminal_size=SIZE, run_before=run)
