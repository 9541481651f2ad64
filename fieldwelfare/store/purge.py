"""Erasure inside a write transaction: what a purge marker removes, and the screen that keeps
a late change from bringing an erased record back (docs/merge.md, "Erasure").

A purge marker (table ``purge``, replicated as changes of table ``purge``) names a person.
On every replica that holds it:

* the person and every visit and need that any logged change ever tied to them are
  **erased**: the row is deleted (the FTS triggers drop its index entries), its change-log
  rows are emptied in place (``tbl = '_purged'``, ``value = NULL``: sequence numbers, stamps
  and origins stay, so outbox marks and sealed ranges keep their meaning), its conflicts
  and clock flags are deleted;
* the referrals of those needs and their history events are **redacted**: the free-text
  fields in :data:`REDACTED` are rewritten, in the change log and in the row, to a value
  every replica writes the same, so the bare status history stays and still folds;
* every such record is listed in ``purged_record``: a change that arrives later for it is
  dropped (erased records) or loses its free text (redacted ones), whatever its stamp.

Only :mod:`fieldwelfare.store` calls this; the caller seals and audits (:func:`reseal`).
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from fieldwelfare.errors import InvalidInput, NotFound
from fieldwelfare.i18n import register, t
from fieldwelfare.store.audit import CHANGES_ACTION, changes_digest
from fieldwelfare.store.changes import Change
from fieldwelfare.store.codec import encode_value
from fieldwelfare.store.dbapi import sqlite3
from fieldwelfare.store.merge import (
    EVENT_TABLE,
    PURGE_FIELDS,
    PURGE_TABLE,
    REDACTION_FIELDS,
    REDACTION_TABLE,
    Entry,
    fold_record,
    load_entries,
)

register({
    "err.erased_record": ("{kind} {id}: cancellato (diritto all'oblio), non si può riscrivere",
                          "{kind} {id}: erased (right to erasure), it cannot be written again"),
    "err.redacted_field": ("{field}: testo cancellato (persona cancellata o conservazione "
                           "scaduta), non modificabile",
                           "{field}: text erased (person erased or retention period over), "
                           "it cannot be changed"),
})

PURGED_TBL = "_purged"
"""The table name an erased record's change-log rows keep (nothing reads them as data)."""

PLACEHOLDER = "[cancellato]"
REDACTED: dict[str, dict[str, Any]] = {
    "referral": {"brief": PLACEHOLDER, "outcome": None, "reason": None},
    EVENT_TABLE: {"note": None},
}
"""Free-text fields of a redacted record and the value every replica rewrites them to
(``brief`` is required, so it keeps a fixed placeholder)."""

ERASE, REDACT = "erase", "redact"
OWNED_BY_PERSON = ("visit", "need")

Group = dict[tuple[str, str, str], tuple[Change, str]]


@dataclass
class Scrub:
    """What purges did inside one transaction (for the audit entry, reseal and files)."""

    persons: list[str] = field(default_factory=list)
    """Persons erased for the first time on this replica."""
    referrals: list[str] = field(default_factory=list)
    """Referrals whose redaction marker was applied for the first time on this replica."""
    records: int = 0
    """Records erased or redacted."""
    dropped: int = 0
    """Received changes dropped because their record is erased, or whose free text was
    rewritten because their record is redacted."""
    seqs: set[int] = field(default_factory=set)
    """Change-log rows emptied or rewritten."""

    @property
    def touched(self) -> bool:
        return bool(self.persons or self.referrals or self.records or self.seqs)


def is_redacted_value(tbl: str, fld: str, text: str) -> bool:
    """``text`` (canonical JSON) is what a redaction writes into ``tbl.fld``."""
    fields = REDACTED.get(tbl)
    return fields is not None and fld in fields and text == encode_value(fields[fld])


def mode_of(conn: sqlite3.Connection, tbl: str, rid: str) -> str | None:
    row = conn.execute("SELECT mode FROM purged_record WHERE tbl = ? AND rid = ?",
                       (tbl, rid)).fetchone()
    return None if row is None else str(row[0])


