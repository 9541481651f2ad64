"""apply_changes streams: it reads, merges and writes ``ingest.BATCH`` changes at a time inside
its one transaction. Splitting a bundle anywhere (a record's changes, an event's fields, a
conflict's two sides, a duplicate and its original) must give exactly what one batch gives:
the same rows, events, conflicts, clock flags, counts and refusals."""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from replication_helpers import LECCO, PRIVACY, Hub, db_dump, new_store, push, state

from fieldwelfare.hlc import MAX_OFFSET_MS, format_stamp, wall_ms_now
from fieldwelfare.ids import uuid7
from fieldwelfare.store import Store, ingest
from fieldwelfare.store import replication as rep

SIZES = (1, 2, 3, 7, 50)
ALL = rep.PeerScope(device_id="someone-else", role="coordinator", ambito="Lecco",
                    volunteer_id=None)


def log(store: Store) -> list[tuple[Any, ...]]:
    """The change log as a set (seqs follow the batching, the content must not)."""
    return sorted(tuple(r) for r in store.execute_read(
        "SELECT tbl, rid, field, value, hlc, origin, operator, base FROM change"))


def flags(store: Store) -> list[tuple[Any, ...]]:
    return sorted((f["tbl"], f["rid"], f["field"], f["hlc"], f["origin"])
                  for f in rep.clock_flags(store))


def counts(report: rep.ApplyReport) -> tuple[Any, ...]:
    return (report.duplicate, report.applied, report.skipped, report.conflicts,
            report.flagged_future)


