"""A demo database to report on (people, needs, referrals in every state)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldwelfare import demo
from fieldwelfare.store import Store, open_store


@pytest.fixture
def demo_store(tmp_path: Path) -> Iterator[Store]:
    store = open_store(tmp_path / "demo.db")
    store.set_identity(device_name="laptop-coord", operator="Carla Coordinatrice",
                       role="coordinator", ambito="Lecco")
    demo.populate(store, seed=7, people=160)
    yield store
    store.close()
