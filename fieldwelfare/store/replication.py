"""Replication: the outbox, applying received changes (the merge), conflicts, who gets what.

The sync layer (bundles, crypto, hub, transport) is built on these functions; the merge rule
itself is in :mod:`fieldwelfare.store.merge` and explained in docs/merge.md.

This module is the public import path; the code lives in sibling modules, by responsibility:

* :mod:`~fieldwelfare.store.changes`: ``Change``, ``PeerScope``, ``ApplyReport``,
  ``Conflict`` and :func:`check_change`;
* :mod:`~fieldwelfare.store.outbox`: the outbox, acknowledgements and :func:`sync_info`;
* :mod:`~fieldwelfare.store.peerscope`: who gets what (:func:`changes_for_peer`);
* :mod:`~fieldwelfare.store.ingest` and :mod:`~fieldwelfare.store.ingest_batch`: applying
  bundles (:func:`apply_changes`, batches, the fault hook, the bundle ledger);
* :mod:`~fieldwelfare.store.conflicts`: conflicts and clock flags.

The tunables tests set here (``BATCH``, ``_PAGE``, ``fold_record``) are forwarded to the
module that reads them, so ``monkeypatch.setattr(replication, "BATCH", 3)`` still works.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from fieldwelfare.store import changes, ingest, ingest_batch
from fieldwelfare.store.changes import (
    ApplyReport,
    Change,
    Conflict,
    PeerScope,
    check_change,
)
from fieldwelfare.store.conflicts import (
    clock_flags,
    get_conflict,
    list_conflicts,
    resolve_conflict,
)
from fieldwelfare.store.ingest import apply_changes, is_applied
from fieldwelfare.store.ingest_batch import FAULT_ENV as FAULT_ENV
from fieldwelfare.store.merge import EVENT_FIELDS
from fieldwelfare.store.merge import fold_record as fold_record
from fieldwelfare.store.outbox import acknowledge, last_seq, outbox, sync_info, unsent_count
from fieldwelfare.store.peerscope import DIRECTORY as DIRECTORY
from fieldwelfare.store.peerscope import ROLES as ROLES
from fieldwelfare.store.peerscope import SCOPE_FIELDS as SCOPE_FIELDS
from fieldwelfare.store.peerscope import VOLUNTEER_REFERRAL_FIELDS as VOLUNTEER_REFERRAL_FIELDS
from fieldwelfare.store.peerscope import changes_for_peer

BATCH = ingest.BATCH
""":func:`apply_changes` reads, checks, merges and writes this many changes at a time (set
here or in :mod:`fieldwelfare.store.ingest`)."""

_PAGE = changes.PAGE

_FORWARD: dict[str, tuple[types.ModuleType, str]] = {
    "BATCH": (ingest, "BATCH"),
    "_PAGE": (changes, "PAGE"),
    "fold_record": (ingest_batch, "fold_record"),
}
"""Attributes of this module that are set (by tests) to change how the code runs: setting
one here sets it where the code reads it."""


class _Facade(types.ModuleType):
    def __setattr__(self, name: str, value: Any) -> None:
        home = _FORWARD.get(name)
        if home is not None:
            setattr(home[0], home[1], value)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Facade

__all__ = [
    "EVENT_FIELDS",
    "ApplyReport",
    "Change",
    "Conflict",
    "PeerScope",
    "acknowledge",
    "apply_changes",
    "changes_for_peer",
    "check_change",
    "clock_flags",
    "get_conflict",
    "is_applied",
    "last_seq",
    "list_conflicts",
    "outbox",
    "resolve_conflict",
    "sync_info",
    "unsent_count",
]
