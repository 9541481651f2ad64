"""Converting between pydantic records, SQLite rows and change-log values."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

JSON_FIELDS: dict[str, frozenset[str]] = {
    "person": frozenset({"languages", "privacy_notice"}),
    "organisation": frozenset({"comuni", "categories"}),
    "volunteer": frozenset({"skills", "comuni", "languages"}),
}
BOOL_FIELDS: dict[str, frozenset[str]] = {"volunteer": frozenset({"has_car", "active"})}
INTERNAL_COLUMNS = frozenset({"_rowid", "_deleted", "_clock"})


def to_column(kind: str, field: str, value: Any) -> Any:
    """A JSON-mode value (``model_dump(mode="json")``) as stored in its SQLite column."""
    if value is None:
        return None
    if field in JSON_FIELDS.get(kind, ()):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    if field in BOOL_FIELDS.get(kind, ()):
        return int(bool(value))
    return value


def from_column(kind: str, field: str, value: Any) -> Any:
    if value is None:
        return None
    if field in JSON_FIELDS.get(kind, ()):
        return json.loads(value)
    if field in BOOL_FIELDS.get(kind, ()):
        return bool(value)
    return value


def row_to_data(kind: str, row: Mapping[str, Any]) -> dict[str, Any]:
    """A SQLite row as a JSON-mode dict (internal columns dropped)."""
    return {
        key: from_column(kind, key, value)
        for key, value in row.items()
        if key not in INTERNAL_COLUMNS
    }


def encode_value(value: Any) -> str:
    """A field value as stored in the change log (canonical compact JSON)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def decode_value(text: str | None) -> Any:
    return None if text is None else json.loads(text)
