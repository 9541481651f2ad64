"""The read log: who opened whose file, when, how and why (docs/privacy.md, "Read log").

Each opening is one ``access`` record, written as changes in the change log (so it reaches
the hub with the next sync; the hub never sends it on to devices) plus an ``access`` audit
entry. It names the person by id only: no personal data travels with it.
"""

from __future__ import annotations

import json
from typing import Any

from fieldwelfare.errors import InvalidInput
from fieldwelfare.i18n import register, t
from fieldwelfare.ids import uuid7
from fieldwelfare.store.codec import encode_value
from fieldwelfare.store.ingest_batch import upsert_access
from fieldwelfare.store.merge import ACCESS_FIELDS, ACCESS_TABLE, day_stamp
from fieldwelfare.store.store import Store

VIAS = ("cli", "tui", "export")
MAX_WHY = 500

register({
    "err.access_why": ("motivo della consultazione: al massimo 500 caratteri",
                       "reason for opening the file: at most 500 characters"),
})


def record_access(store: Store, person_id: str, *, via: str, why: str | None = None) -> str:
    """Log that this operator opened ``person_id``'s file; returns the entry's id."""
    if via not in VIAS:
        raise ValueError(f"via: one of {', '.join(VIAS)} expected")
    why = (why or "").strip() or None
    if why is not None and len(why) > MAX_WHY:
        raise InvalidInput(t("err.access_why"), field="why")
    rid = uuid7()
    with store.writing() as w:
        stamp, ident = w.stamp(), w.identity
        row: dict[str, Any] = {"person_id": person_id, "at": w.now_iso(),
                               "by": ident.operator, "device": ident.device_name or
                               ident.device_id, "via": via, "why": why}
        w.conn.executemany(
            "INSERT INTO change (tbl, rid, field, value, hlc, origin, operator, base) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
            [(ACCESS_TABLE, rid, f, encode_value(row[f]), stamp, ident.device_id,
              ident.operator) for f in ACCESS_FIELDS if row[f] is not None])
        upsert_access(w.conn, rid, {**row, "hlc": stamp, "origin": ident.device_id})
        w.audit([w.entry("access", "person", person_id,
                         json.dumps({"id": rid, "via": via}, separators=(",", ":")))])
    return rid


def accesses(store: Store, person_id: str) -> list[dict[str, Any]]:
    """The read log of one person, oldest first (every device's, on the hub)."""
    return [dict(r) for r in store.execute_read(
        "SELECT id, at, by, device, via, why FROM access WHERE person_id = ? "
        "ORDER BY at, hlc", (person_id,))]


EXPIRY_ACTION = "access_expiry"
"""The audit entry of an expiry (its ``reseal`` replaces the digests it invalidated)."""
_CHUNK = 500


def due(store: Store, before: str, *, only_sent: bool = False) -> list[dict[str, Any]]:
    """Read-log entries older than ``before`` (an ISO date): ``{"id", "at"}``, oldest
    first. ``only_sent``: on a device, only the entries the hub has acknowledged (the
    others have not reached the DPO yet)."""
    sql = "SELECT a.id, a.at FROM access a WHERE a.hlc < ?"  # the stamp, not the wall
    args: list[Any] = [day_stamp(before)]                    # clock of the laptop
    if only_sent:
        sql += (" AND NOT EXISTS (SELECT 1 FROM change c WHERE c.tbl = 'access' "
                "AND c.rid = a.id AND c.seq > coalesce((SELECT CAST(value AS INTEGER) FROM "
                "sync_state WHERE key = 'acked_seq'), 0))")
    return [{"id": r[0], "at": r[1]} for r in store.execute_read(
        sql + " ORDER BY a.at, a.id", args)]


def expire(store: Store, ids: list[str]) -> int:
    """Remove read-log entries: the ``access`` row is deleted and its change-log rows are
    emptied in place (``tbl = '_purged'``, ``value = NULL``, as an erasure does: sequence
    numbers and stamps stay). One audit entry (``access_expiry``: how many, and the new
    digests of the seals it rewrote, for ``doctor``); the audit chain's own ``access``
    entries stay (they hold ids only). Returns the number of entries removed."""
    from fieldwelfare.store import purge
    from fieldwelfare.store.ingest import checkpoint

    if not ids:
        return 0
    seqs: set[int] = set()
    removed = 0
    with store.writing() as w:
        conn = w.conn
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i:i + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            seqs.update(r[0] for r in conn.execute(
                f"SELECT seq FROM change WHERE tbl = '{ACCESS_TABLE}' AND rid IN ({marks})",
                chunk))
            conn.execute(f"UPDATE change SET tbl = '{purge.PURGED_TBL}', value = NULL "
                         f"WHERE tbl = '{ACCESS_TABLE}' AND rid IN ({marks})", chunk)
            removed += conn.execute(f"DELETE FROM access WHERE id IN ({marks})",
                                    chunk).rowcount
        w.audit([w.entry(EXPIRY_ACTION, ACCESS_TABLE, None, json.dumps(
            {"entries": removed, "rows": len(seqs), "reseal": purge.reseal(conn, seqs)},
            separators=(",", ":")))])
    checkpoint(store)
    return removed
