"""Bundles over HTTP: the device side of ``sync run`` (the hub side is :mod:`.server`,
served by :mod:`.serving`).

One endpoint does the work: ``POST /v1/bundles`` with a ``.fwb`` file as the body. The hub
checks its header and sender, stores it (``.part`` then rename), ingests it exactly as
``hub ingest`` does, and answers
with the reply bundle for the sending device (its acknowledgement and new data). Because a
bundle id is applied once and a reply is always recomputed, a client that loses the
connection simply sends the same file again: nothing is applied twice. Refusals answer 422
with ``{"code", "message"}``; no personal data ever travels outside a sealed bundle.

Over ``https://`` a device that holds TLS pins (from its enrollment code, then from the
hub's signed replies) trusts the server only by its certificate's SHA-256
(:func:`.tls.pinned_context`); without pins, httpx's usual certificate checks apply.
"""

from __future__ import annotations

import os
import ssl
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from fieldwelfare.i18n import t
from fieldwelfare.store.store import Store
from fieldwelfare.sync.envelope import MAX_PT, ct_length
from fieldwelfare.sync.errors import BundleRefused, HubRefused, SyncError
from fieldwelfare.sync.tls import PinMismatch, pinned_context

if TYPE_CHECKING:
    from fieldwelfare.sync.serving import RunningHub

MAX_BODY = ct_length(MAX_PT) + 64 * 1024
PATH = "/v1/bundles"
RETRY_STATUS = (502, 503, 504)
"""Answers that mean "busy or restarting, try again" (uvicorn answers 503 at its cap)."""


class _Busy(Exception):
    pass
Progress = Callable[[str, int, int], None]
"""``(phase, done, total)`` with phase "up" or "down"."""


def serve_in_thread(store: Store, host: str = "127.0.0.1", port: int = 0,
                    **options: Any) -> tuple[RunningHub, threading.Thread]:
    """The hub (uvicorn) in a background thread; ``.shutdown()`` is graceful."""
    from fieldwelfare.sync.serving import serve_in_thread as start

    return start(store, host, port, **options)


# ---------------------------------------------------------------------------- client
def post_bundle(url: str, path: Path, reply_to: Path, *, progress: Progress | None = None,
                attempts: int = 4, timeout: float = 60.0, pins: Sequence[str] = ()) -> Path:
    """Send one bundle, write the hub's reply to ``reply_to``; retry on network errors.

    ``pins``: the hub's TLS certificate fingerprints; over ``https://`` the server must show
    one of them (else :class:`HubRefused`, nothing sent, no retry)."""
    verify: ssl.SSLContext | bool = True
    if pins and url.lower().startswith("https://"):
        verify = pinned_context(pins)
    delay = 0.5
    for attempt in range(1, attempts + 1):
        try:
            return _post_once(url, path, reply_to, progress, timeout, verify)
        except PinMismatch as exc:
            raise HubRefused("tls_pin", exc.fpr) from None
        except (httpx.TransportError, _Busy) as exc:
            if attempt == attempts:
                raise SyncError(t("sync.dev.network", detail=exc)) from None
            time.sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")


def _post_once(url: str, path: Path, reply_to: Path, progress: Progress | None,
               timeout: float, verify: ssl.SSLContext | bool) -> Path:
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
                      timeout=timeout, verify=verify) as response:
        if response.status_code in RETRY_STATUS:
            raise _Busy(f"HTTP {response.status_code}")
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
