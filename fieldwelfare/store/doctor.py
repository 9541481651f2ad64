"""``fieldwelfare doctor``: everything the database can tell about its own integrity.

Beyond SQLite's own checks, it looks for tampering, and says where (per table):

- the audit log's hash chain, walked to its head, and that head compared with the one
  kept in ``meta`` (cutting the log's tail shows) and with the head the hub last
  witnessed for this device (removing the whole log, or rewriting it, shows);
- the change log: every write unit seals the change rows it added with an audit entry
  holding their digest, so a change row edited, removed or added outside the app shows;
- every record compared with the fold of its change log (a row edited directly shows);
- on a hub, every revocation in the audit log still in force in the device registry.

All of it is read in one read transaction (a consistent snapshot; never the write lock).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from fieldwelfare.i18n import t
from fieldwelfare.models import MODELS
from fieldwelfare.store import queries
from fieldwelfare.store.audit import (
    CHANGES_ACTION,
    GENESIS,
    AuditEntry,
    changes_digest,
    entry_hash,
)
from fieldwelfare.store.dbapi import sqlite3
from fieldwelfare.store.merge import (
    EVENT_FIELDS,
    EVENT_TABLE,
    Entry,
    fold_event,
    fold_record,
    record_fields,
)

PURGE_ACTION = "purge"
"""The audit entry of an erasure (its ``reseal`` replaces the digests it invalidated)."""
RESEAL_ACTIONS = (PURGE_ACTION, "redact", "access_expiry")
"""Audit entries that rewrite change-log rows and record the seals' new digests: erasures,
redactions of referrals' text, the expiry of read-log entries."""

MAX_PER_AREA = 20
"""Problems listed per table; the rest are counted."""


@dataclass(frozen=True)
class Problem:
    area: str
    """Where: a table name, ``audit``, ``sqlite`` ..."""
    message: str

    def __str__(self) -> str:
        return f"{self.area}: {self.message}"


def check(conn: sqlite3.Connection) -> list[Problem]:
    """Every problem found (empty: all good). ``conn`` must not be inside a transaction."""
    problems = _sqlite(conn)
    conn.execute("BEGIN")  # deferred: a read snapshot, no lock against writers
    try:
        meta = {k: v for k, v in conn.execute("SELECT key, value FROM meta")}
        problems += _audit_chain(conn, meta)
        problems += _change_log(conn, meta)
        for kind in MODELS:
            problems += _folds(conn, kind)
        problems += _events(conn)
        problems += _revocations(conn)
        problems += _registry(conn)
    finally:
        conn.execute("COMMIT")
    return _capped(problems)


def _capped(problems: list[Problem]) -> list[Problem]:
    out: list[Problem] = []
    for area, group in groupby(sorted(problems, key=lambda p: p.area), key=lambda p: p.area):
        items = list(group)
        out.extend(items[:MAX_PER_AREA])
        if len(items) > MAX_PER_AREA:
            out.append(Problem(area, t("doctor.more", count=len(items) - MAX_PER_AREA)))
    return out


def _sqlite(conn: sqlite3.Connection) -> list[Problem]:
    problems: list[Problem] = []
    result = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    if result != ["ok"]:
        problems.extend(Problem("sqlite", r) for r in result)
    for row in conn.execute("PRAGMA foreign_key_check"):
        problems.append(Problem(str(row[0]), t("doctor.foreign_key", rowid=row[1],
                                               parent=row[2])))
    for table in queries.SEARCHABLE:
        for index in (f"{table}_fts", f"{table}_tri"):  # word prefixes, trigrams
            try:
                conn.execute(f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)")
            except sqlite3.DatabaseError as exc:
                problems.append(Problem(table, t("doctor.fts", detail=exc)))
    return problems


# ---------------------------------------------------------------------------- audit
def _anchor(value: str | None) -> tuple[int, str] | None:
    if not value or ":" not in value:
        return None
    seq, _, digest = value.partition(":")
    return (int(seq), digest) if seq.isdigit() else None


