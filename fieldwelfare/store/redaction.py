"""Redacting a referral's free text (retention of closed referrals, docs/privacy.md): the
redaction marker, written and applied in one write unit.

A marker is changes of table ``redaction`` (rid = the referral's id; ``at``, ``by``,
``reason``: no personal data). It syncs to every replica and wins over everything, like an
erasure marker: the referral is listed in ``purged_record`` (mode ``redact``), its brief,
outcome, reason and history notes are rewritten in its change log and row
(:func:`fieldwelfare.store.purge.redact_record`), and any later change of those fields,
whatever its stamp, is rewritten on arrival (:func:`fieldwelfare.store.purge.screen`).
Design: docs/merge.md, "Redaction".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from fieldwelfare.errors import InvalidInput
from fieldwelfare.i18n import t
from fieldwelfare.store import purge
from fieldwelfare.store.codec import encode_value
from fieldwelfare.store.ingest import checkpoint
from fieldwelfare.store.merge import REDACTION_TABLE
from fieldwelfare.store.store import Store

ACTION = "redact"
"""The audit entry of a redaction run (its ``reseal`` replaces the digests it invalidated)."""
MAX_REASON = 500


@dataclass(frozen=True)
class Redacted:
    """What one redaction run did on this replica (no personal data)."""

    referrals: tuple[str, ...]
    rows: int
    """Change-log rows rewritten."""
    seqs: tuple[int, ...]
    checkpointed: bool


def redact_referrals(store: Store, referral_ids: Iterable[str], reason: str) -> Redacted:
    """Write and apply a redaction marker for each referral (the hub's retention run; one
    write unit, one stamp). Referrals already marked are skipped."""
    reason = (reason or "").strip()
    if not reason or len(reason) > MAX_REASON:
        raise InvalidInput(t("err.erase_reason"), field="reason")
    scrub = purge.Scrub()
    with store.writing() as w:
        conn = w.conn
        known = {r[0] for r in conn.execute("SELECT id FROM redaction")}
        todo = sorted(set(referral_ids) - known)
        if not todo:
            return Redacted((), 0, (), True)
        stamp, at = w.stamp(), w.now_iso()
        origin, operator = w.identity.device_id, w.identity.operator
        values = {"at": at, "by": operator, "reason": reason}
        conn.executemany(
            "INSERT INTO change (tbl, rid, field, value, hlc, origin, operator, base) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
            [(REDACTION_TABLE, rid, f, encode_value(v), stamp, origin, operator)
             for rid in todo for f, v in values.items() if v is not None])
        for rid in todo:
            purge.save_redaction(conn, rid)
            purge.apply_redaction(conn, rid, scrub)
        w.audit([w.entry(ACTION, "referral", None, purge.audit_detail(scrub, conn))])
    ok = checkpoint(store)
    return Redacted(tuple(todo), len(scrub.seqs), tuple(sorted(scrub.seqs)), ok)


def markers(store: Store) -> list[dict[str, object]]:
    return [dict(r) for r in store.execute_read(
        "SELECT id, at, by, reason FROM redaction ORDER BY at, id")]
