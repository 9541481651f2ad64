"""The sync state shown on the home screen, read from the replication module when present.

``fieldwelfare.store.replication.sync_info(store)`` is written by the sync work; until it
exists the home screen shows no sync line rather than a guess.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from fieldwelfare.store import Store


@dataclass(frozen=True)
class SyncState:
    unsent: int
    last_sync: str | None


def _value(info: Any, name: str) -> Any:
    if isinstance(info, dict):
        return info.get(name)
    return getattr(info, name, None)


def read_sync_state(store: Store) -> SyncState | None:
    """The unsent changes and last sync, or None when sync is not available yet."""
    try:
        module = importlib.import_module("fieldwelfare.store.replication")
    except ImportError:
        return None
    sync_info = getattr(module, "sync_info", None)
    if sync_info is None:
        return None
    info = sync_info(store)
    unsent = _value(info, "unsent")
    if unsent is None:
        unsent = _value(info, "unsent_changes")
    last = _value(info, "last_sync")
    if last is None:
        last = _value(info, "last_sync_at")
    return SyncState(int(unsent or 0), str(last) if last else None)