def _mark(conn: sqlite3.Connection, tbl: str, rid: str, purge_id: str, mode: str) -> bool:
    """List a record as purged; False if it already was (in this mode or as erased)."""
    current = mode_of(conn, tbl, rid)
    if current in (ERASE, mode):
        return False
    conn.execute("INSERT OR REPLACE INTO purged_record (tbl, rid, purge_id, mode) "
                 "VALUES (?, ?, ?, ?)", (tbl, rid, purge_id, mode))
    return True


def _rids_with(conn: sqlite3.Connection, tbl: str, fld: str, value: str) -> list[str]:
    """Records of ``tbl`` that any logged change ever tied to ``value`` through ``fld``."""
    return [r[0] for r in conn.execute(
        "SELECT DISTINCT rid FROM change WHERE tbl = ? AND field = ? AND value = ?",
        (tbl, fld, encode_value(value)))]


# ---------------------------------------------------------------------------- the marker
def save_marker(conn: sqlite3.Connection, person_id: str) -> list[str]:
    """Write the ``purge`` row as the fold of its logged changes; returns the needs named
    by any of them (the union: two replicas erasing at once both count)."""
    entries = load_entries(conn, PURGE_TABLE, person_id)
    winners: dict[str, Entry] = {}
    needs: set[str] = set()
    for e in entries:
        w = winners.get(e.field)
        if w is None or e.key > w.key:
            winners[e.field] = e
        if e.field == "needs":
            value = json.loads(e.value)
            if isinstance(value, list):
                needs.update(str(v) for v in value)
    top = max((e.key for e in entries), default=("", ""))
    row = {f: json.loads(winners[f].value) if f in winners else None for f in PURGE_FIELDS}
    conn.execute(
        "INSERT OR REPLACE INTO purge (id, at, by, reason, needs, hlc, origin) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (person_id, row["at"], row["by"], row["reason"],
         None if row["needs"] is None else encode_value(row["needs"]), top[0], top[1]))
    return sorted(needs)


def save_redaction(conn: sqlite3.Connection, referral_id: str) -> None:
    """Write the ``redaction`` row as the fold of its logged changes (LWW per field)."""
    entries = load_entries(conn, REDACTION_TABLE, referral_id)
    winners: dict[str, Entry] = {}
    for e in entries:
        w = winners.get(e.field)
        if w is None or e.key > w.key:
            winners[e.field] = e
    top = max((e.key for e in entries), default=("", ""))
    row = {f: json.loads(winners[f].value) if f in winners else None
           for f in REDACTION_FIELDS}
    conn.execute("INSERT OR REPLACE INTO redaction (id, at, by, reason, hlc, origin) "
                 "VALUES (?, ?, ?, ?, ?, ?)",
                 (referral_id, row["at"], row["by"], row["reason"], top[0], top[1]))


def apply_redaction(conn: sqlite3.Connection, referral_id: str, scrub: Scrub) -> None:
    """Apply a marker (it was just saved): redact the referral and its history events."""
    if mode_of(conn, "referral", referral_id) is None:
        scrub.referrals.append(referral_id)
    redact_record(conn, "referral", referral_id, referral_id, scrub)


def purge_person(conn: sqlite3.Connection, person_id: str, needs: Iterable[str],
                 scrub: Scrub) -> None:
    """Apply a marker: erase the person, their visits and needs, redact their referrals."""
    if mode_of(conn, "person", person_id) != ERASE:
        scrub.persons.append(person_id)
    for tbl in OWNED_BY_PERSON:
        for rid in _rids_with(conn, tbl, "person_id", person_id):
            erase_record(conn, tbl, rid, person_id, scrub)
    for rid in needs:
        erase_record(conn, "need", rid, person_id, scrub)
    erase_record(conn, "person", person_id, person_id, scrub)


def erase_record(conn: sqlite3.Connection, tbl: str, rid: str, purge_id: str,
                 scrub: Scrub) -> None:
    fresh = _mark(conn, tbl, rid, purge_id, ERASE)
    seqs = [r[0] for r in conn.execute("SELECT seq FROM change WHERE tbl = ? AND rid = ?",
                                       (tbl, rid))]
    if seqs:
        conn.execute(f"UPDATE change SET tbl = '{PURGED_TBL}', value = NULL "
                     "WHERE tbl = ? AND rid = ?", (tbl, rid))
        scrub.seqs.update(seqs)
    conn.execute(f"DELETE FROM {tbl} WHERE id = ?", (rid,))
    conn.execute("DELETE FROM conflict WHERE tbl = ? AND rid = ?", (tbl, rid))
    conn.execute("DELETE FROM clock_flag WHERE tbl = ? AND rid = ?", (tbl, rid))
    scrub.records += int(fresh)
    if tbl == "need":
        for referral in _rids_with(conn, "referral", "need_id", rid):
            redact_record(conn, "referral", referral, purge_id, scrub)


