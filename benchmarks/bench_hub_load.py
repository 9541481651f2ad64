"""The hub under load: N devices syncing at once against ``hub serve`` (a subprocess on
127.0.0.1, uvicorn) while M idle connections are held open (and reopened as the hub closes
them). Every legitimate sync must succeed (the reply imports on its device).

    python benchmarks/bench_hub_load.py                    # 200 clients, 500 idle
    python benchmarks/bench_hub_load.py --clients 50 --idle 100 --people 2

Prints bundles/s, changes/s, latency percentiles (client side, POST to reply stored),
failures and how many idle connections were held. Setup (enrolling the devices, writing
their bundles) is not timed.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fieldwelfare.store import Store, open_store  # noqa: E402
from fieldwelfare.sync import device, enrollment, hub  # noqa: E402
from fieldwelfare.sync.http import post_bundle  # noqa: E402

PER_PERSON = 9


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def setup(tmp: Path, clients: int, people: int) -> tuple[list[Path], list[Path], int]:
    """Enroll ``clients`` devices (USB path), each with ``people`` persons and a bundle."""
    hub_store = open_store(tmp / "hub.db")
    hub.init(hub_store, "Bench")
    dbs: list[Path] = []
    bundles: list[Path] = []
    changes = 0
    for i in range(clients):
        name = f"dev{i:03d}"
        code = enrollment.issue_code(hub_store, device=name, role="social_worker",
                                     ambito="Lecco")
        dev = open_store(tmp / f"{name}.db")
        enrollment.start(dev, code)
        hub.ingest(hub_store, enrollment.write_request(dev, tmp / "usb").path)
        (reply,) = hub.export_replies(hub_store, tmp / "usb", device=name)
        device.import_reply(dev, reply.path)
        dev.add_many("person", ({"given_name": f"N{i}-{k}", "family_name": "Rossi",
                                 "comune": "097042", "phone": "0341 123456"}
                                for k in range(people)))
        (sealed,) = device.export(dev, tmp / "out" / name)
        changes += int(dev.execute_read("SELECT count(*) FROM change")[0][0])
        dbs.append(tmp / f"{name}.db")
        bundles.append(sealed.path)
        dev.close()
    hub_store.close()
    return dbs, bundles, changes


class IdleCrowd:
    """Holds ``count`` idle connections, reopening those the hub closes."""

    def __init__(self, port: int, count: int) -> None:
        self.port, self.count = port, count
        self.socks: list[socket.socket] = []
        self.stop = threading.Event()
        self.max_held = 0
        self.reopened = 0
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        while not self.stop.is_set():
            alive = []
            for s in self.socks:
                s.setblocking(False)
                try:
                    closed = s.recv(1) == b""
                except BlockingIOError:
                    closed = False
                except OSError:
                    closed = True
                if closed:
                    s.close()
                else:
                    alive.append(s)
            self.socks = alive
            while len(self.socks) < self.count and not self.stop.is_set():
                try:
                    self.socks.append(socket.create_connection(("127.0.0.1", self.port), 2))
                    self.reopened += 1
                except OSError:
                    break
            self.max_held = max(self.max_held, len(self.socks))
            self.stop.wait(0.5)
        for s in self.socks:
            s.close()


def one_sync(url: str, bundle: Path, out: Path) -> tuple[float, str | None]:
    start = time.perf_counter()
    try:
        post_bundle(url, bundle, out, attempts=6, timeout=300)
    except Exception as exc:  # reported, counted as a failure
        return time.perf_counter() - start, f"{type(exc).__name__}: {exc}"
    return time.perf_counter() - start, None


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--idle", type=int, default=500)
    parser.add_argument("--people", type=int, default=5, help="persons per device")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        t0 = time.perf_counter()
        dbs, bundles, changes = setup(tmp, args.clients, args.people)
        setup_s = time.perf_counter() - t0
        port = free_port()
        env = {k: v for k, v in os.environ.items() if k != "FIELDWELFARE_FAKE_TIME"}
        server = subprocess.Popen(
            [sys.executable, "-m", "fieldwelfare", "--db", str(tmp / "hub.db"), "hub",
             "serve", "--port", str(port)], stdout=subprocess.DEVNULL,
            stderr=open(tmp / "hub.log", "w"), env=env)  # noqa: SIM115
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    httpx.get(url + "/v1/health", timeout=1)
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
            crowd = IdleCrowd(port, args.idle)
            crowd.thread.start()
            time.sleep(1.0)
            replies = [tmp / "replies" / f"r{i}.fwb" for i in range(len(bundles))]
            start = time.perf_counter()
            with ThreadPoolExecutor(max_workers=args.clients) as pool:
                results = list(pool.map(one_sync, [url] * len(bundles), bundles, replies))
            wall = time.perf_counter() - start
            health = httpx.get(url + "/v1/health", timeout=5).status_code
            crowd.stop.set()
            crowd.thread.join(5)
        finally:
            server.terminate()
            server.wait(timeout=150)
        failures = [err for _, err in results if err]
        imported = 0
        for db, reply, (_, err) in zip(dbs, replies, results, strict=True):
            if err:
                continue
            dev: Store = open_store(db)
            device.import_reply(dev, reply)
            imported += 1
            dev.close()
        latencies = [lat for lat, err in results if not err]
        figures: dict[str, Any] = {
            "clients": args.clients, "idle_connections_target": args.idle,
            "idle_connections_max_held": crowd.max_held,
            "idle_connections_opened": crowd.reopened,
            "bundles": len(bundles), "changes": changes, "setup_s": round(setup_s, 1),
            "wall_s": round(wall, 2), "bundles_per_s": round(len(bundles) / wall, 1),
            "changes_per_s": round(changes / wall, 1),
            "p50_ms": round(percentile(latencies, 50) * 1000) if latencies else None,
            "p95_ms": round(percentile(latencies, 95) * 1000) if latencies else None,
            "max_ms": round(max(latencies) * 1000) if latencies else None,
            "failures": len(failures), "replies_imported": imported,
            "health_after": health,
        }
        print(json.dumps(figures, indent=1))
        if failures:
            print("\n".join(sorted(set(failures))[:10]), file=sys.stderr)
            raise SystemExit(1)


if __name__ == "__main__":
    main()
