"""The merge rule, as pure functions of change-log entries (no I/O but :func:`detect_local`).

A record row is a *fold* of every change logged for it: per field, the value of the change
with the greatest ``(hlc, origin)``; the ``created_at`` change marks the creation stamp
(``"*"`` in ``_clock``), which implicitly sets every field it did not log to NULL.
Because the fold is a function of the *set* of changes, replicas holding the same set hold
the same row, whatever the order, duplicates or batching of arrival.

Conflicts are pairs of changes, again a function of the set: see :func:`find_conflicts`
and docs/merge.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from fieldwelfare.models import MODELS
from fieldwelfare.store.codec import decode_value, to_column
from fieldwelfare.store.dbapi import sqlite3

STAMP = re.compile(r"^[0-9a-f]{16}-[0-9a-f]{4}$")
MAX_WALL_MS = 253_402_300_799_999
"""9999-12-31T23:59:59.999Z: a stamp beyond this is refused (it has no calendar time)."""

EVENT_TABLE = "referral_event"
EVENT_FIELDS = ("referral_id", "status", "at", "by", "note")
EVENT_REQUIRED = ("referral_id", "status", "at", "by")
DELETED = "_deleted"
TRUE = "true"
PURGE_TABLE = "purge"
PURGE_FIELDS = ("at", "by", "reason", "needs")
"""An erasure marker (docs/merge.md, "Erasure"): rid = the erased person's id; ``needs``
lists the person's needs the erasing replica knew (replicas without them, such as a
volunteer's, redact the referrals of those needs)."""
ACCESS_TABLE = "access"
ACCESS_FIELDS = ("person_id", "at", "by", "device", "via", "why")
"""A read-log entry (docs/privacy.md): append-only, one record per opening of a file."""
REDACTION_TABLE = "redaction"
REDACTION_FIELDS = ("at", "by", "reason")
"""A redaction marker (docs/merge.md, "Redaction"): rid = a referral's id; its free text
(brief, outcome, reason, its history notes) is removed on every replica. No personal data."""
MARKER_TABLES = (EVENT_TABLE, PURGE_TABLE, ACCESS_TABLE, REDACTION_TABLE)
"""Tables that are not record kinds: they never form conflicts."""

EDIT = "concurrent_edit"
EDIT_AFTER_DELETE = "edit_after_delete"


@cache
def record_fields(kind: str) -> tuple[str, ...]:
    """The replicated columns of a record kind (what a change may name)."""
    return ("created_at", "created_by", *MODELS[kind].data_fields(), DELETED)


def allowed_fields(tbl: str) -> frozenset[str]:
    if tbl == EVENT_TABLE:
        return frozenset(EVENT_FIELDS)
    if tbl == PURGE_TABLE:
        return frozenset(PURGE_FIELDS)
    if tbl == ACCESS_TABLE:
        return frozenset(ACCESS_FIELDS)
    if tbl == REDACTION_TABLE:
        return frozenset(REDACTION_FIELDS)
    if tbl in MODELS:
        return frozenset(record_fields(tbl))
    raise ValueError(f"unknown table {tbl!r}")


def is_stamp(value: object) -> bool:
    if not isinstance(value, str) or not STAMP.match(value):
        return False
    return int(value[:16], 16) <= MAX_WALL_MS


def successor(stamp: str) -> str:
    """The smallest stamp greater than ``stamp``."""
    wall, counter = int(stamp[:16], 16), int(stamp[17:], 16)
    if counter >= 0xFFFF:
        if wall + 1 > MAX_WALL_MS:  # never derive a stamp the parser refuses
            raise ValueError(f"no stamp after {stamp}")
        return f"{wall + 1:016x}-0000"
    return f"{wall:016x}-{counter + 1:04x}"


def day_stamp(day: str) -> str:
    """The smallest stamp of an ISO day (UTC midnight): stamps sort as text, so
    ``hlc < day_stamp(d)`` means "stamped before ``d``" whatever the writer's wall clock
    said (a laptop clock three years behind still stamps after what it last received)."""
    moment = dt.datetime.fromisoformat(day[:10]).replace(tzinfo=dt.UTC)
    wall = int((moment - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)).total_seconds() * 1000)
    return f"{max(wall, 0):016x}-0000"


