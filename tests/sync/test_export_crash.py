"""kill -9 during an export (SYNC.md 6.5 #18): no file ever has its final name half-written,
the unsent changes stay in the outbox, and exporting again gives a bundle the hub accepts."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from synckit import LECCO, Net

from fieldwelfare import demo
from fieldwelfare.store.replication import unsent_count
from fieldwelfare.sync import device

WORKER = """
import sys
from pathlib import Path
from fieldwelfare.store import open_store
from fieldwelfare.sync import device
store = open_store(sys.argv[1])
print("ready", flush=True)
device.export(store, Path(sys.argv[2]))
print("done", flush=True)
"""


def test_killed_export_leaves_no_final_file_and_loses_nothing(net: Net, tmp_path: Path,
                                                              long_run: bool) -> None:
    dev = net.device("laptop")
    dev.add_many("person", demo.bulk_rows("person", 3000, seed=3))
    dev.add("person", {"given_name": "Ultima", "family_name": "Persona", "comune": LECCO})
    unsent = unsent_count(dev)
    db = Path(dev.path)
    rng = random.Random(11)
    kills = 0
    completed: list[Path] = []
    for attempt in range(12 if long_run else 3):
        out = tmp_path / f"usb-{attempt}"
        out.mkdir()
        proc = subprocess.Popen([sys.executable, "-c", WORKER, str(db), str(out)],
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.4))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        finals = list(out.glob("*.fwb"))
        if proc.returncode == -signal.SIGKILL and not finals:
            kills += 1
        completed.extend(finals)  # a final name only ever holds a whole bundle (ingested below)
        assert unsent_count(dev) == unsent  # nothing acknowledged, nothing lost
    assert kills, "no kill landed during an export: make the export longer"
    bundles = device.export(dev, tmp_path / "usb-final")
    results = [net.push_file(path) for path in [*completed, *(Path(b.path) for b in bundles)]]
    assert sum(r.applied for r in results) == unsent
    assert net.hub.count("person") == 3001
