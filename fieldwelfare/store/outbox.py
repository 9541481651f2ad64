"""Outbox and acknowledgements: this device's own changes not yet acknowledged by the hub,
the acknowledgement mark, and the counts of the sync screen (:func:`sync_info`).

Nothing is ever deleted: :func:`acknowledge` only moves the mark. Part of the replication
API, imported from :mod:`fieldwelfare.store.replication`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fieldwelfare.store import changes
from fieldwelfare.store.changes import SELECT, Change, row_change
from fieldwelfare.store.conflicts import list_conflicts
from fieldwelfare.store.dbapi import sqlite3
from fieldwelfare.store.purge import PURGED_TBL
from fieldwelfare.store.store import Store

_ACK_KEY = "acked_seq"
_UNSENT = (f"SELECT count(*) FROM change WHERE seq > ? AND origin = ? "
           f"AND tbl != '{PURGED_TBL}'")
"""Own changes not acknowledged (an erased record's emptied rows are never sent)."""


def _get_state(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def _acked(conn: sqlite3.Connection) -> int:
    return int(_get_state(conn, _ACK_KEY) or 0)


def outbox_tables(store: Store, *, after_seq: int | None = None) -> set[str]:
    """The tables :func:`outbox` would send from ``after_seq`` (for the bundle's schema)."""
    with store.lock:
        cursor = max(_acked(store.conn), after_seq or 0)
        return {row[0] for row in store.conn.execute(
            f"SELECT DISTINCT tbl FROM change WHERE seq > ? AND origin = ? "
            f"AND tbl != '{PURGED_TBL}'", (cursor, store.identity.device_id))}


def tables_between(store: Store, since_seq: int, upto_seq: int) -> set[str]:
    """The tables of the change log between two marks (a hub's reply: a superset of what
    the peer's scope lets through, so the schema it names is never too old)."""
    with store.lock:
        return {row[0] for row in store.conn.execute(
            f"SELECT DISTINCT tbl FROM change WHERE seq > ? AND seq <= ? "
            f"AND tbl != '{PURGED_TBL}'", (since_seq, upto_seq))}


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
                f"{SELECT} WHERE seq > ? AND origin = ? AND tbl != '{PURGED_TBL}' "
                "ORDER BY seq LIMIT ?",
                (cursor, me, changes.PAGE)).fetchall()
        if not rows:
            return
        for row in rows:
            if limit is not None and count >= limit and row[5] != last_hlc:
                return
            yield row[0], row_change(row)
            count, last_hlc, cursor = count + 1, row[5], row[0]


def unsent_count(store: Store) -> int:
    with store.lock:
        row = store.conn.execute(
            _UNSENT,
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


def sync_info(store: Store) -> dict[str, Any]:
    """Counts and marks for the sync screen and ``fieldwelfare sync status``."""
    me = store.identity.device_id
    with store.lock:
        conn = store.conn
        acked = _acked(conn)
        unsent = conn.execute(_UNSENT,
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
        "hlc": store.hlc(),
    }
