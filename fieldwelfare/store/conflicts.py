"""Conflicts (list, get, resolve with a new local edit) and the far-future clock flags.

A conflict's status is derived from the change log, so every replica agrees (docs/merge.md,
"Conflicts"). Part of the replication API, imported from
:mod:`fieldwelfare.store.replication`.
"""

from __future__ import annotations

from typing import Any, Literal

from fieldwelfare.errors import InvalidInput, NotFound
from fieldwelfare.i18n import register, t
from fieldwelfare.models import MODELS, Record
from fieldwelfare.models.validation import validate
from fieldwelfare.store.changes import Conflict
from fieldwelfare.store.codec import decode_value, row_to_data
from fieldwelfare.store.dbapi import sqlite3
from fieldwelfare.store.merge import CONFLICT_COLUMNS, DELETED, EDIT_AFTER_DELETE
from fieldwelfare.store.store import Store

register({
    "err.conflict_not_found": ("conflitto {id}: non trovato", "conflict {id}: not found"),
    "err.conflict_resolved": ("conflitto {id}: già risolto", "conflict {id}: already resolved"),
})

_CONFLICT_SELECT = (
    f"SELECT {CONFLICT_COLUMNS}, EXISTS (SELECT 1 FROM change x WHERE x.tbl = c.tbl "
    "AND x.rid = c.rid AND x.field = c.resolve_field AND x.base >= c.resolve_stamp) "
    "AS resolved, "
    "(SELECT o.operator FROM change o WHERE o.tbl = c.tbl AND o.rid = c.rid "
    "AND o.hlc = c.current_hlc AND o.origin = c.current_origin LIMIT 1) AS current_operator, "
    "(SELECT o.operator FROM change o WHERE o.tbl = c.tbl AND o.rid = c.rid "
    "AND o.hlc = c.other_hlc AND o.origin = c.other_origin LIMIT 1) AS other_operator "
    "FROM conflict c"
)


def _conflict(row: sqlite3.Row) -> Conflict:
    return Conflict(
        id=row["id"], tbl=row["tbl"], rid=row["rid"], field=row["field"],
        current_value=decode_value(row["current_value"]), current_hlc=row["current_hlc"],
        current_origin=row["current_origin"], other_value=decode_value(row["other_value"]),
        other_hlc=row["other_hlc"], other_origin=row["other_origin"],
        status="resolved" if row["resolved"] else "open", kind=row["kind"],
        current_operator=row["current_operator"], other_operator=row["other_operator"])


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
    with store.writing() as w:
        conn = w.conn
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
        stamp = w.write_fields(kind, rid, data, [field])
        if kind == "referral" and field == "status" and value != row["status"]:
            w.append_event(rid, str(value), f"conflict {conflict_id}", stamp)
        w.audit([w.entry("resolve_conflict", kind, rid, f"{conflict_id}:{keep}")])


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


def clock_flags(store: Store) -> list[dict[str, Any]]:
    """Far-future stamps received (for the coordinator): applied, but not trusted."""
    with store.lock:
        rows = store.conn.execute(
            "SELECT bundle_id, tbl, rid, field, hlc, origin, flagged_at FROM clock_flag "
            "ORDER BY _rowid").fetchall()
    return [dict(r) for r in rows]
