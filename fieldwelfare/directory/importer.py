"""Importing volunteers or organisations from a CSV or XLSX file.

Columns are matched by name (Italian or English headers, see
:mod:`fieldwelfare.directory.columns`); codes or labels are accepted for categories,
kinds and comuni. Every row is validated as the record it becomes; each problem is
reported as (row, column, value, why). Rows that repeat a record already in the database
or an earlier row of the file (same fiscal code, e-mail or phone; or same id) are
reported and skipped, never created twice. Nothing is written if any row is bad, unless
``skip_bad``; a dry run writes nothing at all. The write is one unit: all or nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fieldwelfare import vocab
from fieldwelfare.directory import messages as _messages  # noqa: F401  (registers the keys)
from fieldwelfare.directory.columns import BOOL_FIELDS, LIST_FIELDS, match_header
from fieldwelfare.errors import InvalidInput
from fieldwelfare.i18n import t
from fieldwelfare.models import MODELS
from fieldwelfare.models.validation import validate
from fieldwelfare.sheets.reader import read_rows
from fieldwelfare.store import Store

KINDS = {"volunteers": "volunteer", "organisations": "organisation"}
_TRUE = {"true", "1", "si", "sì", "yes", "y", "s", "x", "vero"}
_FALSE = {"false", "0", "no", "n", "", "falso"}
_SPLIT = re.compile(r"\s*[,;|]\s*")
_PLACEHOLDER = {"id": "00000000-0000-7000-8000-000000000000", "created_at": "x",
                "updated_at": "x", "created_by": "import"}


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    value: str
    why: str


@dataclass
class ImportReport:
    kind: str
    file: str
    rows: int = 0
    created: int = 0
    written: bool = False
    bad: list[Problem] = field(default_factory=list)
    duplicates: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def bad_rows(self) -> int:
        return len({p.row for p in self.bad})

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "file": self.file, "rows": self.rows,
                "created": self.created, "written": self.written,
                "bad_rows": self.bad_rows, "ignored_columns": self.ignored_columns,
                "bad": [p.__dict__ for p in self.bad],
                "duplicates": [p.__dict__ for p in self.duplicates]}


def _codes(vocabulary: str) -> dict[str, str]:
    """Every code and label (both languages), lower case, to its code."""
    out: dict[str, str] = {}
    for code, term in vocab.terms()[vocabulary].items():
        for name in (code, term.label_it, term.label_en):
            out[name.lower()] = code
    return out


def _comuni() -> dict[str, str]:
    return {**{c.name.lower(): code for code, c in vocab.comuni().items()},
            **{code: code for code in vocab.comuni()}}


def _term(value: str, names: dict[str, str]) -> str:
    return names.get(value.strip().lower(), value.strip())


def _digits(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    return digits[2:] if digits.startswith("39") and len(digits) > 10 else digits


class _Converter:
    """Cell values to record input, per field."""

    def __init__(self) -> None:
        self.categories = _codes("category")
        self.kinds = _codes("organisation_kind")
        self.comuni = _comuni()

    def value(self, name: str, raw: Any) -> Any:
        if raw is None or raw == "":
            return [] if name in LIST_FIELDS else (False if name == "has_car" else None)
        if name in BOOL_FIELDS:
            text = str(raw).strip().lower()
            if isinstance(raw, bool):
                return raw
            if text in _TRUE:
                return True
            if text in _FALSE:
                return False
            return raw
        if isinstance(raw, dt.date | dt.datetime):
            return raw.isoformat()
        text = str(raw).strip()
        if name in LIST_FIELDS:
            items = [i for i in _SPLIT.split(text) if i]
            if name in ("skills", "categories"):
                return [_term(i, self.categories) for i in items]
            if name == "comuni":
                return [_term(i, self.comuni) for i in items]
            return items
        if name == "kind":
            return _term(text, self.kinds)
        return text


def read(store: Store, what: str, path: Path, *, sheet: str | None = None) -> tuple[
        ImportReport, list[dict[str, Any]]]:
    """Check the file; the report and the rows that can be created."""
    kind = KINDS[what]
    model = MODELS[kind]
    header, rows = read_rows(path, sheet or what)
    report = ImportReport(kind=kind, file=path.name, rows=len(rows))
    columns: dict[int, str] = {}
    for index, name in enumerate(header):
        field_name = match_header(kind, name) if name else None
        if field_name is None or field_name in columns.values():
            if name:
                report.ignored_columns.append(name)
            continue
        columns[index] = field_name
    by_field = {f: header[i] for i, f in columns.items()}
    required = {"volunteer": ("given_name", "family_name"), "organisation": ("name", "kind")}
    missing = [f for f in required[kind] if f not in by_field]
    if missing:
        raise InvalidInput(t("import.err.columns", missing=", ".join(missing),
                             found=", ".join(h for h in header if h)), field="file")
    seen = _existing(store, kind)
    converter = _Converter()
    good: list[dict[str, Any]] = []
    for number, cells in rows:
        data: dict[str, Any] = {}
        for index, name in columns.items():
            raw = cells[index] if index < len(cells) else None
            data[name] = converter.value(name, raw)
        problems = _check(store, model, kind, data, by_field, number, cells, columns)
        if problems:
            report.bad.extend(problems)
            continue
        duplicate = _duplicate(data, seen, by_field, number)
        if duplicate is not None:
            report.duplicates.append(duplicate)
            continue
        _remember(data, seen, f"{t('import.row')} {number}")
        data.pop("fiscal_code", None)
        good.append({k: v for k, v in data.items() if v is not None})
    return report, good


def run(store: Store, what: str, path: Path, *, dry_run: bool = False,
        skip_bad: bool = False, sheet: str | None = None) -> ImportReport:
    """Check and (unless ``dry_run``, or bad rows without ``skip_bad``) create the rows."""
    report, good = read(store, what, path, sheet=sheet)
    if dry_run or (report.bad and not skip_bad) or not good:
        return report
    with store.writing() as unit:
        report.created = unit.add_many(report.kind, good)
        unit.event("import", f"{report.kind} {report.file}: {report.created}")
    report.written = True
    return report


def _check(store: Store, model: Any, kind: str, data: dict[str, Any],
           by_field: dict[str, str], number: int, cells: list[Any],
           columns: dict[int, str]) -> list[Problem]:
    candidate = {k: v for k, v in data.items() if k != "fiscal_code" and v is not None}
    candidate.setdefault("id", _PLACEHOLDER["id"])
    try:
        validate(model, {**_PLACEHOLDER, **candidate}, today=store.today())
    except InvalidInput as exc:
        out = []
        for name, message in exc.details or [(exc.field or "record", str(exc))]:
            root = str(name).split(".")[0]
            column = by_field.get(root, root)
            index = next((i for i, f in columns.items() if f == root), None)
            value = cells[index] if index is not None and index < len(cells) else ""
            out.append(Problem(number, column, "" if value is None else str(value), message))
        return out
    org = data.get("organisation_id")
    if kind == "volunteer" and org and not store.count("organisation", where={"id": org}):
        return [Problem(number, by_field["organisation_id"], str(org),
                        t("import.err.no_organisation"))]
    return []


def _keys(data: dict[str, Any]) -> list[tuple[str, str]]:
    keys = []
    if data.get("id"):
        keys.append(("id", str(data["id"])))
    if data.get("fiscal_code"):
        keys.append(("fiscal_code", str(data["fiscal_code"]).upper()))
    if data.get("email"):
        keys.append(("email", str(data["email"]).lower()))
    if data.get("phone") and len(_digits(str(data["phone"]))) >= 6:
        keys.append(("phone", _digits(str(data["phone"]))))
    contact = str(data.get("contact") or "")
    if "@" in contact:
        keys.append(("contact", contact.lower()))
    elif len(_digits(contact)) >= 6:
        keys.append(("contact", _digits(contact)))
    return keys


def _existing(store: Store, kind: str) -> dict[tuple[str, str], str]:
    seen: dict[tuple[str, str], str] = {}
    for record in store.list_records(kind, limit=None):
        _remember(record.model_dump(mode="json"), seen, f"{kind} {record.id}")
    return seen


def _remember(data: dict[str, Any], seen: dict[tuple[str, str], str], where: str) -> None:
    for key in _keys(data):
        seen.setdefault(key, where)


def _duplicate(data: dict[str, Any], seen: dict[tuple[str, str], str],
               by_field: dict[str, str], number: int) -> Problem | None:
    for key in _keys(data):
        if key in seen:
            field_name = key[0]
            value = str(data.get(field_name, ""))
            return Problem(number, by_field.get(field_name, field_name), value,
                           t("import.duplicate", where=seen[key]))
    return None
