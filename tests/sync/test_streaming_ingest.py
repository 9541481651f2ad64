"""The ingest path streams: hub ingest and device import hand ``apply_changes`` the bag's
lazy change stream (nothing read yet), which it applies batch by batch inside one
transaction; a refusal found late in the stream (a bad change, the bag checks at its end)
still leaves the database unchanged."""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from typing import Any

import pytest
from forge import change, forge, lines
from synckit import PERSON, Net, dump

from fieldwelfare.store import Store, ingest
from fieldwelfare.store import replication as rep
from fieldwelfare.sync import bag, device, hub
from fieldwelfare.sync.errors import BundleRefused


def spy(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Check what hub and device give apply_changes: an unstarted generator."""
    calls: list[str] = []
    real = rep.apply_changes

    def checked(store: Store, changes: Iterable[rep.Change], **kw: Any) -> rep.ApplyReport:
        assert inspect.isgenerator(changes)
        assert inspect.getgeneratorstate(changes) == inspect.GEN_CREATED
        calls.append(kw["kind"])
        return real(store, changes, **kw)

    monkeypatch.setattr(hub, "apply_changes", checked)
    monkeypatch.setattr(device, "apply_changes", checked)
    return calls


def test_hub_ingest_and_device_import_stream_into_small_batches(
        net: Net, monkeypatch: pytest.MonkeyPatch) -> None:
    anna, bruno = net.device("anna"), net.device("bruno")
    calls = spy(monkeypatch)
    monkeypatch.setattr(ingest, "BATCH", 3)  # records, and conflict pairs, span batches
    people = [anna.add("person", {**PERSON, "given_name": f"Eva{i}"}).id for i in range(8)]
    (done,) = net.push(anna)
    assert done.applied > 3 * ingest.BATCH
    assert net.pull(bruno).applied == done.applied
    anna.update("person", people[0], {"phone": "111"})
    bruno.update("person", people[0], {"phone": "222"})
    net.push(anna)
    net.push(bruno)
    net.pull(anna)
    net.pull(bruno)
    for pid in people:
        assert bruno.get("person", pid).model_dump() == anna.get("person", pid).model_dump()
    conflicts = [[c.as_dict() for c in rep.list_conflicts(s)] for s in (anna, bruno, net.hub)]
    assert len(conflicts[0]) == 1 and conflicts[0] == conflicts[1] == conflicts[2]
    assert calls == ["changes", "reply", "changes", "changes", "reply", "reply"]


def test_a_bad_change_after_several_batches_changes_nothing(
        net: Net, monkeypatch: pytest.MonkeyPatch) -> None:
    anna = net.device("anna")
    monkeypatch.setattr(ingest, "BATCH", 2)
    good = [change(anna, value=f"Eva{i}") for i in range(9)]
    path = forge(anna, net.tmp / "evil",
                 changes=[*good, change(anna, field="birth_year", value="old")])
    before = dump(net.hub)
    with pytest.raises(BundleRefused) as info:
        hub.ingest(net.hub, path)
    assert info.value.code == "change"
    assert dump(net.hub) == before


def test_a_bag_check_failing_at_the_end_of_many_batches_changes_nothing(
        net: Net, monkeypatch: pytest.MonkeyPatch) -> None:
    from fieldwelfare.ids import uuid7

    anna = net.device("anna")
    monkeypatch.setattr(ingest, "BATCH", 1)
    bundle_id = uuid7()
    manifest = {"bundle_id": bundle_id, "kind": "changes", "sender": anna.identity.device_id,
                "peer_upto": 0, "first_seq": None, "last_seq": None}
    changes = [change(anna, value=f"Eva{i}") for i in range(6)]
    stream = b"".join(bag.write_bag(bundle_id, manifest, lines(changes)))
    evil = stream.replace(b'"Eva5"', b'"Eve5"')  # edited after the manifest was made
    path = forge(anna, net.tmp / "evil", bundle_id=bundle_id, payload=[evil])
    before = dump(net.hub)
    with pytest.raises(BundleRefused) as info:
        hub.ingest(net.hub, path)
    assert info.value.code == "bag"
    assert dump(net.hub) == before
    assert not rep.is_applied(net.hub, bundle_id)
