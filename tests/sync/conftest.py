"""Fixtures for the sync tests (their helpers are in ``synckit``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
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
