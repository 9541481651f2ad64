"""The hub over HTTP, as an ASGI app (Starlette), served by uvicorn (:mod:`.serving`).

Endpoints (the contract of ``sync run``):

* ``POST /v1/bundles``: a ``.fwb`` file as the body; answers 200 with the sender's reply
  bundle, 422 ``{"code", "message"}`` for a refused bundle;
* ``GET /v1/hub``: the hub's name and key id;
* ``GET /v1/health``: for monitoring (no personal data).

A body is checked before it is stored: ``Content-Length`` is required and capped, then the
bundle's fixed prefix and header are read and checked (caps, versions) together with the
sender (an enrolled device that is not revoked, or an enrollment code that can still be
used) and the declared length; only then is the rest streamed to ``inbox/``. A refusal
that leaves the body unread closes the connection (no second request can hide in it).
Ingesting and replying run one at a time in a worker thread (SQLite has one writer).
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from fieldwelfare import __version__
from fieldwelfare.ids import uuid7
from fieldwelfare.store.store import Store
from fieldwelfare.sync import enrollment, envelope, hub
from fieldwelfare.sync.errors import BundleRefused

MAX_BODY = envelope.ct_length(envelope.MAX_PT) + 64 * 1024
BODY_IDLE_TIMEOUT = 30.0
"""Seconds the hub waits for the next piece of a request body before giving up (408)."""
BUNDLES = "/v1/bundles"
log = logging.getLogger("fieldwelfare.hub")


class JsonLogFormatter(logging.Formatter):
    """One JSON object a line: event name and fields, never personal data (no names, no
    addresses, no client IPs; devices by their random id)."""

    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, "fields", {})
        return json.dumps({"level": record.levelname.lower(), "event": record.getMessage(),
                           **fields}, separators=(",", ":"), sort_keys=True)


def _event(name: str, **fields: Any) -> None:
    log.info(name, extra={"fields": fields})


@dataclass
class HubService:
    """The hub behind the HTTP endpoints: checks, ingest, reply; one writer at a time."""

    store: Store
    lock: threading.Lock = field(default_factory=threading.Lock)
    in_flight: int = 0

    @property
    def inbox(self) -> Path:
        return hub.bundles_dir(self.store) / "inbox"

    def precheck(self, header_bytes: bytes) -> dict[str, Any]:
        """Before the body is stored: the header, and whether its sender may send."""
        header = envelope.check_header(header_bytes)
        with self.lock:
            enrollment.hub_keys(self.store)
            if header["kind"] == "enroll":
                enrollment.precheck_request(self.store, header)
            elif header["kind"] == "changes":
                hub.check_sender(self.store, header)
            else:
                raise BundleRefused("wrong_kind", header["kind"])
        return header

    def handle(self, path: Path) -> tuple[Path, hub.Ingested]:
        """Ingest one stored bundle and build the sender's reply."""
        with self.lock:
            done = hub.ingest(self.store, path)
            device = hub.device_by_id(self.store, done.device_id)
            assert device is not None
            out = hub.bundles_dir(self.store) / "replies"
            return hub.export_reply(self.store, device, out).path, done

    def health(self) -> dict[str, Any]:
        with self.lock:
            self.store.execute_read("SELECT 1")
        return {"status": "ok", "version": __version__, "in_flight": self.in_flight}


def _refusal(exc: BundleRefused, *, close: bool) -> JSONResponse:
    """422 with the code and the reason, never a server path."""
    headers = {"connection": "close"} if close else None
    return JSONResponse({"code": exc.code, "message": exc.public_message()}, status_code=422,
                        headers=headers)


def _status(status: int, code: str) -> JSONResponse:
    # the body was not read: close, so nothing in it is taken for a request
    return JSONResponse({"code": code}, status_code=status, headers={"connection": "close"})


class _Body:
    """The request body as exact-size reads, each piece awaited with a timeout."""

    def __init__(self, stream: AsyncIterator[bytes]) -> None:
        self._stream = stream
        self._buffer = bytearray()
        self.done = False

    async def _more(self) -> bool:
        with anyio.fail_after(BODY_IDLE_TIMEOUT):
            try:
                chunk = await self._stream.__anext__()
            except StopAsyncIteration:
                self.done = True
                return False
        self._buffer += chunk
        return True

    async def take(self, size: int) -> bytes:
        while len(self._buffer) < size:
            if not await self._more():
                raise BundleRefused("truncated", "request body")
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    async def rest(self) -> AsyncIterator[bytes]:
        if self._buffer:
            yield bytes(self._buffer)
            self._buffer.clear()
        while await self._more():
            yield bytes(self._buffer)
            self._buffer.clear()


