"""Replication: the outbox, applying received changes (the merge), conflicts, who gets what.

The sync layer (bundles, crypto, hub, transport) is built on these functions; the merge rule
itself is in :mod:`fieldwelfare.store.merge` and explained in docs/merge.md.
"""

from __future__ import annotations

import json
import math
import os
import signal
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import Any, Literal

from fieldwelfare.errors import InvalidInput, NotFound
from fieldwelfare.hlc import is_far_future, wall_ms_now
from fieldwelfare.i18n import register, t
from fieldwelfare.models import MODELS, Record, utc_now
from fieldwelfare.models.validation import validate
from fieldwelfare.store.codec import JSON_FIELDS, decode_value, encode_value, row_to_data
from fieldwelfare.store.merge import (
    CONFLICT_COLUMNS,
    DELETED,
    EDIT_AFTER_DELETE,
    EVENT_FIELDS,
    EVENT_TABLE,
    ConflictRow,
    Entry,
    allowed_fields,
    find_conflicts,
    fold_event,
    fold_record,
    insert_conflicts,
    is_stamp,
    load_entries,
    record_fields,
)
from fieldwelfare.store.store import Store

register({
    "err.conflict_not_found": ("conflitto {id}: non trovato", "conflict {id}: not found"),
    "err.conflict_resolved": ("conflitto {id}: già risolto", "conflict {id}: already resolved"),
})

FAULT_ENV = "FIELDWELFARE_FAULT_AFTER"
"""Test hook: SIGKILL this process once an import has applied this many changes (checked
after each record), or, with the value ``commit``, just before COMMIT."""

ROLES = ("social_worker", "volunteer", "coordinator")
DIRECTORY = ("organisation", "volunteer", "availability")
VOLUNTEER_REFERRAL_FIELDS = frozenset({
    "created_at", "created_by", "need_id", "volunteer_id", "organisation_id", "brief",
    "category", "comune", "status", "outcome", "reason", DELETED,
})
"""What a volunteer receives of a referral addressed to them. ``need_id`` is an opaque id
(the need itself never goes to a volunteer) kept so the record validates when the volunteer
updates its status. An explicit list: a field added to referrals later is not sent to
volunteers until someone decides it should be."""

SCOPE_FIELDS: dict[str, frozenset[str]] = {
    "person": frozenset({"comune"}),
    "visit": frozenset({"person_id"}),
    "need": frozenset({"comune"}),
    "referral": frozenset({"comune", "volunteer_id"}),
    "availability": frozenset({"volunteer_id"}),
    EVENT_TABLE: frozenset({"referral_id"}),
}
"""Fields that decide who gets a record: a change to one may bring the record into a peer's
scope, and then the peer gets the record's whole history."""

_PAGE = 2000
_FLUSH = 500
_ACK_KEY = "acked_seq"
_INT_LIMIT = 2**63


# ---------------------------------------------------------------------------- data classes
@dataclass(frozen=True)
class Change:
    """One field change; identity key = ``(origin, hlc, tbl, rid, field)``."""

    tbl: str
    rid: str
    field: str
    value: Any
    hlc: str
    origin: str
    operator: str | None
    base: str | None

    KEYS = ("tbl", "rid", "field", "value", "hlc", "origin", "operator", "base")

    @property
    def identity(self) -> tuple[str, str, str, str, str]:
        return (self.origin, self.hlc, self.tbl, self.rid, self.field)

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.KEYS}

    @classmethod
    def from_dict(cls, d: Any) -> Change:
        """Strict: exactly the eight keys, the right types, known table and field."""
        if not isinstance(d, dict):
            raise ValueError("a change must be a JSON object")
        keys = set(d)
        if keys != set(cls.KEYS):
            extra, missing = sorted(keys - set(cls.KEYS)), sorted(set(cls.KEYS) - keys)
            raise ValueError(f"change keys: unknown {extra}, missing {missing}")
        change = cls(**{k: d[k] for k in cls.KEYS})
        check_change(change)
        return change


def _short_str(value: Any, name: str, limit: int = 200) -> None:
    if not isinstance(value, str) or not value or len(value) > limit:
        raise ValueError(f"{name}: a non-empty string of at most {limit} characters expected")


