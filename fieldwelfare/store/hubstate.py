"""SQL of the sync transport: keys, the hub's device registry, enrollment codes, the hub
as seen from a device, and the ledger of bundle files made.

Only this module writes these tables; :mod:`fieldwelfare.sync` calls it. Rows come back as
plain dicts. Column names passed in are checked against the tables below (never user text).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fieldwelfare.errors import InvalidInput
from fieldwelfare.store.store import Store

SCHEMA_V1 = (
    # Never edit: migration m002_sync_transport runs exactly these statements.
    """CREATE TABLE sync_key (
        kid TEXT PRIMARY KEY,
        owner TEXT NOT NULL CHECK (owner IN ('device', 'hub')),
        sign_sk BLOB NOT NULL,
        box_sk BLOB NOT NULL,
        created_at TEXT NOT NULL,
        retired_at TEXT
    )""",
    """CREATE TABLE hub_device (
        device_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        role TEXT NOT NULL,
        ambito TEXT,
        volunteer_id TEXT,
        kid TEXT NOT NULL UNIQUE,
        sign_pk BLOB NOT NULL,
        box_pk BLOB NOT NULL,
        enrolled_at TEXT NOT NULL,
        revoked_at TEXT,
        in_seq INTEGER NOT NULL DEFAULT 0,
        in_hash TEXT,
        out_seq INTEGER NOT NULL DEFAULT 0,
        out_hash TEXT,
        acked_upto INTEGER NOT NULL DEFAULT 0,
        hub_upto INTEGER NOT NULL DEFAULT 0,
        last_seen TEXT
    )""",
    "CREATE UNIQUE INDEX hub_device_live_name ON hub_device(name) WHERE revoked_at IS NULL",
    """CREATE TABLE enroll_token (
        token_id TEXT PRIMARY KEY,
        device_name TEXT NOT NULL,
        role TEXT NOT NULL,
        ambito TEXT,
        volunteer_id TEXT,
        secret BLOB,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT,
        device_id TEXT
    )""",
    """CREATE TABLE sync_hub (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        hub_id TEXT,
        hub_name TEXT,
        hub_kid TEXT,
        sign_pk BLOB,
        box_pk BLOB,
        url TEXT,
        in_seq INTEGER NOT NULL DEFAULT 0,
        in_hash TEXT,
        out_seq INTEGER NOT NULL DEFAULT 0,
        out_hash TEXT,
        hub_upto INTEGER NOT NULL DEFAULT 0,
        acked_upto INTEGER NOT NULL DEFAULT 0,
        last_sync TEXT,
        enroll_token TEXT,
        enroll_secret BLOB,
        enroll_fpr TEXT
    )""",
    """CREATE TABLE sync_bundle (
        bundle_id TEXT PRIMARY KEY,
        direction TEXT NOT NULL CHECK (direction IN ('out', 'in')),
        kind TEXT NOT NULL,
        peer TEXT NOT NULL,
        seq INTEGER NOT NULL,
        first_seq INTEGER,
        last_seq INTEGER,
        count INTEGER NOT NULL,
        file_sha256 TEXT NOT NULL,
        path TEXT,
        created_at TEXT NOT NULL,
        acked_at TEXT
    )""",
    "CREATE INDEX sync_bundle_peer ON sync_bundle(direction, peer, seq)",
)

_COLUMNS: dict[str, frozenset[str]] = {
    "hub_device": frozenset({
        "device_id", "name", "role", "ambito", "volunteer_id", "kid", "sign_pk", "box_pk",
        "enrolled_at", "revoked_at", "in_seq", "in_hash", "out_seq", "out_hash", "acked_upto",
        "hub_upto", "last_seen", "audit_seq", "audit_hash"}),
    "sync_hub": frozenset({
        "hub_id", "hub_name", "hub_kid", "sign_pk", "box_pk", "url", "in_seq", "in_hash",
        "out_seq", "out_hash", "hub_upto", "acked_upto", "last_sync", "enroll_token",
        "enroll_secret", "enroll_fpr", "tls_pins"}),
}


def _checked(table: str, values: Mapping[str, Any]) -> list[str]:
    unknown = set(values) - _COLUMNS[table]
    if unknown:
        raise ValueError(f"{table}: unknown columns {sorted(unknown)}")
    return list(values)


def _one(store: Store, sql: str, params: tuple[Any, ...]) -> dict[str, Any] | None:
    rows = store.execute_read(sql, params)
    return dict(rows[0]) if rows else None


# ---------------------------------------------------------------------------- keys
def add_key(store: Store, *, kid: str, owner: str, sign_sk: bytes, box_sk: bytes,
            created_at: str, retire_others: bool = False) -> None:
    with store.transaction() as conn:
        if retire_others:
            conn.execute("UPDATE sync_key SET retired_at = ? WHERE owner = ? AND "
                         "retired_at IS NULL", (created_at, owner))
        conn.execute("INSERT INTO sync_key (kid, owner, sign_sk, box_sk, created_at) "
                     "VALUES (?, ?, ?, ?, ?)", (kid, owner, sign_sk, box_sk, created_at))


def current_key(store: Store, owner: str) -> dict[str, Any] | None:
    return _one(store, "SELECT * FROM sync_key WHERE owner = ? AND retired_at IS NULL "
                "ORDER BY created_at DESC LIMIT 1", (owner,))


def keys(store: Store, owner: str) -> list[dict[str, Any]]:
    """All keys of ``owner``, current first (retired keys still open bundles sealed to them)."""
    return [dict(r) for r in store.execute_read(
        "SELECT * FROM sync_key WHERE owner = ? ORDER BY retired_at IS NOT NULL, "
        "created_at DESC", (owner,))]


# ---------------------------------------------------------------------------- enrollment
def add_token(store: Store, *, token_id: str, device_name: str, role: str, ambito: str | None,
              volunteer_id: str | None, secret: bytes, created_at: str,
              expires_at: str) -> None:
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO enroll_token (token_id, device_name, role, ambito, volunteer_id, "
            "secret, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (token_id, device_name, role, ambito, volunteer_id, secret, created_at, expires_at))


def get_token(store: Store, token_id: str) -> dict[str, Any] | None:
    return _one(store, "SELECT * FROM enroll_token WHERE token_id = ?", (token_id,))


def register_device(store: Store, token_id: str, device: Mapping[str, Any], used_at: str) -> None:
    """Use the code and register the device in one transaction (the code works once)."""
    columns = _checked("hub_device", device)
    with store.transaction() as conn:
        used = conn.execute(
            "UPDATE enroll_token SET used_at = ?, device_id = ?, secret = NULL "
            "WHERE token_id = ? AND used_at IS NULL", (used_at, device["device_id"], token_id))
        if used.rowcount != 1:
            raise InvalidInput(f"enrollment code {token_id} already used", field="code")
        conn.execute("DELETE FROM hub_device WHERE device_id = ?", (device["device_id"],))
        conn.execute(
            f"INSERT INTO hub_device ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})", [device[c] for c in columns])


# ---------------------------------------------------------------------------- hub registry
def device_by_id(store: Store, device_id: str) -> dict[str, Any] | None:
    return _one(store, "SELECT * FROM hub_device WHERE device_id = ?", (device_id,))


def device_by_name(store: Store, name: str) -> dict[str, Any] | None:
    return _one(store, "SELECT * FROM hub_device WHERE name = ? ORDER BY revoked_at IS NULL "
                "DESC, enrolled_at DESC LIMIT 1", (name,))


def devices(store: Store, *, live_only: bool = True) -> list[dict[str, Any]]:
    where = "WHERE revoked_at IS NULL " if live_only else ""
    return [dict(r) for r in store.execute_read(
        f"SELECT * FROM hub_device {where}ORDER BY name")]


def update_device(store: Store, device_id: str, values: Mapping[str, Any]) -> None:
    columns = _checked("hub_device", values)
    with store.transaction() as conn:
        conn.execute(f"UPDATE hub_device SET {', '.join(f'{c} = ?' for c in columns)} "
                     "WHERE device_id = ?", [*(values[c] for c in columns), device_id])


def revoke_device(store: Store, name: str, at: str) -> int:
    with store.transaction() as conn:
        return conn.execute("UPDATE hub_device SET revoked_at = ? WHERE name = ? AND "
                            "revoked_at IS NULL", (at, name)).rowcount


# ---------------------------------------------------------------------------- device side
def get_hub(store: Store) -> dict[str, Any] | None:
    return _one(store, "SELECT * FROM sync_hub WHERE id = 1", ())


def set_hub(store: Store, values: Mapping[str, Any]) -> None:
    columns = _checked("sync_hub", values)
    with store.transaction() as conn:
        conn.execute("INSERT OR IGNORE INTO sync_hub (id) VALUES (1)")
        if columns:
            conn.execute(f"UPDATE sync_hub SET {', '.join(f'{c} = ?' for c in columns)} "
                         "WHERE id = 1", [values[c] for c in columns])


# ---------------------------------------------------------------------------- bundle ledger
def add_bundle(store: Store, row: Mapping[str, Any]) -> None:
    cols = ("bundle_id", "direction", "kind", "peer", "seq", "first_seq", "last_seq", "count",
            "file_sha256", "path", "created_at")
    with store.transaction() as conn:
        conn.execute(f"INSERT OR REPLACE INTO sync_bundle ({', '.join(cols)}) "
                     f"VALUES ({', '.join('?' for _ in cols)})", [row.get(c) for c in cols])


def last_bundle(store: Store, direction: str, peer: str) -> dict[str, Any] | None:
    return _one(store, "SELECT * FROM sync_bundle WHERE direction = ? AND peer = ? "
                "ORDER BY seq DESC LIMIT 1", (direction, peer))


def mark_acked(store: Store, peer: str, upto: int, at: str) -> None:
    with store.transaction() as conn:
        conn.execute("UPDATE sync_bundle SET acked_at = ? WHERE direction = 'out' AND "
                     "peer = ? AND acked_at IS NULL AND (last_seq IS NULL OR last_seq <= ?)",
                     (at, peer, upto))


def bundles(store: Store, direction: str, *, unacked_only: bool = False) -> list[dict[str, Any]]:
    extra = " AND acked_at IS NULL" if unacked_only else ""
    return [dict(r) for r in store.execute_read(
        f"SELECT * FROM sync_bundle WHERE direction = ?{extra} ORDER BY seq", (direction,))]
