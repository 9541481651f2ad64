"""Core benchmark: bulk writes, full-text search as you type, matching latency.

    python benchmarks/bench_core.py                  # 100,000 people, 200,000 needs
    python benchmarks/bench_core.py --quick          # 10,000 people, 20,000 needs
    python benchmarks/bench_core.py --people 50000 --needs 100000 --volunteers 3000

Builds a fresh database through the write API (``Store.add_many``: validation, change
log per field, audit entry per record, one transaction per chunk) and prints figures:

- write throughput (rows/s) of people and needs, against raw ``sqlite3.executemany`` of
  the same rows, chunk by chunk, into an equivalent plain table (same columns, same
  UNIQUE id and secondary indexes, no FTS, no change log, no audit) in a second file with
  the same PRAGMAs; also against a bare table (columns only);
- search p50/p95 over realistic as-you-type prefixes (``Store.list_records(search=)``,
  first page of 50, records loaded);
- ``matching.match`` p50/p95 over random needs.

Goals (client brief): search p95 < 50 ms, write ratio >= 25 %, match p95 < 200 ms.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from fieldwelfare.store.dbapi import sqlite3  # the store's SQLite (its FTS tokenizers)

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fieldwelfare import demo, matching
from fieldwelfare.ids import uuid7
from fieldwelfare.models import MODELS, utc_now
from fieldwelfare.store import Store, open_store
from fieldwelfare.store.codec import to_column
from fieldwelfare.store.connection import connect
from fieldwelfare.store.migrations import _INDEXES, _TABLES


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def ms(values: list[float]) -> str:
    return (f"p50 {pct(values, 0.5) * 1000:7.2f} ms   p95 {pct(values, 0.95) * 1000:7.2f} ms"
            f"   max {max(values) * 1000:7.2f} ms   (n={len(values)})")


class Baseline:
    """Raw ``executemany`` of the same rows into plain tables of the same shape."""

    def __init__(self, path: Path) -> None:
        self.conn = connect(path)
        for kind, columns in _TABLES.items():
            body = f"_rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, created_at TEXT, " \
                   f"updated_at TEXT, created_by TEXT, {columns.strip().rstrip(',')}, " \
                   f"_deleted INTEGER NOT NULL DEFAULT 0"
            body = body.replace("REFERENCES person(id)", "").replace("REFERENCES volunteer(id)", "")
            self.conn.execute(f"CREATE TABLE {kind} ({body})")
            self.conn.execute(f"CREATE TABLE bare_{kind} ({body.replace(' UNIQUE', '')})")
        for statement in _INDEXES:
            self.conn.execute(statement)
        # The store's own schema (same tables, indexes and FTS5 index with its triggers),
        # built by the migrations in a separate file: the fairest "raw" baseline.
        schema_path = path.with_name("baseline-schema.db")
        open_store(schema_path).close()
        self.schema_conn = connect(schema_path)
        self.seconds: dict[str, float] = {}
        self.bare_seconds: dict[str, float] = {}
        self.schema_seconds: dict[str, float] = {}

    def insert(self, kind: str, rows: list[dict[str, Any]]) -> None:
        model = MODELS[kind]
        fields = ["id", "created_at", "updated_at", "created_by", *model.data_fields()]
        now = utc_now()
        values = [
            tuple(now if f in ("created_at", "updated_at") else
                  "bench" if f == "created_by" else to_column(kind, f, row.get(f))
                  for f in fields)
            for row in rows
        ]
        columns = ", ".join(f'"{f}"' for f in fields)
        marks = ", ".join("?" for _ in fields)
        for conn, table, bucket in ((self.conn, kind, self.seconds),
                                    (self.conn, f"bare_{kind}", self.bare_seconds),
                                    (self.schema_conn, kind, self.schema_seconds)):
            start = time.perf_counter()
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("PRAGMA defer_foreign_keys = ON")
            conn.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)
            conn.execute("COMMIT")
            bucket[kind] = bucket.get(kind, 0.0) + time.perf_counter() - start


def load(store: Store, baseline: Baseline, kind: str, rows: Iterator[dict[str, Any]], total: int,
         chunk: int, api_seconds: dict[str, float], keep: Callable[[dict[str, Any]], None]) -> None:
    done = 0
    while done < total:
        batch = [next(rows) for _ in range(min(chunk, total - done))]
        start = time.perf_counter()
        store.add_many(kind, batch)
        api_seconds[kind] = api_seconds.get(kind, 0.0) + time.perf_counter() - start
        baseline.insert(kind, batch)
        for row in batch:
            keep(row)
        done += len(batch)
        print(f"\r  {kind}: {done:,}/{total:,}", end="", flush=True)
    print()


def prefixes(words: list[str], rng: random.Random, n: int) -> list[str]:
    """What a user types, key by key: 'c', 'co', 'col', ...; some two-word queries."""
    out: list[str] = []
    while len(out) < n:
        word = rng.choice(words)
        for i in range(1, min(len(word), 6) + 1):
            out.append(word[:i].lower())
        if rng.random() < 0.3:
            out.append(f"{rng.choice(words).lower()} {word[:2].lower()}")
    return out[:n]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--needs", type=int, default=200_000)
    parser.add_argument("--volunteers", type=int, default=3_000)
    parser.add_argument("--organisations", type=int, default=300)
    parser.add_argument("--referrals", type=int, default=5_000)
    parser.add_argument("--chunk", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--matches", type=int, default=100)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--quick", action="store_true", help="10,000 people / 20,000 needs")
    parser.add_argument("--dir", type=Path, default=None, help="where to build (default: temp)")
    parser.add_argument("--check", action="store_true", help="run integrity_check at the end")
    args = parser.parse_args()
    if args.quick:
        args.people, args.needs, args.volunteers = 10_000, 20_000, 1_000
        args.referrals = 1_000

    folder = args.dir or Path(tempfile.mkdtemp(prefix="fw-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("bench.db", "baseline.db"):
        for suffix in ("", "-wal", "-shm"):
            (folder / f"{name}{suffix}").unlink(missing_ok=True)
    store = open_store(folder / "bench.db")
    store.set_identity(device_name="bench", operator="Bench Operatore", role="coordinator",
                       ambito="Lecco")
    baseline = Baseline(folder / "baseline.db")
    rng = random.Random(args.seed)
    seconds: dict[str, float] = {}
    print(f"database: {folder / 'bench.db'}  (sqlite {sqlite3.sqlite_version})")
    print(f"building: {args.people:,} people, {args.needs:,} needs, {args.volunteers:,} "
          f"volunteers, {args.organisations:,} organisations, chunks of {args.chunk:,}")

    orgs: list[str] = []
    load(store, baseline, "organisation", demo.bulk_rows("organisation", args.organisations,
         args.seed), args.organisations, args.chunk, seconds, lambda r: orgs.append(r["id"]))
    vols: list[str] = []
    load(store, baseline, "volunteer",
         demo.bulk_rows("volunteer", args.volunteers, args.seed, refs={"organisation_id": orgs}),
         args.volunteers, args.chunk, seconds, lambda r: vols.append(r["id"]))
    slots = args.volunteers * 5 // 2
    load(store, baseline, "availability",
         demo.bulk_rows("availability", slots, args.seed, refs={"volunteer_id": vols}),
         slots, args.chunk, seconds, lambda r: None)
    people: list[str] = []
    words: list[str] = []

    def keep_person(row: dict[str, Any]) -> None:
        people.append(row["id"])
        if len(words) < 5_000:
            words.extend((row["family_name"], row["given_name"]))

    load(store, baseline, "person", demo.bulk_rows("person", args.people, args.seed),
         args.people, args.chunk, seconds, keep_person)
    need_ids: list[str] = []
    # One need in ten is a community need (no person).
    with_person: list[str | None] = [*people, *([None] * (len(people) // 9))]
    rng.shuffle(with_person)

    def need_rows() -> Iterator[dict[str, Any]]:
        for i, row in enumerate(demo.bulk_rows("need", args.needs, args.seed,
                                               refs={"person_id": people})):
            person = with_person[i % len(with_person)]
            row["person_id"] = person
            yield row

    load(store, baseline, "need", need_rows(), args.needs, args.chunk, seconds,
         lambda r: need_ids.append(r["id"]))
    referral_rows = (
        {"id": uuid7(), "need_id": rng.choice(need_ids), "brief": "bench",
         **({"volunteer_id": rng.choice(vols)} if rng.random() < 0.8
            else {"organisation_id": rng.choice(orgs)})}
        for _ in range(args.referrals)
    )
    load(store, baseline, "referral", referral_rows, args.referrals, args.chunk, seconds,
         lambda r: None)

    print("\nWRITE THROUGHPUT (rows/s; API = Store.add_many, raw = sqlite3 executemany)")
    for kind in ("person", "need", "volunteer", "availability", "referral"):
        n = {"person": args.people, "need": args.needs, "volunteer": args.volunteers,
             "availability": slots, "referral": args.referrals}[kind]
        api, schema, raw, bare = (n / seconds[kind], n / baseline.schema_seconds[kind],
                                  n / baseline.seconds[kind], n / baseline.bare_seconds[kind])
        print(f"  {kind:13s} API {api:8,.0f}   raw: store schema {schema:8,.0f} "
              f"({api / schema:6.1%})   no FTS {raw:8,.0f} ({api / raw:6.1%})   "
              f"bare {bare:8,.0f} ({api / bare:6.1%})")
    total_api = sum(seconds[k] for k in ("person", "need"))
    total_schema = sum(baseline.schema_seconds[k] for k in ("person", "need"))
    total_raw = sum(baseline.seconds[k] for k in ("person", "need"))
    total_bare = sum(baseline.bare_seconds[k] for k in ("person", "need"))
    print(f"  people+needs  API / raw into the store's schema {total_schema / total_api:6.1%}"
          f"  (goal >= 25%);  vs the table without FTS {total_raw / total_api:6.1%};"
          f"  vs a bare table {total_bare / total_api:6.1%}")

    print("\nSEARCH AS YOU TYPE (list_records(search=..., limit=50))")
    for kind, source in (("person", words),
                         ("need", ["spesa", "accompagnamento", "visite", "bambini", "lavoro",
                                   "farmaci", "casa", "ospedale", "compagnia", "smartphone"])):
        queries = prefixes(source, rng, args.queries)
        timings = []
        hits = 0
        for query in queries:
            start = time.perf_counter()
            hits += len(store.list_records(kind, search=query, limit=50))
            timings.append(time.perf_counter() - start)
        print(f"  {kind:7s} {ms(timings)}  avg hits {hits / len(queries):.1f}")
    timings = []
    for query in prefixes(words, rng, args.queries // 3):
        start = time.perf_counter()
        store.search(query, limit=20)
        timings.append(time.perf_counter() - start)
    print(f"  all kinds (Store.search, 20 per kind) {ms(timings)}   (goal p95 < 50 ms)")

    print("\nMATCHING (matching.match, limit 10)")
    timings = []
    for need_id in rng.sample(need_ids, min(args.matches, len(need_ids))):
        start = time.perf_counter()
        found = matching.match(store, need_id)
        timings.append(time.perf_counter() - start)
        assert found, "no candidates"
    print(f"  match   {ms(timings)}   (goal p95 < 200 ms)")

    if args.check:
        start = time.perf_counter()
        problems = store.integrity_check()
        print(f"\nintegrity_check: {len(problems)} problems in {time.perf_counter() - start:.1f} s")
    size = (folder / "bench.db").stat().st_size + (folder / "bench.db-wal").stat().st_size
    print(f"\ndatabase size {size / 1e6:,.0f} MB; change rows "
          f"{store.execute_read('SELECT max(seq) FROM change')[0][0]:,}")
    store.close()


if __name__ == "__main__":
    main()
