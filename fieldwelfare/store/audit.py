"""The audit log: append-only, hash-chained (each entry hashes the previous one)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass

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


class AuditLog:
    """Appends entries inside the caller's transaction; keeps the chain head in memory."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._head: str | None = None

    def _current_head(self) -> str:
        if self._head is None:
            row = self._conn.execute("SELECT hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
            self._head = row[0] if row else GENESIS
        return self._head

    def forget_head(self) -> None:
        """Call after a rollback: the in-memory head may point at an entry that is gone."""
        self._head = None

    def append_many(self, entries: list[AuditEntry]) -> None:
        prev = self._current_head()
        rows = []
        for entry in entries:
            digest = entry_hash(prev, entry)
            rows.append((entry.at, entry.device, entry.operator, entry.action, entry.tbl,
                         entry.rid, entry.detail, prev, digest))
            prev = digest
        self._conn.executemany(
            "INSERT INTO audit (at, device, operator, action, tbl, rid, detail, prev, hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        self._head = prev

    def verify(self) -> list[str]:
        """Problems found walking the chain (empty if intact)."""
        problems: list[str] = []
        prev = GENESIS
        for row in self._conn.execute(
            "SELECT seq, at, device, operator, action, tbl, rid, detail, prev, hash "
            "FROM audit ORDER BY seq"
        ):
            seq, *fields, stored_prev, stored_hash = row
            entry = AuditEntry(*fields)
            if stored_prev != prev:
                problems.append(f"audit {seq}: chain broken (prev does not match)")
            if entry_hash(stored_prev, entry) != stored_hash:
                problems.append(f"audit {seq}: hash does not match its content")
            prev = stored_hash
        return problems