def _audit_chain(conn: sqlite3.Connection, meta: dict[str, str]) -> list[Problem]:
    problems: list[Problem] = []
    prev, last_seq, hashes = GENESIS, 0, {}
    witnessed = _anchor(meta.get("audit_witnessed"))
    for row in conn.execute("SELECT seq, at, device, operator, action, tbl, rid, detail, "
                            "prev, hash FROM audit ORDER BY seq"):
        seq, *fields, stored_prev, stored_hash = row
        if stored_prev != prev:
            problems.append(Problem("audit", t("doctor.audit_broken", seq=seq)))
        if entry_hash(stored_prev, AuditEntry(*fields)) != stored_hash:
            problems.append(Problem("audit", t("doctor.audit_hash", seq=seq)))
        if witnessed is not None and seq == witnessed[0]:
            hashes[seq] = stored_hash
        prev, last_seq = stored_hash, seq
    head = _anchor(meta.get("audit_head"))
    if head is None and (last_seq or "audit_head" in meta or meta.get("hlc")):
        problems.append(Problem("audit", t("doctor.audit_head_missing")))
    if head is not None and (head[0] != last_seq or head[1] != prev):
        problems.append(Problem("audit", t("doctor.audit_head", last=last_seq, head=head[0])))
    if witnessed is not None and hashes.get(witnessed[0]) != witnessed[1]:
        problems.append(Problem("audit", t("doctor.audit_witnessed", seq=witnessed[0])))
    return problems


# ---------------------------------------------------------------------------- change log
def _sealed_ranges(conn: sqlite3.Connection) -> Iterator[tuple[int, dict[str, Any]]]:
    for seq, detail in conn.execute("SELECT seq, detail FROM audit WHERE action = ? "
                                    "ORDER BY seq", (CHANGES_ACTION,)):
        try:
            seal = json.loads(detail)
            yield seq, {k: seal[k] for k in ("first", "last", "count", "sha256")}
        except (TypeError, ValueError, KeyError):
            continue  # an altered entry: the chain check reports it


def _reseals(conn: sqlite3.Connection) -> dict[int, tuple[int, str]]:
    """The digests erasures wrote for the seals whose rows they emptied (the latest one of
    each seal counts): an erasure rewrites history, and says so in the audit chain."""
    out: dict[int, tuple[int, str]] = {}
    for (detail,) in conn.execute(
            f"SELECT detail FROM audit WHERE action IN ({', '.join('?' * len(RESEAL_ACTIONS))})"
            " ORDER BY seq", RESEAL_ACTIONS):
        try:
            reseal = json.loads(detail)["reseal"]
            out.update({int(k): (int(v[0]), str(v[1])) for k, v in reseal.items()})
        except (TypeError, ValueError, KeyError, IndexError, AttributeError):
            continue  # an altered entry: the chain check reports it
    return out


def _change_log(conn: sqlite3.Connection, meta: dict[str, str]) -> list[Problem]:
    problems: list[Problem] = []
    start = int(meta.get("digest_from") or 1)
    top = int(conn.execute("SELECT coalesce(max(seq), 0) FROM change").fetchone()[0])
    covered_to = start - 1
    reseals = _reseals(conn)
    seals = list(_sealed_ranges(conn))
    if seals and int(seals[0][1]["first"]) != start:  # the first seal starts the sealed log
        problems.append(Problem("change", t("doctor.digest_from", start=start,
                                            first=seals[0][1]["first"])))
        start = min(start, int(seals[0][1]["first"]))
        covered_to = start - 1
    for audit_seq, seal in seals:
        first, last = int(seal["first"]), int(seal["last"])
        count, digest = changes_digest(conn, first, last)
        expected = reseals.get(audit_seq, (seal["count"], seal["sha256"]))
        if (count, digest) != expected:
            problems.append(Problem("change", t("doctor.change_altered", first=first,
                                                last=last, audit=audit_seq)))
        if first > covered_to + 1:
            problems += _unsealed(conn, covered_to + 1, first - 1)
        covered_to = max(covered_to, last)
    if top > covered_to:
        problems += _unsealed(conn, covered_to + 1, top)
    return problems


def _unsealed(conn: sqlite3.Connection, first: int, last: int) -> list[Problem]:
    found = conn.execute("SELECT count(*) FROM change WHERE seq BETWEEN ? AND ?",
                         (first, last)).fetchone()[0]
    if not found:
        return []
    return [Problem("change", t("doctor.change_unsealed", count=found, first=first,
                                last=last))]


# ---------------------------------------------------------------------------- folds
_COMPARED = ("updated_at",)


def _entries_by_rid(conn: sqlite3.Connection, tbl: str) -> Iterator[tuple[str, list[Entry]]]:
    rows = conn.execute("SELECT rid, field, value, hlc, origin, base FROM change "
                        "WHERE tbl = ? ORDER BY rid", (tbl,))
    for rid, group in groupby(rows, key=lambda r: r[0]):
        yield rid, [Entry(r[1], r[2], r[3], r[4], r[5]) for r in group]


