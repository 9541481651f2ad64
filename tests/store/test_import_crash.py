"""kill -9 during an import (SYNC.md 6.5 #15): the database is exactly as before or exactly
as after, PRAGMA integrity_check is ok, and importing again gives the after state.

Kills come from the fault hook (FIELDWELFARE_FAULT_AFTER=N: SIGKILL after N changes are
applied, at many N) and at random times. Default: a handful; ``pytest --long``: hundreds.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from replication_helpers import BELLANO, LECCO, db_dump, new_store, push

from fieldwelfare.store import replication as rep
from fieldwelfare.store.dbapi import sqlite3  # the store's SQLite (its FTS tokenizers)

WORKER = """
import json, sys
from fieldwelfare.store import Store, ingest
from fieldwelfare.store import replication as rep
db, payload = sys.argv[1], sys.argv[2]
if len(sys.argv) > 3:
    ingest.BATCH = int(sys.argv[3])
with open(payload) as fh:
    data = json.load(fh)
store = Store(db)
report = rep.apply_changes(store, [rep.Change.from_dict(d) for d in data["changes"]],
                           bundle_id=data["bundle_id"], sender="dev-b", file_sha256="0" * 64,
                           kind="device-push")
store.close()
print(json.dumps({"applied": report.applied, "duplicate": report.duplicate}))
"""


def run_worker(db: Path, payload: Path, *, fault: int | str | None = None,
               kill_after: float | None = None, batch: int | None = None) -> int:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    env.pop(rep.FAULT_ENV, None)
    if fault is not None:
        env[rep.FAULT_ENV] = str(fault)
    extra = [] if batch is None else [str(batch)]
    proc = subprocess.Popen([sys.executable, "-c", WORKER, str(db), str(payload), *extra],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if kill_after is not None:
        try:
            proc.wait(timeout=kill_after)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
    _out, err = proc.communicate(timeout=120)
    if proc.returncode not in (0, -signal.SIGKILL):
        raise AssertionError(err.decode())
    return proc.returncode


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A hub with data, and a bundle that creates, edits, deletes and conflicts with it."""
    root = tmp_path_factory.mktemp("crash")
    base = root / "base.db"
    hub = new_store(base, name="hub")
    dev = new_store(name="dev-b")
    people = [hub.add("person", {"given_name": f"P{i}", "family_name": "Base",
                                 "comune": LECCO if i % 2 else BELLANO}).id for i in range(40)]
    push(hub, dev)  # the device knows the hub's people
    for i, pid in enumerate(people[:30]):
        hub.update("person", pid, {"phone": f"hub{i}"})
        dev.update("person", pid, {"phone": f"dev{i}", "notes": "visto"})
    for pid in people[30:35]:
        dev.delete("person", pid)
    for i in range(150):
        p = dev.add("person", {"given_name": f"N{i}", "family_name": "Nuovo", "comune": LECCO,
                               "languages": ["it"]}).id
        dev.add("visit", {"person_id": p, "notes": f"visita {i}"})
    changes = [c.as_dict() for _, c in rep.outbox(dev)]
    hub.close()
    payload = root / "bundle.json"
    payload.write_text(json.dumps({"bundle_id": "crash-bundle", "changes": changes}))
    after_db = root / "after.db"
    shutil.copy(base, after_db)
    assert run_worker(after_db, payload) == 0
    batched_db = root / "after-batched.db"
    shutil.copy(base, batched_db)
    assert run_worker(batched_db, payload, batch=BATCH) == 0
    return {"base": base, "payload": payload, "before": db_dump(base),
            "after": db_dump(after_db), "after_batched": db_dump(batched_db),
            "count": len(changes)}


BATCH = 64
"""A small ingest.BATCH: the import spans many batches (one transaction all the same)."""


def check_one(scenario: dict[str, Any], work: Path, batch: int | None = None,
              **kill: Any) -> str:
    db = work / "hub.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    shutil.copy(scenario["base"], db)
    code = run_worker(db, scenario["payload"], batch=batch, **kill)
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()
    dump = db_dump(db)
    assert dump in (scenario["before"], scenario["after"])
    outcome = "after" if dump == scenario["after"] else "before"
    if code == -signal.SIGKILL and kill.get("fault") is not None:
        assert outcome == "before"  # the hook kills before COMMIT
    assert run_worker(db, scenario["payload"], batch=batch) == 0  # again (or a duplicate)
    assert db_dump(db) == scenario["after"]
    return outcome


def test_scenario_really_changes_things(scenario: dict[str, Any]) -> None:
    before, after = scenario["before"], scenario["after"]
    assert before != after
    assert len(after["person"]) == len(before["person"]) + 150
    assert len(after["conflict"]) >= 30 and len(after["applied_bundle"]) == 1
    # an outbox-ordered bundle imported in batches of BATCH: the very same database
    assert scenario["after_batched"] == after


def test_kill_at_fault_points(scenario: dict[str, Any], tmp_path: Path, long_run: bool) -> None:
    total = scenario["count"]
    points = sorted({1, 2, total // 3, total - 1, total, total + 1}
                    | set(random.Random(7).sample(range(1, total + 2), 40 if long_run else 3)))
    for n in points:  # past the last change the hook never fires: a clean import
        assert check_one(scenario, tmp_path, fault=n) == ("before" if n <= total else "after")
    assert check_one(scenario, tmp_path, fault="commit") == "before"


def test_kill_between_and_inside_batches(scenario: dict[str, Any], tmp_path: Path,
                                        long_run: bool) -> None:
    total = scenario["count"]
    assert total > 10 * BATCH
    points = sorted({BATCH - 1, BATCH, BATCH + 1, 2 * BATCH, total - 1}
                    | set(random.Random(5).sample(range(1, total), 20 if long_run else 2)))
    for n in points:
        assert check_one(scenario, tmp_path, batch=BATCH, fault=n) == "before"
    assert check_one(scenario, tmp_path, batch=BATCH, fault="commit") == "before"
    assert check_one(scenario, tmp_path, batch=BATCH) == "after"


def test_kill_at_random_times(scenario: dict[str, Any], tmp_path: Path, long_run: bool) -> None:
    start = time.monotonic()
    check_one(scenario, tmp_path)
    full = time.monotonic() - start
    rng = random.Random(11)
    outcomes = [check_one(scenario, tmp_path, kill_after=rng.uniform(0.2, 1.0) * full)
                for _ in range(160 if long_run else 4)]
    assert set(outcomes) <= {"before", "after"}
