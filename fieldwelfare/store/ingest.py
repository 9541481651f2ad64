"""Applying received changes: :func:`apply_changes` merges a bundle, all or nothing, in one
transaction, reading it :data:`BATCH` changes at a time; the bundle ledger
(:func:`is_applied`). The merge of one batch is in :mod:`fieldwelfare.store.ingest_batch`.
Part of the replication API, imported from :mod:`fieldwelfare.store.replication`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from fieldwelfare.clock import wall_ms
from fieldwelfare.store import purge
from fieldwelfare.store.changes import ApplyReport, Change, check_change, short_str
from fieldwelfare.store.codec import encode_value
from fieldwelfare.store.ingest_batch import Fault, Group, Totals, merge_batch
from fieldwelfare.store.store import Store
from fieldwelfare.store.writer import WriteUnit

BATCH = 20_000
""":func:`apply_changes` reads, checks, merges and writes this many changes at a time, all
inside its one transaction, so its memory does not grow with the bundle (tests set it small
to split records across batches)."""


def is_applied(store: Store, bundle_id: str) -> bool:
    with store.lock:
        return store.conn.execute(
            "SELECT 1 FROM applied_bundle WHERE bundle_id = ?", (bundle_id,)).fetchone() is not None


def checkpoint(store: Store) -> bool:
    """After an erasure commits: copy the WAL into the database and truncate it, so no old
    page image with erased data stays in the ``-wal`` file (freed pages are zeroed by
    ``secure_delete``). False if a reader kept the checkpoint from completing."""
    with store.lock:
        row = store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return row is None or int(row[0]) == 0


def _checked(c: object) -> Change:
    if not isinstance(c, Change):
        raise ValueError("apply_changes takes Change objects")
    check_change(c)
    return c


def apply_changes(store: Store, changes: Iterable[Change], *, bundle_id: str, sender: str,
                  file_sha256: str, kind: str, received_from_hub: bool = False) -> ApplyReport:
    """Merge received changes, all or nothing, in one transaction.

    ``changes`` is consumed once, lazily, :data:`BATCH` changes at a time inside the
    transaction (each is checked as it is read), so a bundle of any size is applied with
    bounded memory; an exception from the iterable (a bag check at the end of a bundle)
    rolls everything back.

    A bundle already in the ledger is reported ``duplicate`` and changes nothing (its
    changes are still read and checked). A change already logged (same identity key) is
    skipped; the same identity with another value raises ValueError and the whole bundle is
    refused.
    """
    for name, value in (("bundle_id", bundle_id), ("sender", sender),
                        ("file_sha256", file_sha256), ("kind", kind)):
        short_str(value, name)
    stream = iter(changes)
    fault = Fault()
    erased: list[ApplyReport] = []
    now_ms = wall_ms(store.now())
    with store.lock:
        store.conn.execute("PRAGMA foreign_keys = OFF")  # parents may arrive later
        try:
            with store.writing() as w:
                conn = w.conn
                if not conn.execute("SELECT 1 FROM applied_bundle WHERE bundle_id = ?",
                                    (bundle_id,)).fetchone():
                    report = _apply(w, stream, fault, now_ms, bundle_id=bundle_id,
                                    sender=sender, file_sha256=file_sha256, kind=kind,
                                    received_from_hub=received_from_hub)
                    if report.scrubbed or report.erased:
                        erased.append(report)
                    return report
        finally:
            store.conn.execute("PRAGMA foreign_keys = ON")
            if erased:
                checkpoint(store)
    for c in stream:  # a duplicate: nothing is written, but the input is still checked
        _checked(c)
    return ApplyReport(bundle_id, True, 0, 0, 0, 0)


def _read_batch(stream: Iterator[Any], size: int) -> tuple[dict[tuple[str, str], Group],
                                                           int, int]:
    """Up to ``size`` changes, checked and grouped by record; a repeat within the batch is
    dropped (counted as skipped) or, with another value, refused. Returns (groups, read,
    skipped)."""
    groups: dict[tuple[str, str], Group] = {}
    read = skipped = 0
    for item in stream:
        c = _checked(item)
        read += 1
        text = encode_value(c.value)
        group = groups.setdefault((c.tbl, c.rid), {})
        key = (c.origin, c.hlc, c.field)
        seen = group.get(key)
        if seen is not None:
            if seen[1] != text:
                raise ValueError(f"change {c.identity} appears twice with different values")
            skipped += 1
        else:
            group[key] = (c, text)
        if read >= size:
            break
    return groups, read, skipped


def _apply(w: WriteUnit, stream: Iterator[Any], fault: Fault,
           now_ms: int, *, bundle_id: str, sender: str, file_sha256: str, kind: str,
           received_from_hub: bool) -> ApplyReport:
    conn = w.conn
    first_seq = (conn.execute("SELECT max(seq) FROM change").fetchone()[0] or 0) + 1
    totals = Totals()
    flagged_at = w.now_iso()
    size = max(1, BATCH)
    while True:
        groups, read, skipped = _read_batch(stream, size)
        totals.skipped += skipped
        merge_batch(conn, groups, totals, fault, now_ms, bundle_id, flagged_at)
        if read < size:  # the stream is exhausted (and its end-of-stream checks passed)
            break
    if totals.newest is not None:
        w.observe(totals.newest)
    applied, skipped, conflicts, flagged = (totals.applied, totals.skipped, totals.conflicts,
                                            totals.flagged)
    scrub = totals.scrub
    if scrub.touched:
        purge.optimize_fts(conn)
        w.audit([w.entry("purge", None, None, purge.audit_detail(scrub, conn))])
    last = conn.execute("SELECT max(seq) FROM change").fetchone()[0] or 0
    report = ApplyReport(bundle_id, False, applied, skipped, conflicts, flagged,
                         scrub.dropped, tuple(scrub.persons), tuple(sorted(scrub.seqs)))
    conn.execute(
        "INSERT INTO applied_bundle (bundle_id, sender, kind, file_sha256, received_from_hub, "
        "applied_at, applied, skipped, conflicts, flagged_future, first_seq, last_seq) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (bundle_id, sender, kind, file_sha256, int(received_from_hub), w.now_iso(), applied,
         skipped, conflicts, flagged, first_seq if applied else None,
         last if applied else None))
    w.audit([w.entry("sync_apply", None, None, json.dumps(
        {"bundle_id": bundle_id, "sender": sender, "kind": kind, "applied": applied,
         "skipped": skipped, "conflicts": conflicts, "flagged_future": flagged,
         "purged": scrub.dropped},
        separators=(",", ":")))])
    fault.before_commit()
    return report
