"""The write API: validation, change log, audit, one transaction, tombstones, search."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fieldwelfare.errors import InvalidInput, NotFound
from fieldwelfare.store import Store, open_store
from fieldwelfare.store.dbapi import sqlite3  # the store's SQLite (its FTS tokenizers)

PERSON = {"given_name": "Maria", "family_name": "Rossi", "comune": "097042",
          "languages": ["it"], "birth_year": 1941}
NOTICE = {"version": "2025-01", "given_on": "2026-01-10", "given_by": "Anna Operatrice"}


def counts(store: Store) -> dict[str, int]:
    tables = ["person", "visit", "need", "volunteer", "availability", "referral",
              "referral_event", "change", "audit"]
    return {t: store.execute_read(f"SELECT count(*) FROM {t}")[0][0] for t in tables}


def changes(store: Store, rid: str) -> list[dict[str, Any]]:
    return [dict(r) for r in store.execute_read(
        "SELECT field, value, hlc, origin, operator, base FROM change WHERE rid = ? ORDER BY seq",
        [rid])]


def test_add_writes_row_change_per_field_and_audit(store: Store) -> None:
    before = counts(store)
    p = store.add("person", PERSON)
    after = counts(store)
    assert after["person"] == before["person"] + 1
    assert after["audit"] == before["audit"] + 2  # the creation, and the seal of its changes
    logged = changes(store, p.id)
    fields = {c["field"] for c in logged}
    assert fields == {"created_at", "created_by", "given_name", "family_name", "comune",
                      "languages", "birth_year", "owner"}
    assert {c["origin"] for c in logged} == {store.identity.device_id}
    assert {c["operator"] for c in logged} == {"Anna Operatrice"}
    assert len({c["hlc"] for c in logged}) == 1  # one write, one stamp
    assert json.loads(next(c["value"] for c in logged if c["field"] == "languages")) == ["it"]
    audit = store.execute_read("SELECT action, tbl, rid, detail FROM audit ORDER BY seq DESC")
    assert tuple(audit[1]) == ("create", "person", p.id, None)
    assert audit[0]["action"] == "changes"
    assert json.loads(audit[0]["detail"])["count"] == len(logged)


def test_update_changes_only_given_fields_and_logs_only_them(store: Store) -> None:
    p = store.add("person", PERSON)
    q = store.update("person", p.id, {"phone": "0341 123456", "given_name": "Maria"})
    assert q.model_dump()["phone"] == "0341 123456"
    assert q.model_dump()["family_name"] == "Rossi"
    upd = [c for c in changes(store, p.id) if c["base"] is not None]
    assert [c["field"] for c in upd] == ["phone"]  # given_name did not change
    assert upd[0]["base"] < upd[0]["hlc"]


def test_failing_write_leaves_nothing(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    before = counts(store)

    def boom(conn: sqlite3.Connection, entries: list[Any]) -> None:
        raise sqlite3.OperationalError("disk I/O error (simulated)")

    monkeypatch.setattr("fieldwelfare.store.writer.append_entries", boom)
    with pytest.raises(sqlite3.OperationalError):
        store.add("person", PERSON)
    monkeypatch.undo()
    assert counts(store) == before
    store.add("person", PERSON)  # the store still works, and the audit chain is intact
    assert store.integrity_check() == []


def test_invalid_input_writes_nothing(store: Store) -> None:
    before = counts(store)
    for kind, data in [("person", {**PERSON, "comune": "1"}), ("person", {"x": 1}),
                       ("need", {"area": "elderly", "category": "meals"}),
                       ("visit", {"person_id": "01a215b5-0a8a-70ab-bfe4-c436c52740e0"})]:
        with pytest.raises(InvalidInput):
            store.add(kind, data)
    assert counts(store) == before


def test_read_only_and_unknown_fields_on_update(store: Store) -> None:
    p = store.add("person", PERSON)
    with pytest.raises(InvalidInput, match="non modificabile"):
        store.update("person", p.id, {"created_by": "someone"})
    with pytest.raises(InvalidInput) as info:
        store.update("person", p.id, {"colour": "blue"})
    assert info.value.field == "colour" and info.value.allowed
    with pytest.raises(NotFound):
        store.update("person", "01a215b5-0a8a-70ab-bfe4-c436c52740e0", {"phone": "1"})


def test_delete_is_a_tombstone(store: Store) -> None:
    p = store.add("person", PERSON)
    store.delete("person", p.id)
    with pytest.raises(NotFound, match="eliminato"):
        store.get("person", p.id)
    assert store.count("person") == 0
    assert store.list_records("person", search="rossi") == []
    row = store.execute_read("SELECT _deleted, family_name FROM person WHERE id = ?", [p.id])
    assert tuple(row[0]) == (1, "Rossi")  # the row stays, for sync
    assert changes(store, p.id)[-1]["field"] == "_deleted"


def test_need_defaults_from_person_and_transitions(store: Store) -> None:
    p = store.add("person", PERSON)
    n = store.add("need", {"person_id": p.id, "area": "elderly", "category": "meals",
                           "description": "Pasti a domicilio"})
    data = n.model_dump(mode="json")
    assert data["comune"] == "097042" and data["status"] == "open" and data["opened_on"]
    met = store.update("need", n.id, {"status": "met"}).model_dump(mode="json")
    assert met["closed_on"] is not None
    with pytest.raises(InvalidInput, match="non ammesso"):
        store.update("need", n.id, {"status": "closed_unmet"})
    reopened = store.update("need", n.id, {"status": "open"}).model_dump(mode="json")
    assert reopened["closed_on"] is None


def test_references_must_exist(store: Store) -> None:
    with pytest.raises(InvalidInput) as info:
        store.add("visit", {"person_id": "01a215b5-0a8a-70ab-bfe4-c436c52740e0"})
    assert info.value.field == "person_id"


def referral_setup(store: Store, *, notice: bool) -> tuple[str, str]:
    p = store.add("person", {**PERSON, **({"privacy_notice": NOTICE} if notice else {})})
    n = store.add("need", {"person_id": p.id, "area": "elderly", "category": "transport",
                           "description": "Accompagnamento", "urgency": "high"})
    v = store.add("volunteer", {"given_name": "Luca", "family_name": "Bianchi",
                                "phone": "333 1234567", "skills": ["transport"]})
    return n.id, v.id


def test_referral_lifecycle_and_history(store: Store) -> None:
    need_id, vol_id = referral_setup(store, notice=True)
    r = store.add("referral", {"need_id": need_id, "volunteer_id": vol_id, "brief": "Giovedì"})
    assert r.model_dump()["category"] == "transport"
    rid = r.id
    store.update("referral", rid, {"status": "sent", "note": "chiamato"})
    with pytest.raises(InvalidInput, match="reason"):
        store.update("referral", rid, {"status": "declined"})
    store.update("referral", rid, {"status": "accepted"})
    store.update("referral", rid, {"status": "in_progress"})
    with pytest.raises(InvalidInput, match="outcome"):
        store.update("referral", rid, {"status": "completed"})
    done = store.update("referral", rid, {"status": "completed", "outcome": "Accompagnata"})
    history = [(e.status, e.note) for e in done.history]  # type: ignore[attr-defined]
    assert history == [("proposed", None), ("sent", "chiamato"), ("accepted", None),
                       ("in_progress", None), ("completed", None)]
    with pytest.raises(InvalidInput, match="da 'completed'"):
        store.update("referral", rid, {"status": "cancelled", "reason": "x"})


def test_referral_cannot_be_sent_before_privacy_notice(store: Store) -> None:
    need_id, vol_id = referral_setup(store, notice=False)
    with pytest.raises(InvalidInput, match="informativa"):
        store.add("referral", {"need_id": need_id, "volunteer_id": vol_id, "brief": "b",
                               "status": "sent"})
    r = store.add("referral", {"need_id": need_id, "volunteer_id": vol_id, "brief": "b"})
    with pytest.raises(InvalidInput, match="informativa"):
        store.update("referral", r.id, {"status": "sent"})
    store.update("referral", r.id, {"status": "cancelled", "reason": "Caso chiuso"})


def test_availability_overlap_refused(store: Store) -> None:
    v = store.add("volunteer", {"given_name": "A", "family_name": "B", "email": "a@b.it"})
    slot = {"volunteer_id": v.id, "weekday": 2, "valid_from": "2026-01-01"}
    store.add("availability", {**slot, "start": "09:00", "end": "12:00"})
    store.add("availability", {**slot, "start": "12:00", "end": "13:00"})  # touching is fine
    store.add("availability", {**slot, "weekday": 3, "start": "09:00", "end": "12:00"})
    with pytest.raises(InvalidInput, match="si sovrappone"):
        store.add("availability", {**slot, "start": "11:00", "end": "12:30"})
    # not overlapping in dates: an old slot that ended before this one starts
    store.add("availability", {**slot, "start": "18:00", "end": "19:00", "valid_to": "2026-01-31"})
    store.add("availability", {**slot, "start": "18:30", "end": "19:30",
                               "valid_from": "2026-02-01"})


def test_list_where_search_order_paging(store: Store) -> None:
    for i, (given, family, comune) in enumerate([("Maria", "Rossi", "097042"),
                                                 ("Mario", "Rossini", "097008"),
                                                 ("Giulia", "Bianchi", "097042")]):
        store.add("person", {"given_name": given, "family_name": family, "comune": comune,
                             "birth_year": 1950 + i})
    assert {p.model_dump()["family_name"] for p in store.list_records("person", search="ross")} \
        == {"Rossi", "Rossini"}
    assert [p.model_dump()["given_name"] for p in store.list_records("person",
                                                                     search="mar ross")] \
        == ["Mario", "Maria"]
    assert store.count("person", where={"comune": "097042"}) == 2
    assert store.count("person", where={"comune": ["097042", "097008"]}) == 3
    assert store.count("person", where={"birth_year": "1951"}) == 1
    names = [p.model_dump()["family_name"] for p in
             store.list_records("person", order_by="family_name", limit=2, offset=1)]
    assert names == ["Rossi", "Rossini"]
    with pytest.raises(InvalidInput):
        store.list_records("person", where={"colour": "x"})
    with pytest.raises(InvalidInput) as info:
        store.list_records("need", where={"urgency": "very"})
    assert info.value.allowed == ["low", "medium", "high", "urgent"]


def test_search_ignores_accents(store: Store) -> None:
    store.add("organisation", {"name": "Società San Vincenzo", "kind": "odv"})
    assert len(store.list_records("organisation", search="societa")) == 1
    assert len(store.list_records("organisation", search="SOCIETÀ vinc")) == 1


def test_search_inside_words_ignores_accents(store: Store) -> None:
    """Issue #11: three letters inside a word match whatever the accents, typed or stored."""
    nicolo = store.add("person", {**PERSON, "given_name": "Nicolò", "family_name": "Pedretti",
                                   "address": "Via Cantù 4"})
    store.add("person", {**PERSON, "given_name": "Nicola", "family_name": "Pedretti"})
    assert [p.id for p in store.list_records("person", search="icolo")] == [nicolo.id]
    assert [p.id for p in store.list_records("person", search="ANTU")] == [nicolo.id]
    store.add("organisation", {"name": "Casa di Carità Sant'Anna", "kind": "odv"})
    assert store.count("organisation", search="arita") == 1
    assert store.count("organisation", search="ritÀ") == 1