def stamp_time(stamp: str) -> str:
    """The wall time of a stamp as the store writes timestamps (ISO 8601 UTC, ms)."""
    wall = min(int(stamp[:16], 16), MAX_WALL_MS)
    moment = dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(milliseconds=wall)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def clock_top(clock: dict[str, Any]) -> str | None:
    """The greatest stamp held in a row's ``_clock`` (``None`` if empty)."""
    stamps = [v[0] for v in clock.values() if v and v[0]]
    return max(stamps) if stamps else None


@dataclass(slots=True)
class Entry:
    """One change-log row of one record, as the merge sees it (value is canonical JSON)."""

    field: str
    value: str
    hlc: str
    origin: str
    base: str | None

    @property
    def key(self) -> tuple[str, str]:
        return (self.hlc, self.origin)


# ---------------------------------------------------------------------------- folding
def fold_record(kind: str, entries: Iterable[Entry]) -> dict[str, Any]:
    """The row (column -> value, plus ``_clock`` as a dict and ``updated_at``)."""
    star: tuple[str, str] | None = None
    winners: dict[str, Entry] = {}
    for e in entries:
        if e.field == "created_at" and (star is None or e.key > star):
            star = e.key
        w = winners.get(e.field)
        if w is None or e.key > w.key:
            winners[e.field] = e
    row: dict[str, Any] = {}
    clock: dict[str, list[str]] = {}
    if star is not None:
        clock["*"] = [star[0], star[1]]
    for f in record_fields(kind):
        w = winners.get(f)
        if w is None or (star is not None and w.key < star):
            row[f] = 0 if f == DELETED else None
            continue
        value = decode_value(w.value)
        row[f] = (1 if value else 0) if f == DELETED else to_column(kind, f, value)
        if w.key != star:
            clock[f] = [w.hlc, w.origin]
    top = clock_top(clock)
    row["updated_at"] = stamp_time(top) if top else None
    row["_clock"] = clock
    return row


def fold_event(entries: Iterable[Entry]) -> dict[str, Any] | None:
    """A referral event row once all its required fields are logged (else ``None``)."""
    winners: dict[str, Entry] = {}
    for e in entries:
        w = winners.get(e.field)
        if w is None or e.key > w.key:
            winners[e.field] = e
    if any(f not in winners for f in EVENT_REQUIRED):
        return None
    top = max(winners.values(), key=lambda e: e.key)
    row: dict[str, Any] = {f: decode_value(winners[f].value) if f in winners else None
                           for f in EVENT_FIELDS}
    row["hlc"], row["origin"] = top.hlc, top.origin
    return row


def fold_access(entries: Iterable[Entry]) -> dict[str, Any]:
    """A read-log row: per field, the value of the greatest stamp."""
    winners: dict[str, Entry] = {}
    for e in entries:
        w = winners.get(e.field)
        if w is None or e.key > w.key:
            winners[e.field] = e
    row: dict[str, Any] = {f: decode_value(winners[f].value) if f in winners else None
                           for f in ACCESS_FIELDS}
    top = max(winners.values(), key=lambda e: e.key)
    row["hlc"], row["origin"] = top.hlc, top.origin
    return row


# ---------------------------------------------------------------------------- conflicts
def concurrent(a: Entry, b: Entry) -> bool:
    """Neither editor had seen the other's value: neither base reaches the other's stamp."""
    return not ((a.base is not None and a.base >= b.hlc)
                or (b.base is not None and b.base >= a.hlc))


def conflict_id(tbl: str, rid: str, a: Entry, b: Entry) -> str:
    ids = sorted([[a.origin, a.hlc, tbl, rid, a.field], [b.origin, b.hlc, tbl, rid, b.field]])
    return hashlib.sha256(json.dumps(ids, separators=(",", ":")).encode()).hexdigest()[:32]


ConflictRow = tuple[str, str, str, str, str, str, str, str, str, str, str, str, str]
"""(id, kind, tbl, rid, field, current_value, current_hlc, current_origin,
other_value, other_hlc, other_origin, resolve_field, resolve_stamp)"""


def _edit_conflict(tbl: str, rid: str, a: Entry, b: Entry) -> ConflictRow:
    win, lose = (a, b) if a.key > b.key else (b, a)
    return (conflict_id(tbl, rid, a, b), EDIT, tbl, rid, win.field,
            win.value, win.hlc, win.origin, lose.value, lose.hlc, lose.origin,
            win.field, win.hlc)