def _check_json(value: Any, depth: int = 0) -> None:
    if depth > 8:
        raise ValueError("value nested too deeply")
    if value is None or isinstance(value, (bool, str)):
        return
    if isinstance(value, int):
        if not -_INT_LIMIT <= value < _INT_LIMIT:
            raise ValueError("integer out of range")
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("non-finite number")
    elif isinstance(value, list):
        for item in value:
            _check_json(item, depth + 1)
    elif isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError("object keys must be strings")
            _check_json(item, depth + 1)
    else:
        raise ValueError(f"not a JSON value: {type(value).__name__}")


def check_change(c: Change) -> None:
    """Raise ValueError unless ``c`` is well formed (allow-listed table and field, stamps)."""
    _short_str(c.tbl, "tbl", 40)
    _short_str(c.field, "field", 60)
    if c.field not in allowed_fields(c.tbl):
        raise ValueError(f"{c.tbl}: unknown field {c.field!r}")
    _short_str(c.rid, "rid", 64)
    _short_str(c.origin, "origin", 64)
    if c.operator is not None:
        _short_str(c.operator, "operator")
    if not is_stamp(c.hlc):
        raise ValueError(f"hlc: not a stamp: {c.hlc!r}")
    if c.base is not None and not (is_stamp(c.base) and c.base < c.hlc):
        raise ValueError(f"base: not a stamp before hlc: {c.base!r}")
    if c.field == DELETED:
        if not isinstance(c.value, bool):
            raise ValueError("_deleted: true or false expected")
    elif c.field not in JSON_FIELDS.get(c.tbl, ()) and not (
            c.value is None or isinstance(c.value, (str, int, float))):
        raise ValueError(f"{c.tbl}.{c.field}: a scalar value expected")
    else:
        _check_json(c.value)


@dataclass(frozen=True)
class PeerScope:
    """Who a hub reply is for."""

    device_id: str
    role: str
    ambito: str | None
    volunteer_id: str | None


@dataclass
class ApplyReport:
    bundle_id: str
    duplicate: bool
    applied: int
    skipped: int
    conflicts: int
    flagged_future: int


@dataclass(frozen=True)
class Conflict:
    id: str
    tbl: str
    rid: str
    field: str
    current_value: Any
    current_hlc: str
    current_origin: str
    other_value: Any
    other_hlc: str
    other_origin: str
    status: str
    kind: str = "concurrent_edit"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# ---------------------------------------------------------------------------- outbox
