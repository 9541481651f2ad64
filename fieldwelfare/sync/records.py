"""What a bag may carry: the change record, the bag's own manifest, and the strict allow-list
of tables and fields (taken from the record models) with each field's value type.

The JSON Schemas in ``schema/bundle/`` are generated from these models
(``python -m fieldwelfare.sync.schema_gen``) and drift-tested.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, StrictBool, TypeAdapter
from pydantic import ValidationError as PydanticError

from fieldwelfare.models import MODELS, ReferralEvent
from fieldwelfare.sync.errors import BundleRefused

MAX_INT = 2**53 - 1
"""Sequence numbers and counts are in 0..2^53-1 (exact in JSON, fit SQLite integers)."""

SCHEMA_VERSION = 3
"""Version of the change-record contract (tables, fields, value types). A bundle whose
``schema`` is higher is refused with "upgrade required". 2: erasure markers (``purge``)
and read-log entries (``access``); 3: redaction markers (``redaction``). Bundles of an
older schema are read as before (every table they may hold is still allowed)."""

TABLE_SCHEMA = {"purge": 2, "access": 2, "redaction": 3}
"""The schema that first carried each table (the others: 1)."""


def schema_for(tables: Iterable[str]) -> int:
    """The oldest schema that can carry changes of ``tables``: what a bundle says, so a
    program not yet upgraded still reads every bundle it can (it refuses, with "upgrade
    required", only one that holds what it cannot know)."""
    return max([1, *(TABLE_SCHEMA.get(table, 1) for table in tables)])


Stamp = Annotated[str, Field(pattern=r"^[0-9a-f]{16}-[0-9a-f]{4}$")]
Uuid = Annotated[str, Field(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-"
                                    r"[0-9a-f]{12}$")]


class ChangeRecord(BaseModel):
    """One line of ``data/changes/*.jsonl``: one field of one record, as written once."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tbl: Annotated[str, Field(max_length=40)]
    """Table (record kind, or ``referral_event``)."""
    rid: Uuid
    """The record's id (UUIDv7)."""
    field: Annotated[str, Field(max_length=60)]
    """The field; ``_deleted`` is the tombstone."""
    value: JsonValue
    """The value in JSON mode (as ``model_dump(mode="json")`` gives it)."""
    hlc: Stamp
    """Hybrid logical clock stamp of the write."""
    origin: Uuid
    """Device id of the write."""
    operator: Annotated[str, Field(max_length=120)] | None = None
    """Who made the write on that device."""
    base: Stamp | None = None
    """The stamp of the value this write replaced (conflict detection)."""


class AuditHead(BaseModel):
    """An audit chain head: the sequence and hash of its last entry."""

    model_config = ConfigDict(extra="forbid")

    seq: int = Field(ge=0, le=2**53)
    hash: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class BagManifest(BaseModel):
    """``fw/manifest.json``: what the bag holds. No personal data."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["fieldwelfare-bag"] = "fieldwelfare-bag"
    v: Literal[1] = 1
    bundle_id: Uuid
    kind: Literal["changes", "reply", "enroll"]
    sender: Annotated[str, Field(max_length=80)]
    schema_version: int = SCHEMA_VERSION
    count: int = Field(ge=0, le=MAX_INT)
    """Number of change lines in ``data/changes/``."""
    first_seq: Annotated[int, Field(ge=0, le=MAX_INT)] | None = None
    """Sender's change-log sequence of the first change included."""
    last_seq: Annotated[int, Field(ge=0, le=MAX_INT)] | None = None
    """Sender's change-log sequence of the last change included (what an ack covers)."""
    peer_upto: int = Field(0, ge=0, le=MAX_INT)
    """Device to hub: the hub sequence the device has applied. Hub to device: the hub
    sequence this reply brings the device up to."""
    audit_head: AuditHead | None = None
    """Device to hub: the head of the device's audit chain when the bundle was made (the
    hub keeps it: a device whose log later ends before it was cut)."""
    witnessed_head: AuditHead | None = None
    """Hub to device: the last head the hub witnessed for this device (its ``doctor``
    checks that its chain still holds that entry)."""


def _annotation(info: Any) -> Any:
    return Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation


@functools.cache
def allow_list() -> dict[str, dict[str, TypeAdapter[Any]]]:
    """Table -> field -> value validator. Anything else is refused."""
    out: dict[str, dict[str, TypeAdapter[Any]]] = {}
    text: TypeAdapter[Any] = TypeAdapter(Annotated[str, Field(max_length=120)])
    for kind, model in MODELS.items():
        fields: dict[str, TypeAdapter[Any]] = {
            "created_at": text, "created_by": text,
            "_deleted": TypeAdapter(StrictBool),
        }
        for name in model.data_fields():
            fields[name] = TypeAdapter(_annotation(model.model_fields[name]))
        out[kind] = fields
    out["referral_event"] = {
        name: TypeAdapter(_annotation(info))
        for name, info in ReferralEvent.model_fields.items() if name != "id"
    }
    out["purge"] = {  # an erasure marker (docs/merge.md, "Erasure"): no personal data
        "at": text, "by": text,
        "reason": TypeAdapter(Annotated[str, Field(min_length=1, max_length=500)]),
        "needs": TypeAdapter(Annotated[list[Uuid], Field(max_length=1000)]),
    }
    out["access"] = {  # a read-log entry (docs/privacy.md): who opened whose file
        "person_id": TypeAdapter(Uuid), "at": text, "by": text, "device": text,
        "via": TypeAdapter(Literal["cli", "tui", "export"]),
        "why": TypeAdapter(Annotated[str, Field(max_length=500)] | None),
    }
    out["redaction"] = {  # a referral's free text removed (docs/merge.md, "Redaction")
        "at": text, "by": text,
        "reason": TypeAdapter(Annotated[str, Field(min_length=1, max_length=500)]),
    }
    return out


def parse_change(line: bytes) -> ChangeRecord:
    """One JSONL line, strictly: known table, known field, value of the field's type."""
    try:
        record = ChangeRecord.model_validate_json(line)
    except PydanticError as exc:
        raise BundleRefused("change", _first_error(exc)) from None
    fields = allow_list().get(record.tbl)
    if fields is None:
        raise BundleRefused("change", f"unknown table {record.tbl!r}")
    adapter = fields.get(record.field)
    if adapter is None:
        raise BundleRefused("change", f"unknown field {record.tbl}.{record.field}")
    try:  # null too: a required field cannot be emptied by a bundle
        adapter.validate_python(record.value, context={"stored": True})
    except PydanticError as exc:
        raise BundleRefused(
            "change", f"{record.tbl}.{record.field}: {_first_error(exc)}") from None
    if record.base is not None and record.base >= record.hlc:
        raise BundleRefused("change", f"base {record.base} is not before hlc {record.hlc}")
    return record


def _first_error(exc: PydanticError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err.get("loc", ()))
    return f"{where}: {err.get('msg')}" if where else str(err.get("msg"))
