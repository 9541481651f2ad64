"""The store: the one owner of SQLite. Every write goes through :class:`Store`.

A write validates, writes the row, appends one change-log entry per changed field
(stamped with the hybrid logical clock, device id and operator) and one audit entry,
all in one transaction: either everything is written or nothing is.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from fieldwelfare.errors import InvalidInput, NotFound
from fieldwelfare.hlc import HybridClock
from fieldwelfare.i18n import t
from fieldwelfare.ids import is_uuid, uuid7
from fieldwelfare.models import MODELS, Record, utc_now
from fieldwelfare.models.validation import load_record, validate
from fieldwelfare.models.vocabulary import NeedStatus, ReferralStatus
from fieldwelfare.store import queries, rules
from fieldwelfare.store.audit import AuditEntry, AuditLog
from fieldwelfare.store.codec import (
    BOOL_FIELDS,
    JSON_FIELDS,
    encode_value,
    row_to_data,
    to_column,
)
from fieldwelfare.store.connection import connect, immediate
from fieldwelfare.store.identity import Identity, load_identity, read_meta, write_meta
from fieldwelfare.store.merge import clock_top, detect_local, stamp_time, successor
from fieldwelfare.store.migrations import migrations

TRANSITION_EXTRAS = ("note",)
"""Keys accepted by ``update`` on a referral besides its fields: the history note."""


_canonical = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode
"""``codec.encode_value`` without building a new encoder for every value (same output)."""


@cache
def _data_fields(model: type[Record]) -> tuple[str, ...]:
    return tuple(model.data_fields())


@cache
def _new_fields(model: type[Record]) -> frozenset[str]:
    """Fields accepted when creating a record (``_check_field_names(creating=True)``)."""
    return frozenset(_data_fields(model)) | {"id"}


def model_for(kind: str) -> type[Record]:
    try:
        return MODELS[kind]
    except KeyError:
        raise InvalidInput(
            t("err.unknown_kind", kind=kind, allowed=", ".join(MODELS)), field="kind",
            allowed=list(MODELS),
        ) from None


class Store:
    """A fieldwelfare database. Thread-safe: one connection guarded by a lock."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        self.conn: sqlite3.Connection = connect(path)
        self.conn.row_factory = sqlite3.Row
        self.db = Database(self.conn)
        self.lock = threading.RLock()
        migrations.apply(self.db)
        with immediate(self.conn):
            self.identity: Identity = load_identity(self.conn)
        self.clock = HybridClock(read_meta(self.conn).get("hlc"))
        self.audit = AuditLog(self.conn)

    # ------------------------------------------------------------------ lifecycle
    def close(self) -> None:
        with self.lock:
            self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE``); everything inside commits or nothing."""
        with self.lock:
            try:
                with immediate(self.conn) as conn:
                    yield conn
            except BaseException:
                self.audit.forget_head()
                raise

    # ------------------------------------------------------------------ identity
    def set_identity(
        self, *, device_name: str, operator: str, role: str, ambito: str | None = None
    ) -> Identity:
        with self.transaction() as conn:
            write_meta(conn, {"device_name": device_name, "operator": operator, "role": role,
                              "ambito": ambito})
            self._audit(conn, [self._entry("init", None, None, json.dumps(
                {"device": device_name, "role": role, "ambito": ambito}))])
            self.identity = load_identity(conn)
        return self.identity

    def meta(self) -> dict[str, str]:
        with self.lock:
            return read_meta(self.conn)

    def set_meta(self, values: dict[str, str | None]) -> None:
        with self.transaction() as conn:
            write_meta(conn, values)

    # ------------------------------------------------------------------ writes
    def add(self, kind: str, data: Mapping[str, Any]) -> Record:
        """Validate and store a new record; returns it as stored (with its ``id``)."""
        record = self._prepare_new(kind, data)
        with self.transaction() as conn:
            self._check_new(conn, record)
            self._write_new(conn, [record])
            return self._get(conn, kind, record.id)

    def add_many(self, kind: str, rows: Iterable[Mapping[str, Any]]) -> int:
        """Bulk add in one transaction (demo data, imports). Same checks as :meth:`add`."""
        records = [self._prepare_new(kind, data) for data in rows]
        dumps = [record.model_dump(mode="json") for record in records]
        with self.transaction() as conn:
            for record, data in zip(records, dumps, strict=True):
                self._check_new(conn, record, data)
            self._write_new(conn, records, dumps)
        return len(records)

    def update(self, kind: str, rid: str, changes: Mapping[str, Any]) -> Record:
        """Change only the given fields. Referral and need status changes are validated."""
        model = model_for(kind)
        changes = dict(changes)
        note = changes.pop("note", None) if kind == "referral" else None
        self._check_field_names(model, changes, creating=False)
        with self.transaction() as conn:
            current = self._get(conn, kind, rid)
            old = current.model_dump(mode="json", exclude=set(model.computed()))
            merged = {**old, **changes, "updated_at": utc_now()}
            if kind == "need" and "status" in changes:
                self._need_status_dates(old, merged)
            new = validate(model, merged)
            new_data = new.model_dump(mode="json", exclude=set(model.computed()))
            changed = [f for f in model.data_fields() if new_data.get(f) != old.get(f)]
            if not changed:
                return self._get(conn, kind, rid)
            self._check_update(conn, kind, old, new_data, set(changed))
            stamp = self._write_fields(conn, kind, rid, new_data, changed, self.clock.now())
            if kind == "referral" and "status" in changed:
                self._append_event(conn, rid, new_data["status"], note, stamp)
            self._audit(conn, [self._entry("update", kind, rid, ",".join(changed))])
            self._save_clock(conn)
            return self._get(conn, kind, rid)

    def delete(self, kind: str, rid: str) -> None:
        """Tombstone a record: it disappears from lists and searches, and the delete syncs."""
        model_for(kind)
        with self.transaction() as conn:
            current = self._get(conn, kind, rid)
            rules.check_role_may_write(conn, self.identity.role, kind,
                                       current.model_dump(mode="json"), deleting=True)
            stamp = self.clock.now()
            self._write_fields(conn, kind, rid, {"_deleted": True}, ["_deleted"], stamp)
            self._audit(conn, [self._entry("delete", kind, rid, None)])
            self._save_clock(conn)

    def record_event(self, action: str, detail: str | None = None) -> None:
        """An audit entry for something that is not a record write (export, import, ...)."""
        with self.transaction() as conn:
            self._audit(conn, [self._entry(action, None, None, detail)])

    # ------------------------------------------------------------------ reads
    def get(self, kind: str, rid: str) -> Record:
        model_for(kind)
        with self.lock:
            return self._get(self.conn, kind, rid)

    def list_records(
        self,
        kind: str,
        *,
        where: Mapping[str, Any] | None = None,
        search: str | None = None,
        limit: int | None = 50,
        offset: int = 0,
        order_by: str | None = None,
    ) -> list[Record]:
        model = model_for(kind)
        with self.lock:
            rows = queries.select(self.conn, model, where=where, search=search, limit=limit,
                                  offset=offset, order_by=order_by)
            return [self._to_record(self.conn, kind, row) for row in rows]

    def count(
        self, kind: str, *, where: Mapping[str, Any] | None = None, search: str | None = None
    ) -> int:
        model = model_for(kind)
        with self.lock:
            return queries.count(self.conn, model, where=where, search=search)

    def search(self, text: str, *, kinds: Iterable[str] | None = None,
               limit: int = 20) -> list[Record]:
        """Full-text search (prefix, accent-insensitive) across searchable kinds."""
        out: list[Record] = []
        for kind in kinds or queries.SEARCHABLE:
            out.extend(self.list_records(kind, search=text, limit=limit))
        return out

    def execute_read(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        """Read-only SQL for core modules (matching, reports, sync). Never for the UI."""
        with self.lock:
            return self.conn.execute(sql, tuple(params)).fetchall()

    # ------------------------------------------------------------------ checks
    def integrity_check(self) -> list[str]:
        """Problems found (empty list: all good): SQLite, foreign keys, FTS, audit chain."""
        problems: list[str] = []
        with self.lock:
            result = [r[0] for r in self.conn.execute("PRAGMA integrity_check")]
            if result != ["ok"]:
                problems.extend(f"sqlite: {r}" for r in result)
            for row in self.conn.execute("PRAGMA foreign_key_check"):
                problems.append(f"foreign key: {row[0]} rowid {row[1]} -> {row[2]}")
            for table in queries.SEARCHABLE:
                try:
                    self.conn.execute(
                        f"INSERT INTO {table}_fts({table}_fts, rank) VALUES ('integrity-check', 1)"
                    )
                except sqlite3.DatabaseError as exc:
                    problems.append(f"fts {table}: {exc}")
            problems.extend(self.audit.verify())
        return problems

    # ------------------------------------------------------------------ internals
    def _entry(self, action: str, tbl: str | None, rid: str | None,
               detail: str | None) -> AuditEntry:
        return AuditEntry(utc_now(), self.identity.device_id, self.identity.operator, action,
                          tbl, rid, detail)

    def _audit(self, conn: sqlite3.Connection, entries: list[AuditEntry]) -> None:
        self.audit.append_many(entries)

    def _save_clock(self, conn: sqlite3.Connection) -> None:
        write_meta(conn, {"hlc": self.clock.last})

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
        now = utc_now()
        self._defaults(kind, data)
        record = validate(model, {**data, "id": rid, "created_at": now, "updated_at": now,
                                  "created_by": self.identity.operator})
        return record

    def _defaults(self, kind: str, data: dict[str, Any]) -> None:
        today = dt.date.today().isoformat()
        if kind == "need":
            data.setdefault("opened_on", today)
            if data.get("comune") is None and data.get("person_id"):
                with self.lock:
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
            with self.lock:
                row = self.conn.execute(
                    "SELECT category, comune FROM need WHERE id = ?", (data["need_id"],)
                ).fetchone()
            if row is not None:
                data.setdefault("category", row[0])
                data.setdefault("comune", row[1])

    @staticmethod
    def _need_status_dates(old: dict[str, Any], merged: dict[str, Any]) -> None:
        closed = (NeedStatus.met, NeedStatus.closed_unmet)
        if merged["status"] in closed and old["status"] not in closed:
            merged["closed_on"] = merged.get("closed_on") or dt.date.today().isoformat()
        elif merged["status"] not in closed:
            merged["closed_on"] = None

    def _check_new(self, conn: sqlite3.Connection, record: Record,
                   data: dict[str, Any] | None = None) -> None:
        """``data``: ``record.model_dump(mode="json")`` if the caller already has it."""
        if data is None:
            data = record.model_dump(mode="json")
        rules.check_role_may_write(conn, self.identity.role, record.KIND, data, creating=True)
        rules.check_references(conn, record.KIND, data)
        if record.KIND == "availability":
            rules.check_overlap(conn, data)
        if record.KIND == "referral":
            if data["status"] not in (ReferralStatus.proposed, ReferralStatus.sent):
                raise InvalidInput(t("err.initial_status"), field="status")
            if data["status"] == ReferralStatus.sent:
                rules.check_privacy_before_send(conn, data["need_id"])

    def _check_update(self, conn: sqlite3.Connection, kind: str, old: dict[str, Any],
                      new: dict[str, Any], changed: set[str]) -> None:
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

    def _write_new(self, conn: sqlite3.Connection, records: list[Record],
                   dumps: list[dict[str, Any]] | None = None) -> None:
        """Insert new records, one change row per set field, one audit entry per record.

        The hot path of bulk writes: field lists are computed once per kind, each value is
        encoded once (``_canonical`` = ``codec.encode_value``) and ``stamp_time`` once per
        wall millisecond. ``dumps`` are the records' ``model_dump(mode="json")``.
        """
        if not records:
            return
        kind = records[0].KIND
        model = type(records[0])
        data_fields = _data_fields(model)
        fields = ("id", "created_at", "updated_at", "created_by", *data_fields)
        logged = ("created_at", "created_by", *data_fields)
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
            stamp = self.clock.now()
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
            entries.append(self._entry("create", kind, rid, None))
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
                self._append_event(conn, record.id, str(data["status"]), None, stamp)
        # Every change here belongs to a creation (it has a ``created_at`` change), which
        # conflict detection (merge.detect_local) skips: straight to the change table.
        conn.executemany(
            "INSERT INTO change (tbl, rid, field, value, hlc, origin, operator, base) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            changes,
        )
        self._audit(conn, entries)
        self._save_clock(conn)

    def _log_changes(self, conn: sqlite3.Connection, changes: list[tuple[Any, ...]]) -> None:
        """Append change-log rows ``(tbl, rid, field, value, hlc, origin, operator[, base])``."""
        detect_local(conn, changes)
        conn.executemany(
            "INSERT INTO change (tbl, rid, field, value, hlc, origin, operator, base) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [c if len(c) == 8 else (*c, None) for c in changes],
        )

    def _write_fields(self, conn: sqlite3.Connection, kind: str, rid: str,
                      data: dict[str, Any], changed: list[str], stamp: str) -> str:
        """Write changed fields with ``stamp`` (raised above every stamp the row holds, so a
        local edit wins even over a flagged far-future stamp); returns the stamp used."""
        origin = self.identity.device_id
        row = conn.execute(f"SELECT _clock FROM {kind} WHERE id = ?", (rid,)).fetchone()
        clock = json.loads(row[0]) if row and row[0] else {}
        base = {f: (clock.get(f) or clock.get("*") or [None])[0] for f in changed}
        top = clock_top(clock)
        if top is not None and top >= stamp:
            stamp = successor(top)
        for field in changed:
            clock[field] = [stamp, origin]
        assignments = [f'"{f}" = ?' for f in changed]
        values = [data[f] if f == "_deleted" else to_column(kind, f, data[f]) for f in changed]
        assignments.append("updated_at = ?")
        values.append(stamp_time(stamp))
        conn.execute(
            f"UPDATE {kind} SET {', '.join(assignments)}, _clock = ? WHERE id = ?",
            [*values, json.dumps(clock, sort_keys=True), rid],
        )
        self._log_changes(conn, [
            (kind, rid, f, encode_value(data[f]), stamp, origin, self.identity.operator, base[f])
            for f in changed
        ])
        return stamp

    def _append_event(self, conn: sqlite3.Connection, referral_id: str, status: str,
                      note: str | None, stamp: str) -> None:
        event = {"id": uuid7(), "referral_id": referral_id, "status": status,
                 "at": utc_now(), "by": self.identity.operator, "note": note}
        origin = self.identity.device_id
        conn.execute(
            "INSERT INTO referral_event (id, referral_id, status, at, by, note, hlc, origin) "
            "VALUES (:id, :referral_id, :status, :at, :by, :note, :hlc, :origin)",
            {**event, "hlc": stamp, "origin": origin},
        )
        self._log_changes(conn, [
            ("referral_event", event["id"], f, encode_value(event[f]), stamp, origin,
             self.identity.operator)
            for f in ("referral_id", "status", "at", "by", "note") if event[f] is not None
        ])

    def _get(self, conn: sqlite3.Connection, kind: str, rid: str) -> Record:
        row = conn.execute(f"SELECT * FROM {kind} WHERE id = ?", (rid,)).fetchone()
        if row is None:
            raise NotFound(t("err.not_found", kind=kind, id=rid), kind=kind, record_id=rid)
        if row["_deleted"]:
            raise NotFound(t("err.deleted", kind=kind, id=rid), kind=kind, record_id=rid)
        return self._to_record(conn, kind, row)

    def _to_record(self, conn: sqlite3.Connection, kind: str, row: sqlite3.Row) -> Record:
        data = row_to_data(kind, dict(row))
        if kind == "referral":
            data["history"] = [
                dict(r) for r in conn.execute(
                    "SELECT id, referral_id, status, at, by, note FROM referral_event "
                    "WHERE referral_id = ? ORDER BY hlc, origin", (data["id"],))
            ]
        return load_record(MODELS[kind], data)


def open_store(path: Path | str) -> Store:
    """Open (creating and migrating as needed) the database at ``path``."""
    return Store(path)
