"""A report as people and programs read it: labelled rows, JSON, CSV and XLSX.

Every format carries the period, the source, the coverage and the confidentiality rule.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from fieldwelfare import vocab
from fieldwelfare.i18n import get_language, t
from fieldwelfare.reports.dims import PERIOD_DIMS, label, month_start
from fieldwelfare.reports.model import Report, Table
from fieldwelfare.sheets import write_csv
from fieldwelfare.sheets.xlsx import WorkbookWriter


def title(table: Table) -> str:
    return t(f"report.title.{table.name}")


def header(table: Table) -> list[str]:
    return [t(f"report.col.{c.key}") for c in table.columns]


def about(report: Report) -> list[tuple[str, str]]:
    """The facts printed with every report, as (label, text)."""
    meta = report.meta
    n = meta.threshold
    scope = "report.meta.scope_hub" if meta.hub else "report.meta.scope_device"
    rule = (t("report.meta.rule_text", n=n, below=n - 1) if meta.suppression
            else t("report.meta.rule_none"))
    return [
        (t("report.meta.report"), t(f"report.title.{meta.name}")),
        (t("report.meta.period"), t("report.meta.period_value", start=meta.start.isoformat(),
                                    end=meta.end.isoformat())),
        (t("report.meta.by"), ", ".join(t(f"report.col.{d}") for d in meta.by)),
        (t("report.meta.source"), meta.source),
        (t("report.meta.scope"), t(scope, source=meta.source)),
        (t("report.meta.generated"), meta.generated_at),
        (t("report.meta.rule"), rule),
        (t("report.meta.definitions"), t(f"report.def.{meta.name}", n=n)),
    ]


def cells(report: Report, table: Table, *, native: bool = False) -> Iterator[list[Any]]:
    """Rows as published: dimension labels, hidden cells as their marks, flags as words.
    ``native``: periods as dates (first day) and numbers kept as numbers, for XLSX."""
    lang = get_language()
    for r in range(len(table.rows)):
        out: list[Any] = []
        for c, column in enumerate(table.columns):
            value = table.shown(r, c, report.meta.threshold)
            if column.kind == "dim":
                if table.name == "reasons":
                    value = _reason_cell(column.key, value, lang)
                elif native and column.key == "month" and isinstance(value, str) \
                        and len(value) == 7:
                    value = month_start(value)
                else:
                    value = label(column.key, value, lang)
            elif column.kind == "flag":
                value = t("report.yes") if value else t("report.no")
            elif value is None:
                value = "" if native else "–"
            elif isinstance(value, float) and value.is_integer() and not native:
                value = int(value)
            out.append(value)
        yield out


def _reason_cell(key: str, value: Any, lang: str) -> Any:
    if key == "status":
        return vocab.label("referral_status", str(value), lang)
    return t("report.other") if value is None else value


def as_json(report: Report) -> dict[str, Any]:
    """Codes and numbers; hidden cells as their marks (``"<5"``, ``"*"``)."""
    meta = report.meta
    return {
        "report": meta.name, "from": meta.start.isoformat(), "to": meta.end.isoformat(),
        "by": list(meta.by), "source": meta.source, "hub": meta.hub,
        "generated_at": meta.generated_at, "threshold": meta.threshold,
        "suppression": meta.suppression,
        "rule": dict(about(report))[t("report.meta.rule")],
        "tables": [
            {"name": table.name, "columns": [c.key for c in table.columns],
             "total_row": table.total_row,
             "rows": [[table.shown(r, c, meta.threshold) for c in range(len(table.columns))]
                      for r in range(len(table.rows))]}
            for table in report.tables
        ],
    }


def write_report_csv(report: Report, stream: TextIO) -> None:
    """The facts first (label, text), then each table under its title, a blank row between."""
    write_csv(stream, ["#", t(f"report.title.{report.meta.name}")],
              [["#", f"{k}: {v}"] for k, v in about(report)])
    for table in report.tables:
        stream.write("\n")
        write_csv(stream, [title(table)], [])
        write_csv(stream, header(table), cells(report, table))


def write_report_xlsx(report: Report, path: Path) -> None:
    """An "About" sheet (definitions, period, source, suppression), one sheet per table,
    and a native chart next to the tables that have one."""
    book = WorkbookWriter()
    book.lines(t("report.title.about"), about(report))
    for table in report.tables:
        rows = list(cells(report, table, native=True))
        sheet = book.table(title(table), header(table), rows)
        if table.chart is None or not rows:
            continue
        dims = [i for i, c in enumerate(table.columns) if c.kind == "dim"]
        counts = [i + 1 for i, c in enumerate(table.columns)
                  if c.kind == "count" and c.key not in (table.row_total or "",)]
        data_rows = len(rows) - (1 if table.total_row else 0)
        line = len(dims) == 1 and table.columns[dims[0]].key in PERIOD_DIMS
        if len(dims) == 1 and data_rows <= 120:
            book.bar_chart(sheet, title=title(table), label_col=dims[0] + 1,
                           value_cols=counts[:4], rows=data_rows,
                           anchor=f"{_letter(len(table.columns) + 2)}2", line=line)
    book.save(path)


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)
