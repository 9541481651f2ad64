"""Running the hub app (:mod:`.server`) on uvicorn: limits, timeouts, TLS, shutdown.

uvicorn closes idle keep-alive connections, caps concurrency (503 beyond) and, on SIGINT or
SIGTERM, stops accepting and lets the requests in progress finish (an ingest is never cut
in the middle; it is one transaction anyway). It has no deadline for a connection that
opens and never sends a request, so :class:`GuardedH11Protocol` adds one: the request line
and headers must arrive within :data:`HEADER_TIMEOUT` seconds of connecting (or of the
previous response), else the connection is closed. Body pieces have their own timeout in
the app (``server.BODY_IDLE_TIMEOUT``).
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from fieldwelfare.store.store import Store
from fieldwelfare.sync.daily import Daily, Job
from fieldwelfare.sync.server import JsonLogFormatter, make_app

HEADER_TIMEOUT = 10.0
KEEP_ALIVE_TIMEOUT = 5
LIMIT_CONCURRENCY = 1000
"""Connections plus requests in progress; beyond it new requests get 503 (clients retry)."""
GRACEFUL_SHUTDOWN = 120
"""Seconds a shutdown waits for requests in progress (a large ingest) before cutting."""
MAX_HEADER_BYTES = 16 * 1024


class GuardedH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with a deadline for each request's head."""

    _deadline: asyncio.TimerHandle | None = None
    _armed_for: object = None

    def _arm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._armed_for = self.cycle
        self._deadline = self.loop.call_later(HEADER_TIMEOUT, self._expire)

    def _expire(self) -> None:
        self._deadline = None
        if self.cycle is self._armed_for and not self.transport.is_closing():
            self.transport.close()  # no new request began in time

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None
        super().connection_lost(exc)


def config(store: Store, host: str = "127.0.0.1", port: int = 8765, *,
           tls_cert: Path | None = None, tls_key: Path | None = None,
           log_level: str = "warning") -> uvicorn.Config:
    return uvicorn.Config(
        make_app(store), host=host, port=port, http=GuardedH11Protocol, lifespan="off",
        limit_concurrency=LIMIT_CONCURRENCY, backlog=2048,
        timeout_keep_alive=KEEP_ALIVE_TIMEOUT, timeout_graceful_shutdown=GRACEFUL_SHUTDOWN,
        h11_max_incomplete_event_size=MAX_HEADER_BYTES, access_log=False, log_config=None,
        log_level=log_level, server_header=False, date_header=False,
        ssl_certfile=str(tls_cert) if tls_cert else None,
        ssl_keyfile=str(tls_key) if tls_key else None)


def setup_logging(verbose: bool) -> None:
    """Structured logs (JSON lines) on stderr; uvicorn's own messages too."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLogFormatter())
    for name in ("fieldwelfare.hub", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.propagate = False
        logger.setLevel(logging.INFO if verbose or name == "fieldwelfare.hub"
                        else logging.WARNING)


def serve(store: Store, host: str, port: int, *, tls_cert: Path | None = None,
          tls_key: Path | None = None, verbose: bool = False,
          daily: list[Job] | None = None) -> None:
    """Serve until SIGINT/SIGTERM, then finish the requests in progress; meanwhile run the
    ``daily`` jobs (the backup) once a day."""
    setup_logging(verbose)
    jobs = Daily(store, daily or []).start()
    try:
        uvicorn.Server(config(store, host, port, tls_cert=tls_cert, tls_key=tls_key)).run()
    finally:
        jobs.stop()


@dataclass
class RunningHub:
    """A hub served in a background thread (tests, the TUI's local demo)."""

    server: uvicorn.Server
    thread: threading.Thread

    @property
    def server_address(self) -> tuple[str, int]:
        sockets = [s for srv in self.server.servers for s in (srv.sockets or ())]
        host, port = sockets[0].getsockname()[:2]
        return str(host), int(port)

    def shutdown(self, timeout: float = 30.0) -> None:
        """Graceful: stop accepting, let requests in progress finish."""
        self.server.should_exit = True
        self.thread.join(timeout)

    def server_close(self) -> None:
        self.shutdown()


def serve_in_thread(store: Store, host: str = "127.0.0.1", port: int = 0,
                    **options: Any) -> tuple[RunningHub, threading.Thread]:
    server = uvicorn.Server(config(store, host, port, **options))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the hub server did not start")
        time.sleep(0.01)
    running = RunningHub(server, thread)
    return running, thread