def _delete_conflict(tbl: str, rid: str, delete: Entry, edit: Entry) -> ConflictRow:
    return (conflict_id(tbl, rid, delete, edit), EDIT_AFTER_DELETE, tbl, rid, edit.field,
            delete.value, delete.hlc, delete.origin, edit.value, edit.hlc, edit.origin,
            DELETED, delete.hlc)


def find_conflicts(tbl: str, rid: str, new: Sequence[Entry],
                   existing: Sequence[Entry]) -> list[ConflictRow]:
    """Conflict pairs involving at least one entry of ``new``.

    * concurrent edit: same field, different origins, different values, and neither
      change's base reaches the other's stamp;
    * edit after delete: a ``_deleted = true`` change and a change of another field of the
      same record from another origin with a greater stamp.
    """
    if tbl in MARKER_TABLES:
        return []
    by_field: dict[str, list[Entry]] = {}
    deletes: list[Entry] = []
    edits: list[Entry] = []
    out: list[ConflictRow] = []

    def add(e: Entry) -> None:
        by_field.setdefault(e.field, []).append(e)
        if e.field == DELETED:
            if e.value == TRUE:
                deletes.append(e)
        else:
            edits.append(e)

    for e in existing:
        add(e)
    for c in new:
        for e in by_field.get(c.field, ()):
            if e.origin != c.origin and e.value != c.value and concurrent(c, e):
                out.append(_edit_conflict(tbl, rid, c, e))
        if c.field == DELETED:
            if c.value == TRUE:
                out.extend(_delete_conflict(tbl, rid, c, e) for e in edits
                           if e.origin != c.origin and e.key > c.key)
        else:
            out.extend(_delete_conflict(tbl, rid, d, c) for d in deletes
                       if d.origin != c.origin and c.key > d.key)
        add(c)
    return out


CONFLICT_COLUMNS = ("id, kind, tbl, rid, field, current_value, current_hlc, current_origin, "
                    "other_value, other_hlc, other_origin, resolve_field, resolve_stamp")


def insert_conflicts(conn: sqlite3.Connection, rows: Sequence[ConflictRow]) -> int:
    """Record conflict pairs (idempotent: the id is a hash of both changes). Returns new ones."""
    if not rows:
        return 0
    ids = list({r[0] for r in rows})
    known: set[str] = set()
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        known.update(r[0] for r in conn.execute(
            f"SELECT id FROM conflict WHERE id IN ({','.join('?' * len(chunk))})", chunk))
    fresh = {r[0]: r for r in rows if r[0] not in known}
    conn.executemany(
        f"INSERT INTO conflict ({CONFLICT_COLUMNS}) VALUES ({','.join('?' * 13)})",
        list(fresh.values()),
    )
    return len(fresh)


def load_entries(conn: sqlite3.Connection, tbl: str, rid: str) -> list[Entry]:
    return [Entry(r[0], r[1], r[2], r[3], r[4]) for r in conn.execute(
        "SELECT field, value, hlc, origin, base FROM change WHERE tbl = ? AND rid = ?",
        (tbl, rid))]


def detect_local(conn: sqlite3.Connection, changes: Sequence[tuple[Any, ...]]) -> None:
    """Conflict detection for changes the device itself just logged (store write path).

    Local stamps exceed every stamp the row holds, so the only pair a local write can form
    is an edit after a delete that was undone (the edit-after-delete rule is about stamps);
    it is recorded here so that the origin's conflict table equals every other replica's.
    Creations (a ``created_at`` change) cannot pair with anything and are skipped.
    """
    rows: dict[tuple[str, str], list[Entry]] = {}
    for c in changes:
        tbl, rid, field, value, hlc, origin = c[:6]
        base = c[7] if len(c) > 7 else None
        if tbl in MARKER_TABLES:
            continue
        rows.setdefault((tbl, rid), []).append(Entry(field, value, hlc, origin, base))
    pairs: list[ConflictRow] = []
    for (tbl, rid), new in rows.items():
        if any(e.field == "created_at" for e in new):
            continue
        keys = {(e.field, e.hlc, e.origin) for e in new}
        existing = [e for e in load_entries(conn, tbl, rid)
                    if (e.field, e.hlc, e.origin) not in keys]
        if any(e.field == DELETED and e.value == TRUE for e in existing):
            pairs.extend(find_conflicts(tbl, rid, new, existing))
    insert_conflicts(conn, pairs)
