"""Helpers for the replication tests: stores, bundles as lists, a relaying hub, dumps."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fieldwelfare.ids import uuid7
from fieldwelfare.store import Store
from fieldwelfare.store import replication as rep
from fieldwelfare.store.dbapi import sqlite3  # the store's SQLite (its FTS tokenizers)

LECCO = "097042"  # Lecco (ambito Lecco)
LECCO_2 = "097003"  # ambito Lecco
BELLANO = "097001"  # ambito Bellano

RECORD_TABLES = ("person", "visit", "need", "organisation", "volunteer", "availability",
                 "referral")

PRIVACY = {"version": "2024-1", "given_on": "2024-01-10", "given_by": "Anna"}


def new_store(path: Path | str = ":memory:", *, name: str = "dev", role: str = "coordinator",
              ambito: str | None = "Lecco") -> Store:
    store = Store(path)
    store.set_identity(device_name=name, operator=f"op-{name}", role=role, ambito=ambito)
    return store


def push(src: Store, dst: Store, *, bundle_id: str | None = None,
         kind: str = "device-push") -> rep.ApplyReport:
    """Send everything ``src`` has not had acknowledged; ``dst`` acknowledges on success."""
    pairs = list(rep.outbox(src))
    report = rep.apply_changes(dst, [c for _, c in pairs], bundle_id=bundle_id or uuid7(),
                               sender=src.identity.device_id, file_sha256="0" * 64, kind=kind)
    if pairs:
        rep.acknowledge(src, pairs[-1][0])
    return report


def scope_of(store: Store, *, volunteer_id: str | None = None) -> rep.PeerScope:
    ident = store.identity
    return rep.PeerScope(device_id=ident.device_id, role=ident.role or "coordinator",
                         ambito=ident.ambito, volunteer_id=volunteer_id)


class Hub:
    """A hub that applies device bundles and forwards to each device what it may have."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.cursor: dict[str, int] = {}

    def pull(self, device: Store, scope: rep.PeerScope | None = None) -> rep.ApplyReport:
        peer = scope or scope_of(device)
        since = self.cursor.get(peer.device_id, 0)
        upto = rep.last_seq(self.store)
        changes = [c for _, c in rep.changes_for_peer(self.store, peer, since_seq=since)]
        report = rep.apply_changes(device, changes, bundle_id=uuid7(), sender="hub",
                                   file_sha256="0" * 64, kind="hub-push",
                                   received_from_hub=True)
        self.cursor[peer.device_id] = upto
        return report

    def sync(self, *devices: Store, rounds: int = 2) -> None:
        for _ in range(rounds):
            for device in devices:
                push(device, self.store)
            for device in devices:
                self.pull(device)


def rows(store: Store, table: str, *, exclude: tuple[str, ...] = ("_rowid",)) -> list[Any]:
    out = []
    order = {"change": "seq", "audit": "seq", "applied_bundle": "bundle_id"}.get(table, "id")
    for row in store.execute_read(f"SELECT * FROM {table} ORDER BY {order}"):
        out.append({k: v for k, v in dict(row).items() if k not in exclude})
    return out


def state(store: Store) -> dict[str, Any]:
    """Everything replicas must agree on: record tables, events, conflicts and their status."""
    out: dict[str, Any] = {t: rows(store, t) for t in (*RECORD_TABLES, "referral_event")}
    out["conflict"] = rows(store, "conflict")
    out["conflict_status"] = sorted(
        (c.id, c.status) for c in rep.list_conflicts(store, status=None))
    return out


def db_dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table of a database file (FTS shadow tables and wall-clock columns aside)."""
    volatile = {"audit": {"at", "prev", "hash"}, "applied_bundle": {"applied_at"},
                "clock_flag": {"flagged_at"}}
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE '%_fts%' AND name NOT LIKE '%_tri%' ORDER BY name")]
        out: dict[str, list[tuple[Any, ...]]] = {}
        for table in tables:
            cur = conn.execute(f"SELECT * FROM {table}")
            cols = [d[0] for d in cur.description]
            keep = [i for i, c in enumerate(cols) if c not in volatile.get(table, set())]
            out[table] = sorted((tuple(r[i] for i in keep) for r in cur), key=repr)
        return out
    finally:
        conn.close()