def _get_state(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def _acked(conn: sqlite3.Connection) -> int:
    return int(_get_state(conn, _ACK_KEY) or 0)


def _change(row: sqlite3.Row | tuple[Any, ...]) -> Change:
    return Change(row[1], row[2], row[3], decode_value(row[4]), row[5], row[6], row[7], row[8])


_SELECT = "SELECT seq, tbl, rid, field, value, hlc, origin, operator, base FROM change"


def outbox(store: Store, *, after_seq: int | None = None,
           limit: int | None = None) -> Iterator[tuple[int, Change]]:
    """This device's own changes the hub has not acknowledged, by seq, read page by page.

    ``after_seq`` starts later (never before the acknowledgement mark). ``limit`` is rounded
    up to the end of a write: changes sharing a stamp are never split between bundles.
    """
    me = store.identity.device_id
    with store.lock:
        cursor = max(_acked(store.conn), after_seq or 0)
    count, last_hlc = 0, None
    while True:
        with store.lock:
            rows = store.conn.execute(
                f"{_SELECT} WHERE seq > ? AND origin = ? ORDER BY seq LIMIT ?",
                (cursor, me, _PAGE)).fetchall()
        if not rows:
            return
        for row in rows:
            if limit is not None and count >= limit and row[5] != last_hlc:
                return
            yield row[0], _change(row)
            count, last_hlc, cursor = count + 1, row[5], row[0]


def unsent_count(store: Store) -> int:
    with store.lock:
        row = store.conn.execute(
            "SELECT count(*) FROM change WHERE seq > ? AND origin = ?",
            (_acked(store.conn), store.identity.device_id)).fetchone()
    return int(row[0])


def last_seq(store: Store) -> int:
    with store.lock:
        row = store.conn.execute("SELECT max(seq) FROM change").fetchone()
    return int(row[0] or 0)


def acknowledge(store: Store, upto_seq: int) -> None:
    """The hub has applied this device's changes up to local ``upto_seq``: move the mark
    (never backwards). Nothing is deleted."""
    if isinstance(upto_seq, bool) or not isinstance(upto_seq, int) or upto_seq < 0:
        raise ValueError("upto_seq: a non-negative integer expected")
    with store.transaction() as conn:
        top = conn.execute("SELECT max(seq) FROM change").fetchone()[0] or 0
        if upto_seq > top:
            raise ValueError(f"upto_seq {upto_seq} is beyond the last local seq {top}")
        if upto_seq > _acked(conn):
            conn.execute(
                "INSERT INTO sync_state (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (_ACK_KEY, str(upto_seq)))


# ---------------------------------------------------------------------------- apply
def is_applied(store: Store, bundle_id: str) -> bool:
    with store.lock:
        return store.conn.execute(
            "SELECT 1 FROM applied_bundle WHERE bundle_id = ?", (bundle_id,)).fetchone() is not None


class _Fault:
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


BATCH = 20_000
""":func:`apply_changes` reads, checks, merges and writes this many changes at a time, all
inside its one transaction, so its memory does not grow with the bundle (tests set it small
to split records across batches)."""

_Group = dict[tuple[str, str, str], tuple[Change, str]]
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
        _short_str(value, name)
    stream = iter(changes)
    fault = _Fault()
    now_ms = wall_ms_now()
    with store.lock:
        store.conn.execute("PRAGMA foreign_keys = OFF")  # parents may arrive later
        try:
            with store.transaction() as conn:
                if not conn.execute("SELECT 1 FROM applied_bundle WHERE bundle_id = ?",
                                    (bundle_id,)).fetchone():
                    return _apply(store, conn, stream, fault, now_ms, bundle_id=bundle_id,
                                  sender=sender, file_sha256=file_sha256, kind=kind,
                                  received_from_hub=received_from_hub)
        finally:
            store.conn.execute("PRAGMA foreign_keys = ON")
    for c in stream:  # a duplicate: nothing is written, but the input is still checked
        _checked(c)
    return ApplyReport(bundle_id, True, 0, 0, 0, 0)


def _read_batch(stream: Iterator[Any], size: int) -> tuple[dict[tuple[str, str], _Group],
                                                           int, int]:
    """Up to ``size`` changes, checked and grouped by record; a repeat within the batch is
    dropped (counted as skipped) or, with another value, refused. Returns (groups, read,
    skipped)."""
    groups: dict[tuple[str, str], _Group] = {}
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


@dataclass
class _Totals:
    """What an import has done so far, across batches."""

    applied: int = 0
    skipped: int = 0
    conflicts: int = 0
    flagged: int = 0
    newest: str | None = None
    """Greatest received stamp that is not far in the future (observed by our clock)."""


def _apply(store: Store, conn: sqlite3.Connection, stream: Iterator[Any], fault: _Fault,
           now_ms: int, *, bundle_id: str, sender: str, file_sha256: str, kind: str,
           received_from_hub: bool) -> ApplyReport:
    first_seq = (conn.execute("SELECT max(seq) FROM change").fetchone()[0] or 0) + 1
    totals = _Totals()
    flagged_at = utc_now()
    size = max(1, BATCH)
    while True:
        groups, read, skipped = _read_batch(stream, size)
        totals.skipped += skipped
        _merge_batch(conn, groups, totals, fault, now_ms, bundle_id, flagged_at)
        if read < size:  # the stream is exhausted (and its end-of-stream checks passed)
            break
    if totals.newest is not None:
        store.clock.observe(totals.newest)
        store._save_clock(conn)
    applied, skipped, conflicts, flagged = (totals.applied, totals.skipped, totals.conflicts,
                                            totals.flagged)
    last = conn.execute("SELECT max(seq) FROM change").fetchone()[0] or 0
    report = ApplyReport(bundle_id, False, applied, skipped, conflicts, flagged)
    conn.execute(
        "INSERT INTO applied_bundle (bundle_id, sender, kind, file_sha256, received_from_hub, "
        "applied_at, applied, skipped, conflicts, flagged_future, first_seq, last_seq) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (bundle_id, sender, kind, file_sha256, int(received_from_hub), utc_now(), applied,
         skipped, conflicts, flagged, first_seq if applied else None,
         last if applied else None))
    store._audit(conn, [store._entry("sync_apply", None, None, json.dumps(
        {"bundle_id": bundle_id, "sender": sender, "kind": kind, "applied": applied,
         "skipped": skipped, "conflicts": conflicts, "flagged_future": flagged},
        separators=(",", ":")))])
    fault.before_commit()
    return report


def _merge_batch(conn: sqlite3.Connection, groups: dict[tuple[str, str], _Group],
                 totals: _Totals, fault: _Fault, now_ms: int, bundle_id: str,
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

    for (tbl, rid), group in groups.items():
        existing = load_entries(conn, tbl, rid)
        known = {(e.origin, e.hlc, e.field): e.value for e in existing}
        new: list[Entry] = []
        for key, (c, text) in group.items():
            if key in known:
                if known[key] != text:
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
        if tbl == EVENT_TABLE:
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


# ---------------------------------------------------------------------------- who gets what
class _Scope:
    """Decides, with caches, whether a record (and which of its fields) goes to a peer."""

    def __init__(self, conn: sqlite3.Connection, peer: PeerScope) -> None:
        if peer.role not in ROLES:
            raise ValueError(f"role: one of {', '.join(ROLES)} expected")
        if peer.role == "volunteer" and not peer.volunteer_id:
            raise ValueError("a volunteer scope needs volunteer_id")
        if peer.role != "volunteer" and not peer.ambito:
            raise ValueError(f"a {peer.role} scope needs an ambito")
        self.conn, self.peer = conn, peer
        self.volunteer = peer.role == "volunteer"
        self.cache: dict[tuple[str, str], bool] = {}

    def _col(self, tbl: str, rid: str, col: str) -> Any:
        row = self.conn.execute(f'SELECT "{col}" FROM {tbl} WHERE id = ?', (rid,)).fetchone()
        return None if row is None else row[0]

    def _event_referral(self, rid: str) -> str | None:
        row = self.conn.execute("SELECT referral_id FROM referral_event WHERE id = ?",
                                (rid,)).fetchone()
        if row is not None:
            return str(row[0])
        row = self.conn.execute(
            "SELECT value FROM change WHERE tbl = ? AND rid = ? AND field = 'referral_id' "
            "ORDER BY hlc DESC, origin DESC LIMIT 1", (EVENT_TABLE, rid)).fetchone()
        value = decode_value(row[0]) if row is not None else None
        return value if isinstance(value, str) else None

    def _in_ambito(self, comune: Any) -> bool:
        from fieldwelfare.vocab import ambito_of

        return isinstance(comune, str) and ambito_of(comune) == self.peer.ambito

    def record(self, tbl: str, rid: str) -> bool:
        key = (tbl, rid)
        hit = self.cache.get(key)
        if hit is None:
            hit = self.cache[key] = self._record(tbl, rid)
        return hit

    def _record(self, tbl: str, rid: str) -> bool:
        if tbl == EVENT_TABLE:
            referral = self._event_referral(rid)
            return referral is not None and self.record("referral", referral)
        if self.volunteer:
            mine = self.peer.volunteer_id
            if tbl == "organisation":
                return True
            if tbl == "volunteer":
                return rid == mine
            if tbl in ("availability", "referral"):
                return bool(self._col(tbl, rid, "volunteer_id") == mine)
            return False
        if tbl in DIRECTORY:
            return True
        if tbl == "visit":
            person = self._col("visit", rid, "person_id")
            return isinstance(person, str) and self.record("person", person)
        if tbl in ("person", "need", "referral"):
            return self._in_ambito(self._col(tbl, rid, "comune"))
        return False

    def field(self, tbl: str, field: str) -> bool:
        return not (self.volunteer and tbl == "referral"
                    and field not in VOLUNTEER_REFERRAL_FIELDS)

    def dependents(self, tbl: str, rid: str) -> list[tuple[str, str]]:
        if tbl == "person" and not self.volunteer:
            return [("visit", r[0]) for r in self.conn.execute(
                "SELECT id FROM visit WHERE person_id = ?", (rid,))]
        if tbl == "referral":
            return [(EVENT_TABLE, r[0]) for r in self.conn.execute(
                "SELECT id FROM referral_event WHERE referral_id = ?", (rid,))]
        return []


def changes_for_peer(store: Store, peer: PeerScope, *,
                     since_seq: int) -> Iterator[tuple[int, Change]]:
    """Hub side: changes with seq > ``since_seq`` from any origin but the peer's, that the
    peer may have (see docs/merge.md, "Who gets what"), read page by page.

    When a change to a scope-deciding field (a person's comune, a referral's volunteer, ...)
    brings an older record into the peer's scope, that record's earlier history (and its
    visits' or events') is yielded right there, with seqs <= ``since_seq``: keep
    ``max(seq)`` of what was yielded (or :func:`last_seq`) as the next ``since_seq``.
    """
    cursor = since_seq
    expanded: set[tuple[str, str]] = set()
    while True:
        out: list[tuple[int, Change]] = []
        with store.lock:
            conn = store.conn
            scope = _Scope(conn, peer)
            rows = conn.execute(f"{_SELECT} WHERE seq > ? ORDER BY seq LIMIT ?",
                                (cursor, _PAGE)).fetchall()
            if not rows:
                return
            for row in rows:
                cursor = row[0]
                tbl, rid, field, origin = row[1], row[2], row[3], row[6]
                if not scope.record(tbl, rid):
                    continue
                if field in SCOPE_FIELDS.get(tbl, ()) and (tbl, rid) not in expanded:
                    expanded.add((tbl, rid))
                    out.extend(_history(conn, scope, tbl, rid, since_seq, peer.device_id))
                if origin != peer.device_id and scope.field(tbl, field):
                    out.append((row[0], _change(row)))
        yield from out


def _history(conn: sqlite3.Connection, scope: _Scope, tbl: str, rid: str, upto: int,
             skip_origin: str) -> list[tuple[int, Change]]:
    """Changes of a record (and of its visits or events) with seq <= ``upto``."""
    out: list[tuple[int, Change]] = []
    rows = conn.execute(f"{_SELECT} WHERE tbl = ? AND rid = ? AND seq <= ? ORDER BY seq",
                        (tbl, rid, upto)).fetchall()
    if not rows:
        return out
    out.extend((r[0], _change(r)) for r in rows
               if r[6] != skip_origin and scope.field(tbl, r[3]))
    for dep_tbl, dep_rid in scope.dependents(tbl, rid):
        out.extend(_history(conn, scope, dep_tbl, dep_rid, upto, skip_origin))
    return out


# ---------------------------------------------------------------------------- conflicts
_CONFLICT_SELECT = (
    f"SELECT {CONFLICT_COLUMNS}, EXISTS (SELECT 1 FROM change x WHERE x.tbl = c.tbl "
    "AND x.rid = c.rid AND x.field = c.resolve_field AND x.base >= c.resolve_stamp) "
    "AS resolved FROM conflict c"
)


def _conflict(row: sqlite3.Row) -> Conflict:
    return Conflict(
        id=row["id"], tbl=row["tbl"], rid=row["rid"], field=row["field"],
        current_value=decode_value(row["current_value"]), current_hlc=row["current_hlc"],
        current_origin=row["current_origin"], other_value=decode_value(row["other_value"]),
        other_hlc=row["other_hlc"], other_origin=row["other_origin"],
        status="resolved" if row["resolved"] else "open", kind=row["kind"])


def list_conflicts(store: Store, *, status: str | None = "open") -> list[Conflict]:
    """Conflicts, oldest stamp first. ``status``: "open", "resolved" or None (all).

    The status is derived from the change log, so every replica agrees: a conflict is
    resolved once some change of the field it is about (``_deleted`` for an edit after a
    delete) was made on top of the winning value (its base reaches the winner's stamp).
    """
    if status not in ("open", "resolved", None):
        raise InvalidInput(t("err.not_allowed_value", field="status", value=repr(status),
                             allowed="open, resolved"), field="status")
    with store.lock:
        rows = store.conn.execute(
            f"{_CONFLICT_SELECT} ORDER BY c.current_hlc, c.other_hlc, c.id").fetchall()
    found = [_conflict(r) for r in rows]
    return [c for c in found if status is None or c.status == status]


def get_conflict(store: Store, conflict_id: str) -> Conflict:
    with store.lock:
        row = store.conn.execute(f"{_CONFLICT_SELECT} WHERE c.id = ?",
                                 (conflict_id,)).fetchone()
    if row is None:
        raise NotFound(t("err.conflict_not_found", id=conflict_id), kind="conflict",
                       record_id=conflict_id)
    return _conflict(row)


def resolve_conflict(store: Store, conflict_id: str,
                     keep: Literal["current", "other"]) -> None:
    """Settle a conflict with a NEW local edit (fresh stamp, base = the winning value's),
    written through the store's write path; it syncs like any edit and closes the conflict
    on every replica. For an edit after a delete, "current" deletes the record again and
    "other" restores it (with the later edits)."""
    if keep not in ("current", "other"):
        raise InvalidInput(t("err.not_allowed_value", field="keep", value=repr(keep),
                             allowed="current, other"), field="keep")
    conflict = get_conflict(store, conflict_id)
    if conflict.status == "resolved":
        raise InvalidInput(t("err.conflict_resolved", id=conflict_id), field="keep")
    kind, rid = conflict.tbl, conflict.rid
    model = MODELS[kind]
    with store.transaction() as conn:
        row = conn.execute(f"SELECT * FROM {kind} WHERE id = ?", (rid,)).fetchone()
        if row is None:
            raise NotFound(t("err.not_found", kind=kind, id=rid), kind=kind, record_id=rid)
        if conflict.kind == EDIT_AFTER_DELETE:
            field, value = DELETED, keep == "current"
            data: dict[str, Any] = {DELETED: value}
        else:
            field = conflict.field
            value = conflict.current_value if keep == "current" else conflict.other_value
            old = row_to_data(kind, dict(row))
            data = {**old, field: value}
            if not row[DELETED]:
                _check_valid(model, old, data)
        stamp = store._write_fields(conn, kind, rid, data, [field], store.clock.now())
        if kind == "referral" and field == "status" and value != row["status"]:
            store._append_event(conn, rid, str(value), f"conflict {conflict_id}", stamp)
        store._audit(conn, [store._entry("resolve_conflict", kind, rid,
                                         f"{conflict_id}:{keep}")])
        store._save_clock(conn)


def _check_valid(model: type[Record], old: dict[str, Any], new: dict[str, Any]) -> None:
    """The record with the kept value must validate, unless it did not validate before
    either (a record still missing fields that have not arrived yet)."""
    try:
        validate(model, new)
    except InvalidInput:
        try:
            validate(model, old)
        except InvalidInput:
            return
        raise


# ---------------------------------------------------------------------------- status
def sync_info(store: Store) -> dict[str, Any]:
    """Counts and marks for the sync screen and ``fieldwelfare sync status``."""
    me = store.identity.device_id
    with store.lock:
        conn = store.conn
        acked = _acked(conn)
        unsent = conn.execute("SELECT count(*) FROM change WHERE seq > ? AND origin = ?",
                              (acked, me)).fetchone()[0]
        top = conn.execute("SELECT max(seq) FROM change").fetchone()[0] or 0
        bundles = conn.execute(
            "SELECT count(*), max(applied_at), max(CASE WHEN received_from_hub THEN applied_at "
            "END) FROM applied_bundle").fetchone()
        flags = conn.execute("SELECT count(*) FROM clock_flag").fetchone()[0]
    open_conflicts = len(list_conflicts(store, status="open"))
    return {
        "device_id": me,
        "unsent": int(unsent),
        "acked_seq": acked,
        "last_seq": int(top),
        "applied_bundles": int(bundles[0]),
        "last_applied_at": bundles[1],
        "last_hub_bundle_at": bundles[2],
        "open_conflicts": open_conflicts,
        "future_clock_flags": int(flags),
        "hlc": store.clock.last,
    }


def clock_flags(store: Store) -> list[dict[str, Any]]:
    """Far-future stamps received (for the coordinator): applied, but not trusted."""
    with store.lock:
        rows = store.conn.execute(
            "SELECT bundle_id, tbl, rid, field, hlc, origin, flagged_at FROM clock_flag "
            "ORDER BY _rowid").fetchall()
    return [dict(r) for r in rows]


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
