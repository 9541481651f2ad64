"""Who gets what: the changes a hub sends to a peer, by role and scope (docs/merge.md,
"Who gets what"). Part of the replication API, imported from
:mod:`fieldwelfare.store.replication`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fieldwelfare.store import changes
from fieldwelfare.store.changes import SELECT, Change, PeerScope, row_change
from fieldwelfare.store.codec import decode_value
from fieldwelfare.store.dbapi import sqlite3
from fieldwelfare.store.merge import (
    ACCESS_TABLE,
    DELETED,
    EVENT_TABLE,
    PURGE_TABLE,
    REDACTION_TABLE,
)
from fieldwelfare.store.store import Store

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
        if tbl in (PURGE_TABLE, REDACTION_TABLE):  # erasure and redaction markers reach
            return True  # every replica (no personal data)
        if tbl == ACCESS_TABLE:  # read logs go to the hub (the DPO), never to devices
            return False
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
            rows = conn.execute(f"{SELECT} WHERE seq > ? ORDER BY seq LIMIT ?",
                                (cursor, changes.PAGE)).fetchall()
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
                    out.append((row[0], row_change(row)))
        yield from out


def _history(conn: sqlite3.Connection, scope: _Scope, tbl: str, rid: str, upto: int,
             skip_origin: str) -> list[tuple[int, Change]]:
    """Changes of a record (and of its visits or events) with seq <= ``upto``."""
    out: list[tuple[int, Change]] = []
    rows = conn.execute(f"{SELECT} WHERE tbl = ? AND rid = ? AND seq <= ? ORDER BY seq",
                        (tbl, rid, upto)).fetchall()
    if not rows:
        return out
    out.extend((r[0], row_change(r)) for r in rows
               if r[6] != skip_origin and scope.field(tbl, r[3]))
    for dep_tbl, dep_rid in scope.dependents(tbl, rid):
        out.extend(_history(conn, scope, dep_tbl, dep_rid, upto, skip_origin))
    return out
