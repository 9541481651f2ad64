"""The hub on uvicorn (127.0.0.1, random port): limits, timeouts, header-first checks,
no smuggling, no leaked paths, graceful shutdown. Each test is written as the attack."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from forge import change, forge
from synckit import PERSON, Net, dump

from fieldwelfare.store import Store, open_store
from fieldwelfare.sync import device, enrollment, envelope, hub, server, serving
from fieldwelfare.sync.errors import BundleRefused
from fieldwelfare.sync.http import post_bundle, serve_in_thread


@pytest.fixture
def running(net: Net) -> Iterator[serving.RunningHub]:
    hub_server, _ = serve_in_thread(net.hub)
    try:
        yield hub_server
    finally:
        hub_server.shutdown()


@pytest.fixture
def url(running: serving.RunningHub) -> str:
    return f"http://127.0.0.1:{running.server_address[1]}"


def _inbox(net: Net) -> list[Path]:
    inbox = hub.bundles_dir(net.hub) / "inbox"
    return sorted(inbox.iterdir()) if inbox.exists() else []


def _raw(url: str, data: bytes, *, wait: float = 5.0) -> bytes:
    """Send raw bytes, read until the server closes (or ``wait`` passes)."""
    port = int(url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as s:
        s.sendall(data)
        out = b""
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                block = s.recv(65536)
            except TimeoutError:
                break
            if not block:
                break
            out += block
        return out


def test_health(url: str) -> None:
    body = httpx.get(url + "/v1/health").json()
    assert body["status"] == "ok" and set(body) == {"status", "version", "in_flight"}


def test_revoked_device_gets_nothing_over_http(net: Net, url: str) -> None:
    code = enrollment.issue_code(net.hub, device="anna", role="social_worker", ambito="Lecco")
    anna = open_store(net.tmp / "anna.db")
    net.devices["anna"] = anna
    enrollment.start(anna, code)
    request = enrollment.write_request(anna, net.tmp / "stolen").path
    post_bundle(url, request, net.tmp / "reply.fwb")  # enrolled (reply never imported)
    net.hub.add("person", PERSON)
    hub.revoke(net.hub, "anna")
    before = dump(net.hub)
    with pytest.raises(BundleRefused) as info:
        post_bundle(url, request, net.tmp / "reply2.fwb")
    assert info.value.code == "revoked"
    assert dump(net.hub) == before and not (net.tmp / "reply2.fwb").exists()
    assert _inbox(net) == []


def test_unauthenticated_body_is_refused_before_it_is_stored(net: Net, url: str) -> None:
    pt_len = envelope.MAX_PT // 2
    fake = envelope.canonical_header_for_tests(pt_len=pt_len, tar_len=1024,
                                               ct_len=envelope.ct_length(pt_len))
    body_len = envelope.PREFIX + len(fake) + 64 + envelope.ct_length(pt_len)
    request = (f"POST /v1/bundles HTTP/1.1\r\nHost: x\r\nContent-Length: {body_len}\r\n\r\n"
               ).encode() + envelope.MAGIC + len(fake).to_bytes(4, "big") + fake + b"\0" * 64
    answer = _raw(url, request)  # 1 GiB announced by a stranger; only the head was sent
    assert answer.startswith(b"HTTP/1.1 422") and b"connection: close" in answer.lower()
    assert b"unknown_sender" in answer
    assert _inbox(net) == []


def test_a_request_hidden_in_an_unread_body_is_never_served(url: str) -> None:
    hidden = b"GET /v1/hub HTTP/1.1\r\nHost: x\r\n\r\n"
    for head in (b"POST /v1/nowhere HTTP/1.1\r\nHost: x\r\n",
                 b"POST /v1/bundles HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n",
                 b"GET /v1/bundles HTTP/1.1\r\nHost: x\r\n"):
        answer = _raw(url, head + f"Content-Length: {len(hidden)}\r\n\r\n".encode() + hidden
                      if b"Content-Length" not in head else head + b"\r\n" + hidden)
        assert answer.count(b"HTTP/1.1 ") == 1, answer
        assert b"connection: close" in answer.lower()
        assert b"Consorzio" not in answer


def test_chunked_upload_needs_a_length(url: str) -> None:
    answer = _raw(url, b"POST /v1/bundles HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked"
                       b"\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 411")


def test_refusals_do_not_leak_server_paths(net: Net, url: str) -> None:
    dev = net.device("anna")
    path = forge(dev, net.tmp / "evil", changes=[change(dev, field="nope")])
    response = httpx.post(url + "/v1/bundles", content=path.read_bytes())
    assert response.status_code == 422 and response.json()["code"] == "change"
    text = response.text
    assert str(net.tmp) not in text and "inbox" not in text and "/tmp" not in text
    assert _inbox(net) == []


def test_idle_connections_are_closed(net: Net, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(serving, "HEADER_TIMEOUT", 0.5)
    running, _ = serve_in_thread(net.hub)
    try:
        port = running.server_address[1]
        idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(50)]
        slow = socket.create_connection(("127.0.0.1", port))
        slow.sendall(b"GET /v1/health HTTP/1.1\r\n")  # never finishes its head
        time.sleep(1.5)
        for s in [*idle, slow]:
            s.settimeout(2)
            assert s.recv(10) == b""  # closed by the hub
            s.close()
        assert httpx.get(f"http://127.0.0.1:{port}/v1/health").status_code == 200
    finally:
        running.shutdown()


def test_a_stalled_body_times_out(net: Net, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(server, "BODY_IDLE_TIMEOUT", 0.5)
    running, _ = serve_in_thread(net.hub)
    try:
        dev = net.device("anna")
        dev.add("person", PERSON)
        (sealed,) = device.export(dev, net.tmp / "usb")
        data = sealed.path.read_bytes()
        request = (f"POST /v1/bundles HTTP/1.1\r\nHost: x\r\nContent-Length: {len(data)}"
                   "\r\n\r\n").encode() + data[:len(data) - 10]
        answer = _raw(f"http://127.0.0.1:{running.server_address[1]}", request)
        assert answer.startswith(b"HTTP/1.1 408")
        assert _inbox(net) == [] and net.hub.count("person") == 0
    finally:
        running.shutdown()


def test_shutdown_finishes_the_ingest_in_progress(net: Net,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    running, _ = serve_in_thread(net.hub)
    url = f"http://127.0.0.1:{running.server_address[1]}"
    dev = net.device("anna")
    dev.add("person", PERSON)
    (sealed,) = device.export(dev, net.tmp / "usb")
    started = threading.Event()
    real_ingest = hub.ingest

    def slow_ingest(store: Store, path: Path) -> hub.Ingested:
        started.set()
        time.sleep(1.0)
        return real_ingest(store, path)

    monkeypatch.setattr(hub, "ingest", slow_ingest)
    result: dict[str, Path] = {}
    client = threading.Thread(target=lambda: result.update(
        reply=post_bundle(url, sealed.path, net.tmp / "reply.fwb", attempts=1)))
    client.start()
    assert started.wait(10)
    running.shutdown()  # while the ingest runs
    client.join(10)
    assert result["reply"].exists() and net.hub.count("person") == 1
    device.import_reply(dev, result["reply"])
