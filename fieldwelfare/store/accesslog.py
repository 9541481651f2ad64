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
from fieldwelfare.store.merge import ACCESS_FIELDS, ACCESS_TABLE
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
