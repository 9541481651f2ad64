"""Volunteers and organisations to formula-safe CSV (one file each) or XLSX (one sheet
each), in the columns ``import`` reads back: lists as comma-separated codes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fieldwelfare.directory.columns import BOOL_FIELDS, EXPORT, LIST_FIELDS
from fieldwelfare.sheets import write_csv
from fieldwelfare.sheets.xlsx import WorkbookWriter
from fieldwelfare.store import Store

SHEETS = {"organisation": "organisations", "volunteer": "volunteers"}


def rows(store: Store, kind: str) -> Iterator[list[Any]]:
    fields = EXPORT[kind]
    for record in store.list_records(kind, limit=None, order_by="id"):
        data = record.model_dump(mode="json")
        out: list[Any] = []
        for field in fields:
            value = data.get(field)
            if field in LIST_FIELDS:
                value = ", ".join(value or [])
            elif field in BOOL_FIELDS:
                value = "true" if value else "false"
            out.append(value)
        yield out


def write_csv_files(store: Store, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, name in SHEETS.items():
        path = folder / f"{name}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as stream:
            write_csv(stream, EXPORT[kind], rows(store, kind))
        written.append(path)
    return written


def write_xlsx(store: Store, path: Path) -> list[Path]:
    book = WorkbookWriter()
    for kind, name in SHEETS.items():
        book.table(name, EXPORT[kind], rows(store, kind))
    book.save(path)
    return [path]
