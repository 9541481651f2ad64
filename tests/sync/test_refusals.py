"""Every refusal: one clear reason, the database unchanged, the file kept."""

from __future__ import annotations

import tarfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from forge import change, forge, tar_of
from synckit import PERSON, Net, dump

from fieldwelfare.store import Store
from fieldwelfare.sync import device, envelope, hub
from fieldwelfare.sync.errors import BundleRefused
from fieldwelfare.sync.keys import KeyPair


def refused(store: Store, path: Path, code: str,
            action: Callable[[Store, Path], object] = hub.ingest) -> BundleRefused:
    before = dump(store)
    content = path.read_bytes()
    with pytest.raises(BundleRefused) as info:
        action(store, path)
    assert info.value.code == code, str(info.value)
    assert str(path) in str(info.value)
    assert dump(store) == before
    assert path.read_bytes() == content
    return info.value


@pytest.fixture
def anna(net: Net) -> Store:
    dev = net.device("anna")
    dev.add("person", PERSON)
    return dev


@pytest.fixture
def good(net: Net, anna: Store) -> Path:
    (sealed,) = device.export(anna, net.tmp / "usb")
    return sealed.path


def _cut(good: Path, size: int, tmp: Path) -> Path:
    out = tmp / f"cut-{size}.fwb"
    out.write_bytes(good.read_bytes()[:size])
    return out