def redact_record(conn: sqlite3.Connection, tbl: str, rid: str, purge_id: str,
                  scrub: Scrub) -> None:
    """Rewrite a referral's (or history event's) free text, in its log and its row."""
    fresh = _mark(conn, tbl, rid, purge_id, REDACT)
    fields = REDACTED[tbl]
    for fld, value in fields.items():
        text = encode_value(value)
        rows = conn.execute("SELECT seq FROM change WHERE tbl = ? AND rid = ? AND field = ? "
                            "AND value IS NOT ?", (tbl, rid, fld, text)).fetchall()
        if rows:
            conn.execute("UPDATE change SET value = ? WHERE tbl = ? AND rid = ? AND field = ?",
                         (text, tbl, rid, fld))
            scrub.seqs.update(r[0] for r in rows)
    conn.execute(f"DELETE FROM conflict WHERE tbl = ? AND rid = ? AND field IN "
                 f"({', '.join('?' * len(fields))})", (tbl, rid, *fields))
    if tbl == "referral":
        entries = load_entries(conn, tbl, rid)
        if entries:  # a redaction marker may name a referral this replica never saw
            folded = fold_record(tbl, entries)
            sets = ", ".join(f'"{f}" = ?' for f in fields)
            conn.execute(f"UPDATE referral SET {sets} WHERE id = ?",
                         [*(folded[f] for f in fields), rid])
        for event in _rids_with(conn, EVENT_TABLE, "referral_id", rid):
            redact_record(conn, EVENT_TABLE, event, purge_id, scrub)
    else:
        conn.execute(f"UPDATE {EVENT_TABLE} SET note = NULL WHERE id = ?", (rid,))
    scrub.records += int(fresh)


def check_local_write(conn: sqlite3.Connection, tbl: str, rid: str,
                      changed: Iterable[str] | None) -> None:
    """A local write may not bring back what an erasure removed: an erased record's id
    (``changed`` None: a creation) or a redacted record's free text. Local writes are not
    screened like arrivals, so the store refuses them instead."""
    mode = mode_of(conn, tbl, rid)
    if mode is None:
        return
    if mode == ERASE or changed is None:
        raise NotFound(t("err.erased_record", kind=tbl, id=rid), kind=tbl, record_id=rid)
    blocked = sorted(set(changed) & set(REDACTED.get(tbl, {})))
    if blocked:
        raise InvalidInput(t("err.redacted_field", field=blocked[0]), field=blocked[0])


# ---------------------------------------------------------------------------- arrivals
def _named(group: Group, fld: str) -> list[str]:
    return [c.value for (_, _, f), (c, _) in group.items()
            if f == fld and isinstance(c.value, str)]


def _purge_of(conn: sqlite3.Connection, tbl: str, rids: Iterable[str],
              mode: str | None = None) -> str | None:
    for rid in rids:
        row = conn.execute("SELECT purge_id, mode FROM purged_record WHERE tbl = ? AND rid = ?",
                           (tbl, rid)).fetchone()
        if row is not None and (mode is None or row[1] == mode):
            return str(row[0])
    return None


