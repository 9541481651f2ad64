"""Sync figures: export and ingest of N changes, bytes per change, and peak memory of a
1,000,000-change bundle (export and ingest each in a fresh subprocess, peak RSS).

    python benchmarks/bench_sync.py                  # 100,000 changes + 1,000,000 memory run
    python benchmarks/bench_sync.py --big 0          # skip the 1,000,000 run
    python benchmarks/bench_sync.py --changes 0      # only the 1,000,000 memory run

Goals: export < 5 s and ingest >= 20,000 changes/s for 100,000 changes; peak < 300 MB for
1,000,000. Ingest is also given as a ratio to raw SQLite inserts of the same change rows.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from fieldwelfare.store.dbapi import sqlite3  # the store's SQLite (its FTS tokenizers)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fieldwelfare.store import Store, open_store  # noqa: E402
from fieldwelfare.sync import device, enrollment, hub  # noqa: E402

PER_PERSON = 9  # change rows written per person below


def setup(tmp: Path, changes: int) -> tuple[Path, Path]:
    hub_store = open_store(tmp / "hub.db")
    hub.init(hub_store, "Bench")
    code = enrollment.issue_code(hub_store, device="bench", role="coordinator", ambito="Lecco")
    dev = open_store(tmp / "dev.db")
    enrollment.start(dev, code)
    hub.ingest(hub_store, enrollment.write_request(dev, tmp / "usb").path)
    (reply,) = hub.export_replies(hub_store, tmp / "usb", device="bench")
    device.import_reply(dev, reply.path)
    fill(dev, changes)
    dev.close()
    hub_store.close()
    return tmp / "hub.db", tmp / "dev.db"


def fill(dev: Store, changes: int) -> None:
    people = max(1, changes // PER_PERSON)
    done = 0
    while done < people:
        batch = min(10_000, people - done)
        dev.add_many("person", ({"given_name": f"Nome{done + i}", "family_name": "Rossi",
                                 "comune": "097042", "phone": "0341 123456",
                                 "notes": "Segue il centro diurno il martedì"}
                                for i in range(batch)))
        done += batch


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def phase_export(db: Path, out: Path) -> dict[str, Any]:
    dev = open_store(db)
    start = time.perf_counter()
    sealed = device.export(dev, out)
    seconds = time.perf_counter() - start
    count = dev.execute_read("SELECT count(*) FROM change")[0][0]
    return {"path": ",".join(str(s.path) for s in sealed), "seconds": seconds,
            "bytes": sum(s.size for s in sealed), "bundles": len(sealed), "changes": count,
            "peak_mb": peak_mb()}


def phase_ingest(db: Path, path: Path) -> dict[str, Any]:
    store = open_store(db)
    start = time.perf_counter()
    applied = sum(hub.ingest(store, Path(p), archive=False).applied
                  for p in str(path).split(","))
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "applied": applied, "peak_mb": peak_mb()}


def raw_inserts(db: Path) -> float:
    """Seconds to insert the same change rows into a fresh SQLite table, one transaction."""
    src = sqlite3.connect(db)
    rows = src.execute("SELECT tbl, rid, field, value, hlc, origin, operator, base "
                       "FROM change").fetchall()
    src.close()
    with tempfile.TemporaryDirectory() as tmp:
        conn = sqlite3.connect(Path(tmp) / "raw.db", isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("CREATE TABLE change (seq INTEGER PRIMARY KEY, tbl TEXT, rid TEXT, "
                     "field TEXT, value TEXT, hlc TEXT, origin TEXT, operator TEXT, base TEXT)")
        start = time.perf_counter()
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO change (tbl, rid, field, value, hlc, origin, operator, "
                         "base) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        conn.execute("COMMIT")
        seconds = time.perf_counter() - start
        conn.close()
    return seconds


def child(*args: str) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"{args[1]} failed:\n{out.stderr}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def run(changes: int, label: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        t0 = time.perf_counter()
        hub_db, dev_db = setup(tmp, changes)
        print(f"[{label}] setup: {time.perf_counter() - t0:.1f} s", flush=True)
        exp = child("--phase", "export", str(dev_db), str(tmp / "usb"))
        ing = child("--phase", "ingest", str(hub_db), exp["path"])
        raw = raw_inserts(dev_db)
        return {"changes": exp["changes"], "bundles": exp["bundles"], "export_s": exp["seconds"],
                "export_peak_mb": exp["peak_mb"], "bytes": exp["bytes"],
                "bytes_per_change": exp["bytes"] / exp["changes"],
                "ingest_s": ing["seconds"], "ingest_rate": ing["applied"] / ing["seconds"],
                "ingest_peak_mb": ing["peak_mb"], "applied": ing["applied"],
                "raw_rate": exp["changes"] / raw}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--changes", type=int, default=100_000)
    parser.add_argument("--big", type=int, default=1_000_000)
    parser.add_argument("--phase", nargs=3, metavar=("PHASE", "DB", "ARG"))
    args = parser.parse_args()
    if args.phase:
        phase, db, arg = args.phase
        fn = phase_export if phase == "export" else phase_ingest
        print(json.dumps(fn(Path(db), Path(arg))))
        return
    if args.changes:
        small(run(args.changes, f"{args.changes:,}"))
    if args.big:
        big(run(args.big, f"{args.big:,}"))


def small(r: dict[str, Any]) -> None:
    print(f"export   {r['changes']:>9,} changes: {r['export_s']:.2f} s (goal < 5 s), "
          f"{r['bytes']:,} bytes = {r['bytes_per_change']:.1f} bytes/change")
    print(f"ingest   {r['applied']:>9,} changes: {r['ingest_s']:.2f} s = "
          f"{r['ingest_rate']:,.0f} changes/s (goal >= 20,000); raw SQLite inserts "
          f"{r['raw_rate']:,.0f} rows/s; ratio {r['ingest_rate'] / r['raw_rate']:.3f}")
    print(f"peak RSS export {r['export_peak_mb']:.0f} MB, ingest {r['ingest_peak_mb']:.0f} MB")


def big(b: dict[str, Any]) -> None:
    print(f"big      {b['changes']:>9,} changes in {b['bundles']} bundle(s): "
          f"export {b['export_s']:.1f} s peak "
          f"{b['export_peak_mb']:.0f} MB; ingest {b['ingest_s']:.1f} s "
          f"({b['ingest_rate']:,.0f}/s) peak {b['ingest_peak_mb']:.0f} MB (goal < 300 MB); "
          f"{b['bytes_per_change']:.1f} bytes/change")


if __name__ == "__main__":
    main()
