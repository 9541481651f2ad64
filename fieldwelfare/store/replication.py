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

Tunables live where they are read: ``ingest.BATCH`` (changes merged per batch) and
``changes.PAGE`` (rows read per page of the change log).
"""

from __future__ import annotations

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
from fieldwelfare.store.outbox import (
    acknowledge,
    last_seq,
    outbox,
    outbox_tables,
    sync_info,
    tables_between,
    unsent_count,
)
from fieldwelfare.store.peerscope import DIRECTORY as DIRECTORY
from fieldwelfare.store.peerscope import ROLES as ROLES
from fieldwelfare.store.peerscope import SCOPE_FIELDS as SCOPE_FIELDS
from fieldwelfare.store.peerscope import VOLUNTEER_REFERRAL_FIELDS as VOLUNTEER_REFERRAL_FIELDS
from fieldwelfare.store.peerscope import changes_for_peer

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
    "outbox_tables",
    "resolve_conflict",
    "sync_info",
    "tables_between",
    "unsent_count",
]
