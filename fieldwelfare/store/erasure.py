"""Erasing a person on this replica (GDPR art. 17): the purge marker, written and applied in
one write unit; it then syncs like any change and wins over everything on every replica
(:mod:`fieldwelfare.store.purge`, docs/merge.md "Erasure", docs/privacy.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from fieldwelfare.errors import InvalidInput, NotFound
from fieldwelfare.i18n import register, t
from fieldwelfare.store import purge
from fieldwelfare.store.changes import MAX_PURGE_NEEDS
from fieldwelfare.store.codec import encode_value
from fieldwelfare.store.ingest import checkpoint
from fieldwelfare.store.merge import PURGE_TABLE
from fieldwelfare.store.store import Store
from fieldwelfare.store.writer import WriteUnit

register({
    "err.erase_role": ("solo un coordinatore può cancellare una persona",
                       "only a coordinator may erase a person"),
    "err.erase_reason": ("indicare il motivo della cancellazione (al massimo 500 caratteri, "
                         "senza dati personali)",
                         "give the reason for the erasure (at most 500 characters, no "
                         "personal data)"),
    "err.erased_already": ("persona {id}: già cancellata il {at}",
                           "person {id}: already erased on {at}"),
})

MAX_REASON = 500


@dataclass(frozen=True)
class Erased:
    """What one erasure did on this replica."""

    person_id: str
    at: str
    by: str | None
    records: int
    """Records erased (the person, visits, needs) or redacted (referrals, events)."""
    rows: int
    """Change-log rows emptied or rewritten."""
    seqs: tuple[int, ...]
    checkpointed: bool
    """False if another process kept the WAL from being truncated (it is at its next
    checkpoint)."""

    def as_dict(self) -> dict[str, Any]:
        return {"person_id": self.person_id, "at": self.at, "by": self.by,
                "records": self.records, "rows": self.rows, "checkpointed": self.checkpointed}


def marker(store: Store, person_id: str) -> dict[str, Any] | None:
    """The purge marker of ``person_id`` (None if not erased here)."""
    rows = store.execute_read("SELECT id, at, by, reason FROM purge WHERE id = ?", (person_id,))
    return dict(rows[0]) if rows else None


def markers(store: Store) -> list[dict[str, Any]]:
    return [dict(r) for r in store.execute_read(
        "SELECT id, at, by, reason FROM purge ORDER BY at, id")]


def erase_person(store: Store, person_id: str, reason: str, *,
                 require_role: bool = True) -> Erased:
    """Erase ``person_id`` here and write the marker that erases it on every replica.

    Coordinators only (``require_role=False`` is the hub's retention run, whose identity is
    the consortium's). The person must be known here (live or deleted)."""
    reason = (reason or "").strip()
    if not reason or len(reason) > MAX_REASON:
        raise InvalidInput(t("err.erase_reason"), field="reason")
    with store.writing() as w:
        if require_role and w.identity.role != "coordinator":
            raise InvalidInput(t("err.erase_role"), field="role")
        done = w.conn.execute("SELECT at FROM purge WHERE id = ?", (person_id,)).fetchone()
        if done is not None:
            raise InvalidInput(t("err.erased_already", id=person_id, at=done[0]), field="id")
        if w.conn.execute("SELECT 1 FROM person WHERE id = ?", (person_id,)).fetchone() is None:
            raise NotFound(t("err.not_found", kind="person", id=person_id), kind="person",
                           record_id=person_id)
        scrub, at = _erase(w, person_id, reason)
    ok = checkpoint(store)
    return Erased(person_id, at, store.identity.operator, scrub.records, len(scrub.seqs),
                  tuple(sorted(scrub.seqs)), ok)


def _erase(w: WriteUnit, person_id: str, reason: str) -> tuple[purge.Scrub, str]:
    conn = w.conn
    needs = sorted({r[0] for r in conn.execute(
        "SELECT DISTINCT rid FROM change WHERE tbl = 'need' AND field = 'person_id' "
        "AND value = ?", (encode_value(person_id),))})
    stamp, at = w.stamp(), w.now_iso()
    origin, operator = w.identity.device_id, w.identity.operator
    values = {"at": at, "by": operator, "reason": reason, "needs": needs}
    conn.executemany(
        "INSERT INTO change (tbl, rid, field, value, hlc, origin, operator, base) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
        [(PURGE_TABLE, person_id, f, encode_value(v), stamp, origin, operator)
         for f, v in values.items() if v is not None])
    scrub = purge.Scrub()
    purge.purge_person(conn, person_id, purge.save_marker(conn, person_id), scrub)
    purge.optimize_fts(conn)
    w.audit([w.entry("purge", "person", person_id, purge.audit_detail(scrub, conn))])
    return scrub, at


def widen_markers(store: Store) -> list[str]:
    """At the hub, after an import erased needs: a marker names the needs its eraser knew,
    and a volunteer's device (which never holds needs) redacts only the referrals of those.
    When the hub erased more needs under a marker (a need created on a device the eraser
    had not heard from), it logs a new ``needs`` change of that marker naming them all, with
    its own stamp: it syncs to every replica, whose marker then names them too (``needs``
    is the union of every logged value). Returns the persons whose marker grew."""
    grown: dict[str, list[str]] = {}
    with store.writing() as w:
        conn = w.conn
        for person_id, needs in conn.execute("SELECT id, needs FROM purge").fetchall():
            named = set(json.loads(needs)) if needs else set()
            erased = {r[0] for r in conn.execute(
                "SELECT rid FROM purged_record WHERE tbl = 'need' AND mode = ? "
                "AND purge_id = ?", (purge.ERASE, person_id))}
            if erased - named:
                grown[person_id] = sorted(named | erased)[:MAX_PURGE_NEEDS]
        if not grown:
            return []
        stamp = w.stamp()
        origin, operator = w.identity.device_id, w.identity.operator
        conn.executemany(
            "INSERT INTO change (tbl, rid, field, value, hlc, origin, operator, base) "
            "VALUES (?, ?, 'needs', ?, ?, ?, ?, NULL)",
            [(PURGE_TABLE, pid, encode_value(needs), stamp, origin, operator)
             for pid, needs in grown.items()])
        for pid in grown:
            purge.save_marker(conn, pid)
        w.audit([w.entry("purge_widen", "person", None,
                         json.dumps({"persons": sorted(grown)}, separators=(",", ":")))])
    return sorted(grown)
