"""Headless commands never load Textual (the core and the CLI's non-UI paths stay light)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import json, sys
from fieldwelfare.cli import main

def run(*args):
    sys.argv = ["fieldwelfare", *args]
    try:
        main()
    except SystemExit as exc:
        assert exc.code in (0, None), (args, exc.code)

db = sys.argv[1]
run("paths", "--format", "json")
run("--db", db, "init", "--device", "pc", "--operator", "Op", "--role", "coordinator",
    "--ambito", "Lecco")
run("--db", db, "record", "add", "person",
    json.dumps({"given_name": "Maria", "family_name": "Rossi", "comune": "097042"}))
run("--db", db, "record", "list", "person")
run("--db", db, "record", "list", "person", "--format", "json")
run("--db", db, "doctor")
loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith(("textual.",
                "fieldwelfare.screens")))
print("LOADED", loaded)
"""


def test_headless_commands_do_not_import_textual(tmp_path: Path) -> None:
    env = {**os.environ, "FIELDWELFARE_HOME": str(tmp_path / "home")}
    env.pop("FIELDWELFARE_DB", None)
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "hygiene.db")],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Maria" in result.stdout  # the commands really ran
    assert result.stdout.strip().splitlines()[-1] == "LOADED []"
