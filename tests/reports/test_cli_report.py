"""``fieldwelfare report``: every format carries the rule; XLSX has numbers, dates, charts."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from fieldwelfare.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))
from cli_helpers import Cli


def cli_for(store: Store) -> Cli:
    return Cli(Path(store.path), CliRunner())


def test_table_prints_the_rule_and_the_scope(demo_store: Store) -> None:
    out = cli_for(demo_store).ok("report", "needs").stdout
    assert "Soglia 5" in out and "<5" in out
    assert "solo i dati presenti su questo dispositivo" in out


def test_json_and_csv(demo_store: Store) -> None:
    run = cli_for(demo_store)
    data = json.loads(run.ok("report", "referrals", "--by", "target", "--format",
                             "json").stdout)
    assert data["threshold"] == 5 and data["hub"] is False
    assert [t["name"] for t in data["tables"]] == ["referrals", "reasons"]
    text = run.ok("--lang", "en", "report", "needs", "--by", "month", "--format", "csv").stdout
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["#", "Needs"]
    assert any("Threshold 5" in r[1] for r in rows if r and r[0] == "#")
    assert ["Month", "Opened", "Met", "Closed unmet", "Still open",
            "Days to first referral (median)", "Days to met (median)"] in rows


def test_xlsx_sheets_numbers_dates_and_charts(demo_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "needs.xlsx"
    result = cli_for(demo_store).ok("report", "needs", "--by", "month", "--format", "xlsx",
                                    "--out", str(path))
    assert str(path) in result.stdout
    book = load_workbook(path)
    assert book.sheetnames == ["Leggimi", "Bisogni"]
    about = {r[0].value: r[1].value for r in book["Leggimi"].iter_rows()}
    assert "soppressione complementare" in about["Riservatezza"]
    assert "laptop-coord" in about["Copertura"]
    sheet = book["Bisogni"]
    assert isinstance(sheet.cell(row=2, column=1).value, dt.datetime)
    opened = [sheet.cell(row=r, column=2).value for r in range(2, sheet.max_row + 1)]
    assert all(isinstance(v, int) or v in ("<5", "*") for v in opened)
    assert isinstance(opened[-1], int)
    assert len(sheet._charts) == 1


def test_bad_input_exits_2(demo_store: Store) -> None:
    run = cli_for(demo_store)
    assert run("report", "nope").exit_code == 2
    assert run("report", "needs", "--by", "target").exit_code == 2
    assert run("report", "needs", "--format", "xlsx").exit_code == 2
    assert run("report", "needs", "--threshold", "2").exit_code == 2
    assert run("report", "needs", "--from", "2026-05-01", "--to", "2026-01-01").exit_code == 2


def test_threshold_is_set_at_the_hub(demo_store: Store) -> None:
    run = cli_for(demo_store)
    assert run("hub", "report-threshold", "7").exit_code == 2  # not a hub
    run.ok("hub", "init", "--name", "consorzio")
    assert run("hub", "report-threshold", "2").exit_code == 2
    run.ok("hub", "report-threshold", "7")
    data = json.loads(run.ok("report", "needs", "--format", "json").stdout)
    assert data["threshold"] == 7 and data["hub"] is True
    assert "tutti i dati del consorzio" in run.ok("report", "needs").stdout
