"""``directory export`` and ``import`` from the command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))
from cli_helpers import Cli


def test_export_and_import_from_the_cli(tmp_path: Path) -> None:
    source = Cli(tmp_path / "a.db", CliRunner())
    org = source.add("organisation", {"name": "=Caritas", "kind": "odv",
                                      "contact": "+39 0341 123456"})
    source.add("volunteer", {"given_name": "Luca", "family_name": "Bianchi",
                             "phone": "333 1234567", "organisation_id": org["id"]})
    out = source.ok("directory", "export", "--format", "xlsx", "--out",
                    str(tmp_path / "d.xlsx")).stdout
    assert "d.xlsx" in out
    source.ok("directory", "export", "--format", "hsds", "--out", str(tmp_path / "hsds"))
    orgs = json.loads((tmp_path / "hsds" / "organizations.json").read_text())
    assert orgs[0]["phones"][0]["number"] == "+39 0341 123456"

    target = Cli(tmp_path / "b.db", CliRunner())
    target.ok("import", "organisations", str(tmp_path / "d.xlsx"))
    report = target.json("import", "volunteers", str(tmp_path / "d.xlsx"), "--format", "json")
    assert report["created"] == 1 and report["bad"] == []
    names = target.json("record", "list", "organisation", "--format", "json")
    assert [o["name"] for o in names] == ["=Caritas"]


def test_bad_rows_exit_2_with_the_report(tmp_path: Path) -> None:
    run = Cli(tmp_path / "a.db", CliRunner())
    path = tmp_path / "v.csv"
    path.write_text("nome,cognome,telefono\n,Rossi,333 1234567\n", encoding="utf-8")
    result = run("import", "volunteers", str(path))
    assert result.exit_code == 2
    assert "given_name: campo obbligatorio" in result.stdout
    assert "nulla è stato scritto" in result.stderr
    assert run("import", "volunteers", str(path), "--dry-run").exit_code == 2
    assert run("import", "volunteers", str(path), "--skip-bad").exit_code == 0


def test_export_refuses_an_out_path_of_the_other_sort(tmp_path: Path) -> None:
    run = Cli(tmp_path / "a.db", CliRunner())
    (tmp_path / "folder").mkdir()
    for fmt, out in (("csv", "rubrica.csv"), ("hsds", "hsds.json"), ("xlsx", "folder"),
                     ("xlsx", "rubrica.csv")):
        result = run("directory", "export", "--format", fmt, "--out", str(tmp_path / out))
        assert result.exit_code == 2, (fmt, out)
        assert "scrive" in result.stderr
    assert not (tmp_path / "rubrica.csv").exists() and not (tmp_path / "hsds.json").exists()
    run.ok("directory", "export", "--format", "csv", "--out", str(tmp_path / "rubrica"))
    assert (tmp_path / "rubrica" / "volunteers.csv").is_file()
