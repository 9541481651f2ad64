"""A hub and enrolled devices (the sync tests' ``Net``), for the rights tests."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

for _helpers in ("sync", "store"):  # synckit, replication_helpers, test_merge_property
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / _helpers))

from synckit import Net, hub_net  # noqa: E402


@pytest.fixture
def net(tmp_path: Path) -> Iterator[Net]:
    with hub_net(tmp_path) as n:
        yield n
