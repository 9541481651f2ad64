"""The hostile review of the sync layer (issue #8), one test per hole, written as the attack:
a crafted bundle or request, a coded refusal, the database unchanged, the file kept."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from synckit import PERSON, Net, dump

from fieldwelfare.store import Store, open_store
from fieldwelfare.sync import device, enrollment, hub
from fieldwelfare.sync.errors import BundleRefused


def refused(store: Store, path: Path, code: str,
            action: Callable[[Store, Path], object] = hub.ingest) -> BundleRefused:
    before = dump(store)
    content = path.read_bytes()
    with pytest.raises(BundleRefused) as info:
        action(store, path)
    assert info.value.code == code, str(info.value)
    assert dump(store) == before
    assert path.read_bytes() == content
    return info.value


def _enroll_keeping_request(net: Net, name: str) -> tuple[Store, Path]:
    code = enrollment.issue_code(net.hub, device=name, role="social_worker", ambito="Lecco")
    dev = open_store(net.tmp / f"{name}.db")
    net.devices[name] = dev
    enrollment.start(dev, code)
    request = enrollment.write_request(dev, net.tmp / "outbox").path
    hub.ingest(net.hub, request)
    (reply,) = hub.export_replies(net.hub, net.tmp / "usb", device=name)
    device.import_reply(dev, reply.path)
    return dev, request


# ---------------------------------------------------------------- 1. revocation bypass
def test_old_enroll_request_of_a_revoked_device_gets_nothing(net: Net) -> None:
    _, request = _enroll_keeping_request(net, "anna")
    net.hub.add("person", PERSON)
    hub.revoke(net.hub, "anna")
    refused(net.hub, request, "revoked")
    anna = hub.device_by_id(net.hub, net.devices["anna"].identity.device_id)
    assert anna is not None
    with pytest.raises(BundleRefused) as info:
        hub.export_reply(net.hub, anna, net.tmp / "usb")
    assert info.value.code == "revoked"


def test_enroll_request_is_useless_after_the_first_sync(net: Net) -> None:
    anna, request = _enroll_keeping_request(net, "anna")
    assert hub.ingest(net.hub, request).duplicate  # a retry before the first sync: harmless
    anna.add("person", PERSON)
    net.push(anna)
    refused(net.hub, request, "enroll_used")