def test_truncated_at_every_boundary(net: Net, good: Path, tmp_path: Path) -> None:
    env = envelope.read_header(good)
    total = good.stat().st_size
    hlen = len(env.header_bytes)
    for size in (0, 7, 8, 11, 12 + hlen - 1, env.ct_offset - 30, env.ct_offset + 10,
                 total // 2, total - 1):
        refused(net.hub, _cut(good, size, tmp_path), "truncated")


def test_flipped_bits_anywhere(net: Net, good: Path, tmp_path: Path) -> None:
    data = good.read_bytes()
    env = envelope.read_header(good)
    positions = [3, 9, 20, env.ct_offset - 64, env.ct_offset - 1, env.ct_offset + 3,
                 env.ct_offset + 30, len(data) // 2, len(data) - 1]
    for pos in positions:
        flipped = bytearray(data)
        flipped[pos] ^= 0x10
        path = tmp_path / f"flip-{pos}.fwb"
        path.write_bytes(bytes(flipped))
        before = dump(net.hub)
        with pytest.raises(BundleRefused):
            hub.ingest(net.hub, path)
        assert dump(net.hub) == before


def test_signature_covers_the_ciphertext(net: Net, good: Path, tmp_path: Path) -> None:
    data = bytearray(good.read_bytes())
    data[-5] ^= 1
    path = tmp_path / "tampered.fwb"
    path.write_bytes(bytes(data))
    refused(net.hub, path, "bad_signature")


def test_wrong_signer(net: Net, anna: Store) -> None:
    path = forge(anna, net.tmp / "evil", changes=[change(anna)], signer=KeyPair.generate())
    refused(net.hub, path, "unknown_sender")


def test_another_enrolled_device_cannot_speak_for_anna(net: Net, anna: Store) -> None:
    bruno = net.device("bruno")
    from forge import device_keys

    path = forge(anna, net.tmp / "evil", changes=[change(anna)], signer=device_keys(bruno))
    refused(net.hub, path, "unknown_sender")


def test_unknown_sender_refused_before_decrypting(net: Net, tmp_path: Path) -> None:
    from fieldwelfare.store import open_store
    from fieldwelfare.sync import enrollment

    stranger = open_store(tmp_path / "stranger.db")
    other_hub = open_store(tmp_path / "other-hub.db")
    hub.init(other_hub, "Altro")
    code = enrollment.issue_code(other_hub, device="x", role="social_worker",
                                 ambito="Lecco")
    enrollment.start(stranger, code)
    hub.ingest(other_hub, enrollment.write_request(stranger, tmp_path).path)
    (reply,) = hub.export_replies(other_hub, tmp_path, device="x")
    device.import_reply(stranger, reply.path)
    stranger.add("person", PERSON)
    (sealed,) = device.export(stranger, tmp_path / "out")
    refused(net.hub, sealed.path, "unknown_sender")
    stranger.close()
    other_hub.close()


def test_revoked_device_refused(net: Net, anna: Store, good: Path) -> None:
    hub.revoke(net.hub, "anna")
    refused(net.hub, good, "revoked")
    assert [d["name"] for d in hub.devices(net.hub)] == []


def test_reply_for_another_device(net: Net, anna: Store) -> None:
    bruno = net.device("bruno")
    (reply,) = hub.export_replies(net.hub, net.tmp / "usb", device="anna")
    refused(bruno, reply.path, "not_for_me", device.import_reply)


def test_device_bundle_given_to_a_device(net: Net, anna: Store, good: Path) -> None:
    refused(anna, good, "wrong_kind", device.import_reply)


def test_schema_newer_than_the_program(net: Net, anna: Store) -> None:
    path = forge(anna, net.tmp / "evil", changes=[change(anna)], header={"schema": 99})
    err = refused(net.hub, path, "upgrade_required")
    assert "99" in str(err) or "upgrade" in str(err).lower() or "aggiornare" in str(err)


@pytest.mark.parametrize("schema", [1, 2])
def test_bundles_of_an_older_schema_are_still_read(net: Net, anna: Store, schema: int) -> None:
    """Schema 3 added redaction markers; bundles written before (1, 2) apply as before."""
    path = forge(anna, net.tmp / "old", changes=[change(anna)], header={"schema": schema})
    assert hub.ingest(net.hub, path).applied == 1


def test_format_newer_than_the_program(net: Net, anna: Store) -> None:
    path = forge(anna, net.tmp / "evil", changes=[change(anna)], header={"min_reader": 2})
    refused(net.hub, path, "upgrade_required")


@pytest.mark.parametrize("over", [
    {"tbl": "audit"}, {"tbl": "sync_key"}, {"field": "_clock"}, {"field": "password"},
    {"field": "birth_year", "value": "old"}, {"field": "comune", "value": "999999"},
    {"field": "notes", "value": "x" * 20_000}, {"hlc": "yesterday"},
])
def test_unknown_table_field_or_bad_value(net: Net, anna: Store, over: dict[str, object]) -> None:
    path = forge(anna, net.tmp / "evil", changes=[change(anna), change(anna, **over)])
    refused(net.hub, path, "change")


def test_extra_key_in_a_change(net: Net, anna: Store) -> None:
    path = forge(anna, net.tmp / "evil", changes=[{**change(anna), "sql": "DROP TABLE person"}])
    refused(net.hub, path, "change")


def test_change_origin_must_be_the_sender(net: Net, anna: Store) -> None:
    bruno = net.device("bruno")
    path = forge(anna, net.tmp / "evil",
                 changes=[change(anna), change(anna, origin=bruno.identity.device_id)])
    refused(net.hub, path, "origin")


@pytest.mark.parametrize("name,kind", [
    ("../x", tarfile.REGTYPE), ("/etc/x", tarfile.REGTYPE), ("{base}/data/../../x",
                                                             tarfile.REGTYPE),
    ("C:\\x", tarfile.REGTYPE), ("~root/x", tarfile.REGTYPE),
    ("{base}/data/changes/000001.jsonl", tarfile.SYMTYPE),
    ("{base}/data/changes/000001.jsonl", tarfile.LNKTYPE),
    ("{base}/data/changes/000001.jsonl", tarfile.CHRTYPE),
    ("{base}/data/changes/000001.jsonl", tarfile.DIRTYPE),
    ("{base}/data/evil.sh", tarfile.REGTYPE),
    ("fwb-00000000-0000-7000-8000-000000000000/bagit.txt", tarfile.REGTYPE),
    ("{base}/data/changes/" + "0" * 300 + ".jsonl", tarfile.REGTYPE),
])
def test_hostile_tar_member_names(net: Net, anna: Store, name: str, kind: bytes) -> None:
    from fieldwelfare.ids import uuid7

    bundle_id = uuid7()
    member = name.format(base=f"fwb-{bundle_id}")
    path = forge(anna, net.tmp / "evil", bundle_id=bundle_id,
                 payload=[tar_of([(member, b"x\n", kind)])])
    before = {p for p in net.tmp.rglob("*")}
    refused(net.hub, path, "tar_name")
    assert {p for p in net.tmp.rglob("*")} == before
    assert not (net.tmp / "x").exists()


def test_duplicate_member_names(net: Net, anna: Store) -> None:
    from fieldwelfare.ids import uuid7

    bundle_id = uuid7()
    name = f"fwb-{bundle_id}/data/changes/000001.jsonl"
    path = forge(anna, net.tmp / "evil", bundle_id=bundle_id,
                 payload=[tar_of([(name, b"", tarfile.REGTYPE), (name, b"", tarfile.REGTYPE)])])
    refused(net.hub, path, "tar_name")


def test_decompression_bomb_is_stopped_at_the_declared_size(net: Net, anna: Store) -> None:
    from fieldwelfare.ids import uuid7

    bundle_id = uuid7()
    zeros = b"\0" * (64 * 1024 * 1024)  # 64 MiB of zeros compress to ~64 KiB
    path = forge(anna, net.tmp / "evil", bundle_id=bundle_id, payload=[zeros])
    assert path.stat().st_size < 200_000
    err = refused(net.hub, path, "bomb")  # refused from the header, before any crypto
    assert "67108864" in str(err)


def test_stream_longer_than_declared_is_cut_at_the_cap(net: Net, anna: Store) -> None:
    from dataclasses import replace

    from fieldwelfare.store import hubstate
    from fieldwelfare.sync.bundle import unwrap_sealed
    from fieldwelfare.sync.keys import KeyPair as Keys

    path = forge(anna, net.tmp / "evil", changes=[change(anna) for _ in range(200)])
    env = envelope.read_header(path)
    ck = unwrap_sealed(env, [Keys.from_row(r) for r in hubstate.keys(net.hub, "hub")])
    lying = replace(env, header={**env.header, "tar_len": 4096})
    got = 0
    with pytest.raises(BundleRefused) as info:
        for piece in envelope.decrypt(lying, ck):
            got += len(piece)
    assert info.value.code == "bomb" and got <= 4096


def test_pt_len_lying_is_refused_before_crypto(net: Net, anna: Store) -> None:
    with pytest.raises(BundleRefused) as info:
        envelope.check_header(envelope.canonical_header_for_tests(tar_len=10**12))
    assert info.value.code in ("bomb", "too_large")


def test_oversized_header(net: Net, tmp_path: Path) -> None:
    path = tmp_path / "big.fwb"
    path.write_bytes(envelope.MAGIC + (envelope.MAX_HEADER + 1).to_bytes(4, "big") + b"{}")
    refused(net.hub, path, "too_large")


def test_too_many_recipients(net: Net, anna: Store) -> None:
    fake = {f"{i:032x}": "QUJD" for i in range(envelope.MAX_RECIPIENTS + 1)}
    path = forge(anna, net.tmp / "evil", changes=[change(anna)], header={"recipients": fake})
    refused(net.hub, path, "too_large")


def test_not_addressed_to_this_hub(net: Net, anna: Store) -> None:
    path = forge(anna, net.tmp / "evil", changes=[change(anna)],
                 header={"recipients": {"0" * 32: "QUJD"}})
    refused(net.hub, path, "not_for_me")


def test_bag_manifest_mismatch(net: Net, anna: Store) -> None:
    from forge import lines

    from fieldwelfare.ids import uuid7
    from fieldwelfare.sync import bag

    bundle_id = uuid7()
    manifest = {"bundle_id": bundle_id, "kind": "changes", "sender": anna.identity.device_id,
                "peer_upto": 0, "first_seq": None, "last_seq": None}
    stream = b"".join(bag.write_bag(bundle_id, manifest, lines([change(anna)])))
    evil = stream.replace(b'"Eva"', b'"Eve"')  # payload edited after the manifest was made
    path = forge(anna, net.tmp / "evil", bundle_id=bundle_id, payload=[evil])
    refused(net.hub, path, "bag")


def test_zlib_garbage_inside_valid_crypto(net: Net, anna: Store, tmp_path: Path) -> None:
    assert zlib.decompress(zlib.compress(b"ok")) == b"ok"
    path = tmp_path / "plain.fwb"
    path.write_bytes(b"PK\x03\x04 not a bundle at all")
    refused(net.hub, path, "not_a_bundle")


def test_a_bundle_names_the_oldest_schema_that_carries_it(net: Net, anna: Store) -> None:
    """A program one schema behind keeps syncing until a bundle holds what it cannot
    know: then, and only then, it says "upgrade required"."""
    from fieldwelfare.store.accesslog import record_access
    from fieldwelfare.sync.records import SCHEMA_VERSION, schema_for

    person = anna.add("person", dict(PERSON))
    (sent,) = device.export(anna, net.tmp / "usb")
    assert envelope.read_header(sent.path).header["schema"] == 1
    hub.ingest(net.hub, sent.path)
    (reply,) = hub.export_replies(net.hub, net.tmp / "usb", device="anna")
    assert envelope.read_header(reply.path).header["schema"] == 1
    device.import_reply(anna, reply.path)
    record_access(anna, person.id, via="cli")  # a read-log entry: schema 2
    (sent,) = device.export(anna, net.tmp / "usb")
    assert envelope.read_header(sent.path).header["schema"] == 2
    assert schema_for({"person", "redaction"}) == SCHEMA_VERSION == 3