async def _receive(service: HubService, request: Request, length: int) -> Path:
    """Check the prefix, header and sender, then store the body (BundleRefused if not)."""
    body = _Body(request.stream().__aiter__())
    prefix = await body.take(envelope.PREFIX)
    if prefix[:len(envelope.MAGIC)] != envelope.MAGIC:
        raise BundleRefused("not_a_bundle")
    hlen = int.from_bytes(prefix[len(envelope.MAGIC):], "big")
    if hlen > envelope.MAX_HEADER:
        raise BundleRefused("too_large", f"header {hlen} > {envelope.MAX_HEADER} bytes")
    head = await body.take(hlen + envelope.SIG_BYTES)  # header and signature, as on disk
    header = await anyio.to_thread.run_sync(service.precheck, head[:hlen])
    expected = envelope.PREFIX + hlen + envelope.SIG_BYTES + header["ct_len"]
    if length != expected:
        raise BundleRefused("truncated" if length < expected else "header",
                            f"{length} of {expected} bytes")
    service.inbox.mkdir(parents=True, exist_ok=True)
    target = service.inbox / f"{uuid7()}.fwb"
    part = target.with_name(target.name + ".part")
    got = 0
    try:
        with open(part, "wb") as out:
            out.write(prefix + head)
            got = len(prefix) + len(head)
            async for chunk in body.rest():
                got += len(chunk)
                if got > length:
                    raise BundleRefused("header", "body longer than Content-Length")
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if got != length:
            raise BundleRefused("truncated", f"{got} of {length} bytes")
        part.replace(target)
    finally:
        part.unlink(missing_ok=True)
    return target


async def post_bundle(request: Request) -> Response:
    service: HubService = request.app.state.service
    started = time.monotonic()
    if request.headers.get("transfer-encoding"):
        return _status(411, "length_required")
    try:
        length = int(request.headers.get("content-length", ""))
    except ValueError:
        return _status(411, "length_required")
    if not 0 < length <= MAX_BODY:
        return _status(413, "too_large")
    service.in_flight += 1
    try:
        try:
            received = await _receive(service, request, length)
        except BundleRefused as exc:
            _event("refused", code=exc.code, stage="header", status=422)
            return _refusal(exc, close=True)
        except TimeoutError:
            _event("timeout", stage="body", status=408)
            return _status(408, "timeout")
        except ClientDisconnect:
            _event("disconnected", stage="body")
            return _status(400, "disconnected")
        try:
            reply, done = await anyio.to_thread.run_sync(service.handle, received)
        except BundleRefused as exc:
            _event("refused", code=exc.code, stage="ingest", status=422)
            return _refusal(exc, close=False)
        finally:
            received.unlink(missing_ok=True)
        _event("synced", status=200, kind=done.kind, device_id=done.device_id,
               duplicate=done.duplicate, applied=done.applied, conflicts=done.conflicts,
               ms=round((time.monotonic() - started) * 1000))
        return FileResponse(reply, media_type="application/octet-stream")
    finally:
        service.in_flight -= 1


async def hub_info(request: Request) -> Response:
    service: HubService = request.app.state.service

    def info() -> dict[str, Any]:
        with service.lock:
            keys = enrollment.hub_keys(service.store)
            return {"hub": service.store.meta().get("hub_name"), "kid": keys.kid}

    return JSONResponse(await anyio.to_thread.run_sync(info))


async def health(request: Request) -> Response:
    service: HubService = request.app.state.service
    try:
        with anyio.fail_after(5):
            body = await anyio.to_thread.run_sync(service.health, abandon_on_cancel=True)
    except Exception:  # the database does not answer: unhealthy, say no more
        return JSONResponse({"status": "error"}, status_code=503)
    return JSONResponse(body)


async def not_found(request: Request, exc: Exception) -> Response:
    return _status(404, "not_found")


async def not_allowed(request: Request, exc: Exception) -> Response:
    return _status(405, "method_not_allowed")


def make_app(store: Store) -> Starlette:
    app = Starlette(routes=[
        Route(BUNDLES, post_bundle, methods=["POST"]),
        Route("/v1/hub", hub_info, methods=["GET"]),
        Route("/v1/health", health, methods=["GET"]),
    ], exception_handlers={404: not_found, 405: not_allowed})
    app.state.service = HubService(store)
    return app
