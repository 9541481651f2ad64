"""Test helpers for the CLI: a CliRunner bound to a tmp_path database, sample records."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from fieldwelfare.cli import cli
from fieldwelfare.models import KINDS
from fieldwelfare.store import Store, keyslots, open_store, vault
from fieldwelfare.store.connection import is_encrypted

PERSON = {"given_name": "Maria", "family_name": "Rossi", "comune": "097042",
          "languages": ["it"], "birth_year": 1941}
NOTICE = {"version": "2025-01", "given_on": "2026-01-10", "given_by": "Anna Operatrice"}
VOLUNTEER = {"given_name": "Luca", "family_name": "Bianchi", "phone": "333 1234567",
             "skills": ["shopping", "transport"], "comuni": ["097042"], "has_car": True}
ORGANISATION = {"name": "Caritas Lecco", "kind": "odv", "comuni": ["097042"],
                "categories": ["meals"], "contact": "caritas@example.org"}


@dataclass
class Cli:
    """``fieldwelfare --db <tmp db> ...`` with helpers for the common checks."""

    db: Path
    runner: CliRunner
    encrypted: bool = True

    def __post_init__(self) -> None:
        """The database exists (created, never set up: no identity, no role), encrypted
        with the suite's passphrase unless ``encrypted=False``: commands other than init
        and demo refuse a missing one."""
        if self.db.exists():
            return
        if self.encrypted:
            store, _recovery = vault.create(self.db, operator="Anna Operatrice",
                                            passphrase=os.environ["FIELDWELFARE_PASSPHRASE"])
            store.close()
        else:
            open_store(self.db).close()

    def __call__(self, *args: str, stdin: str | None = None) -> Result:
        return self.runner.invoke(cli, ["--db", str(self.db), *args], input=stdin)

    def ok(self, *args: str, stdin: str | None = None) -> Result:
        result = self(*args, stdin=stdin)
        assert result.exit_code == 0, result.output
        assert result.stderr == "", result.stderr
        return result

    def json(self, *args: str, stdin: str | None = None) -> Any:
        return json.loads(self.ok(*args, stdin=stdin).stdout)

    def add(self, kind: str, data: dict[str, Any]) -> dict[str, Any]:
        record: dict[str, Any] = self.json("record", "add", kind, json.dumps(data))
        return record

    def fails(self, code: int, *args: str, stdin: str | None = None) -> str:
        """Run a command that must fail with ``code``: returns its one stderr message."""
        result = self(*args, stdin=stdin)
        assert result.exit_code == code, result.output
        assert result.stdout == ""
        assert "Traceback" not in result.output
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        return lines[0]

    def counts(self) -> dict[str, int]:
        with open_db(self.db) as store:
            return {kind: store.count(kind) for kind in KINDS}


def open_db(path: Path | str) -> Store:
    """A database the CLI made: unlocked with the suite's passphrase if it is encrypted."""
    if is_encrypted(path):
        return vault.unlock(path, operator=keyslots.operators(path)[0],
                            passphrase=os.environ["FIELDWELFARE_PASSPHRASE"])
    return open_store(path)