def _folds(conn: sqlite3.Connection, kind: str) -> list[Problem]:
    problems: list[Problem] = []
    columns = (*record_fields(kind), *_COMPARED)
    for rid, entries in _entries_by_rid(conn, kind):
        row = conn.execute(f"SELECT * FROM {kind} WHERE id = ?", (rid,)).fetchone()
        if row is None:
            problems.append(Problem(kind, t("doctor.row_missing", id=rid)))
            continue
        try:
            folded = fold_record(kind, entries)
        except (ValueError, TypeError):  # a change row no merge could have written
            problems.append(Problem(kind, t("doctor.change_malformed", id=rid)))
            continue
        stored_clock = json.loads(row["_clock"]) if row["_clock"] else {}
        differ = [c for c in columns if row[c] != folded[c]]
        if stored_clock != folded["_clock"]:
            differ.append("_clock")
        if differ:
            problems.append(Problem(kind, t("doctor.row_differs", id=rid,
                                            fields=", ".join(differ))))
    orphans = conn.execute(
        f"SELECT id FROM {kind} AS r WHERE NOT EXISTS (SELECT 1 FROM change "
        "WHERE tbl = ? AND rid = r.id) LIMIT ?", (kind, MAX_PER_AREA + 1)).fetchall()
    problems.extend(Problem(kind, t("doctor.row_unlogged", id=r[0])) for r in orphans)
    return problems


def _events(conn: sqlite3.Connection) -> list[Problem]:
    problems: list[Problem] = []
    for rid, entries in _entries_by_rid(conn, EVENT_TABLE):
        try:
            folded = fold_event(entries)
        except (ValueError, TypeError):
            problems.append(Problem(EVENT_TABLE, t("doctor.change_malformed", id=rid)))
            continue
        row = conn.execute(f"SELECT {', '.join(EVENT_FIELDS)}, hlc, origin FROM {EVENT_TABLE} "
                           "WHERE id = ?", (rid,)).fetchone()
        if folded is None:
            continue  # an event still missing fields that have not arrived
        if row is None:
            problems.append(Problem(EVENT_TABLE, t("doctor.row_missing", id=rid)))
            continue
        differ = [c for c in (*EVENT_FIELDS, "hlc", "origin") if row[c] != folded[c]]
        if differ:
            problems.append(Problem(EVENT_TABLE, t("doctor.row_differs", id=rid,
                                                   fields=", ".join(differ))))
    return problems


# ---------------------------------------------------------------------------- hub registry
def _registry(conn: sqlite3.Connection) -> list[Problem]:
    """Each enrolled device still has the role, ambito and volunteer its code gave it (an
    edited role would send a volunteer's laptop other people's records)."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'enroll_token'").fetchone():
        return []
    problems: list[Problem] = []
    for row in conn.execute(
            "SELECT d.name, d.role, d.ambito, d.volunteer_id, t.role, t.ambito, "
            "t.volunteer_id FROM hub_device d JOIN enroll_token t "
            "ON t.device_id = d.device_id"):
        if tuple(row[1:4]) != tuple(row[4:7]):
            problems.append(Problem("hub_device", t("doctor.registry_changed", name=row[0])))
    for (name,) in conn.execute(
            "SELECT name FROM hub_device d WHERE NOT EXISTS (SELECT 1 FROM enroll_token t "
            "WHERE t.device_id = d.device_id)"):
        problems.append(Problem("hub_device", t("doctor.registry_unknown", name=name)))
    return problems


def _revocations(conn: sqlite3.Connection) -> list[Problem]:
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'hub_device'").fetchone():
        return []
    problems: list[Problem] = []
    for (detail,) in conn.execute("SELECT detail FROM audit WHERE action = 'sync.revoke'"):
        name, _, device_id = str(detail or "").partition(" ")
        if device_id:
            row = conn.execute("SELECT revoked_at FROM hub_device WHERE device_id = ?",
                               (device_id,)).fetchone()
            revoked = row is not None and row[0] is not None
        else:  # entries written before the device id was recorded
            revoked = conn.execute("SELECT 1 FROM hub_device WHERE name = ? AND revoked_at "
                                   "IS NOT NULL", (name,)).fetchone() is not None
        if not revoked:
            problems.append(Problem("hub_device", t("doctor.revocation_lost", name=name)))
    return problems
