"""Device -> hub -> other device, replays, acknowledgements, who gets what."""

from __future__ import annotations

import hashlib
from pathlib import Path

from forge import device_keys
from synckit import LECCO, PERSON, Net, dump

from fieldwelfare.store.replication import unsent_count
from fieldwelfare.sync import device, envelope, hub
from fieldwelfare.sync.bundle import Payload, unwrap_sealed


def test_round_trip_device_hub_device(net: Net) -> None:
    anna, bruno = net.device("anna"), net.device("bruno")
    person = anna.add("person", PERSON)
    anna.update("person", person.id, {"phone": "0341 123456"})
    (done,) = net.push(anna)
    assert not done.duplicate and done.applied > 0
    assert net.hub.get("person", person.id).phone == "0341 123456"
    got = net.pull(bruno)
    assert got.applied == done.applied
    assert bruno.get("person", person.id).model_dump() == anna.get("person", person.id).model_dump()
    # anna's reply acknowledges her changes: nothing left to send
    assert unsent_count(anna) > 0
    net.pull(anna)
    assert unsent_count(anna) == 0
    assert device.status(anna)["outbox"] == []


def test_replaying_a_bundle_changes_nothing(net: Net) -> None:
    anna, bruno = net.device("anna"), net.device("bruno")
    anna.add("person", PERSON)
    (sealed,) = device.export(anna, net.tmp / "usb")
    hub.ingest(net.hub, sealed.path)
    before = dump(net.hub)
    again = hub.ingest(net.hub, sealed.path)
    assert again.duplicate and dump(net.hub) == before
    (reply,) = hub.export_replies(net.hub, net.tmp / "usb", device="bruno")
    device.import_reply(bruno, reply.path)
    before = dump(bruno)
    assert device.import_reply(bruno, reply.path).duplicate
    assert dump(bruno) == before


def test_lost_reply_then_resend_is_applied_once(net: Net) -> None:
    anna = net.device("anna")
    anna.add("person", PERSON)
    (first,) = device.export(anna, net.tmp / "usb")
    hub.ingest(net.hub, first.path)  # the reply to this one never reaches anna
    anna.add("person", {**PERSON, "given_name": "Lucia"})
    (second,) = device.export(anna, net.tmp / "usb")  # carries the first changes again
    done = hub.ingest(net.hub, second.path)
    assert done.skipped > 0 and done.applied > 0
    assert net.hub.count("person") == 2
    net.pull(anna)
    assert unsent_count(anna) == 0


def test_bag_inside_is_valid_bagit(net: Net, tmp_path: Path) -> None:
    anna = net.device("anna")
    anna.add("person", PERSON)
    (sealed,) = device.export(anna, net.tmp / "usb")
    bag_dir = hub.unpack(net.hub, sealed.path, tmp_path / "audit")
    assert (bag_dir / "bagit.txt").read_text().startswith("BagIt-Version: 1.0")
    octets = files = 0
    for line in (bag_dir / "manifest-sha256.txt").read_text().splitlines():
        digest, name = line.split("  ")
        data = (bag_dir / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest
        octets, files = octets + len(data), files + 1
    assert f"Payload-Oxum: {octets}.{files}" in (bag_dir / "bag-info.txt").read_text()
    for line in (bag_dir / "tagmanifest-sha256.txt").read_text().splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256((bag_dir / name).read_bytes()).hexdigest() == digest
    assert b"Maria" in (bag_dir / "data/changes/000001.jsonl").read_bytes()
    assert not list((tmp_path / "audit").glob("*.part"))


def test_no_personal_data_outside_the_ciphertext(net: Net) -> None:
    anna = net.device("anna")
    anna.add("person", PERSON)
    (sealed,) = device.export(anna, net.tmp / "usb")
    raw = sealed.path.read_bytes()
    for marker in (b"Maria", b"Rossi", b"SEGRETO", LECCO.encode()):
        assert marker not in raw


def _reply_plaintext(net: Net, dev_name: str) -> bytes:
    dev = net.devices[dev_name]
    (reply,) = hub.export_replies(net.hub, net.tmp / "usb", device=dev_name)
    env = envelope.read_header(reply.path)
    payload = Payload(env, unwrap_sealed(env, [device_keys(dev)]))
    return b"".join(envelope.decrypt(payload.env, payload.ck))


def test_volunteer_device_never_receives_person_data(net: Net) -> None:
    anna = net.device("anna")
    volunteer = anna.add("volunteer", {"given_name": "Paolo", "family_name": "Bianchi",
                                       "phone": "333 1234567", "comuni": [LECCO],
                                       "skills": ["shopping"]})
    person = anna.add("person", {**PERSON, "privacy_notice": {
        "version": "1", "given_on": "2024-01-10", "given_by": "Anna"}})
    need = anna.add("need", {"person_id": person.id, "area": "elderly",
                             "category": "shopping", "description": "SPESA-PER-MARIA",
                             "urgency": "high"})
    anna.add("referral", {"need_id": need.id, "volunteer_id": volunteer.id,
                          "brief": "Spesa il martedì", "status": "sent"})
    net.push(anna)
    net.devices["paolo"] = net.device("paolo", role="volunteer", ambito="Lecco",
                                      volunteer=volunteer.id)
    plain = _reply_plaintext(net, "paolo")
    assert b"Spesa il mart" in plain  # the referral addressed to the volunteer arrives
    for marker in (b"SEGRETO", b"Rossi", b"Maria", b"SPESA-PER-MARIA", person.id.encode()):
        assert marker not in plain, marker


def test_large_outbox_is_split_into_chained_bundles(net: Net) -> None:
    anna, bruno = net.device("anna"), net.device("bruno")
    anna.add_many("person", ({**PERSON, "given_name": f"N{i}"} for i in range(30)))
    sealed = device.export(anna, net.tmp / "usb", max_changes=100)
    assert len(sealed) >= 3
    headers = [envelope.read_header(s.path).header for s in sealed]
    assert [h["seq"] for h in headers] == list(range(headers[0]["seq"],
                                                     headers[0]["seq"] + len(sealed)))
    assert all(h["prev"] == s.sha256 for h, s in zip(headers[1:], sealed, strict=False))
    for s in reversed(sealed):  # any order: the merge does not care
        hub.ingest(net.hub, s.path)
    net.pull(bruno)
    assert bruno.count("person") == 30
