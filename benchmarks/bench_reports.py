"""Reports benchmark: each report on the benchmark database (200,000 needs).

    python benchmarks/bench_reports.py                 # build 100,000 people, 200,000 needs
    python benchmarks/bench_reports.py --quick         # 10,000 people, 20,000 needs
    python benchmarks/bench_reports.py --db PATH       # reuse a database (bench_core --dir)

Builds the database through the write API as ``bench_core.py`` does (same generator, same
sizes; referrals walked through their states), then times ``reports.engine.run`` for each
report and breakdown (SQL aggregation, roll-up, suppression), and the XLSX file of each.

Goal (issue #12): every report under 1 s on 200,000 needs.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fieldwelfare import demo
from fieldwelfare.ids import uuid7
from fieldwelfare.reports import engine, render
from fieldwelfare.store import Store, open_store

CASES: list[tuple[str, tuple[str, ...]]] = [
    ("needs", ()), ("needs", ("comune",)), ("needs", ("area", "ambito", "month")),
    ("needs", ("comune", "category", "quarter")),
    ("referrals", ()), ("referrals", ("target",)), ("referrals", ("ambito", "month")),
    ("capacity", ()), ("capacity", ("comune", "category")),
    ("directory", ()), ("directory", ("comune",)),
]
PATHS = [["sent"], ["sent", "accepted"], ["sent", "accepted", "in_progress", "completed"],
         ["sent", "declined"], ["cancelled"]]


def chunks(rows: Any, size: int) -> Any:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def build(store: Store, people: int, needs: int, volunteers: int, seed: int) -> None:
    rng = random.Random(seed)
    store.set_identity(device_name="bench-hub", operator="Bench", role="coordinator",
                       ambito="Lecco")
    ids: dict[str, list[str]] = {}

    def load(kind: str, n: int, refs: dict[str, list[str]] | None = None) -> None:
        ids[kind] = []
        for batch in chunks(demo.bulk_rows(kind, n, seed, refs=refs), 10_000):
            store.add_many(kind, batch)
            ids[kind].extend(r["id"] for r in batch)
            print(f"\r  {kind}: {len(ids[kind]):,}/{n:,}", end="", flush=True)
        print()

    load("organisation", 300)
    load("volunteer", volunteers, {"organisation_id": ids["organisation"]})
    load("availability", volunteers * 5 // 2, {"volunteer_id": ids["volunteer"]})
    load("person", people)
    load("need", needs, {"person_id": ids["person"]})
    # Needs of people with a privacy notice: a referral cannot be sent before it.
    eligible = [r[0] for r in store.execute_read(
        "SELECT n.id FROM need n JOIN person p ON p.id = n.person_id "
        "WHERE p.privacy_notice IS NOT NULL")]
    referrals = []
    for need_id in rng.sample(eligible, min(5_000, len(eligible))):
        target = ({"volunteer_id": rng.choice(ids["volunteer"])} if rng.random() < 0.8
                  else {"organisation_id": rng.choice(ids["organisation"])})
        referrals.append({"id": uuid7(), "need_id": need_id, "brief": "bench", **target})
    store.add_many("referral", referrals)
    for i, referral in enumerate(referrals[:2_000]):
        for step in PATHS[i % len(PATHS)]:
            change: dict[str, Any] = {"status": step}
            if step in ("declined", "cancelled"):
                change["reason"] = rng.choice(["Non disponibile.", "Troppo lontano."])
            if step == "completed":
                change["outcome"] = "Bisogno risolto."
            store.update("referral", referral["id"], change)
    print("  referrals: 5,000 (2,000 walked through their states)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, help="an existing database to report on")
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--needs", type=int, default=200_000)
    parser.add_argument("--volunteers", type=int, default=3_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.people, args.needs, args.volunteers = 10_000, 20_000, 1_000
    if args.db:
        store = open_store(args.db, create=False)
    else:
        folder = Path(tempfile.mkdtemp(prefix="fw-bench-reports-"))
        print(f"building {folder / 'bench.db'}")
        store = open_store(folder / "bench.db")
        start = time.perf_counter()
        build(store, args.people, args.needs, args.volunteers, args.seed)
        print(f"  built in {time.perf_counter() - start:.0f} s")
    total = store.count("need")
    print(f"\nREPORTS on {total:,} needs, {store.count('referral'):,} referrals "
          f"(median and max of {args.runs} runs; goal < 1 s each)")
    worst = 0.0
    for name, by in CASES:
        timings = []
        for _ in range(args.runs):
            start = time.perf_counter()
            report = engine.run(store, name, by=by)
            timings.append(time.perf_counter() - start)
        timings.sort()
        worst = max(worst, timings[-1])
        hidden = sum(len(t.hidden) for t in report.tables)
        rows = sum(len(t.rows) for t in report.tables)
        start = time.perf_counter()
        with tempfile.TemporaryDirectory() as tmp:
            render.write_report_xlsx(report, Path(tmp) / "r.xlsx")
        xlsx = time.perf_counter() - start
        label = f"{name} by {'+'.join(by or report.meta.by)}"
        print(f"  {label:38s} median {timings[len(timings) // 2] * 1000:7.1f} ms   "
              f"max {timings[-1] * 1000:7.1f} ms   rows {rows:6,}  hidden {hidden:6,}   "
              f"xlsx {xlsx * 1000:6.0f} ms")
    verdict = "OK" if worst < 1 else "OVER"
    print(f"\nslowest report: {worst * 1000:.0f} ms  ({verdict}: goal 1 s)")
    store.close()


if __name__ == "__main__":
    main()
