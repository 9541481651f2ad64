"""Replication API: outbox and acks, applying bundles, merge rule, conflicts, clocks."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from replication_helpers import (
    LECCO,
    PRIVACY,
    Hub,
    new_store,
    push,
    rows,
    state,
)

from fieldwelfare.errors import InvalidInput, NotFound
from fieldwelfare.hlc import MAX_OFFSET_MS, format_stamp, parse_stamp, wall_ms_now
from fieldwelfare.ids import uuid7
from fieldwelfare.store import Store, ingest_batch
from fieldwelfare.store import replication as rep
from fieldwelfare.store.merge import clock_top, stamp_time


def person(store: Store, **extra: Any) -> str:
    data = {"given_name": "Mario", "family_name": "Rossi", "comune": LECCO, **extra}
    return store.add("person", data).id


def apply(store: Store, changes: list[rep.Change], bundle_id: str | None = None,
          ) -> rep.ApplyReport:
    return rep.apply_changes(store, changes, bundle_id=bundle_id or uuid7(), sender="s",
                             file_sha256="f" * 64, kind="device-push")


def local_changes(store: Store) -> list[rep.Change]:
    return [c for _, c in rep.outbox(store)]


# ---------------------------------------------------------------------------- Change
def test_change_dict_round_trip_and_strictness() -> None:
    a = new_store(name="a")
    person(a, languages=["it", "en"])
    for c in local_changes(a):
        assert rep.Change.from_dict(c.as_dict()) == c
    good = local_changes(a)[0].as_dict()
    bad: list[dict[str, Any]] = [
        {**good, "extra": 1},
        {k: v for k, v in good.items() if k != "base"},
        {**good, "tbl": "audit"},
        {**good, "tbl": "person; DROP TABLE person"},
        {**good, "field": "_clock"},
        {**good, "field": "given_name\" = 1 --"},
        {**good, "hlc": good["hlc"].upper()},
        {**good, "hlc": "not-a-stamp"},
        {**good, "hlc": "ffffffffffffffff-0000"},  # beyond year 9999
        {**good, "base": good["hlc"]},  # base must precede the change
        {**good, "rid": 7},
        {**good, "origin": ""},
        {**good, "operator": ["x"]},
        {**good, "field": "_deleted", "value": "yes"},
        {**good, "field": "given_name", "value": {"a": 1}},
        {**good, "field": "languages", "tbl": "person", "value": [float("nan")]},
    ]
    for d in bad:
        with pytest.raises(ValueError):
            rep.Change.from_dict(d)
    with pytest.raises(ValueError):
        rep.Change.from_dict([good])


# ---------------------------------------------------------------------------- outbox
def test_outbox_acknowledge_and_unsent_are_never_lost() -> None:
    a, hub = new_store(name="a"), new_store(name="hub")
    p = person(a)
    a.update("person", p, {"phone": "123"})
    seqs = [s for s, _ in rep.outbox(a)]
    assert seqs == sorted(seqs) and rep.unsent_count(a) == len(seqs) == rep.last_seq(a)
    rep.acknowledge(a, seqs[2])
    assert [s for s, _ in rep.outbox(a)] == seqs[3:]
    assert rep.unsent_count(a) == len(seqs) - 3
    rep.acknowledge(a, seqs[1])  # never backwards
    assert rep.unsent_count(a) == len(seqs) - 3
    with pytest.raises(ValueError):
        rep.acknowledge(a, rep.last_seq(a) + 1)
    assert [s for s, _ in rep.outbox(a, after_seq=seqs[5])] == seqs[6:]
    # received changes are not ours to send
    b = new_store(name="b")
    person(b)
    push(b, a)
    assert rep.unsent_count(a) == len(seqs) - 3
    assert all(c.origin == a.identity.device_id for _, c in rep.outbox(a))
    push(a, hub)
    assert rep.unsent_count(a) == 0 and list(rep.outbox(a)) == []
    info = rep.sync_info(a)
    assert (info["unsent"], info["applied_bundles"], info["open_conflicts"]) == (0, 1, 0)
    assert info["acked_seq"] == max(s for s, c in
                                    [(r["seq"], r) for r in rows(a, "change")]
                                    if c["origin"] == a.identity.device_id)


def test_outbox_limit_never_splits_a_write() -> None:
    a = new_store(name="a")
    for _ in range(3):
        person(a, phone="1", notes="n")  # several changes per write, one stamp
    per_write = len(list(rep.outbox(a))) // 3
    got = list(rep.outbox(a, limit=per_write + 1))
    assert len(got) == 2 * per_write
    assert len({c.hlc for _, c in got}) == 2
    rest = list(rep.outbox(a, after_seq=got[-1][0], limit=1))
    assert len(rest) == per_write


# ---------------------------------------------------------------------------- apply
def test_round_trip_device_hub_device() -> None:
    a, b, hub = new_store(name="a"), new_store(name="b"), new_store(name="hub")
    p = person(a, phone="333", languages=["it"], privacy_notice=PRIVACY)
    a.add("visit", {"person_id": p, "notes": "prima visita"})
    a.update("person", p, {"notes": "segue"})
    Hub(hub).sync(a, b)
    assert state(a) == state(b) == state(hub)
    assert b.get("person", p).privacy_notice is not None
    assert [r.id for r in b.search("Ross")] == [p]  # FTS follows
    assert b.integrity_check() == []


def test_replay_is_a_no_op_and_change_ids_dedup() -> None:
    a, hub = new_store(name="a"), new_store(name="hub")
    person(a)
    changes = local_changes(a)
    first = apply(hub, changes, "bundle-1")
    assert (first.applied, first.duplicate) == (len(changes), False)
    before = state(hub), rows(hub, "change"), rows(hub, "applied_bundle")
    again = apply(hub, changes, "bundle-1")
    assert again.duplicate and again.applied == 0
    assert (state(hub), rows(hub, "change"), rows(hub, "applied_bundle")) == before
    resend = apply(hub, changes + changes[:2], "bundle-2")  # lost ack: resent in a new bundle
    assert (resend.duplicate, resend.applied, resend.skipped) == (False, 0, len(changes) + 2)
    assert rep.is_applied(hub, "bundle-2") and state(hub) == before[0]


def test_same_change_id_with_another_value_refuses_the_whole_bundle() -> None:
    a, hub = new_store(name="a"), new_store(name="hub")
    p = person(a)
    changes = local_changes(a)
    apply(hub, changes[:3], "b1")
    before = state(hub), rows(hub, "change")
    forged = dataclasses.replace(changes[2], value="Forged")
    more = new_store(name="c")
    person(more)
    with pytest.raises(ValueError):
        apply(hub, [*local_changes(more), forged], "b2")
    with pytest.raises(ValueError):  # inside one bundle too
        apply(hub, [changes[4], dataclasses.replace(changes[4], value="x")], "b3")
    changed_twice = dataclasses.replace(changes[0], value="2020-01-01T00:00:00.000Z")
    with pytest.raises(ValueError):  # against the log
        apply(hub, [changed_twice], "b4")
    assert (state(hub), rows(hub, "change")) == before
    assert not any(rep.is_applied(hub, b) for b in ("b2", "b3", "b4"))
    assert p


def test_children_before_parents_and_partial_rows_converge() -> None:
    a, hub = new_store(name="a"), new_store(name="hub")
    p = person(a)
    v = a.add("visit", {"person_id": p}).id
    changes = local_changes(a)
    visit_part = [c for c in changes if c.tbl == "visit"]
    person_part = [c for c in changes if c.tbl == "person"]
    apply(hub, visit_part[::-1])  # the child first, fields in reverse
    apply(hub, person_part[:2])  # a partial person row
    assert hub.execute_read("SELECT count(*) FROM person")[0][0] == 1
    apply(hub, person_part[2:])
    assert state(hub) == state(a)
    assert hub.get("visit", v).person_id == p
    assert hub.integrity_check() == []


def test_updated_at_and_clock_follow_the_newest_stamp() -> None:
    a, b = new_store(name="a"), new_store(name="b")
    p = person(a)
    a.update("person", p, {"phone": "1"})
    push(a, b)
    for s in (a, b):
        row = s.execute_read("SELECT updated_at, _clock FROM person")[0]
        clock = json.loads(row["_clock"])
        assert row["updated_at"] == stamp_time(str(clock_top(clock)))
        assert set(clock) == {"*", "phone"}
    assert rows(a, "person") == rows(b, "person")


# ---------------------------------------------------------------------------- merge rule
def two_devices() -> tuple[Store, Store, Store, str]:
    a, b, hub = new_store(name="a"), new_store(name="b"), new_store(name="hub")
    p = person(a)
    Hub(hub).sync(a, b)
    return a, b, hub, p


def test_concurrent_edit_same_field_converges_and_is_flagged_everywhere() -> None:
    a, b, hub, p = two_devices()
    a.update("person", p, {"phone": "111"})
    b.update("person", p, {"phone": "222"})
    b.update("person", p, {"notes": "solo b"})
    Hub(hub).sync(a, b)
    assert state(a) == state(b) == state(hub)
    conflicts = rep.list_conflicts(a)
    assert len(conflicts) == 1
    c = conflicts[0]
    assert a.get("person", p).phone == c.current_value
    assert {c.current_value, c.other_value} == {"111", "222"}
    assert (c.current_hlc, c.current_origin) > (c.other_hlc, c.other_origin)
    assert a.get("person", p).notes == "solo b"
    assert [x.as_dict() for x in rep.list_conflicts(b)] == [c.as_dict()]
    operators = {"111": "op-a", "222": "op-b"}  # who made each value, from the change log
    assert (c.current_operator, c.other_operator) == (operators[c.current_value],
                                                      operators[c.other_value])


def test_different_fields_merge_without_conflict() -> None:
    a, b, hub, p = two_devices()
    a.update("person", p, {"phone": "111"})
    b.update("person", p, {"address": "via Roma 1"})
    Hub(hub).sync(a, b)
    assert state(a) == state(b)
    got = b.get("person", p)
    assert (got.phone, got.address) == ("111", "via Roma 1")
    assert rep.list_conflicts(a, status=None) == []


def test_sequential_edits_are_not_conflicts() -> None:
    a, b, hub, p = two_devices()
    a.update("person", p, {"phone": "111"})
    Hub(hub).sync(a, b)
    b.update("person", p, {"phone": "222"})
    Hub(hub).sync(a, b)
    assert a.get("person", p).phone == "222"
    assert rep.list_conflicts(a, status=None) == []


def test_delete_is_sticky_and_edit_after_delete_is_a_conflict() -> None:
    a, b, hub, p = two_devices()
    a.delete("person", p)
    b.update("person", p, {"phone": "999"})  # b has not seen the delete
    Hub(hub).sync(a, b)
    assert state(a) == state(b) == state(hub)
    assert hub.execute_read("SELECT _deleted FROM person")[0][0] == 1
    assert a.list_records("person") == []
    (c,) = rep.list_conflicts(b)
    assert (c.kind, c.field, c.current_value, c.other_value) == (
        "edit_after_delete", "phone", True, "999")
    # keeping the edit restores the record, with the edit
    rep.resolve_conflict(b, c.id, "other")
    Hub(hub).sync(a, b)
    assert state(a) == state(b) == state(hub)
    assert a.get("person", p).phone == "999"
    assert rep.list_conflicts(a) == [] and rep.list_conflicts(hub, status="resolved")


def test_resolving_edit_after_delete_by_keeping_the_delete() -> None:
    a, b, hub, p = two_devices()
    a.delete("person", p)
    b.update("person", p, {"phone": "999"})
    Hub(hub).sync(a, b)
    (c,) = rep.list_conflicts(hub)
    rep.resolve_conflict(hub, c.id, "current")
    Hub(hub).sync(a, b)
    assert state(a) == state(b) == state(hub)
    assert rep.list_conflicts(a, status="open") == []
    assert a.list_records("person") == []
    with pytest.raises(InvalidInput):
        rep.resolve_conflict(a, c.id, "other")


def test_resolution_is_a_new_edit_that_syncs() -> None:
    a, b, hub, p = two_devices()
    a.update("person", p, {"phone": "111"})
    b.update("person", p, {"phone": "222"})
    Hub(hub).sync(a, b)
    (c,) = rep.list_conflicts(hub)
    before = rep.last_seq(b)
    rep.resolve_conflict(b, c.id, "other")
    assert rep.last_seq(b) == before + 1
    (_, edit), = [x for x in rep.outbox(b) if x[0] > before]
    assert edit.field == "phone" and edit.value == c.other_value
    assert edit.base == c.current_hlc
    Hub(hub).sync(a, b)
    assert state(a) == state(b) == state(hub)
    assert a.get("person", p).phone == c.other_value
    assert rep.list_conflicts(a) == [] and len(rep.list_conflicts(a, status="resolved")) == 1


def test_referral_events_are_a_set_union() -> None:
    a, b, hub = new_store(name="a"), new_store(name="b"), new_store(name="hub")
    p = person(a, privacy_notice=PRIVACY)
    n = a.add("need", {"person_id": p, "area": "elderly", "category": "shopping",
                       "description": "spesa"}).id
    vol = a.add("volunteer", {"given_name": "Lia", "family_name": "Neri", "phone": "1"}).id
    r = a.add("referral", {"need_id": n, "volunteer_id": vol, "brief": "spesa"}).id
    Hub(hub).sync(a, b)
    a.update("referral", r, {"status": "sent", "note": "da a"})
    b.update("referral", r, {"status": "cancelled", "reason": "doppione", "note": "da b"})
    Hub(hub).sync(a, b)
    assert state(a) == state(b) == state(hub)
    notes = {e.note for e in hub.get("referral", r).history}  # type: ignore[attr-defined]
    assert {"da a", "da b"} <= notes
    assert len(rep.list_conflicts(hub)) == 1  # the status field itself


# ---------------------------------------------------------------------------- clocks
def future_stamp(days: int = 2) -> str:
    return format_stamp(wall_ms_now() + MAX_OFFSET_MS + days * 86_400_000, 0)


def test_far_future_stamp_is_flagged_not_trusted_and_can_be_overridden() -> None:
    a, b, hub, p = two_devices()
    stamp = future_stamp()
    created = hub.execute_read("SELECT hlc FROM change WHERE field = 'created_at'")[0][0]
    skewed = rep.Change("person", p, "phone", "555", stamp, "skewed-device", "x", created)
    clock_before = hub.hlc()
    report = apply(hub, [skewed])
    assert report.flagged_future == 1
    assert hub.hlc() == clock_before  # the hub's clock did not jump
    assert parse_stamp(hub.stamp())[0] < parse_stamp(stamp)[0]
    assert hub.get("person", p).phone == "555"  # applied (LWW by stamp, deterministic)
    assert [f["hlc"] for f in rep.clock_flags(hub)] == [stamp]
    assert rep.sync_info(hub)["future_clock_flags"] == 1
    # a correction made afterwards still wins, on every replica
    Hub(hub).sync(a, b)
    a.update("person", p, {"phone": "777"})
    Hub(hub).sync(a, b)
    assert state(a) == state(b) == state(hub)
    assert hub.get("person", p).phone == "777"


# ---------------------------------------------------------------------------- atomicity
def test_a_failure_mid_apply_leaves_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    a, hub = new_store(name="a"), new_store(name="hub")
    person(hub)
    for _ in range(5):
        person(a)
    before = state(hub), rows(hub, "change"), rows(hub, "audit")
    calls = {"n": 0}
    real = ingest_batch.fold_record

    def failing(kind: str, entries: Any) -> dict[str, Any]:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk on fire")
        return real(kind, entries)

    monkeypatch.setattr(ingest_batch, "fold_record", failing)
    with pytest.raises(RuntimeError):
        apply(hub, local_changes(a), "b1")
    assert (state(hub), rows(hub, "change"), rows(hub, "audit")) == before
    assert not rep.is_applied(hub, "b1")
    monkeypatch.setattr(ingest_batch, "fold_record", real)
    apply(hub, local_changes(a), "b1")
    assert len(rows(hub, "person")) == 6
    assert hub.execute_read("PRAGMA foreign_keys")[0][0] == 1


def test_conflict_ids_are_independent_of_arrival_order() -> None:
    a, b, c = new_store(name="a"), new_store(name="b"), new_store(name="c")
    p = person(a)
    push(a, b, bundle_id="x")
    assert local_changes(a) == []  # acknowledged
    a.update("person", p, {"phone": "1", "notes": "a"})
    b.update("person", p, {"phone": "2", "notes": "b"})
    ch_a, ch_b = local_changes(a), local_changes(b)
    created = [x for x in rows(b, "change") if x["origin"] == a.identity.device_id]
    creation = [rep.Change(r["tbl"], r["rid"], r["field"], json.loads(r["value"]), r["hlc"],
                           r["origin"], r["operator"], r["base"]) for r in created]
    d1, d2 = new_store(name="d1"), new_store(name="d2")
    for order, target in (([creation, ch_a, ch_b], d1), ([ch_b, ch_a, creation], d2)):
        for bundle in order:
            apply(target, bundle)
    apply(c, ch_b + creation + ch_a)
    assert state(d1) == state(d2) == state(c)
    assert len(rep.list_conflicts(d1)) == 2


def test_unknown_conflict_and_bad_keep() -> None:
    a = new_store(name="a")
    with pytest.raises(NotFound):
        rep.resolve_conflict(a, "nope", "current")
    with pytest.raises(InvalidInput):
        rep.resolve_conflict(a, "nope", "both")  # type: ignore[arg-type]

