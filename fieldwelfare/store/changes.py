"""Replication types: one field change, a peer's scope, an import report, a conflict.

Also the strict check of a received change (:func:`check_change`) and the change-log row
reader shared by the outbox and by "who gets what". Part of the replication API, imported
from :mod:`fieldwelfare.store.replication`.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from fieldwelfare.store.codec import JSON_FIELDS, decode_value
from fieldwelfare.store.dbapi import sqlite3
from fieldwelfare.store.identity import MAX_OPERATOR
from fieldwelfare.store.merge import (
    DELETED,
    PURGE_TABLE,
    REDACTION_TABLE,
    allowed_fields,
    is_stamp,
)

PAGE = 2000
"""Change-log rows read per page by the outbox and by ``changes_for_peer`` (read as
``changes.PAGE`` at call time, so tests can set it small)."""

SELECT = "SELECT seq, tbl, rid, field, value, hlc, origin, operator, base FROM change"
"""The change-log columns :func:`row_change` reads, in its order."""

_INT_LIMIT = 2**63


@dataclass(frozen=True)
class Change:
    """One field change; identity key = ``(origin, hlc, tbl, rid, field)``."""

    tbl: str
    rid: str
    field: str
    value: Any
    hlc: str
    origin: str
    operator: str | None
    base: str | None

    KEYS = ("tbl", "rid", "field", "value", "hlc", "origin", "operator", "base")

    @property
    def identity(self) -> tuple[str, str, str, str, str]:
        return (self.origin, self.hlc, self.tbl, self.rid, self.field)

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.KEYS}

    @classmethod
    def from_dict(cls, d: Any) -> Change:
        """Strict: exactly the eight keys, the right types, known table and field."""
        if not isinstance(d, dict):
            raise ValueError("a change must be a JSON object")
        keys = set(d)
        if keys != set(cls.KEYS):
            extra, missing = sorted(keys - set(cls.KEYS)), sorted(set(cls.KEYS) - keys)
            raise ValueError(f"change keys: unknown {extra}, missing {missing}")
        change = cls(**{k: d[k] for k in cls.KEYS})
        check_change(change)
        return change


def short_str(value: Any, name: str, limit: int = 200) -> None:
    if not isinstance(value, str) or not value or len(value) > limit:
        raise ValueError(f"{name}: a non-empty string of at most {limit} characters expected")


def _check_json(value: Any, depth: int = 0) -> None:
    if depth > 8:
        raise ValueError("value nested too deeply")
    if value is None or isinstance(value, (bool, str)):
        return
    if isinstance(value, int):
        if not -_INT_LIMIT <= value < _INT_LIMIT:
            raise ValueError("integer out of range")
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("non-finite number")
    elif isinstance(value, list):
        for item in value:
            _check_json(item, depth + 1)
    elif isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError("object keys must be strings")
            _check_json(item, depth + 1)
    else:
        raise ValueError(f"not a JSON value: {type(value).__name__}")


def check_change(c: Change) -> None:
    """Raise ValueError unless ``c`` is well formed (allow-listed table and field, stamps)."""
    short_str(c.tbl, "tbl", 40)
    short_str(c.field, "field", 60)
    if c.field not in allowed_fields(c.tbl):
        raise ValueError(f"{c.tbl}: unknown field {c.field!r}")
    short_str(c.rid, "rid", 64)
    short_str(c.origin, "origin", 64)
    if c.operator is not None:
        short_str(c.operator, "operator", MAX_OPERATOR)
    if not is_stamp(c.hlc):
        raise ValueError(f"hlc: not a stamp: {c.hlc!r}")
    if c.base is not None and not (is_stamp(c.base) and c.base < c.hlc):
        raise ValueError(f"base: not a stamp before hlc: {c.base!r}")
    if c.tbl in (PURGE_TABLE, REDACTION_TABLE):
        _check_purge(c)
    elif c.field == DELETED:
        if not isinstance(c.value, bool):
            raise ValueError("_deleted: true or false expected")
    elif c.field not in JSON_FIELDS.get(c.tbl, ()) and not (
            c.value is None or isinstance(c.value, (str, int, float))):
        raise ValueError(f"{c.tbl}.{c.field}: a scalar value expected")
    else:
        _check_json(c.value)


MAX_PURGE_NEEDS = 1000


def _check_purge(c: Change) -> None:
    """An erasure marker: ``needs`` a list of record ids, the other fields short strings."""
    if c.field == "needs":
        if not isinstance(c.value, list) or len(c.value) > MAX_PURGE_NEEDS:
            raise ValueError(f"purge.needs: a list of at most {MAX_PURGE_NEEDS} ids expected")
        for rid in c.value:
            short_str(rid, "purge.needs", 64)
    elif c.value is not None:
        short_str(c.value, f"{c.tbl}.{c.field}", 500)


@dataclass(frozen=True)
class PeerScope:
    """Who a hub reply is for."""

    device_id: str
    role: str
    ambito: str | None
    volunteer_id: str | None


@dataclass
class ApplyReport:
    bundle_id: str
    duplicate: bool
    applied: int
    skipped: int
    conflicts: int
    flagged_future: int
    purged: int = 0
    """Received changes dropped because an erasure removed their record (or its text)."""
    erased: tuple[str, ...] = ()
    """Persons this import erased (their erasure marker arrived)."""
    scrubbed: tuple[int, ...] = ()
    """Change-log rows (seq) an erasure emptied or rewrote in this import."""


@dataclass(frozen=True)
class Conflict:
    id: str
    tbl: str
    rid: str
    field: str
    current_value: Any
    current_hlc: str
    current_origin: str
    other_value: Any
    other_hlc: str
    other_origin: str
    status: str
    kind: str = "concurrent_edit"
    current_operator: str | None = None
    """The operator who made the current value (from the change log)."""
    other_operator: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def row_change(row: sqlite3.Row | tuple[Any, ...]) -> Change:
    """A :data:`SELECT` row (seq first) as a :class:`Change`."""
    return Change(row[1], row[2], row[3], decode_value(row[4]), row[5], row[6], row[7], row[8])
