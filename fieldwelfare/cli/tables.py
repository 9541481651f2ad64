"""The main columns of each record kind in ``record list --format table``.

Coded values are shown with their vocabulary label and comuni by name, in the current language.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from fieldwelfare import vocab
from fieldwelfare.cli import messages as _messages  # noqa: F401  (registers the CLI keys)
from fieldwelfare.i18n import get_language, t

Getter = Callable[[dict[str, Any]], str]


def text(field: str, width: int | None = None) -> Getter:
    def get(data: dict[str, Any]) -> str:
        value = data.get(field)
        if value is None:
            return ""
        out = str(value)
        return out if width is None or len(out) <= width else out[: width - 1] + "…"

    return get


def term(field: str, vocabulary: str) -> Getter:
    def get(data: dict[str, Any]) -> str:
        value = data.get(field)
        return "" if value is None else vocab.label(vocabulary, str(value), get_language())

    return get


def terms(field: str, vocabulary: str) -> Getter:
    return lambda data: ", ".join(
        vocab.label(vocabulary, str(v), get_language()) for v in data.get(field) or []
    )


def comune(field: str) -> Getter:
    return lambda data: "" if data.get(field) is None else vocab.comune_name(str(data[field]))


def comuni(field: str) -> Getter:
    return lambda data: ", ".join(vocab.comune_name(str(c)) for c in data.get(field) or [])


def flag(field: str) -> Getter:
    return lambda data: t("cli.yes") if data.get(field) else t("cli.no")


def weekday(data: dict[str, Any]) -> str:
    return t(f"weekday.{data['weekday']}") if data.get("weekday") is not None else ""


def target(data: dict[str, Any]) -> str:
    return str(data.get("volunteer_id") or data.get("organisation_id") or "")


COLUMNS: dict[str, list[tuple[str, Getter]]] = {
    "person": [
        ("id", text("id")), ("family_name", text("family_name")),
        ("given_name", text("given_name")), ("birth_year", text("birth_year")),
        ("comune", comune("comune")), ("phone", text("phone")),
        ("privacy_notice", flag("privacy_notice")),
    ],
    "visit": [
        ("id", text("id")), ("date", text("date")), ("person_id", text("person_id")),
        ("visit_kind", term("kind", "visit_kind")), ("duration_min", text("duration_min")),
        ("follow_up_on", text("follow_up_on")),
    ],
    "need": [
        ("id", text("id")), ("opened_on", text("opened_on")),
        ("category", term("category", "category")), ("urgency", term("urgency", "urgency")),
        ("status", term("status", "need_status")), ("comune", comune("comune")),
        ("description", text("description", 40)),
    ],
    "organisation": [
        ("id", text("id")), ("name", text("name")),
        ("organisation_kind", term("kind", "organisation_kind")),
        ("comuni", comuni("comuni")), ("categories", terms("categories", "category")),
        ("contact", text("contact")),
    ],
    "volunteer": [
        ("id", text("id")), ("family_name", text("family_name")),
        ("given_name", text("given_name")), ("skills", terms("skills", "category")),
        ("comuni", comuni("comuni")), ("has_car", flag("has_car")), ("active", flag("active")),
    ],
    "availability": [
        ("id", text("id")), ("volunteer_id", text("volunteer_id")), ("weekday", weekday),
        ("start", text("start")), ("end", text("end")), ("valid_from", text("valid_from")),
        ("valid_to", text("valid_to")),
    ],
    "referral": [
        ("id", text("id")), ("need_id", text("need_id")), ("target", target),
        ("category", term("category", "category")),
        ("status", term("status", "referral_status")), ("outcome", text("outcome", 40)),
    ],
}


def table_for(kind: str, rows: Sequence[dict[str, Any]]) -> tuple[list[str], list[list[str]]]:
    """Translated headers and cell texts for records of ``kind`` (as JSON-mode dicts)."""
    columns = COLUMNS[kind]
    headers = [t(f"cli.col.{name}") for name, _ in columns]
    return headers, [[get(row) for _, get in columns] for row in rows]
