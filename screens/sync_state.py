"""The sync state shown on the home screen (unsent changes, last sync with the hub)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fieldwelfare.store import Store, hubstate
from fieldwelfare.store.replication import unsent_count


@dataclass(frozen=True)
class SyncState:
    unsent: int
    last_sync: str | None


def when(stamp: str) -> str:
    """An ISO UTC timestamp as local day and time (dd/mm/yyyy hh:mm)."""
    moment = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return moment.astimezone().strftime("%d/%m/%Y %H:%M")


def read_sync_state(store: Store) -> SyncState:
    hub = hubstate.get_hub(store) or {}
    last = hub.get("last_sync")
    return SyncState(unsent_count(store), str(last) if last else None)