def test_search_matches_inside_words(store: Store) -> None:
    """Issue #11 point 15: three letters anywhere inside a word, in every searchable kind,
    kept up to date by updates and deletes."""
    anghileri = store.add("person", {**PERSON, "family_name": "Anghileri",
                                      "address": "Via del Castello 3"})
    store.add("need", {"person_id": anghileri.id, "area": "elderly", "category": "shopping",
                       "description": "Spesa al supermercato", "opened_on": "2025-01-02"})
    store.add("volunteer", {"given_name": "Pierangelo", "family_name": "Bonfanti",
                            "phone": "333 0000000"})
    store.add("organisation", {"name": "Cooperativa La Vecchia Quercia", "kind": "odv"})
    assert [p.id for p in store.list_records("person", search="ghil")] == [anghileri.id]
    assert store.count("person", search="castello") == 1
    assert store.count("person", search="ghil castel") == 1  # every word must match
    assert store.count("person", search="ghil zzz") == 0
    assert store.count("need", search="mercato") == 1
    assert store.count("volunteer", search="angelo") == 1
    assert store.count("organisation", search="quercia vecc") == 1
    assert store.count("person", search="gh") == 0  # two letters: word starts only
    store.update("person", anghileri.id, {"family_name": "Panzeri"})
    assert store.count("person", search="ghil") == 0
    assert store.count("person", search="anze") == 1
    store.delete("person", anghileri.id)
    assert store.count("person", search="anze") == 0
    castello = store.add("person", {**PERSON, "family_name": "Sala", "comune": "097019"})
    assert [p.id for p in store.list_records("person", search="castello")] == [castello.id]
    assert store.count("person", search="sala brianza") == 1  # Castello di Brianza
    assert store.count("person", search="rossi brianza") == 0