def apply(store: Store, changes: list[rep.Change], bundle_id: str) -> rep.ApplyReport:
    return rep.apply_changes(store, iter(changes), bundle_id=bundle_id, sender="s",
                             file_sha256="f" * 64, kind="device-push")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Device b (a file) and a bundle of everything the hub holds: creations, concurrent
    edits, an edit after a delete, concurrent referral status changes with notes, a
    far-future stamp, and repeats of some changes far from their originals."""
    root = tmp_path_factory.mktemp("batching")
    a, b, hub = new_store(name="a"), new_store(root / "b.db", name="b"), new_store(name="hub")
    p = a.add("person", {"given_name": "Mario", "family_name": "Rossi", "comune": LECCO,
                         "privacy_notice": PRIVACY}).id
    gone = a.add("person", {"given_name": "Gino", "family_name": "Verdi", "comune": LECCO}).id
    n = a.add("need", {"person_id": p, "area": "elderly", "category": "shopping",
                       "description": "spesa"}).id
    vol = a.add("volunteer", {"given_name": "Lia", "family_name": "Neri", "phone": "1"}).id
    r = a.add("referral", {"need_id": n, "volunteer_id": vol, "brief": "spesa"}).id
    Hub(hub).sync(a, b)
    a.update("person", p, {"phone": "111"})
    b.update("person", p, {"phone": "222"})
    b.update("person", p, {"notes": "solo b"})
    a.delete("person", gone)
    b.update("person", gone, {"phone": "999"})
    a.update("referral", r, {"status": "sent", "note": "da a"})
    b.update("referral", r, {"status": "cancelled", "reason": "doppione", "note": "da b"})
    for i in range(6):
        a.add("person", {"given_name": f"N{i}", "family_name": "Nuovo", "comune": LECCO})
    push(a, hub)
    push(b, hub)
    changes = [c for _, c in rep.changes_for_peer(hub, ALL, since_seq=0)]
    created = next(c.hlc for c in changes if c.rid == p and c.field == "created_at")
    skew = format_stamp(wall_ms_now() + MAX_OFFSET_MS + 2 * 86_400_000, 0)
    changes.append(rep.Change("person", p, "phone", "555", skew, "skewed", "x", created))
    changes += changes[:5] + changes[40:43]  # repeats, in later batches
    b.close()
    return {"root": root, "b": root / "b.db", "changes": changes}


def orders(changes: list[rep.Change]) -> Iterator[list[rep.Change]]:
    yield changes
    yield changes[::-1]
    shuffled = list(changes)
    random.Random(3).shuffle(shuffled)
    yield shuffled


def test_the_bundle_has_what_batching_could_break(world: dict[str, Any]) -> None:
    store = new_store()
    report = apply(store, world["changes"], uuid7())
    kinds = {c.kind for c in rep.list_conflicts(store)}
    assert kinds == {"concurrent_edit", "edit_after_delete"}
    assert report.skipped == 8 and report.flagged_future == 1 and report.conflicts == 5
    assert {e["note"] for e in store.execute_read("SELECT note FROM referral_event")} >= {
        "da a", "da b"}
    assert len(world["changes"]) > 10 * max(SIZES[:-1])


@pytest.mark.parametrize("size", SIZES)
def test_batches_give_what_one_batch_gives_on_a_fresh_store(
        world: dict[str, Any], size: int, monkeypatch: pytest.MonkeyPatch) -> None:
    for changes in orders(world["changes"]):
        bundle_id = uuid7()
        whole = new_store()
        one = apply(whole, changes, bundle_id)
        monkeypatch.setattr(ingest, "BATCH", size)
        split = new_store()
        many = apply(split, changes, bundle_id)
        monkeypatch.setattr(ingest, "BATCH", 10**9)
        assert counts(many) == counts(one)
        assert state(split) == state(whole)
        assert log(split) == log(whole)
        assert flags(split) == flags(whole)


@pytest.mark.parametrize("size", SIZES)
def test_batches_give_what_one_batch_gives_on_a_replica_with_history(
        world: dict[str, Any], size: int, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """On device b, which holds part of the bundle already (its own changes): those are
    skipped whichever batch they fall in, and conflicts pair with its existing log."""
    bundle_id = uuid7()
    stores = []
    for name, batch in (("whole", 10**9), ("split", size)):
        shutil.copy(world["b"], tmp_path / f"{name}.db")
        store = Store(tmp_path / f"{name}.db")
        monkeypatch.setattr(ingest, "BATCH", batch)
        stores.append((store, apply(store, world["changes"], bundle_id)))
    (whole, one), (split, many) = stores
    assert one.skipped > 8  # b's own changes
    assert counts(many) == counts(one)
    assert state(split) == state(whole)
    assert log(split) == log(whole)
    assert flags(split) == flags(whole)
    assert rep.sync_info(split)["hlc"] == rep.sync_info(whole)["hlc"]
    # a replay is a duplicate either way
    assert counts(apply(split, world["changes"], bundle_id))[0] is True
    whole.close()
    split.close()


@pytest.mark.parametrize("size", (1, 2, 10**9))
def test_same_identity_with_another_value_in_a_later_batch_refuses_everything(
        world: dict[str, Any], size: int, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    changes = list(world["changes"][:20])
    first = changes[0]
    forged = rep.Change(first.tbl, first.rid, first.field, "altro", first.hlc, first.origin,
                        first.operator, first.base)
    assert first.value != forged.value
    bundle = [*changes, forged]  # 20 changes apart: another batch unless size is large
    store = new_store(tmp_path / "x.db")
    before = db_dump(tmp_path / "x.db")
    monkeypatch.setattr(ingest, "BATCH", size)
    with pytest.raises(ValueError, match=r"with (another|different) values?"):
        apply(store, bundle, uuid7())
    assert db_dump(tmp_path / "x.db") == before
    assert rep.last_seq(store) == 0
    store.close()


def test_the_transaction_is_open_before_the_first_change_is_read(
        world: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """Streaming: earlier batches are in the log (uncommitted) while later changes are read,
    and an error at the end of the stream (a bag check) rolls all of them back."""
    monkeypatch.setattr(ingest, "BATCH", 4)
    store = new_store()
    seen: list[tuple[bool, int]] = []
    changes = world["changes"][:30]

    def stream(fail: bool) -> Iterator[rep.Change]:
        for c in changes:
            logged = store.conn.execute("SELECT count(*) FROM change").fetchone()[0]
            seen.append((store.conn.in_transaction, logged))
            yield c
        if fail:
            raise ValueError("bag check failed")

    base = rep.last_seq(store)
    with pytest.raises(ValueError, match="bag check"):
        rep.apply_changes(store, stream(True), bundle_id="b-1", sender="s",
                          file_sha256="f" * 64, kind="device-push")
    assert all(in_tx for in_tx, _ in seen)
    assert seen[0][1] == base and seen[-1][1] >= base + 28  # 7 batches written, then read
    assert rep.last_seq(store) == base and not rep.is_applied(store, "b-1")
    seen.clear()
    report = rep.apply_changes(store, stream(False), bundle_id="b-1", sender="s",
                               file_sha256="f" * 64, kind="device-push")
    assert report.applied == 30 and rep.is_applied(store, "b-1")


def test_a_duplicate_bundle_is_still_read_and_checked(world: dict[str, Any]) -> None:
    store = new_store()
    apply(store, world["changes"], "dup")
    dump = state(store), log(store)
    consumed = []

    def stream() -> Iterator[Any]:
        for c in world["changes"]:
            consumed.append(c)
            yield c

    report = rep.apply_changes(store, stream(), bundle_id="dup", sender="s",
                               file_sha256="f" * 64, kind="device-push")
    assert report.duplicate and len(consumed) == len(world["changes"])
    assert (state(store), log(store)) == dump
    with pytest.raises(ValueError, match="Change objects"):
        rep.apply_changes(store, iter([*world["changes"][:3], {"not": "a change"}]),
                          bundle_id="dup", sender="s", file_sha256="f" * 64, kind="x")
