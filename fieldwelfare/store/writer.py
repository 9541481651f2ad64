"""The write unit: every write to a fieldwelfare database happens inside one.

``with store.writing() as w: w.add(...); w.update(...)`` is one ``BEGIN IMMEDIATE``
transaction. The state that other processes change as well is read inside it, after the
write lock is taken: the device identity and operator, the hybrid logical clock (advanced
and saved back) and the audit chain head. So two processes writing one file (the TUI open
while the CLI or ``hub serve`` runs) never hand out the same stamp nor fork the audit
chain. The per-kind rules (defaults, checks, change log, audit entry) run here and only
here; :class:`fieldwelfare.store.Store`'s ``add``/``update``/``delete`` are the one-shot
form of a unit.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from fieldwelfare import clock as wallclock
from fieldwelfare.errors import InvalidInput, NotFound
from fieldwelfare.hlc import HybridClock
from fieldwelfare.i18n import t
from fieldwelfare.ids import is_uuid, uuid7
from fieldwelfare.models import MODELS, Record
from fieldwelfare.models.validation import load_record, validate
from fieldwelfare.models.vocabulary import NeedStatus, ReferralStatus
from fieldwelfare.store import purge, rules
from fieldwelfare.store.audit import (
    CHANGES_ACTION,
    AuditEntry,
    append_entries,
    changes_digest,
    last_change_seq,
)
from fieldwelfare.store.codec import BOOL_FIELDS, JSON_FIELDS, encode_value, row_to_data, to_column
from fieldwelfare.store.dbapi import sqlite3
from fieldwelfare.store.identity import Identity, load_identity, read_meta, write_meta
from fieldwelfare.store.merge import clock_top, detect_local, stamp_time, successor

if TYPE_CHECKING:
    from fieldwelfare.store.store import Store

_canonical = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode
"""``codec.encode_value`` without building a new encoder for every value (same output)."""


@cache
def data_fields(model: type[Record]) -> tuple[str, ...]:
    return tuple(model.data_fields())


@cache
def _new_fields(model: type[Record]) -> frozenset[str]:
    """Fields accepted when creating a record (``_check_field_names(creating=True)``)."""
    return frozenset(data_fields(model)) | {"id"}


def model_for(kind: str) -> type[Record]:
    try:
        return MODELS[kind]
    except KeyError:
        raise InvalidInput(
            t("err.unknown_kind", kind=kind, allowed=", ".join(MODELS)), field="kind",
            allowed=list(MODELS),
        ) from None


def get_record(conn: sqlite3.Connection, kind: str, rid: str) -> Record:
    """A live record read on ``conn`` (NotFound if missing or deleted)."""
    row = conn.execute(f"SELECT * FROM {kind} WHERE id = ?", (rid,)).fetchone()
    if row is None:
        raise NotFound(t("err.not_found", kind=kind, id=rid), kind=kind, record_id=rid)
    if row["_deleted"]:
        raise NotFound(t("err.deleted", kind=kind, id=rid), kind=kind, record_id=rid)
    return to_record(conn, kind, row)


def to_record(conn: sqlite3.Connection, kind: str, row: sqlite3.Row) -> Record:
    data = row_to_data(kind, dict(row))
    if kind == "referral":
        data["history"] = [
            dict(r) for r in conn.execute(
                "SELECT id, referral_id, status, at, by, note FROM referral_event "
                "WHERE referral_id = ? ORDER BY hlc, origin", (data["id"],))
        ]
    return load_record(MODELS[kind], data)


class WriteUnit:
    """One open write transaction. Made by :meth:`Store.writing`, never directly."""

    def __init__(self, store: Store, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._store = store
        self._wall = store.clock
        meta = read_meta(conn)
        self.identity: Identity = store.as_session(load_identity(conn, meta))
        self._hlc_read = meta.get("hlc")
        self._hlc = HybridClock(self._hlc_read, clock=self._wall_ms)
        self._stamped = False
        self._changes_from = last_change_seq(conn) + 1

    # ------------------------------------------------------------------ time
    def _wall_ms(self) -> int:
        return wallclock.wall_ms(self._wall.now())

    def now_iso(self) -> str:
        return wallclock.iso(self._wall.now())

    def today(self) -> dt.date:
        return wallclock.local_date(self._wall.now())

    def stamp(self) -> str:
        """A new HLC stamp, after every stamp this database has handed out or seen."""
        self._stamped = True
        return self._hlc.now()

    def observe(self, stamp: str) -> bool:
        """Merge a received stamp into the clock (False: too far ahead, ignored)."""
        self._stamped = True
        return self._hlc.observe(stamp)

    def finish(self) -> None:
        """Before COMMIT (:meth:`Store.writing`): seal the change-log rows this unit added
        with one audit entry holding their digest, and save the advanced clock."""
        last = last_change_seq(self.conn)
        if last >= self._changes_from:
            count, digest = changes_digest(self.conn, self._changes_from, last)
            self.audit([self.entry(CHANGES_ACTION, "change", None, json.dumps(
                {"first": self._changes_from, "last": last, "count": count,
                 "sha256": digest}, separators=(",", ":")))])
        if self._stamped and self._hlc.last != self._hlc_read:
            write_meta(self.conn, {"hlc": self._hlc.last})

    # ------------------------------------------------------------------ audit
    def entry(self, action: str, tbl: str | None = None, rid: str | None = None,
              detail: str | None = None) -> AuditEntry:
        return AuditEntry(self.now_iso(), self.identity.device_id, self.identity.operator,
                          action, tbl, rid, detail)

    def audit(self, entries: list[AuditEntry]) -> None:
        """Append entries to the hash chain, continuing from its head as stored now."""
        append_entries(self.conn, entries)

    def event(self, action: str, detail: str | None = None) -> None:
        """An audit entry for something that is not a record write (export, import, ...)."""
        self.audit([self.entry(action, None, None, detail)])

    # ------------------------------------------------------------------ meta
    def set_meta(self, values: dict[str, str | None]) -> None:
        write_meta(self.conn, values)

    def set_identity(self, *, device_name: str, operator: str, role: str,
                     ambito: str | None = None) -> Identity:
        write_meta(self.conn, {"device_name": device_name, "operator": operator, "role": role,
                               "ambito": ambito})
        self.identity = self._store.as_session(load_identity(self.conn))
        self.audit([self.entry("init", None, None, json.dumps(
            {"device": device_name, "role": role, "ambito": ambito}))])
        return self.identity

    # ------------------------------------------------------------------ records
    def get(self, kind: str, rid: str) -> Record:
        model_for(kind)
        return get_record(self.conn, kind, rid)

    def add(self, kind: str, data: Mapping[str, Any]) -> Record:
        """Validate and store a new record; returns it as stored (with its ``id``)."""
        record = self._prepare_new(kind, data)
        self._check_new(record)
        self._write_new([record])
        return get_record(self.conn, kind, record.id)

    def add_many(self, kind: str, rows: Iterable[Mapping[str, Any]]) -> int:
        """Bulk add (demo data, imports). Same checks as :meth:`add`."""
        records = [self._prepare_new(kind, data) for data in rows]
        dumps = [record.model_dump(mode="json") for record in records]
        for record, data in zip(records, dumps, strict=True):
            self._check_new(record, data)
        self._write_new(records, dumps)
        return len(records)

    def update(self, kind: str, rid: str, changes: Mapping[str, Any]) -> Record:
        """Change only the given fields. Referral and need status changes are validated."""
        model = model_for(kind)
        changes = dict(changes)
        note = changes.pop("note", None) if kind == "referral" else None
        self._check_field_names(model, changes, creating=False)
        current = get_record(self.conn, kind, rid)
        old = current.model_dump(mode="json", exclude=set(model.computed()))
        merged = {**old, **changes, "updated_at": self.now_iso()}
        if kind == "need" and "status" in changes:
            self._need_status_dates(old, merged)
        new = self._validate(model, merged)
        new_data = new.model_dump(mode="json", exclude=set(model.computed()))
        changed = [f for f in model.data_fields() if new_data.get(f) != old.get(f)]
        if not changed:
            return current
        self._check_update(kind, old, new_data, set(changed))
        stamp = self.write_fields(kind, rid, new_data, changed)
        if kind == "referral" and "status" in changed:
            self.append_event(rid, new_data["status"], note, stamp)
        self.audit([self.entry("update", kind, rid, ",".join(changed))])
        return get_record(self.conn, kind, rid)

    def delete(self, kind: str, rid: str) -> None:
        """Tombstone a record: it disappears from lists and searches, and the delete syncs."""
        model_for(kind)
        current = get_record(self.conn, kind, rid)
        rules.check_role_may_write(self.conn, self.identity.role, kind,
                                   current.model_dump(mode="json"), deleting=True)
        self.write_fields(kind, rid, {"_deleted": True}, ["_deleted"])
        self.audit([self.entry("delete", kind, rid, None)])

    # ------------------------------------------------------------------ low level
    def write_fields(self, kind: str, rid: str, data: dict[str, Any],
                     changed: list[str]) -> str:
        """Write changed fields with a new stamp (raised above every stamp the row holds, so
        a local edit wins even over a flagged far-future stamp); returns the stamp used."""
        purge.check_local_write(self.conn, kind, rid, changed)
        stamp = self.stamp()
        origin = self.identity.device_id
        row = self.conn.execute(f"SELECT _clock FROM {kind} WHERE id = ?", (rid,)).fetchone()
        clock = json.loads(row[0]) if row and row[0] else {}
        base = {f: (clock.get(f) or clock.get("*") or [None])[0] for f in changed}
        top = clock_top(clock)
        if top is not None and top >= stamp:
            stamp = successor(top)
            self._hlc.observe(stamp)
        for field in changed:
            clock[field] = [stamp, origin]
        assignments = [f'"{f}" = ?' for f in changed]
        values = [data[f] if f == "_deleted" else to_column(kind, f, data[f]) for f in changed]
        assignments.append("updated_at = ?")
        values.append(stamp_time(stamp))
        self.conn.execute(
            f"UPDATE {kind} SET {', '.join(assignments)}, _clock = ? WHERE id = ?",
            [*values, json.dumps(clock, sort_keys=True), rid],
        )
        self._log_changes([
            (kind, rid, f, encode_value(data[f]), stamp, origin, self.identity.operator,
             base[f])
            for f in changed
        ])
        return stamp

    def append_event(self, referral_id: str, status: str, note: str | None,
                     stamp: str) -> None:
        """A referral's history entry, logged as changes with the status change's stamp."""
        if note is not None and purge.mode_of(self.conn, "referral", referral_id):
            note = None  # a redacted referral's history keeps no free text (erasure)
        event = {"id": uuid7(), "referral_id": referral_id, "status": status,
                 "at": self.now_iso(), "by": self.identity.operator, "note": note}
        origin = self.identity.device_id
        self.conn.execute(
            "INSERT INTO referral_event (id, referral_id, status, at, by, note, hlc, origin) "
            "VALUES (:id, :referral_id, :status, :at, :by, :note, :hlc, :origin)",
            {**event, "hlc": stamp, "origin": origin},
        )
        self._log_changes([
            ("referral_event", event["id"], f, encode_value(event[f]), stamp, origin,
             self.identity.operator)
            for f in ("referral_id", "status", "at", "by", "note") if event[f] is not None
        ])

    # ------------------------------------------------------------------ internals
    def _validate(self, model: type[Record], data: Mapping[str, Any]) -> Record:
        return validate(model, data, today=self.today())

    def _log_changes(self, changes: list[tuple[Any, ...]]) -> None:
        """Append change-log rows ``(tbl, rid, field, value, hlc, origin, operator[, base])``."""
        detect_local(self.conn, changes)
        self.conn.executemany(
            "INSERT INTO change (tbl, rid, field, value, hlc, origin, operator, base) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [c if len(c) == 8 else (*c, None) for c in changes],
        )

    def _check_field_names(self, model: type[Record], data: Mapping[str, Any],
                           *, creating: bool) -> None:
        allowed = set(model.data_fields()) | ({"id"} if creating else set())
        for field in data:
            if field in model.model_fields and field not in allowed:
                raise InvalidInput(t("err.read_only", field=field), field=field)
            if field not in allowed:
                raise InvalidInput(
                    t("err.unknown_field", field=field, kind=model.KIND,
                      allowed=", ".join(model.data_fields())),
                    field=field, allowed=model.data_fields(),
                )

    def _prepare_new(self, kind: str, data: Mapping[str, Any]) -> Record:
        model = model_for(kind)
        data = dict(data)
        if not _new_fields(model).issuperset(data):  # the full check only to word the error
            self._check_field_names(model, data, creating=True)
        rid = data.pop("id", None) or uuid7()
        if not isinstance(rid, str) or not is_uuid(rid):
            raise InvalidInput(t("err.wrong_type", field="id", detail="UUID"), field="id")
        now = self.now_iso()
        self._defaults(kind, data)
        return self._validate(model, {**data, "id": rid, "created_at": now, "updated_at": now,
                                      "created_by": self.identity.operator})

    def _defaults(self, kind: str, data: dict[str, Any]) -> None:
        today = self.today().isoformat()
        if kind == "need":
            data.setdefault("opened_on", today)
            if data.get("comune") is None and data.get("person_id"):
                row = self.conn.execute(
                    "SELECT comune FROM person WHERE id = ?", (data["person_id"],)
                ).fetchone()
                if row is not None:
                    data["comune"] = row[0]
            if data.get("status") in (NeedStatus.met, NeedStatus.closed_unmet):
                data.setdefault("closed_on", today)
        elif kind == "visit":
            data.setdefault("date", today)
        elif kind == "availability":
            data.setdefault("valid_from", today)
        elif kind == "person":
            data.setdefault("owner", self.identity.operator)
        elif kind == "referral" and data.get("need_id"):
            row = self.conn.execute(
                "SELECT category, comune FROM need WHERE id = ?", (data["need_id"],)
            ).fetchone()
            if row is not None:
                data.setdefault("category", row[0])
                data.setdefault("comune", row[1])

    def _need_status_dates(self, old: dict[str, Any], merged: dict[str, Any]) -> None:
        closed = (NeedStatus.met, NeedStatus.closed_unmet)
        if merged["status"] in closed and old["status"] not in closed:
            merged["closed_on"] = merged.get("closed_on") or self.today().isoformat()
        elif merged["status"] not in closed:
            merged["closed_on"] = None

    def _check_new(self, record: Record, data: dict[str, Any] | None = None) -> None:
        """``data``: ``record.model_dump(mode="json")`` if the caller already has it."""
        if data is None:
            data = record.model_dump(mode="json")
        conn = self.conn
        purge.check_local_write(conn, record.KIND, record.id, None)
        rules.check_role_may_write(conn, self.identity.role, record.KIND, data, creating=True)
        rules.check_references(conn, record.KIND, data)
        if record.KIND == "availability":
            rules.check_overlap(conn, data)
        if record.KIND == "referral":
            if data["status"] not in (ReferralStatus.proposed, ReferralStatus.sent):
                raise InvalidInput(t("err.initial_status"), field="status")
            if data["status"] == ReferralStatus.sent:
                rules.check_privacy_before_send(conn, data["need_id"])

    def _check_update(self, kind: str, old: dict[str, Any], new: dict[str, Any],
                      changed: set[str]) -> None:
        conn = self.conn
        rules.check_role_may_write(conn, self.identity.role, kind, new, changed=changed)
        rules.check_references(conn, kind, new, changed)
        if kind == "availability":
            rules.check_overlap(conn, new)
        if kind == "need" and "status" in changed:
            rules.check_need_transition(old["status"], new["status"])
        if kind == "referral" and "status" in changed:
            rules.check_referral_transition(
                old["status"], new["status"], outcome=new.get("outcome"),
                reason=new.get("reason"))
            if new["status"] == ReferralStatus.sent:
                rules.check_privacy_before_send(conn, new["need_id"])

    def _write_new(self, records: list[Record],
                   dumps: list[dict[str, Any]] | None = None) -> None:
        """Insert new records, one change row per set field, one audit entry per record.

        The hot path of bulk writes: field lists are computed once per kind, each value is
        encoded once (``_canonical`` = ``codec.encode_value``) and ``stamp_time`` once per
        wall millisecond. ``dumps`` are the records' ``model_dump(mode="json")``.
        """
        if not records:
            return
        conn = self.conn
        kind = records[0].KIND
        model = type(records[0])
        fields_ = data_fields(model)
        fields = ("id", "created_at", "updated_at", "created_by", *fields_)
        logged = ("created_at", "created_by", *fields_)
        special = JSON_FIELDS.get(kind, frozenset()) | BOOL_FIELDS.get(kind, frozenset())
        columns = ", ".join(f'"{f}"' for f in fields)
        placeholders = ", ".join("?" for _ in ["_clock", *fields])
        origin, operator = self.identity.device_id, self.identity.operator
        if dumps is None:
            dumps = [record.model_dump(mode="json") for record in records]
        rows: list[list[Any]] = []
        changes: list[tuple[Any, ...]] = []
        entries: list[AuditEntry] = []
        stamps: list[str] = []
        wall, updated_at = "", ""
        for record, data in zip(records, dumps, strict=True):
            stamp = self.stamp()
            stamps.append(stamp)
            if stamp[:16] != wall:  # stamp_time reads only the wall-clock part
                wall, updated_at = stamp[:16], stamp_time(stamp)
            data["updated_at"] = updated_at  # a row's updated_at is its newest stamp's
            rows.append([
                json.dumps({"*": [stamp, origin]}),
                *(data[f] if f not in special else to_column(kind, f, data[f]) for f in fields),
            ])
            rid = record.id
            for f in logged:
                value = data[f]
                if value is not None:
                    changes.append((kind, rid, f, _canonical(value), stamp, origin, operator,
                                    None))
            entries.append(self.entry("create", kind, rid, None))
        try:
            conn.executemany(f"INSERT INTO {kind} (_clock, {columns}) VALUES ({placeholders})",
                             rows)
        except sqlite3.IntegrityError as exc:  # the UNIQUE id: only a caller-given id can clash
            if f"{kind}.id" not in str(exc):
                raise
            raise InvalidInput(t("err.wrong_type", field="id", detail="id already used"),
                               field="id") from None
        if kind == "referral":
            for record, data, stamp in zip(records, dumps, stamps, strict=True):
                self.append_event(record.id, str(data["status"]), None, stamp)
        # Every change here belongs to a creation (it has a ``created_at`` change), which
        # conflict detection (merge.detect_local) skips: straight to the change table.
        conn.executemany(
            "INSERT INTO change (tbl, rid, field, value, hlc, origin, operator, base) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            changes,
        )
        self.audit(entries)