def test_list_fields_where_contains(store: Store) -> None:
    store.add("volunteer", {"given_name": "A", "family_name": "B", "email": "a@b.it",
                            "skills": ["transport", "meals"], "has_car": True})
    store.add("volunteer", {"given_name": "C", "family_name": "D", "email": "c@d.it",
                            "skills": ["meals"]})
    assert store.count("volunteer", where={"skills": "meals"}) == 2
    assert store.count("volunteer", where={"skills": "transport", "has_car": "true"}) == 1


def test_audit_chain_detects_tampering(store: Store) -> None:
    p = store.add("person", PERSON)
    store.update("person", p.id, {"phone": "1"})
    assert store.integrity_check() == []
    with store.transaction() as conn:
        conn.execute("UPDATE audit SET detail = 'phone,notes' WHERE action = 'update'")
    problems = store.integrity_check()
    assert any("audit" in p for p in problems)


def test_identity_and_reopen_keeps_clock(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    s = open_store(path)
    assert not s.identity.initialised
    device = s.identity.device_id
    s.set_identity(device_name="pc-1", operator="Op", role="coordinator", ambito="Merate")
    p = s.add("person", PERSON)
    last = s.hlc()
    s.close()
    s2 = open_store(path)
    assert s2.identity.device_id == device and s2.identity.initialised
    assert s2.identity.role == "coordinator"
    assert s2.hlc() == last
    s2.update("person", p.id, {"phone": "2"})
    assert s2.hlc() > last
    s2.close()


def test_names_of_records_by_id(store: Store) -> None:
    giulia = store.add("volunteer", {"given_name": "Giulia", "family_name": "Conti",
                                     "phone": "333 1"})
    gone = store.add("volunteer", {"given_name": "Aldo", "family_name": "Riva", "phone": "333 2"})
    store.delete("volunteer", gone.id)
    coop = store.add("organisation", {"name": "Cooperativa La Vecchia Quercia", "kind": "odv"})
    assert store.names("volunteer", [giulia.id, gone.id, "nobody", giulia.id]) == {
        giulia.id: "Giulia Conti"}
    assert store.names("organisation", [coop.id]) == {coop.id: "Cooperativa La Vecchia Quercia"}
    assert store.names("volunteer", []) == {}
    with pytest.raises(ValueError):
        store.names("need", [giulia.id])
