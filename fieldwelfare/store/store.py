"""The store: the one owner of SQLite. Every write goes through a write unit.

``with store.writing() as w:`` opens one ``BEGIN IMMEDIATE`` transaction
(:class:`fieldwelfare.store.writer.WriteUnit`): a write validates, writes the row,
appends one change-log entry per changed field (stamped with the hybrid logical clock,
device id and operator) and one audit entry, all in that transaction: either everything is
written or nothing is. The clock, identity and audit head are read inside it, so several
processes may write one file. Reads never take the write lock.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar

from sqlite_utils import Database

from fieldwelfare import clock as wallclock
from fieldwelfare.clock import Clock
from fieldwelfare.errors import NotFound
from fieldwelfare.i18n import t
from fieldwelfare.models import Record
from fieldwelfare.store import queries
from fieldwelfare.store.audit import head as audit_head
from fieldwelfare.store.connection import connect, immediate
from fieldwelfare.store.dbapi import sqlite3
from fieldwelfare.store.doctor import Problem
from fieldwelfare.store.doctor import check as doctor_check
from fieldwelfare.store.identity import Identity, check_names, load_identity, read_meta
from fieldwelfare.store.migrations import migrations
from fieldwelfare.store.writer import WriteUnit, get_record, model_for, to_record

TRANSITION_EXTRAS = ("note",)
"""Keys accepted by ``update`` on a referral besides its fields: the history note."""

__all__ = ["TRANSITION_EXTRAS", "Store", "WriteUnit", "model_for", "open_store"]


class Store:
    """A fieldwelfare database. Thread-safe: one connection guarded by a lock.

    ``clock`` is the wall clock of everything this store stamps or dates (the HLC, record
    defaults, ``updated_at``, audit entries, the UI's today); the system's by default.
    """

    def __init__(self, path: Path | str, *, clock: Clock | None = None,
                 create: bool = True, key: bytes | None = None,
                 operator: str | None = None) -> None:
        self.path = str(path)
        if not create and self.path != ":memory:" and not Path(self.path).is_file():
            raise NotFound(t("err.no_database", path=self.path), kind="database",
                           record_id=self.path)
        self.clock: Clock = clock or wallclock.default_clock()
        self.encrypted = key is not None
        self._key = key
        self.session_operator = operator
        """The operator who unlocked the database: every write records them."""
        self.conn: sqlite3.Connection = connect(path, key, adopt=create)
        self.conn.row_factory = sqlite3.Row
        self.db = Database(self.conn)
        self.lock = threading.RLock()
        self._unit: WriteUnit | None = None
        if migrations.pending(self.db):
            with immediate(self.conn):
                pass  # wait for any other process that is creating or migrating the file
            if migrations.pending(self.db):
                migrations.apply(self.db)
        meta = read_meta(self.conn)
        if "device_id" in meta:
            self.identity: Identity = self.as_session(load_identity(self.conn, meta))
        else:
            with immediate(self.conn):
                self.identity = self.as_session(load_identity(self.conn))

    def as_session(self, identity: Identity) -> Identity:
        """The identity with the operator who unlocked this session, if any."""
        if self.session_operator is None:
            return identity
        return replace(identity, operator=self.session_operator)

    # ------------------------------------------------------------------ lifecycle
    def close(self) -> None:
        with self.lock:
            self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ time
    def now(self) -> dt.datetime:
        return self.clock.now()

    def now_iso(self) -> str:
        """Now as an ISO 8601 UTC string (millisecond precision), by this store's clock."""
        return wallclock.iso(self.clock.now())

    def today(self) -> dt.date:
        """Today's local date by this store's clock."""
        return wallclock.local_date(self.clock.now())

    def stamp(self) -> str:
        """A new HLC stamp (saved: no later stamp of this database, from any process, is
        lower or equal)."""
        with self.writing() as w:
            return w.stamp()

    def audit_head(self) -> dict[str, Any]:
        """The audit chain's head as stored now: ``{"seq": N, "hash": H}``."""
        with self.lock:
            seq, digest = audit_head(self.conn)
        return {"seq": seq, "hash": digest}

    def hlc(self) -> str:
        """The last HLC stamp this database handed out or observed."""
        with self.lock:
            row = self.conn.execute("SELECT value FROM meta WHERE key = 'hlc'").fetchone()
        return str(row[0]) if row else "0000000000000000-0000"

    # ------------------------------------------------------------------ writing
    @contextmanager
    def writing(self) -> Iterator[WriteUnit]:
        """One write unit: ``BEGIN IMMEDIATE``; the identity, clock and audit head read
        inside it; everything done through the unit commits together or not at all.

        Opened again on the same thread while a unit is open, it is that same unit: a
        multi-step operation wraps its steps in one ``writing()`` and they become one
        transaction."""
        with self.lock:
            if self._unit is not None:  # nested: part of the unit already open
                yield self._unit
                return
            with immediate(self.conn) as conn:
                unit = WriteUnit(self, conn)
                self._unit = unit
                try:
                    yield unit
                    unit.finish()
                finally:
                    self._unit = None
            self.identity = unit.identity

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write unit's connection, for store modules that write their own tables."""
        with self.writing() as unit:
            yield unit.conn

    # ------------------------------------------------------------------ identity
    def set_identity(
        self, *, device_name: str, operator: str, role: str, ambito: str | None = None
    ) -> Identity:
        check_names(device_name=device_name, operator=operator)
        with self.writing() as w:
            return w.set_identity(device_name=device_name, operator=operator, role=role,
                                  ambito=ambito)

    def meta(self) -> dict[str, str]:
        with self.lock:
            return read_meta(self.conn)

    def set_meta(self, values: dict[str, str | None]) -> None:
        with self.writing() as w:
            w.set_meta(values)

    # ------------------------------------------------------------------ one-shot writes
    def add(self, kind: str, data: Mapping[str, Any]) -> Record:
        """Validate and store a new record; returns it as stored (with its ``id``)."""
        with self.writing() as w:
            return w.add(kind, data)

    def add_many(self, kind: str, rows: Iterable[Mapping[str, Any]]) -> int:
        """Bulk add in one transaction (demo data, imports). Same checks as :meth:`add`."""
        with self.writing() as w:
            return w.add_many(kind, rows)

    def update(self, kind: str, rid: str, changes: Mapping[str, Any]) -> Record:
        """Change only the given fields. Referral and need status changes are validated."""
        with self.writing() as w:
            return w.update(kind, rid, changes)

    def delete(self, kind: str, rid: str) -> None:
        """Tombstone a record: it disappears from lists and searches, and the delete syncs."""
        with self.writing() as w:
            w.delete(kind, rid)

    def record_event(self, action: str, detail: str | None = None) -> None:
        """An audit entry for something that is not a record write (export, import, ...)."""
        with self.writing() as w:
            w.event(action, detail)

    # ------------------------------------------------------------------ reads
    def get(self, kind: str, rid: str) -> Record:
        model_for(kind)
        with self.lock:
            return get_record(self.conn, kind, rid)

    NAMED: ClassVar[dict[str, str]] = {
        "volunteer": "given_name || ' ' || family_name", "organisation": "name",
    }

    def names(self, kind: str, ids: Iterable[str]) -> dict[str, str]:
        """Display names of live records by id, without building the records (a page of
        referrals names its volunteers and organisations; missing ids are left out)."""
        wanted = sorted(set(ids))
        if kind not in self.NAMED:
            raise ValueError(f"names: one of {', '.join(self.NAMED)} expected")
        if not wanted:
            return {}
        marks = ", ".join("?" * len(wanted))
        with self.lock:
            rows = self.conn.execute(
                f"SELECT id, {self.NAMED[kind]} FROM {kind} WHERE _deleted = 0 "
                f"AND id IN ({marks})", wanted).fetchall()
        return {str(row[0]): str(row[1]) for row in rows}

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
            return [to_record(self.conn, kind, row) for row in rows]

    def count(
        self, kind: str, *, where: Mapping[str, Any] | None = None, search: str | None = None,
        at_most: int | None = None,
    ) -> int:
        """Records that match (``at_most``: stop counting there)."""
        model = model_for(kind)
        with self.lock:
            return queries.count(self.conn, model, where=where, search=search,
                                 at_most=at_most)

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
        """Problems found (empty list: all good), as ``area: message`` lines: SQLite, foreign
        keys, FTS, the audit chain and its anchors, the sealed change log, every record
        against the fold of its changes, the hub's revocations (:mod:`.doctor`)."""
        return [str(p) for p in self.doctor()]

    def doctor(self) -> list[Problem]:
        with self.lock:
            return doctor_check(self.conn)


def open_store(path: Path | str, *, clock: Clock | None = None, create: bool = True,
               key: bytes | None = None, operator: str | None = None) -> Store:
    """Open (creating and migrating as needed) the database at ``path``. ``create=False``
    refuses a file that does not exist (NotFound naming the path). ``key``: the SQLCipher
    key of an encrypted database (:mod:`.keyslots`); ``operator``: who unlocked it."""
    return Store(path, clock=clock, create=create, key=key, operator=operator)
