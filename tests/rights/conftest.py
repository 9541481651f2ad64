"""A hub and enrolled devices (the sync tests' ``Net``), for the rights tests."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync"))

from synckit import Net

from fieldwelfare.store import open_store
from fieldwelfare.sync import hub


@pytest.fixture
def net(tmp_path: Path) -> Iterator[Net]:
    store = open_store(tmp_path / "hub.db")
    hub.init(store, "Consorzio Lecco")
    n = Net(tmp_path, store, {})
    yield n
    for dev in n.devices.values():
        dev.close()
    store.close()
