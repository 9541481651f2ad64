"""The hostile review of the sync layer (issue #8), one test per hole, written as the attack:
a crafted bundle or request, a coded refusal, the database unchanged, the file kept."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from forge import change, forge
from synckit import LECCO, PERSON, Net, dump, open_db

from fieldwelfare.cli import cli
from fieldwelfare.clock import wall_ms
from fieldwelfare.errors import InvalidInput
from fieldwelfare.ids import uuid7
from fieldwelfare.models.base import MAX_COMUNI, MAX_LANGUAGES
from fieldwelfare.store import Store, open_store
from fieldwelfare.store.merge import MAX_WALL_MS
from fieldwelfare.sync import bag, device, enrollment, envelope, hub
from fieldwelfare.sync.errors import BundleRefused
from fieldwelfare.sync.keys import KeyPair


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


# ---------------------------------------------------------------- 5. coded refusals
@pytest.fixture
def anna(net: Net) -> Store:
    return net.device("anna")


def _raw_header(tmp: Path, name: str, text: bytes) -> Path:
    path = tmp / f"{name}.fwb"
    path.write_bytes(envelope.MAGIC + len(text).to_bytes(4, "big") + text + b"\0" * 64)
    return path


def _header_text(**over: Any) -> str:
    base = json.loads(envelope.canonical_header_for_tests())
    return json.dumps({**base, **over}, sort_keys=True, separators=(",", ":"))


@pytest.mark.parametrize("name,text", [
    ("big-int", _header_text(seq=2**60)),
    ("huge-int", _header_text(seq=10**400)),
    ("nan", _header_text(seq=1).replace('"seq":1', '"seq":NaN')),
    ("inf", _header_text(seq=1).replace('"seq":1', '"seq":-Infinity')),
    ("deep", _header_text(seq=1).replace('"seq":1', '"seq":' + "[" * 5000 + "]" * 5000)),
    ("surrogate", _header_text(sender="x").replace('"sender":"x"', '"sender":"\\ud800"')),
    ("negative", _header_text(seq=-1)),
    ("acks", _header_text(acks={"upto": "x"})),
    ("acks-big", _header_text(acks={"upto": 2**60})),
    ("acks-list", _header_text(acks=[])),  # found by the fuzz target (test_fuzz.py)
])
def test_hostile_header_is_a_coded_refusal(net: Net, tmp_path: Path, name: str,
                                           text: str) -> None:
    path = _raw_header(tmp_path, name, text.encode("utf-8", "surrogatepass"))
    refused(net.hub, path, "header")


def _forge_manifest(dev: Store, tmp: Path, **manifest: Any) -> Path:
    bundle_id = uuid7()
    fields: dict[str, Any] = {"bundle_id": bundle_id, "kind": "changes",
                              "sender": dev.identity.device_id, "peer_upto": 0,
                              "first_seq": None, "last_seq": None, **manifest}
    return forge(dev, tmp, bundle_id=bundle_id,
                 payload=bag.write_bag(bundle_id, fields, [json.dumps(change(dev)).encode()
                                                           + b"\n"]))


def test_same_change_twice_with_different_values(net: Net, anna: Store) -> None:
    one = change(anna)
    path = forge(anna, net.tmp / "evil", changes=[one, {**one, "value": "Other"}])
    refused(net.hub, path, "change")


def test_base_not_before_hlc(net: Net, anna: Store) -> None:
    one = change(anna)
    path = forge(anna, net.tmp / "evil", changes=[{**one, "base": one["hlc"]}])
    refused(net.hub, path, "change")


def test_field_updated_at_is_not_a_change(net: Net, anna: Store) -> None:
    path = forge(anna, net.tmp / "evil",
                 changes=[change(anna, field="updated_at", value="2026-01-01")])
    refused(net.hub, path, "change")


@pytest.mark.parametrize("manifest", [{"peer_upto": 2**70}, {"last_seq": 2**70},
                                      {"first_seq": -5}])
def test_manifest_numbers_out_of_range(net: Net, anna: Store, manifest: dict[str, Any]) -> None:
    refused(net.hub, _forge_manifest(anna, net.tmp / "evil", **manifest), "bag")


def test_a_refused_file_does_not_stop_a_multi_file_ingest(net: Net, anna: Store) -> None:
    bad = _forge_manifest(anna, net.tmp / "evil", peer_upto=2**70)
    anna.add("person", PERSON)
    (good,) = device.export(anna, net.tmp / "usb")
    net.hub.close()
    result = CliRunner().invoke(cli, ["--lang", "en", "--db", str(net.tmp / "hub.db"), "hub",
                                      "ingest", str(bad), str(good.path)])
    assert result.exit_code == 3, result.output
    assert "[bag]" in result.stderr and "Traceback" not in result.output
    assert bad.exists()
    net.hub = open_store(net.tmp / "hub.db")
    assert net.hub.count("person") == 1


# ---------------------------------------------------------------- 2. stamps stay valid
def _stamp_ahead(store: Store, days: float, counter: int = 0) -> str:
    wall = wall_ms(store.now()) + int(days * 24 * 3600 * 1000)
    return f"{wall:016x}-{counter:04x}"


def test_stamp_at_the_end_of_time_is_refused(net: Net, anna: Store) -> None:
    person = anna.add("person", PERSON)
    net.push(anna)
    end = f"{MAX_WALL_MS:016x}-ffff"
    path = forge(anna, net.tmp / "evil", changes=[
        change(anna, rid=person.id, field="notes", value="x", hlc=end)])
    refused(net.hub, path, "clock")


def test_far_ahead_but_accepted_stamp_leaves_room_for_later_edits(net: Net, anna: Store) -> None:
    bruno = net.device("bruno")
    person = anna.add("person", PERSON)
    net.push(anna)
    ahead = _stamp_ahead(net.hub, 300, 0xFFFF)
    path = forge(anna, net.tmp / "evil", changes=[
        change(anna, rid=person.id, field="notes", value="futuro", hlc=ahead)])
    assert net.push_file(path).flagged_future == 1
    net.hub.update("person", person.id, {"notes": "corretto"})  # stamped just above it
    net.pull(bruno)  # every device still imports
    net.pull(anna)
    assert bruno.get("person", person.id).notes == "corretto"
    anna.update("person", person.id, {"notes": "di nuovo"})
    net.push(anna)
    assert net.hub.get("person", person.id).notes == "di nuovo"


# ---------------------------------------------------------------- 6. hub unpack traversal
@pytest.mark.parametrize("bundle_id", ["../../victim", "../victim", "/tmp/victim",
                                       "0" * 36, "ABCDEF00-0000-7000-8000-000000000000"])
def test_unpack_never_builds_paths_from_an_unchecked_bundle_id(net: Net, anna: Store,
                                                               bundle_id: str) -> None:
    victim = net.tmp / "victim"
    victim.mkdir(exist_ok=True)
    (victim / "keep.txt").write_text("x")
    out = net.tmp / "audit" / "out"
    out.mkdir(parents=True)
    path = forge(anna, net.tmp / "evil", changes=[change(anna)], bundle_id=bundle_id)

    def unpack(store: Store, p: Path) -> Path:
        return hub.unpack(store, p, out)

    refused(net.hub, path, "header", unpack)
    assert (victim / "keep.txt").exists()
    assert list(out.iterdir()) == [] and sorted(p.name for p in (net.tmp / "audit").iterdir()) \
        == ["out"]


# ---------------------------------------------------------------- 7. nulls in required fields
@pytest.mark.parametrize("tbl,field", [("person", "given_name"), ("person", "comune"),
                                       ("need", "status"), ("person", "languages"),
                                       ("person", "created_by")])
def test_a_bundle_cannot_null_a_required_field(net: Net, anna: Store, tbl: str,
                                               field: str) -> None:
    person = anna.add("person", PERSON)
    net.push(anna)
    path = forge(anna, net.tmp / "evil", changes=[
        change(anna, tbl=tbl, rid=person.id, field=field, value=None)])
    refused(net.hub, path, "change")


def test_optional_fields_can_still_be_cleared(net: Net, anna: Store) -> None:
    person = anna.add("person", PERSON)
    net.push(anna)
    anna.update("person", person.id, {"notes": None})
    net.push(anna)
    assert net.hub.get("person", person.id).notes is None


# ---------------------------------------------------------------- 3. one validation
def test_what_the_device_refuses_it_never_queues(net: Net, anna: Store) -> None:
    before = dump(anna)
    for rid in ("0190F3A2-7B1C-7D2E-8F3A-4B5C6D7E8F90", "0190f3a27b1c7d2e8f3a4b5c6d7e8f90",
                "{0190f3a2-7b1c-7d2e-8f3a-4b5c6d7e8f90}", "0190f3a-27b1c-7d2e-8f3a-4b5c6d7e8f90"):
        with pytest.raises(InvalidInput):
            anna.add("person", {**PERSON, "id": rid})
    with pytest.raises(InvalidInput):
        anna.set_identity(device_name="anna", operator="x" * 121, role="social_worker",
                          ambito="Lecco")
    with pytest.raises(InvalidInput):
        anna.add("person", {**PERSON, "languages": ["it"] * 250_000})
    assert dump(anna) == before


def test_what_the_device_accepts_the_hub_accepts(net: Net, anna: Store) -> None:
    anna.set_identity(device_name="anna", operator="o" * 120, role="social_worker",
                      ambito="Lecco")
    rid = "0190f3a2-7b1c-7d2e-8f3a-4b5c6d7e8f90"
    biggest = {**PERSON, "id": rid, "given_name": "\u00e8" * 120, "notes": "\x1b" * 10_000,
               "languages": ["\U0001f600" * 40] * MAX_LANGUAGES}
    anna.add("person", biggest)
    anna.add("volunteer", {"given_name": "V", "family_name": "W", "phone": "0341 1",
                           "comuni": [LECCO] * MAX_COMUNI, "languages": ["it"] * MAX_LANGUAGES})
    (done,) = net.push(anna)
    assert done.applied > 0
    assert net.hub.get("person", rid).notes == "\x1b" * 10_000


# ---------------------------------------------------------------- 10. dangling references
def test_volunteer_code_needs_a_real_volunteer(net: Net) -> None:
    before = dump(net.hub)
    for vid in (uuid7(), "nobody"):
        with pytest.raises(InvalidInput):
            enrollment.issue_code(net.hub, device="lia", role="volunteer", volunteer_id=vid)
    gone = net.hub.add("volunteer", {"given_name": "V", "family_name": "W", "phone": "1"})
    net.hub.delete("volunteer", gone.id)
    before = dump(net.hub)
    with pytest.raises(InvalidInput):
        enrollment.issue_code(net.hub, device="lia", role="volunteer", volunteer_id=gone.id)
    assert dump(net.hub) == before


def test_a_deleted_persons_needs_are_closed_to_edits_and_referrals(anna: Store) -> None:
    person = anna.add("person", {**PERSON, "privacy_notice": {
        "version": "1", "given_on": "2026-01-01", "given_by": "x"}})
    need = anna.add("need", {"person_id": person.id, "category": "shopping", "area": "elderly",
                             "description": "spesa"})
    anna.delete("person", person.id)
    before = dump(anna)
    with pytest.raises(InvalidInput):
        anna.update("need", need.id, {"description": "altro"})
    with pytest.raises(InvalidInput):
        anna.add("referral", {"need_id": need.id, "status": "proposed", "brief": "x"})
    assert dump(anna) == before


# ---------------------------------------------------------------- 4. valid data, not a bomb
def test_very_repetitive_valid_data_round_trips(net: Net, anna: Store) -> None:
    bruno = net.device("bruno")
    anna.add_many("person", [{**PERSON, "notes": "-" * 10_000} for _ in range(300)])
    (sealed,) = device.export(anna, net.tmp / "usb")
    assert sealed.header["tar_len"] > 3_000_000  # zlib alone makes that ~50 KiB: over 64:1
    assert not hub.ingest(net.hub, sealed.path).duplicate
    net.pull(bruno)
    assert bruno.count("person") == 300


def test_the_readers_bomb_cap_is_unchanged() -> None:
    with pytest.raises(BundleRefused) as info:  # the writer adapts; the reader's cap stays
        envelope.check_header(envelope.canonical_header_for_tests(
            pt_len=1000, tar_len=1000 * envelope.MAX_RATIO + 1024 * 1024 + 1))
    assert info.value.code == "bomb" and envelope.MAX_RATIO == 64


def test_the_writer_stays_inside_the_readers_ratio(tmp_path: Path) -> None:
    signer = KeyPair.generate()
    for data in (b"-" * (32 * 1024 * 1024), b"\0" * (8 * 1024 * 1024) + b"x" * 100):
        sealed = envelope.seal(tmp_path / "x.fwb", dict(
            json.loads(envelope.canonical_header_for_tests()), kind="changes"),
            ck=b"k" * 32, signer=signer.sign, payload=[data[:1000], data[1000:]])
        envelope.read_header(sealed.path)  # accepted: not a bomb
        assert sealed.header["tar_len"] == len(data)


# ---------------------------------------------------------------- 8. a huge line in one piece
def test_a_60_mib_line_is_refused_before_it_is_parsed(net: Net, anna: Store) -> None:
    import tracemalloc

    bundle_id = uuid7()
    line = json.dumps(change(anna, field="notes", value="a" * (60 * 1024 * 1024))).encode()
    manifest: dict[str, Any] = {"bundle_id": bundle_id, "kind": "changes",
                                "sender": anna.identity.device_id, "peer_upto": 0,
                                "first_seq": None, "last_seq": None}
    path = forge(anna, net.tmp / "evil", bundle_id=bundle_id,
                 payload=bag.write_bag(bundle_id, manifest, [line + b"\n"]))
    del line
    tracemalloc.start()
    try:
        refused(net.hub, path, "bomb")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 32 * 1024 * 1024, peak


# ---------------------------------------------------------------- 9. terminal escapes
def test_terminal_escapes_are_shown_escaped_and_csv_keeps_the_data(tmp_path: Path) -> None:
    db = str(tmp_path / "d.db")
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(cli, ["--lang", "en", "--db", db, *args])
        assert result.exit_code == 0, result.output
        return result.stdout

    run("init", "--device", "d", "--operator", "o", "--role", "social_worker", "--ambito",
        "Lecco")
    store = open_db(tmp_path / "d.db")
    evil = "Ma\x1b]0;pwned\x07ria\x1b[2J\u202e[bold]x[/]"
    store.add("person", {**PERSON, "given_name": evil})
    store.close()
    table = run("record", "list", "person")
    assert "\x1b" not in table and "\x07" not in table and "\u202e" not in table
    assert "\\x1b]0;pwned\\x07" in table and "[bold]x[/]" in table
    csv_out = run("record", "list", "person", "--format", "csv")
    # for a spreadsheet: control characters escaped as \\xNN, never stripped (sheets.safe_text)
    assert "Ma\\x1b]0;pwned\\x07ria\\x1b[2J\u202e[bold]x[/]" in csv_out
