"""The audit log: append-only, hash-chained (each entry hashes the previous one)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from fieldwelfare.store.dbapi import sqlite3

GENESIS = "0" * 64


@dataclass
class AuditEntry:
    at: str
    device: str
    operator: str | None
    action: str
    tbl: str | None
    rid: str | None
    detail: str | None


def entry_hash(prev: str, entry: AuditEntry) -> str:
    body = json.dumps(
        [prev, entry.at, entry.device, entry.operator, entry.action, entry.tbl, entry.rid,
         entry.detail],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def head(conn: sqlite3.Connection) -> tuple[int, str]:
    """The chain head as stored now: (seq, hash), or (0, GENESIS) for an empty log."""
    row = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    return (int(row[0]), str(row[1])) if row else (0, GENESIS)


def append_entries(conn: sqlite3.Connection, entries: list[AuditEntry]) -> None:
    """Append ``entries`` inside the caller's write transaction, continuing the chain from
    the head as stored (never a cached one: another process may have written since), and
    keep the head in ``meta`` too (``audit_head``): cutting the log's tail then shows."""
    if not entries:
        return
    prev = head(conn)[1]
    rows = []
    for entry in entries:
        digest = entry_hash(prev, entry)
        rows.append((entry.at, entry.device, entry.operator, entry.action, entry.tbl,
                     entry.rid, entry.detail, prev, digest))
        prev = digest
    conn.executemany(
        "INSERT INTO audit (at, device, operator, action, tbl, rid, detail, prev, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    last = head(conn)
    conn.execute("INSERT INTO meta (key, value) VALUES ('audit_head', ?) "
                 "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                 (f"{last[0]}:{last[1]}",))


CHANGES_ACTION = "changes"
"""The audit entry that seals the change-log rows one write unit added (their digest)."""


def changes_digest(conn: sqlite3.Connection, first: int, last: int) -> tuple[int, str]:
    """(row count, sha256) of the change-log rows ``first..last`` as stored."""
    digest = hashlib.sha256()
    count = 0
    for row in conn.execute(
            "SELECT seq, tbl, rid, field, value, hlc, origin, operator, base FROM change "
            "WHERE seq BETWEEN ? AND ? ORDER BY seq", (first, last)):
        digest.update(json.dumps(list(row), ensure_ascii=False,
                                 separators=(",", ":")).encode("utf-8"))
        digest.update(b"\n")
        count += 1
    return count, digest.hexdigest()


def last_change_seq(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT coalesce(max(seq), 0) FROM change").fetchone()[0])