def screen(conn: sqlite3.Connection, tbl: str, rid: str, group: Group,
           scrub: Scrub) -> Group:
    """The received changes of one record that an erasure lets through.

    Called for every record of a batch after its markers are applied (the merge orders a
    batch: markers, people, visits, needs, referrals, events). A record an erasure removed
    loses every change; a visit or need tied to an erased person is erased on arrival (with
    what this replica already had of it); a referral of an erased need, and its events, are
    redacted, and their free-text changes are logged with the redacted value (same identity:
    every replica folds the same stamps, whether it saw the text before or not).
    """
    if tbl in (PURGE_TABLE, REDACTION_TABLE):
        return group
    mode = mode_of(conn, tbl, rid)
    if mode is None and tbl in OWNED_BY_PERSON:
        person = _purge_of(conn, "person", _named(group, "person_id"), ERASE)
        if person is not None:
            erase_record(conn, tbl, rid, person, scrub)
            mode = ERASE
    elif mode is None and tbl == "referral":
        need = _purge_of(conn, "need", _named(group, "need_id"), ERASE)
        if need is not None:
            redact_record(conn, tbl, rid, need, scrub)
            mode = REDACT
    elif mode is None and tbl == EVENT_TABLE:
        referrals = _named(group, "referral_id") or _rids_of_event(conn, rid)
        purge_id = _purge_of(conn, "referral", referrals, REDACT)
        if purge_id is not None:
            redact_record(conn, tbl, rid, purge_id, scrub)
            mode = REDACT
    if mode == ERASE:
        scrub.dropped += len(group)
        return {}
    if mode == REDACT:  # rewritten, not dropped: every replica folds the same stamps
        fields = REDACTED.get(tbl, {})
        out: Group = {}
        for key, (c, text) in group.items():
            if key[2] in fields:
                value = fields[key[2]]
                redacted = encode_value(value)
                scrub.dropped += int(text != redacted)
                out[key] = (replace(c, value=value), redacted)
            else:
                out[key] = (c, text)
        return out
    return group


def _rids_of_event(conn: sqlite3.Connection, rid: str) -> list[str]:
    return [json.loads(r[0]) for r in conn.execute(
        "SELECT value FROM change WHERE tbl = ? AND rid = ? AND field = 'referral_id'",
        (EVENT_TABLE, rid)) if r[0] is not None]


def active(conn: sqlite3.Connection, groups: Iterable[tuple[str, str]]) -> bool:
    """Whether a batch needs screening: it carries a marker, or this replica knows one."""
    if any(tbl in (PURGE_TABLE, REDACTION_TABLE) for tbl, _ in groups):
        return True
    return conn.execute("SELECT 1 FROM purged_record LIMIT 1").fetchone() is not None


BATCH_ORDER = {PURGE_TABLE: 0, REDACTION_TABLE: 0, "person": 1, "visit": 2, "need": 3,
               "referral": 4, EVENT_TABLE: 5}


def batch_order(key: tuple[str, str]) -> int:
    return BATCH_ORDER.get(key[0], 6)


# ---------------------------------------------------------------------------- sealing
def reseal(conn: sqlite3.Connection, seqs: set[int]) -> dict[str, list[Any]]:
    """New digests of every sealed change-log range holding one of ``seqs``:
    ``{audit seq: [count, sha256]}``, recorded in the purge's audit entry (``doctor`` takes
    the latest one of a seal in place of the seal's own)."""
    if not seqs:
        return {}
    ordered = sorted(seqs)
    out: dict[str, list[Any]] = {}
    for audit_seq, detail in conn.execute(
            "SELECT seq, detail FROM audit WHERE action = ?", (CHANGES_ACTION,)).fetchall():
        try:
            seal = json.loads(detail)
            first, last = int(seal["first"]), int(seal["last"])
        except (TypeError, ValueError, KeyError):
            continue
        i = bisect_left(ordered, first)
        if i < len(ordered) and ordered[i] <= last:
            count, digest = changes_digest(conn, first, last)
            out[str(audit_seq)] = [count, digest]
    return out


def optimize_fts(conn: sqlite3.Connection) -> None:
    """Merge the full-text indexes into fresh segments: a deleted row's tokens would
    otherwise stay in older segments until an automatic merge."""
    from fieldwelfare.store.migrations import FTS_FIELDS

    for table in FTS_FIELDS:
        conn.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES ('optimize')")


def audit_detail(scrub: Scrub, conn: sqlite3.Connection) -> str:
    """The purge audit entry: which persons, how many records, the seals rewritten."""
    return json.dumps({"persons": scrub.persons, "referrals": scrub.referrals,
                       "records": scrub.records,
                       "dropped": scrub.dropped, "rows": len(scrub.seqs),
                       "reseal": reseal(conn, scrub.seqs)}, separators=(",", ":"))
