"""Erasing a person (GDPR art. 17) end to end on this replica: the purge in the database
(:mod:`fieldwelfare.store.erasure`), then the bundle files that may still hold the person
(:mod:`fieldwelfare.sync.scrub`). The marker then syncs to every replica."""

from __future__ import annotations

from typing import Any

from fieldwelfare.store.erasure import erase_person
from fieldwelfare.store.store import Store
from fieldwelfare.sync.scrub import after_erasure


def erase(store: Store, person_id: str, reason: str, *, require_role: bool = True
          ) -> dict[str, Any]:
    """Erase ``person_id`` here; returns what was done (no personal data)."""
    done = erase_person(store, person_id, reason, require_role=require_role)
    files = after_erasure(store, done.seqs, erased=True)
    return {**done.as_dict(), "files_removed": len(files.removed)}
