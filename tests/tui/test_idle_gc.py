"""Garbage is collected when the user rests, not while screens open (screens/idle_gc.py)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from dirkit import settle
from tuikit import build_app

from fieldwelfare.screens.idle_gc import IdleCollector
from fieldwelfare.store import Store


@pytest.fixture
def gc_restored() -> Iterator[None]:
    enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if enabled:
        gc.enable()


def cycles(count: int) -> None:
    for _ in range(count):
        a: list[object] = []
        a.append(a)


def test_collects_after_a_rest_or_when_garbage_piles_up(gc_restored: None) -> None:
    clock = {"now": 100.0, "input": 100.0}
    collector = IdleCollector(lambda: clock["input"], now=lambda: clock["now"])
    collector.start()
    assert not gc.isenabled() and gc.get_freeze_count() > 0
    cycles(IdleCollector.PENDING + 100)
    clock["now"] += IdleCollector.IDLE / 2  # typing: nothing collected
    collector.check()
    assert collector.passes == 0 and gc.get_count()[0] >= IdleCollector.PENDING
    clock["now"] += IdleCollector.IDLE  # a rest: collected
    collector.check()
    assert collector.passes == 1 and gc.get_count()[0] < IdleCollector.PENDING
    collector.check()  # nothing new: no pass
    assert collector.passes == 1
    clock["input"] = clock["now"]  # typing on, but garbage past the limit
    cycles(IdleCollector.LIMIT)
    collector.check()
    assert collector.passes == 2
    collector.stop()
    assert gc.get_freeze_count() == 0


def test_leaves_a_disabled_collector_disabled(gc_restored: None) -> None:
    gc.disable()
    collector = IdleCollector(lambda: 0.0, now=lambda: 0.0)
    collector.start()
    collector.stop()
    assert not gc.isenabled()


async def test_the_app_collects_on_its_own_terms_and_gives_it_back(
        tui_store: Store, gc_restored: None) -> None:
    assert gc.isenabled()
    app = build_app(tui_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert not gc.isenabled()
        assert gc.get_freeze_count() > 0
    assert gc.isenabled() and gc.get_freeze_count() == 0


async def test_closed_screens_are_let_go(tui_store: Store, gc_restored: None) -> None:
    """Each screen's Header watches the app's title, and a footer's keys their footer:
    Textual drops a closed watcher only when the value changes, so every screen ever
    opened stayed in memory (with all its widgets), and so did every old footer key."""
    from textual.widgets import Header
    from textual.widgets._footer import FooterKey

    app = build_app(tui_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        for _ in range(6):
            for key in ("f3", "f5", "f6", "f2"):
                await pilot.press(key)
                await settle(app, pilot)
        app.forget_closed_watchers()
        gc.collect()
        alive = gc.get_objects()
        headers = [o for o in alive if isinstance(o, Header)]
        assert len(headers) <= len(app.screen_stack) + 1, len(headers)
        keys = [o for o in alive if isinstance(o, FooterKey) and not o.is_attached]
        assert len(keys) < 20, len(keys)  # (the footer's old keys: 123 after 24 screens)
