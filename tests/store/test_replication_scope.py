"""Who gets what: changes_for_peer by role, ambito and volunteer (docs/merge.md)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from replication_helpers import BELLANO, LECCO, PRIVACY, new_store

from fieldwelfare.ids import uuid7
from fieldwelfare.store import Store, changes
from fieldwelfare.store import replication as rep

PERSON_SECRETS = ("Segreto", "Riservata", "RSRSRT80A01E507D", "3331234567", "via Nascosta 9")


def world() -> tuple[Store, dict[str, str]]:
    hub = new_store(name="hub")
    ids: dict[str, str] = {}
    ids["org"] = hub.add("organisation", {"name": "Caritas", "kind": "odv"}).id
    ids["v1"] = hub.add("volunteer", {"given_name": "Lia", "family_name": "Neri",
                                      "phone": "1", "organisation_id": ids["org"]}).id
    ids["v2"] = hub.add("volunteer", {"given_name": "Ugo", "family_name": "Bassi",
                                      "email": "ugo@example.org"}).id
    ids["a1"] = hub.add("availability", {"volunteer_id": ids["v1"], "weekday": 1,
                                         "start": "09:00", "end": "12:00"}).id
    ids["a2"] = hub.add("availability", {"volunteer_id": ids["v2"], "weekday": 2,
                                         "start": "09:00", "end": "12:00"}).id
    ids["p"] = hub.add("person", {"given_name": "Segreto", "family_name": "Riservata",
                                  "fiscal_code": "RSRSRT80A01E507D", "phone": "3331234567",
                                  "address": "via Nascosta 9", "comune": LECCO,
                                  "privacy_notice": PRIVACY}).id
    ids["pb"] = hub.add("person", {"given_name": "Altra", "family_name": "Persona",
                                   "comune": BELLANO, "privacy_notice": PRIVACY}).id
    ids["visit"] = hub.add("visit", {"person_id": ids["p"], "notes": "casa di Segreto"}).id
    ids["visit_b"] = hub.add("visit", {"person_id": ids["pb"]}).id
    ids["n"] = hub.add("need", {"person_id": ids["p"], "area": "elderly", "category": "shopping",
                                "description": "spesa per Segreto Riservata"}).id
    ids["nb"] = hub.add("need", {"person_id": ids["pb"], "area": "elderly",
                                 "category": "transport", "description": "visita medica"}).id
    ids["r1"] = hub.add("referral", {"need_id": ids["n"], "volunteer_id": ids["v1"],
                                     "brief": "spesa il martedì"}).id
    ids["r2"] = hub.add("referral", {"need_id": ids["nb"], "volunteer_id": ids["v2"],
                                     "brief": "accompagnamento"}).id
    ids["r3"] = hub.add("referral", {"need_id": ids["n"], "organisation_id": ids["org"],
                                     "brief": "pacco"}).id
    hub.update("referral", ids["r1"], {"status": "sent", "note": "a Lia"})
    hub.update("referral", ids["r2"], {"status": "sent", "note": "a Ugo"})
    return hub, ids


def volunteer_scope(vid: str, device: str = "vol-laptop") -> rep.PeerScope:
    return rep.PeerScope(device_id=device, role="volunteer", ambito=None, volunteer_id=vid)


def got(hub: Store, peer: rep.PeerScope, since: int = 0) -> list[tuple[int, rep.Change]]:
    return list(rep.changes_for_peer(hub, peer, since_seq=since))


def event_referrals(hub: Store, changes: list[rep.Change]) -> set[str]:
    rids = {c.rid for c in changes if c.tbl == "referral_event"}
    return {r["referral_id"] for r in hub.execute_read("SELECT id, referral_id FROM "
                                                       "referral_event") if r["id"] in rids}


def assert_volunteer_safe(changes: list[rep.Change], vid: str) -> None:
    for c in changes:
        assert c.tbl not in ("person", "visit", "need"), c
        if c.tbl == "referral":
            assert c.field in rep.VOLUNTEER_REFERRAL_FIELDS
        if c.tbl == "volunteer":
            assert c.rid == vid
        text = json.dumps(c.value)
        assert not any(secret in text for secret in PERSON_SECRETS), c


def test_volunteer_gets_only_their_tasks_and_the_directory() -> None:
    hub, ids = world()
    changes = [c for _, c in got(hub, volunteer_scope(ids["v1"]))]
    assert_volunteer_safe(changes, ids["v1"])
    by_tbl: dict[str, set[str]] = {}
    for c in changes:
        by_tbl.setdefault(c.tbl, set()).add(c.rid)
    assert by_tbl["referral"] == {ids["r1"]}
    assert by_tbl["volunteer"] == {ids["v1"]}
    assert by_tbl["availability"] == {ids["a1"]}
    assert by_tbl["organisation"] == {ids["org"]}
    assert event_referrals(hub, changes) == {ids["r1"]}
    # the volunteer's laptop can apply it and act on the referral
    lap = new_store(name="lia", role="volunteer", ambito=None)
    lap.set_meta({"volunteer_id": ids["v1"]})
    rep.apply_changes(lap, changes, bundle_id=uuid7(), sender="hub", file_sha256="0" * 64,
                      kind="hub-push", received_from_hub=True)
    assert lap.count("person") == lap.count("need") == lap.count("visit") == 0
    assert lap.update("referral", ids["r1"], {"status": "accepted"}).status == "accepted"
    assert [e.status for e in lap.get("referral", ids["r1"]).history] == [  # type: ignore[attr-defined]
        "proposed", "sent", "accepted"]


def test_reassigned_referral_brings_its_whole_history() -> None:
    hub, ids = world()
    peer = volunteer_scope(ids["v1"])
    since = rep.last_seq(hub)
    assert got(hub, peer, since) == []
    hub.update("referral", ids["r2"], {"volunteer_id": ids["v1"]})
    changes = [c for _, c in got(hub, peer, since)]
    assert_volunteer_safe(changes, ids["v1"])
    assert {c.rid for c in changes if c.tbl == "referral"} == {ids["r2"]}
    fields = {c.field for c in changes if c.tbl == "referral"}
    assert {"brief", "created_at", "status", "volunteer_id"} <= fields
    assert event_referrals(hub, changes) == {ids["r2"]}
    assert len({c.rid for c in changes if c.tbl == "referral_event"}) == 2


def test_coordinator_gets_their_ambito_and_the_directory() -> None:
    hub, ids = world()
    peer = rep.PeerScope(device_id="coord", role="coordinator", ambito="Lecco",
                         volunteer_id=None)
    changes = [c for _, c in got(hub, peer)]
    rids = {c.rid for c in changes}
    assert {ids["p"], ids["visit"], ids["n"], ids["r1"], ids["r3"]} <= rids
    assert not {ids["pb"], ids["visit_b"], ids["nb"], ids["r2"]} & rids
    assert {ids["org"], ids["v1"], ids["v2"], ids["a1"], ids["a2"]} <= rids
    assert event_referrals(hub, changes) == {ids["r1"], ids["r3"]}


def test_person_moving_into_the_ambito_arrives_with_its_visits() -> None:
    hub, ids = world()
    peer = rep.PeerScope(device_id="coord", role="social_worker", ambito="Lecco",
                         volunteer_id=None)
    since = rep.last_seq(hub)
    hub.update("person", ids["pb"], {"comune": LECCO})
    changes = [c for _, c in got(hub, peer, since)]
    person_fields = {c.field for c in changes if c.rid == ids["pb"]}
    assert {"given_name", "family_name", "comune", "created_at"} <= person_fields
    assert ids["visit_b"] in {c.rid for c in changes if c.tbl == "visit"}
    lap = new_store(name="sw", role="social_worker")
    rep.apply_changes(lap, [c for _, c in got(hub, peer)], bundle_id=uuid7(), sender="hub",
                      file_sha256="0" * 64, kind="hub-push")
    assert lap.get("person", ids["pb"]).comune == LECCO


def test_peer_never_gets_its_own_changes_back() -> None:
    hub = new_store(name="hub")
    dev = new_store(name="dev")
    dev.add("person", {"given_name": "A", "family_name": "B", "comune": LECCO})
    rep.apply_changes(hub, [c for _, c in rep.outbox(dev)], bundle_id=uuid7(),
                      sender=dev.identity.device_id, file_sha256="0" * 64, kind="device-push")
    peer = rep.PeerScope(device_id=dev.identity.device_id, role="coordinator", ambito="Lecco",
                         volunteer_id=None)
    assert got(hub, peer) == []
    other = rep.PeerScope(device_id="x", role="coordinator", ambito="Lecco", volunteer_id=None)
    assert len(got(hub, other)) == rep.last_seq(hub)


@pytest.mark.parametrize("scope", [
    {"role": "boss", "ambito": "Lecco", "volunteer_id": None},
    {"role": "volunteer", "ambito": None, "volunteer_id": None},
    {"role": "coordinator", "ambito": None, "volunteer_id": None},
])
def test_incomplete_scopes_are_refused(scope: dict[str, Any]) -> None:
    hub, _ = world()
    with pytest.raises(ValueError):
        got(hub, rep.PeerScope(device_id="d", **scope))


def test_streams_in_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    hub, ids = world()
    peer = rep.PeerScope(device_id="c", role="coordinator", ambito="Lecco", volunteer_id=None)
    whole = got(hub, peer)
    monkeypatch.setattr(changes, "PAGE", 7)
    assert got(hub, peer) == whole
    assert [s for s, _ in rep.outbox(hub)] == list(range(1, rep.last_seq(hub) + 1))
    assert ids
