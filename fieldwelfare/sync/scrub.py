"""Erasure reaches the bundle files too (docs/privacy.md, "Erasure").

After an erasure (local, or a marker received in a bundle) a replica removes the files it
keeps that may still hold what was erased:

* a device's own outgoing bundles (sealed to the hub, so the device cannot read them) whose
  change range holds an emptied row of its own: their changes are re-sent from the cleaned
  log by the next export if they were not acknowledged;
* a hub's replies not fetched or still on disk (sealed to a device: the hub cannot read
  them): the next reply re-sends what the device has not applied, from the cleaned log;
* a hub's archive of received device bundles: each is decrypted with the hub keys and
  **dropped** if it holds a change of an erased record (or the free text of a redacted
  one). The archived files are the devices' signed originals: re-packing would replace the
  device's signature with the hub's, so the hub drops them and records which (bundle id,
  file sha256) in its audit log; the changes of other people they held stay in the hub's
  change log.

Files copied elsewhere (USB sticks) are out of reach: the audit entry lists the bundle ids.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from fieldwelfare.clock import wall_ms
from fieldwelfare.store import hubstate
from fieldwelfare.store.purge import REDACTED
from fieldwelfare.store.store import Store
from fieldwelfare.sync import envelope
from fieldwelfare.sync.bundle import Payload, unwrap_sealed
from fieldwelfare.sync.errors import BundleRefused
from fieldwelfare.sync.keys import KeyPair


@dataclass
class Scrubbed:
    removed: list[str] = field(default_factory=list)
    """Bundle files removed (their names)."""
    kept_unreadable: list[str] = field(default_factory=list)
    """Archived files that could not be read (left in place, listed in the audit entry)."""


def _is_hub(store: Store) -> bool:
    return hubstate.current_key(store, "hub") is not None


def after_erasure(store: Store, seqs: Iterable[int], *, erased: bool) -> Scrubbed:
    """Remove the bundle files that may hold erased data. ``seqs``: the change-log rows the
    erasure emptied or rewrote; ``erased``: whether a marker was applied (the hub then scans
    its archive)."""
    rows = sorted(set(seqs))
    done = Scrubbed()
    hub = _is_hub(store)
    for bundle in hubstate.bundles(store, "out"):
        path = Path(str(bundle["path"] or ""))
        if not bundle["path"] or not path.is_file():
            continue
        if hub or _overlaps(rows, bundle["first_seq"], bundle["last_seq"]):
            path.unlink()
            done.removed.append(path.name)
    if hub and (erased or rows):
        scrub_archive(store, done)
    if done.removed or done.kept_unreadable:
        store.record_event("erasure.files", json.dumps(
            {"removed": done.removed, "unreadable": done.kept_unreadable},
            separators=(",", ":")))
    return done


def _overlaps(rows: list[int], first: int | None, last: int | None) -> bool:
    if first is None or last is None:
        return False
    return any(first <= s <= last for s in rows)


def purged_records(store: Store) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    erased: set[tuple[str, str]] = set()
    redacted: set[tuple[str, str]] = set()
    for tbl, rid, mode in store.execute_read("SELECT tbl, rid, mode FROM purged_record"):
        (erased if mode == "erase" else redacted).add((str(tbl), str(rid)))
    return erased, redacted


def holds_erased(store: Store, path: Path, keys: list[KeyPair],
                 purged: tuple[set[tuple[str, str]], set[tuple[str, str]]]) -> bool:
    """Whether the device bundle at ``path`` holds a change of an erased record or the free
    text of a redacted one (decrypted with the hub keys; stops at the first)."""
    erased, redacted = purged
    env = envelope.read_header(path)
    ck = unwrap_sealed(env, keys)
    payload = Payload(env, ck, now_ms=wall_ms(store.now()))
    for c in payload.changes():
        key = (c.tbl, c.rid)
        if key in erased or (key in redacted and c.field in REDACTED.get(c.tbl, {})):
            return True
    return False


def scrub_archive(store: Store, done: Scrubbed) -> None:
    from fieldwelfare.sync.hub import bundles_dir

    archive = bundles_dir(store) / "archive"
    if not archive.is_dir():
        return
    keys = [KeyPair.from_row(r) for r in hubstate.keys(store, "hub")]
    purged = purged_records(store)
    for path in sorted(archive.glob("*.fwb")):
        try:
            hit = holds_erased(store, path, keys, purged)
        except BundleRefused:
            done.kept_unreadable.append(path.name)
            continue
        if hit:
            path.unlink()
            done.removed.append(path.name)
