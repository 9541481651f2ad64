"""Enrollment: single use, expiry, proof of the code, pinning the hub key."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from synckit import Net, dump

from fieldwelfare.errors import InvalidInput
from fieldwelfare.store import open_store
from fieldwelfare.sync import device, enrollment, hub
from fieldwelfare.sync.errors import BundleRefused
from fieldwelfare.sync.keys import EnrollCode


def _request(net: Net, name: str, code: str) -> Path:
    dev = open_store(net.tmp / f"{name}.db")
    net.devices[name] = dev
    enrollment.start(dev, code)
    return enrollment.write_request(dev, net.tmp / "usb" / name).path


def test_code_is_one_line_and_round_trips(net: Net) -> None:
    code = enrollment.issue_code(net.hub, device="anna", role="coordinator", ambito="Merate")
    assert "\n" not in code and code.startswith("FW1-")
    parsed = EnrollCode.parse(code.lower().replace("-", " "))
    assert parsed.hub_kid == enrollment.hub_keys(net.hub).kid
    typo = code[:-3] + ("A" if code[-3] != "A" else "B") + code[-2:]
    with pytest.raises(InvalidInput):
        EnrollCode.parse(typo)


def test_enrollment_sets_identity_and_pins_the_hub(net: Net) -> None:
    dev = net.device("anna", role="coordinator", ambito="Bellano")
    ident = dev.identity
    assert (ident.device_name, ident.role, ident.ambito) == ("anna", "coordinator", "Bellano")
    status = device.status(dev)
    assert status["enrolled"] and status["hub_kid"] == enrollment.hub_keys(net.hub).kid


def test_reused_code_is_refused(net: Net) -> None:
    code = enrollment.issue_code(net.hub, device="anna", role="social_worker", ambito="Lecco")
    first = _request(net, "anna", code)
    hub.ingest(net.hub, first)
    assert hub.ingest(net.hub, first).duplicate  # the same request again: harmless
    second = _request(net, "thief", code)
    before = dump(net.hub)
    with pytest.raises(BundleRefused) as info:
        hub.ingest(net.hub, second)
    assert info.value.code == "enroll_used" and dump(net.hub) == before
    assert second.exists()


def test_expired_code_is_refused(net: Net) -> None:
    past = net.hub.now() - dt.timedelta(days=10)
    code = enrollment.issue_code(net.hub, device="anna", role="social_worker", ambito="Lecco",
                                 ttl_hours=1, now=past)
    path = _request(net, "anna", code)
    before = dump(net.hub)
    with pytest.raises(BundleRefused) as info:
        hub.ingest(net.hub, path)
    assert info.value.code == "enroll_expired" and dump(net.hub) == before


def test_wrong_secret_is_refused(net: Net) -> None:
    code = EnrollCode.parse(enrollment.issue_code(net.hub, device="anna", role="social_worker",
                                                  ambito="Lecco"))
    forged = EnrollCode(code.token_id, b"\x01" * 16, code.hub_kid).text()
    path = _request(net, "anna", forged)
    before = dump(net.hub)
    with pytest.raises(BundleRefused) as info:
        hub.ingest(net.hub, path)
    assert info.value.code == "enroll_mac" and dump(net.hub) == before


def test_wrong_mac_is_refused(net: Net, monkeypatch: pytest.MonkeyPatch) -> None:
    code = enrollment.issue_code(net.hub, device="anna", role="social_worker", ambito="Lecco")
    monkeypatch.setattr(enrollment, "enroll_mac", lambda secret, req: "00" * 32)
    path = _request(net, "anna", code)
    before = dump(net.hub)
    with pytest.raises(BundleRefused) as info:
        hub.ingest(net.hub, path)
    assert info.value.code == "enroll_mac" and dump(net.hub) == before


def test_unknown_code_is_refused(net: Net, tmp_path: Path) -> None:
    other = open_store(tmp_path / "other.db")
    hub.init(other, "Altro")
    code = enrollment.issue_code(other, device="anna", role="social_worker", ambito="Lecco")
    path = _request(net, "anna", code)
    with pytest.raises(BundleRefused) as info:
        hub.ingest(net.hub, path)
    assert info.value.code == "enroll_code"
    other.close()


def test_reply_from_a_hub_not_named_in_the_code_is_refused(net: Net, tmp_path: Path) -> None:
    code = EnrollCode.parse(enrollment.issue_code(net.hub, device="anna", role="social_worker",
                                                  ambito="Lecco"))
    fake = EnrollCode(code.token_id, code.secret, "ab" * 16).text()
    path = _request(net, "anna", fake)
    hub.ingest(net.hub, path)  # the real hub accepts the request (the secret is right)...
    (reply,) = hub.export_replies(net.hub, net.tmp / "usb", device="anna")
    dev = net.devices["anna"]
    before = dump(dev)
    with pytest.raises(BundleRefused) as info:  # ...but the device trusts only the code's key
        device.import_reply(dev, reply.path)
    assert info.value.code == "hub_key" and dump(dev) == before
    assert not dev.identity.initialised


def test_request_carries_no_secret(net: Net) -> None:
    code = enrollment.issue_code(net.hub, device="anna", role="social_worker", ambito="Lecco")
    path = _request(net, "anna", code)
    parsed = EnrollCode.parse(code)
    assert parsed.secret not in path.read_bytes()
    assert parsed.secret.hex().encode() not in path.read_bytes()


def test_bad_enroll_options(net: Net) -> None:
    with pytest.raises(InvalidInput):
        enrollment.issue_code(net.hub, device="a", role="admin", ambito="Lecco")
    with pytest.raises(InvalidInput):
        enrollment.issue_code(net.hub, device="a", role="social_worker", ambito="Milano")
    with pytest.raises(InvalidInput):
        enrollment.issue_code(net.hub, device="a", role="volunteer")
    net.device("anna")
    with pytest.raises(InvalidInput):
        enrollment.issue_code(net.hub, device="anna", role="social_worker", ambito="Lecco")
    hub.revoke(net.hub, "anna")
    assert enrollment.issue_code(net.hub, device="anna", role="social_worker", ambito="Lecco")


def test_hub_devices_listing_has_no_secrets(net: Net) -> None:
    net.device("anna")
    text = json.dumps([{k: v for k, v in d.items() if not isinstance(v, bytes)}
                       for d in hub.devices(net.hub)])
    assert "anna" in text
