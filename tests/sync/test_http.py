"""A real HTTP round trip against the hub server on 127.0.0.1 (thread, random free port)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from synckit import PERSON, Net, dump

from fieldwelfare.store import Store, open_store
from fieldwelfare.store.replication import unsent_count
from fieldwelfare.sync import device, enrollment
from fieldwelfare.sync.errors import BundleRefused
from fieldwelfare.sync.http import post_bundle, serve_in_thread
from fieldwelfare.sync.run import run


@pytest.fixture
def url(net: Net) -> Iterator[str]:
    server, thread = serve_in_thread(net.hub)
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _enroll_over_http(net: Net, url: str, name: str) -> Store:
    code = enrollment.issue_code(net.hub, device=name, role="social_worker", ambito="Lecco")
    dev = open_store(net.tmp / f"{name}.db")
    net.devices[name] = dev
    enrollment.start(dev, code)
    run(dev, url)
    return dev


def test_http_round_trip(net: Net, url: str) -> None:
    anna = _enroll_over_http(net, url, "anna")
    bruno = _enroll_over_http(net, url, "bruno")
    assert anna.identity.role == "social_worker"
    person = anna.add("person", PERSON)
    seen: list[tuple[str, int, int]] = []
    result = run(anna, progress=lambda *a: seen.append(a))  # the URL was remembered
    assert unsent_count(anna) == 0
    assert {p for p, _, _ in seen} == {"up", "down"}
    assert result.imported and not result.imported[0].duplicate
    run(bruno)
    assert bruno.get("person", person.id).family_name == "Rossi"


def test_resending_after_a_dropped_reply_applies_once(net: Net, url: str) -> None:
    anna = _enroll_over_http(net, url, "anna")
    anna.add("person", PERSON)
    (sealed,) = device.export(anna, net.tmp / "out")
    post_bundle(url, sealed.path, net.tmp / "lost-reply.fwb")  # reply lost on the way
    before = dump(net.hub)
    reply = post_bundle(url, sealed.path, net.tmp / "reply.fwb")  # retry: same bundle
    assert net.hub.count("person") == 1
    assert dump(net.hub) != before  # only the hub's reply bookkeeping moved
    device.import_reply(anna, reply)
    assert unsent_count(anna) == 0


def test_refusal_over_http_has_code_and_reason(net: Net, url: str, tmp_path: Path) -> None:
    junk = tmp_path / "junk.fwb"
    junk.write_bytes(b"\x89FWB\r\n\x1a\n\x00\x00\x00\x02{}")
    with pytest.raises(BundleRefused) as info:
        post_bundle(url, junk, tmp_path / "r.fwb")
    assert info.value.code == "truncated" and "junk" not in str(info.value)
    response = httpx.get(url + "/v1/hub")
    assert response.json()["hub"] == "Consorzio Lecco"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_hub_serve_command_in_a_subprocess(net: Net, tmp_path: Path) -> None:
    hub_db = net.hub.path
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "fieldwelfare", "--db", hub_db, "hub", "serve", "--port",
         str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                httpx.get(f"http://127.0.0.1:{port}/v1/hub", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        anna = _enroll_over_http(net, f"http://127.0.0.1:{port}", "anna")
        anna.add("person", PERSON)
        run(anna)
        assert unsent_count(anna) == 0
    finally:
        proc.terminate()
        proc.wait(timeout=10)
