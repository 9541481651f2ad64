"""A hub and enrolled devices (the sync tests' ``Net``), for the rights tests."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

for _helpers in ("sync", "store"):  # synckit, replication_helpers, test_merge_property
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / _helpers))

from synckit import Net  # noqa: E402

from fieldwelfare.store import open_store  # noqa: E402
from fieldwelfare.sync import hub  # noqa: E402


@pytest.fixture
def net(tmp_path: Path) -> Iterator[Net]:
    store = open_store(tmp_path / "hub.db")
    hub.init(store, "Consorzio Lecco")
    n = Net(tmp_path, store, {})
    yield n
    for dev in n.devices.values():
        dev.close()
    store.close()
