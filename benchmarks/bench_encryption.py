"""Encrypted (SQLCipher 4) against plaintext, side by side in one run.

    python benchmarks/bench_encryption.py            # 20,000 people, 40,000 needs
    python benchmarks/bench_encryption.py --people 100000 --needs 200000

The same rows go into two databases (one plaintext, one encrypted with a raw key), then:
search as you type (people, needs), the first page of open needs, ingesting a bundle of
another device's changes, and opening the encrypted one through its key slot (Argon2id at
the production cost, then the first query). Goals: encrypted within 1.25x of plaintext for
search, list open and ingest; unlock under 1 s.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fieldwelfare import demo
from fieldwelfare.ids import uuid7
from fieldwelfare.store import Store, keyslots, open_store, vault
from fieldwelfare.store import replication as rep

PASS = "una frase lunga per il benchmark"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(func: Callable[[], object], n: int) -> list[float]:
    out = []
    for _ in range(n):
        start = time.perf_counter()
        func()
        out.append(time.perf_counter() - start)
    return out


def build(store: Store, people: int, needs: int, seed: int) -> None:
    ids: list[str] = []
    for start in range(0, people, 10_000):
        rows = list(demo.bulk_rows("person", min(10_000, people - start), seed=seed + start))
        store.add_many("person", rows)
        ids.extend(r["id"] for r in rows)
    for start in range(0, needs, 10_000):
        store.add_many("need", list(demo.bulk_rows("need", min(10_000, needs - start),
                                                   seed=seed + start, refs={"person_id": ids})))


def bundle(tmp: Path, changes_people: int) -> list[rep.Change]:
    other = open_store(tmp / "other.db")
    other.set_identity(device_name="other", operator="Altra", role="coordinator",
                       ambito="Lecco")
    other.add_many("person", list(demo.bulk_rows("person", changes_people, seed=7)))
    out = [c for _, c in rep.outbox(other)]
    other.close()
    return out


def measure(store: Store, prefixes: list[str], incoming: list[rep.Change],
            n: int) -> dict[str, list[float]]:
    it = iter(prefixes * 2)
    return {
        "search people": timed(lambda: store.list_records("person", search=next(it),
                                                          limit=50), n),
        "search needs": timed(lambda: store.list_records("need", search=next(it), limit=50),
                              n),
        "list open needs": timed(lambda: store.list_records(
            "need", where={"status": "open"}, limit=50), n),
        "ingest bundle": timed(lambda: rep.apply_changes(
            store, incoming, bundle_id=uuid7(), sender="other", file_sha256="0" * 64,
            kind="device-push"), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--needs", type=int, default=40_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--ingest-people", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="fw-bench-enc-"))
    rng = random.Random(args.seed)
    stores: dict[str, Store] = {}
    for name, key in (("plaintext", None), ("encrypted", keyslots.new_key())):
        store = open_store(tmp / f"{name}.db", key=key)
        store.set_identity(device_name=name, operator="Bench", role="coordinator",
                           ambito="Lecco")
        start = time.perf_counter()
        build(store, args.people, args.needs, args.seed)
        print(f"{name:10s} built {args.people:,} people + {args.needs:,} needs in "
              f"{time.perf_counter() - start:5.1f} s")
        stores[name] = store
    names = [r[0] for r in stores["plaintext"].execute_read(
        "SELECT family_name FROM person ORDER BY random() LIMIT 200")]
    prefixes = [name[:rng.randint(3, 5)].lower() for name in names]
    prefixes = [rng.choice(prefixes) for _ in range(args.queries)]
    incoming = bundle(tmp, args.ingest_people)
    results = {name: measure(store, prefixes, incoming, args.queries)
               for name, store in stores.items()}
    print(f"\n{'measure':18s} {'plaintext p50/p95':>22s} {'encrypted p50/p95':>22s} "
          f"{'ratio p50':>10s}   goal <= 1.25x")
    for what in results["plaintext"]:
        plain, enc = results["plaintext"][what], results["encrypted"][what]
        ratio = statistics.median(enc) / statistics.median(plain)
        print(f"{what:18s} {pct(plain, .5) * 1000:9.2f} /{pct(plain, .95) * 1000:9.2f} ms "
              f"{pct(enc, .5) * 1000:9.2f} /{pct(enc, .95) * 1000:9.2f} ms {ratio:9.2f}x")
    hits = sum(len(stores["plaintext"].list_records("person", search=p, limit=50))
               for p in prefixes) / len(prefixes)
    print(f"  (search: {hits:.1f} people found per prefix on average; ingest: "
          f"{len(incoming):,} changes)")
    for store in stores.values():
        store.close()
    real, _recovery = vault.create(tmp / "unlock.db", operator="Anna", passphrase=PASS)
    real.close()
    opens = []
    for _ in range(3):
        start = time.perf_counter()
        unlocked = vault.unlock(tmp / "unlock.db", operator="Anna", passphrase=PASS)
        unlocked.count("person")
        opens.append(time.perf_counter() - start)
        unlocked.close()
    print(f"\nunlock (Argon2id ops={keyslots.OPS}, mem={keyslots.MEM // 2**20} MiB, then the "
          f"first query): median {statistics.median(opens):.2f} s   (goal < 1 s)")


if __name__ == "__main__":
    main()
