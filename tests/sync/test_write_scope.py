"""The hub accepts from a volunteer's device only what a volunteer may change; anything
else refuses the whole bundle ([scope]), the hub unchanged and the file kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from synckit import PERSON, Net, dump

from fieldwelfare.store import Store
from fieldwelfare.sync import device, hub
from fieldwelfare.sync.errors import BundleRefused

NOTICE = {"version": "1", "given_on": "2026-01-01", "given_by": "Anna"}


def setup(net: Net) -> tuple[Store, Store, dict[str, str]]:
    anna = net.device("anna")
    me = anna.add("volunteer", {"given_name": "Lia", "family_name": "Neri", "email": "l@x.it"})
    person = anna.add("person", {**PERSON, "privacy_notice": NOTICE})
    need = anna.add("need", {"person_id": person.id, "area": "elderly", "category": "meals",
                             "description": "Pasti"})
    ref = anna.add("referral", {"need_id": need.id, "volunteer_id": me.id, "brief": "Pasti",
                                "status": "sent"})
    net.push(anna)
    lia = net.device("lia", role="volunteer", ambito=None, volunteer=me.id)
    return anna, lia, {"me": me.id, "referral": ref.id, "person": person.id}


def tamper(store: Store, write: object) -> None:
    """What a modified program on the volunteer's laptop could write: the local role check
    is bypassed by writing as a coordinator, then the device is a volunteer again."""
    who = store.identity
    store.set_identity(device_name=who.device_name or "", operator=who.operator,
                       role="coordinator", ambito="Lecco")
    write(store)  # type: ignore[operator]
    store.set_identity(device_name=who.device_name or "", operator=who.operator,
                       role="volunteer", ambito=None)


def test_volunteer_answers_and_availability_are_accepted(net: Net) -> None:
    _, lia, ids = setup(net)
    lia.update("referral", ids["referral"], {"status": "accepted", "note": "giovedì"})
    lia.add("availability", {"volunteer_id": ids["me"], "weekday": 3, "start": "09:00",
                             "end": "12:00"})
    results = net.push(lia)
    assert sum(r.applied for r in results) > 0
    assert net.hub.get("referral", ids["referral"]).status == "accepted"  # type: ignore[attr-defined]
    assert net.hub.count("availability", where={"volunteer_id": ids["me"]}) == 1
    again = net.push(lia)  # unacknowledged changes are sent again: skipped, not refused
    assert again and sum(r.applied for r in again) == 0


@pytest.mark.parametrize("write", [
    lambda s: s.add("person", {"given_name": "Falso", "family_name": "Record",
                               "comune": "097042"}),
    lambda s: s.update("referral", s.list_records("referral")[0].id, {"brief": "cambiato"}),
    lambda s: s.add("organisation", {"name": "Finta ODV", "kind": "odv"}),
])
def test_anything_else_refuses_the_bundle(net: Net, tmp_path: Path, write: object) -> None:
    _, lia, _ = setup(net)
    tamper(lia, write)
    before = dump(net.hub)
    bundles = device.export(lia, tmp_path / "usb")
    with pytest.raises(BundleRefused) as info:
        for bundle in bundles:
            hub.ingest(net.hub, Path(bundle.path))
    assert info.value.code == "scope"
    assert dump(net.hub) == before
    assert all(Path(b.path).exists() for b in bundles)
