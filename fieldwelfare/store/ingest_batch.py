"""Merging one batch of an import: log append, fold, events, conflicts, clock flags, and the
test hook that kills the process mid-import (:data:`FAULT_ENV`).

Used by :func:`fieldwelfare.store.ingest.apply_changes`, inside its one transaction (see
docs/merge.md, "Import: all or nothing").
"""

from __future__ import annotations

import json
import os
import signal
from dataclasses import dataclass, field
from typing import Any

from fieldwelfare.hlc import is_far_future
from fieldwelfare.store import purge
from fieldwelfare.store.changes import Change
from fieldwelfare.store.dbapi import sqlite3
from fieldwelfare.store.merge import (
    ACCESS_FIELDS,
    ACCESS_TABLE,
    EVENT_TABLE,
    PURGE_TABLE,
    REDACTION_TABLE,
    ConflictRow,
    Entry,
    find_conflicts,
    fold_access,
    fold_event,
    fold_record,
    insert_conflicts,
    load_entries,
    record_fields,
)

FAULT_ENV = "FIELDWELFARE_FAULT_AFTER"
"""Test hook: SIGKILL this process once an import has applied this many changes (checked
after each record), or, with the value ``commit``, just before COMMIT."""

_FLUSH = 500

Group = dict[tuple[str, str, str], tuple[Change, str]]
"""One record's changes in a batch: (origin, hlc, field) -> (change, canonical JSON value)."""

_EVENT_UPSERT = (
    "INSERT INTO referral_event (id, referral_id, status, at, by, note, hlc, origin) "
    "VALUES (:id, :referral_id, :status, :at, :by, :note, :hlc, :origin) "
    "ON CONFLICT(id) DO UPDATE SET referral_id = excluded.referral_id, "
    "status = excluded.status, at = excluded.at, by = excluded.by, note = excluded.note, "
    "hlc = excluded.hlc, origin = excluded.origin WHERE (referral_event.referral_id, "
    "referral_event.status, referral_event.at, referral_event.by, referral_event.note, "
    "referral_event.hlc, referral_event.origin) IS NOT (excluded.referral_id, "
    "excluded.status, excluded.at, excluded.by, excluded.note, excluded.hlc, excluded.origin)"
)
"""An event row is the fold of its logged changes: inserted once complete, rewritten only
if a change arriving later (a later batch or bundle) changes the fold."""


class Fault:
    """FIELDWELFARE_FAULT_AFTER=N: SIGKILL ourselves once N changes are applied (tests)."""

    def __init__(self) -> None:
        raw = os.environ.get(FAULT_ENV)
        self.at_commit = raw == "commit"  # everything written, COMMIT not yet run
        self.after = None if not raw or self.at_commit else int(raw)
        self.done = 0

    def tick(self, n: int) -> None:
        """Called after each record is merged (n = its new changes)."""
        self.done += n
        if self.after is not None and self.done >= self.after:
            os.kill(os.getpid(), signal.SIGKILL)

    def before_commit(self) -> None:
        if self.at_commit:
            os.kill(os.getpid(), signal.SIGKILL)


