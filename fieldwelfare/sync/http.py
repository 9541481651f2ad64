"""Bundles over HTTP: ``hub serve`` and the device side of ``sync run``.

One endpoint does the work: ``POST /v1/bundles`` with a ``.fwb`` file as the body. The hub
stores it (``.part`` then rename), ingests it exactly as ``hub ingest`` does, and answers
with the reply bundle for the sending device (its acknowledgement and new data). Because a
bundle id is applied once and a reply is always recomputed, a client that loses the
connection simply sends the same file again: nothing is applied twice. Refusals answer 422
with ``{"code", "message"}``; no personal data ever travels outside a sealed bundle.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

from fieldwelfare.i18n import t
from fieldwelfare.ids import uuid7
from fieldwelfare.store.store import Store
from fieldwelfare.sync import enrollment, hub
from fieldwelfare.sync.envelope import MAX_PT, ct_length
from fieldwelfare.sync.errors import BundleRefused, SyncError

MAX_BODY = ct_length(MAX_PT) + 64 * 1024
PATH = "/v1/bundles"
Progress = Callable[[str, int, int], None]
"""``(phase, done, total)`` with phase "up" or "down"."""


class HubHandler(BaseHTTPRequestHandler):
    server: HubServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        if self.server.verbose:
            super().log_message(format, *args)

    def _json(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path != "/v1/hub":
            self._json(404, {"code": "not_found"})
            return
        store = self.server.store
        keys = enrollment.hub_keys(store)
        self._json(200, {"hub": store.meta().get("hub_name"), "kid": keys.kid})

    def do_POST(self) -> None:
        if self.path != PATH:
            self._json(404, {"code": "not_found"})
            return
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self._json(411, {"code": "length_required"})
            return
        if not 0 < length <= MAX_BODY:
            self._json(413, {"code": "too_large"})
            return
        inbox = hub.bundles_dir(self.server.store) / "inbox"
        inbox.mkdir(parents=True, exist_ok=True)
        target = inbox / f"{uuid7()}.fwb"
        if not self._receive(target, length):
            return
        try:
            reply = self.server.handle(target)
        except BundleRefused as exc:
            self._json(422, {"code": exc.code, "message": str(exc)})
            return
        finally:
            target.unlink(missing_ok=True)
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(reply.stat().st_size))
        self.end_headers()
        with open(reply, "rb") as f:
            while block := f.read(1024 * 1024):
                self.wfile.write(block)

    def _receive(self, target: Path, length: int) -> bool:
        part = target.with_name(target.name + ".part")
        remaining = length
        with open(part, "wb") as out:
            while remaining:
                block = self.rfile.read(min(remaining, 1024 * 1024))
                if not block:
                    part.unlink(missing_ok=True)
                    self.close_connection = True
                    return False
                out.write(block)
                remaining -= len(block)
            out.flush()
            os.fsync(out.fileno())
        part.replace(target)
        return True


class HubServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, store: Store, host: str = "127.0.0.1", port: int = 8765,
                 verbose: bool = False) -> None:
        super().__init__((host, port), HubHandler)
        self.store = store
        self.verbose = verbose
        self._lock = threading.Lock()

    def handle(self, path: Path) -> Path:
        """Ingest one bundle and build the sender's reply (one at a time)."""
        with self._lock:
            done = hub.ingest(self.store, path)
            device = hub.device_by_id(self.store, done.device_id)
            assert device is not None
            out = hub.bundles_dir(self.store) / "replies"
            return hub.export_reply(self.store, device, out).path


def serve_in_thread(store: Store, host: str = "127.0.0.1",
                    port: int = 0) -> tuple[HubServer, threading.Thread]:
    server = HubServer(store, host, port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


# ---------------------------------------------------------------------------- client
def post_bundle(url: str, path: Path, reply_to: Path, *, progress: Progress | None = None,
                attempts: int = 4, timeout: float = 60.0) -> Path:
    """Send one bundle, write the hub's reply to ``reply_to``; retry on network errors."""
    delay = 0.5
    for attempt in range(1, attempts + 1):
        try:
            return _post_once(url, path, reply_to, progress, timeout)
        except httpx.TransportError as exc:
            if attempt == attempts:
                raise SyncError(t("sync.dev.network", detail=exc)) from None
            time.sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")


def _post_once(url: str, path: Path, reply_to: Path, progress: Progress | None,
               timeout: float) -> Path:
    size = path.stat().st_size

    def body() -> Iterator[bytes]:
        done = 0
        with open(path, "rb") as f:
            while block := f.read(256 * 1024):
                done += len(block)
                if progress:
                    progress("up", done, size)
                yield block

    headers = {"Content-Length": str(size), "Content-Type": "application/octet-stream"}
    with httpx.stream("POST", url.rstrip("/") + PATH, content=body(), headers=headers,
                      timeout=timeout) as response:
        if response.status_code != 200:
            response.read()
            _raise_for(response)
        total = int(response.headers.get("Content-Length", "0"))
        part = reply_to.with_name(reply_to.name + ".part")
        reply_to.parent.mkdir(parents=True, exist_ok=True)
        got = 0
        with open(part, "wb") as out:
            for block in response.iter_bytes():
                out.write(block)
                got += len(block)
                if progress:
                    progress("down", got, total)
            out.flush()
            os.fsync(out.fileno())
        if total and got != total:
            part.unlink(missing_ok=True)
            raise httpx.ReadError("reply cut short")
        part.replace(reply_to)
    return reply_to


def _raise_for(response: httpx.Response) -> None:
    try:
        body = response.json()
    except ValueError:
        body = {}
    code, message = body.get("code", ""), body.get("message", response.text[:200])
    if response.status_code == 422 and code:
        raise BundleRefused.from_hub(code, message)
    raise SyncError(t("sync.dev.http", status=response.status_code, detail=message))
