"""Turning pydantic errors into one clear, translated message naming the field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from fieldwelfare.errors import InvalidInput
from fieldwelfare.i18n import t
from fieldwelfare.models.base import Record


def _field_of(error: ErrorDetails) -> str:
    parts = [str(p) for p in error["loc"] if not isinstance(p, int)]
    ctx = error.get("ctx") or {}
    if not parts and "field" in ctx:
        return str(ctx["field"])
    return ".".join(parts) or "record"


def _allowed_from_expected(expected: str) -> list[str]:
    cleaned = expected.replace(" or ", ", ")
    return [part.strip().strip("'") for part in cleaned.split(",") if part.strip()]


def to_invalid_input(exc: ValidationError, kind: str) -> InvalidInput:
    """The first problem as the error; all of them in ``details`` (one per field)."""
    found = [_one(error, kind) for error in exc.errors()]
    first = found[0]
    seen: set[str | None] = set()
    first.details = []
    for problem in found:
        if problem.field not in seen:
            seen.add(problem.field)
            first.details.append((problem.field, str(problem)))
    return first


def _one(error: ErrorDetails, kind: str) -> InvalidInput:
    field = _field_of(error)
    etype = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    if etype.startswith("fw:"):
        ctx.setdefault("field", field)
        return InvalidInput(t(etype[3:], **ctx), field=field)
    if etype == "missing" or (etype == "string_too_short" and ctx.get("min_length") == 1):
        return InvalidInput(t("err.required", field=field), field=field)
    if etype in ("enum", "literal_error"):
        allowed = _allowed_from_expected(str(ctx.get("expected", "")))
        return InvalidInput(
            t("err.not_allowed_value", field=field, value=repr(error.get("input")),
              allowed=", ".join(allowed)),
            field=field,
            allowed=allowed,
        )
    if etype == "extra_forbidden":
        return InvalidInput(t("err.unknown_field", field=field, kind=kind, allowed="..."),
                            field=field)
    worded = _worded(etype, ctx)
    if worded is not None:
        key, limit = worded
        return InvalidInput(t(key, field=field, value=repr(error.get("input")), limit=limit),
                            field=field)
    return InvalidInput(t("err.wrong_type", field=field, detail=error["msg"]), field=field)


WORDED = {
    "int_parsing": "err.not_integer", "int_type": "err.not_integer",
    "int_from_float": "err.not_integer", "float_parsing": "err.not_number",
    "float_type": "err.not_number", "string_pattern_mismatch": "err.bad_format",
    "date_parsing": "err.bad_date", "date_from_datetime_parsing": "err.bad_date",
    "date_type": "err.bad_date", "bool_parsing": "err.not_bool", "bool_type": "err.not_bool",
    "greater_than_equal": "err.too_small", "greater_than": "err.too_small",
    "less_than_equal": "err.too_large", "less_than": "err.too_large",
    "string_too_long": "err.too_long",
}
"""Pydantic's error types that users meet, in our words (the rest keep pydantic's)."""


def _worded(etype: str, ctx: dict[str, Any]) -> tuple[str, object] | None:
    key = WORDED.get(etype)
    if key is None:
        return None
    limit = next((ctx[name] for name in ("ge", "gt", "le", "lt", "max_length") if name in ctx),
                 "")
    return key, limit


def validate(model: type[Record], data: Mapping[str, Any], *,
             today: dt.date | None = None) -> Record:
    """Validate ``data`` as ``model``; raise :class:`InvalidInput` (one message) if it fails.
    ``today``: the date that "not in the future" checks use (the store's clock)."""
    try:
        context = {"today": today} if today is not None else None
        return model.model_validate(dict(data), context=context)
    except ValidationError as exc:
        raise to_invalid_input(exc, model.KIND) from None


def load_record(model: type[Record], data: Mapping[str, Any]) -> Record:
    """A stored record. Checks that depend on today (no future dates) are not re-run,
    and a row that no longer validates is still returned rather than lost from view."""
    try:
        return model.model_validate(dict(data), context={"stored": True})
    except ValidationError:
        return model.model_construct(**data)
