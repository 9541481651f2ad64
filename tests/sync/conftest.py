"""Fixtures for the sync tests (their helpers are in ``synckit``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from synckit import Net, hub_net


@pytest.fixture
def net(tmp_path: Path) -> Iterator[Net]:
    with hub_net(tmp_path) as n:
        yield n