def _insert_rows(conn: sqlite3.Connection, tbl: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    cols = ["id", *record_fields(tbl), "updated_at", "_clock"]
    names = ", ".join('"' + c + '"' for c in cols)
    conn.executemany(
        f"INSERT INTO {tbl} ({names}) VALUES ({', '.join('?' * len(cols))})",
        [[r[c] for c in cols] for r in rows])


def _clock_json(clock: dict[str, Any]) -> str:
    return json.dumps(clock, sort_keys=True)  # as the store writes it


@dataclass
class Totals:
    """What an import has done so far, across batches."""

    applied: int = 0
    skipped: int = 0
    conflicts: int = 0
    flagged: int = 0
    newest: str | None = None
    """Greatest received stamp that is not far in the future (observed by our clock)."""
    scrub: purge.Scrub = field(default_factory=purge.Scrub)
    """What erasure markers removed, and the received changes they dropped."""


def merge_batch(conn: sqlite3.Connection, groups: dict[tuple[str, str], Group],
                totals: Totals, fault: Fault, now_ms: int, bundle_id: str,
                flagged_at: str) -> None:
    """Log, fold and write one batch. Each record's logged changes are read from the change
    table, which holds what earlier batches of this import wrote: dedup, the refusal of an
    identity with another value, conflicts and rows come out as if in one batch."""
    log: list[tuple[Any, ...]] = []
    inserts: dict[str, list[dict[str, Any]]] = {}
    events: list[dict[str, Any]] = []
    pairs: list[ConflictRow] = []
    flags: list[tuple[str, ...]] = []

    def flush(force: bool = False) -> None:
        if log and (force or len(log) >= _FLUSH):
            conn.executemany(
                "INSERT INTO change (tbl, rid, field, value, hlc, origin, operator, base) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", log)
            log.clear()
        for tbl, rows in inserts.items():
            if rows and (force or len(rows) >= _FLUSH):
                _insert_rows(conn, tbl, rows)
                rows.clear()

    # Once a replica knows an erasure, a batch is screened: markers first, then owners
    # before what they own (purge.screen). Otherwise arrival order, as always.
    screening = purge.active(conn, groups)
    for tbl, rid in sorted(groups, key=purge.batch_order) if screening else list(groups):
        group = groups[(tbl, rid)]
        if screening:
            group = purge.screen(conn, tbl, rid, group, totals.scrub)
        existing = load_entries(conn, tbl, rid)
        known = {(e.origin, e.hlc, e.field): e.value for e in existing}
        new: list[Entry] = []
        for key, (c, text) in group.items():
            if key in known:
                if known[key] != text and not (
                        purge.is_redacted_value(tbl, c.field, known[key])
                        or purge.is_redacted_value(tbl, c.field, text)):
                    raise ValueError(f"change {c.identity} already applied with another value")
                totals.skipped += 1
                continue
            new.append(Entry(c.field, text, c.hlc, c.origin, c.base))
            log.append((tbl, rid, c.field, text, c.hlc, c.origin, c.operator, c.base))
            if is_far_future(c.hlc, now_ms):
                flags.append((bundle_id, tbl, rid, c.field, c.hlc, c.origin, flagged_at))
            elif totals.newest is None or c.hlc > totals.newest:
                totals.newest = c.hlc
        if not new:
            continue
        totals.applied += len(new)
        pairs.extend(find_conflicts(tbl, rid, new, existing))
        if tbl == PURGE_TABLE:
            flush(force=True)  # the marker is the fold of its logged changes
            needs = purge.save_marker(conn, rid)
            purge.purge_person(conn, rid, needs, totals.scrub)
        elif tbl == REDACTION_TABLE:
            flush(force=True)
            purge.save_redaction(conn, rid)
            purge.apply_redaction(conn, rid, totals.scrub)
        elif tbl == ACCESS_TABLE:
            upsert_access(conn, rid, fold_access([*existing, *new]))
        elif tbl == EVENT_TABLE:
            event = fold_event([*existing, *new])
            if event is not None:
                events.append({"id": rid, **event})
        elif not existing:
            row = fold_record(tbl, new)
            row["id"], row["_clock"] = rid, _clock_json(row["_clock"])
            inserts.setdefault(tbl, []).append(row)
        else:
            _update_row(conn, tbl, rid, fold_record(tbl, [*existing, *new]))
        flush()
        fault.tick(len(new))
    flush(force=True)  # the next batch reads these records' logs and rows
    if events:
        conn.executemany(_EVENT_UPSERT, events)
    totals.conflicts += insert_conflicts(conn, pairs)
    if flags:
        conn.executemany(
            "INSERT INTO clock_flag (bundle_id, tbl, rid, field, hlc, origin, flagged_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)", flags)
        totals.flagged += len(flags)


def upsert_access(conn: sqlite3.Connection, rid: str, row: dict[str, Any]) -> None:
    cols = ("id", *ACCESS_FIELDS, "hlc", "origin")
    conn.execute(f"INSERT OR REPLACE INTO access ({', '.join(cols)}) "
                 f"VALUES ({', '.join('?' * len(cols))})", [rid if c == "id" else row[c]
                                                            for c in cols])


def _update_row(conn: sqlite3.Connection, tbl: str, rid: str, state: dict[str, Any]) -> None:
    current = conn.execute(f"SELECT * FROM {tbl} WHERE id = ?", (rid,)).fetchone()
    if current is None:
        state["id"], state["_clock"] = rid, _clock_json(state["_clock"])
        _insert_rows(conn, tbl, [state])
        return
    old_clock = json.loads(current["_clock"]) if current["_clock"] else {}
    sets: list[str] = []
    values: list[Any] = []
    for col in (*record_fields(tbl), "updated_at"):
        if current[col] != state[col]:
            sets.append(f'"{col}" = ?')
            values.append(state[col])
    if old_clock != state["_clock"]:
        sets.append("_clock = ?")
        values.append(_clock_json(state["_clock"]))
    if sets:
        conn.execute(f"UPDATE {tbl} SET {', '.join(sets)} WHERE id = ?", [*values, rid])
