"""Several processes on one database file, as in the field: the TUI open (a long-lived
store) while the command line adds records, a hub ingest runs and readers list people.

Nothing may fail with ``database is locked``, no write may be lost, every local stamp is
distinct, and the audit chain stays whole (``doctor`` ok). Reads never take the write lock.
``pytest --long`` runs more rounds with more writes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from fieldwelfare.ids import uuid7
from fieldwelfare.store import Store, open_store
from fieldwelfare.store import replication as rep
from fieldwelfare.store.dbapi import sqlite3  # the store's SQLite (its FTS tokenizers)

WORKER = str(Path(__file__).with_name("concurrency_worker.py"))
PERSON = {"given_name": "Cli", "family_name": "Proc", "comune": "097042"}


def spawn(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ})


def other_device_bundles(tmp_path: Path, bundles: int, people: int) -> Path:
    """Bundles from another device, made in a store of its own."""
    other = open_store(tmp_path / "other.db")
    other.set_identity(device_name="other", operator="Altra", role="coordinator",
                       ambito="Lecco")
    out = []
    after = 0
    for b in range(bundles):
        other.add_many("person", [{"given_name": f"Ing{b}-{i}", "family_name": "Other",
                                   "comune": "097042"} for i in range(people)])
        pairs = list(rep.outbox(other, after_seq=after))
        after = pairs[-1][0]
        out.append({"bundle_id": uuid7(), "changes": [c.as_dict() for _, c in pairs]})
    other.close()
    path = tmp_path / "bundles.json"
    path.write_text(json.dumps(out), encoding="utf-8")
    return path


def local_stamps_are_distinct(store: Store) -> list[Any]:
    """Every local write unit has its own stamp: no stamp names two records."""
    me = store.identity.device_id
    return [tuple(r) for r in store.execute_read(
        "SELECT hlc, count(DISTINCT tbl || rid) FROM change WHERE origin = ? "
        "AND tbl != 'referral_event' GROUP BY hlc HAVING count(DISTINCT tbl || rid) > 1",
        [me])]


def run_round(tmp_path: Path, *, cli_writes: int, long_writes: int, bundles: int,
              per_bundle: int) -> dict[str, Any]:
    db = tmp_path / "field.db"
    store = open_store(db)
    store.set_identity(device_name="pc", operator="Anna", role="coordinator", ambito="Lecco")
    payload = other_device_bundles(tmp_path, bundles, per_bundle)
    started = time.monotonic()
    procs = [
        spawn(WORKER, "long", str(db), str(long_writes)),
        spawn(WORKER, "long", str(db), str(long_writes)),
        spawn(WORKER, "ingest", str(db), "0", str(payload)),
        spawn(WORKER, "reader", str(db), "30"),
    ]
    cli_errors: list[str] = []
    for i in range(cli_writes):  # the command line, one process per command
        result = subprocess.run(
            [sys.executable, "-m", "fieldwelfare", "--db", str(db), "record", "add", "person",
             json.dumps({**PERSON, "given_name": f"Cli{i}"})],
            capture_output=True, text=True)
        if result.returncode != 0:
            cli_errors.append(result.stderr)
    # and this process writes too, on its long-lived store
    own = 0
    for i in range(long_writes // 2):
        store.add("person", {**PERSON, "given_name": f"Own{i}"})
        own += 1
    reports = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        reports.append(json.loads(out.strip().splitlines()[-1]))
    elapsed = time.monotonic() - started
    errors = cli_errors + [e for r in reports for e in r["errors"]]
    expected = cli_writes + 2 * long_writes + own + bundles * per_bundle
    return {"store": store, "errors": errors, "expected": expected, "reports": reports,
            "elapsed": elapsed, "writers": 5, "writes": cli_writes + 4 * long_writes + own
            + bundles}


def test_processes_writing_one_file_lose_nothing(tmp_path: Path, long_run: bool) -> None:
    rounds = 5 if long_run else 1
    for n in range(rounds):
        folder = tmp_path / f"round-{n}"
        folder.mkdir()
        found = run_round(folder, cli_writes=6 if not long_run else 15,
                          long_writes=40 if not long_run else 150, bundles=3, per_bundle=300)
        store: Store = found["store"]
        assert found["errors"] == []
        assert store.count("person") == found["expected"]
        assert local_stamps_are_distinct(store) == []
        assert store.doctor() == []
        audit = store.execute_read("SELECT count(*) AS n FROM audit")[0]["n"]
        print(f"round {n}: {found['writers']} writers + 1 reader, {found['writes']} write "
              f"units, {store.count('person')} people, {audit} audit entries intact, "
              f"0 errors, {found['elapsed']:.1f} s")
        store.close()


def test_reads_never_take_the_write_lock(tmp_path: Path) -> None:
    """A write transaction held open (a long ingest) does not stop a reader in another
    process, nor a store from opening."""
    db = tmp_path / "field.db"
    store = open_store(db)
    store.set_identity(device_name="pc", operator="Anna", role="coordinator", ambito="Lecco")
    store.add("person", PERSON)
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO meta (key, value) VALUES ('held', '1')")
    try:
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "fieldwelfare", "--db", str(db), "record", "list", "person",
             "--format", "json"], capture_output=True, text=True, timeout=60)
        waited = time.monotonic() - started
        assert result.returncode == 0, result.stderr
        assert len(json.loads(result.stdout)) == 1
        assert waited < 8, f"the reader waited {waited:.1f} s for the write lock"
    finally:
        writer.execute("ROLLBACK")
        writer.close()
        store.close()
