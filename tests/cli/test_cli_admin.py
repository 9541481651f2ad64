"""``init``, ``paths`` and ``doctor``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import PERSON, Cli, open_db
from click.testing import CliRunner

from fieldwelfare.cli import cli
from fieldwelfare.store.dbapi import sqlite3  # the store's SQLite (its FTS tokenizers)

INIT = ("init", "--device", "laptop-anna", "--operator", "Anna Operatrice",
        "--role", "social_worker", "--ambito", "Lecco")


def test_init_sets_the_identity_and_confirms(run: Cli) -> None:
    out = run.ok(*INIT).stdout
    assert "laptop-anna" in out and "Anna Operatrice" in out and "Assistente sociale" in out
    with open_db(run.db) as store:
        identity = store.identity
    assert identity.initialised
    assert (identity.device_name, identity.operator, identity.role, identity.ambito) == \
        ("laptop-anna", "Anna Operatrice", "social_worker", "Lecco")


def test_records_are_created_by_the_operator(run: Cli) -> None:
    run.ok(*INIT)
    assert run.add("person", PERSON)["created_by"] == "Anna Operatrice"


def test_init_twice_is_refused_unless_forced(run: Cli) -> None:
    run.ok(*INIT)
    message = run.fails(2, "init", "--device", "other", "--operator", "Bruno",
                        "--role", "volunteer")
    assert "laptop-anna" in message and "--force" in message
    with open_db(run.db) as store:
        assert store.identity.device_name == "laptop-anna"
    run.ok("init", "--device", "other", "--operator", "Bruno", "--role", "volunteer", "--force")
    with open_db(run.db) as store:
        assert (store.identity.device_name, store.identity.role, store.identity.ambito) == \
            ("other", "volunteer", None)


def test_init_refusal_in_english(run: Cli) -> None:
    run.ok(*INIT)
    message = run.fails(2, "--lang", "en", *INIT)
    assert message == "Error: the database is already initialised as 'laptop-anna' " \
                      "(use --force to change it)"


@pytest.mark.parametrize(
    ("option", "value", "allowed"),
    [("--role", "boss", "social_worker, volunteer, coordinator"),
     ("--ambito", "Milano", "Lecco, Bellano, Merate")],
)
def test_init_with_a_value_outside_the_vocabulary(run: Cli, option: str, value: str,
                                                  allowed: str) -> None:
    args = dict(zip(INIT[1::2], INIT[2::2], strict=True))
    args[option] = value
    message = run.fails(2, "init", *[a for pair in args.items() for a in pair])
    assert option.lstrip("-") in message and value in message and allowed in message
    with open_db(run.db) as store:
        assert not store.identity.initialised


def test_init_requires_device_operator_and_role(run: Cli) -> None:
    result = run("init", "--device", "x", "--operator", "y")
    assert result.exit_code == 2
    assert "--role" in result.stderr


def test_paths_text_and_json(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    out = CliRunner().invoke(cli, ["--db", str(db), "paths"]).stdout
    assert str(db) in out and "Database demo" in out
    found = json.loads(CliRunner().invoke(cli, ["--db", str(db), "paths", "--format",
                                                "json"]).stdout)
    assert found == {"home": str(tmp_path / "home"), "db": str(db),
                     "demo_db": str(tmp_path / "home" / "demo.db"),
                     "log": str(tmp_path / "home" / "fieldwelfare.log")}
    assert not db.exists()  # paths never opens the database


def test_db_defaults_to_the_data_folder_and_env_overrides(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    found = json.loads(runner.invoke(cli, ["paths", "--format", "json"]).stdout)
    assert found["db"] == str(tmp_path / "home" / "fieldwelfare.db")
    monkeypatch.setenv("FIELDWELFARE_DB", str(tmp_path / "env.db"))
    result = runner.invoke(cli, ["init", "--device", "pc", "--operator", "Op", "--role",
                                 "coordinator", "--ambito", "Lecco"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["record", "add", "person", json.dumps(PERSON)])
    assert result.exit_code == 0, result.output
    with open_db(tmp_path / "env.db") as store:
        assert store.count("person") == 1
    assert not (tmp_path / "home" / "fieldwelfare.db").exists()


def test_doctor_ok_prints_counts(run: Cli) -> None:
    run.add("person", PERSON)
    lines = run.ok("doctor").stdout.splitlines()
    assert lines[0] == "ok"
    assert "person: 1" in lines and "referral: 0" in lines


def test_doctor_reports_problems_and_exits_1(tmp_path: Path) -> None:
    run = Cli(tmp_path / "plain.db", CliRunner(), encrypted=False)  # tampered with sqlite3
    run.add("person", PERSON)
    run.add("person", {**PERSON, "given_name": "Giulia"})
    with sqlite3.connect(run.db) as conn:
        conn.execute("UPDATE audit SET detail = 'tampered' WHERE seq = 1")
    conn.close()
    result = run("doctor")
    assert result.exit_code == 1, result.output
    assert "[audit]" in result.stdout and "voce 1:" in result.stdout
    assert "ok" not in result.stdout.splitlines()


@pytest.mark.parametrize("command", [["doctor"], ["record", "list", "person"],
                                     ["record", "add", "person", json.dumps(PERSON)],
                                     ["sync", "status"], ["hub", "devices"], ["tui"]])
def test_a_missing_database_is_refused_not_created(tmp_path: Path, command: list[str]) -> None:
    """A mistyped --db names the path and exits 1; no file, no folder is made."""
    missing = tmp_path / "typo" / "fieldwelfre.db"
    result = CliRunner().invoke(cli, ["--db", str(missing), *command])
    assert result.exit_code == 1, result.output
    assert str(missing) in result.stderr and "nessun database" in result.stderr
    assert not missing.parent.exists()


def test_init_makes_the_database_it_names(tmp_path: Path) -> None:
    target = tmp_path / "new" / "laptop.db"
    result = CliRunner().invoke(cli, ["--db", str(target), "init", "--device", "pc",
                                      "--operator", "Op", "--role", "social_worker",
                                      "--ambito", "Lecco"])
    assert result.exit_code == 0, result.output
    assert target.is_file()
