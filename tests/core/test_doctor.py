"""``doctor`` finds tampering: each case is the attack, done with plain SQL on the file
behind the app's back, then the finding, per table."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from fieldwelfare.store import Store, open_store
from fieldwelfare.store.dbapi import sqlite3  # the store's SQLite (its FTS tokenizers)

PERSON = {"given_name": "Maria", "family_name": "Rossi", "comune": "097042",
          "notes": "vive sola"}


def filled(path: Path) -> Store:
    store = open_store(path)
    store.set_identity(device_name="pc", operator="Anna", role="coordinator", ambito="Lecco")
    ids = [store.add("person", {**PERSON, "given_name": f"P{i}"}).id for i in range(3)]
    store.update("person", ids[0], {"phone": "0341 1"})
    need = store.add("need", {"person_id": ids[1], "area": "elderly", "category": "shopping",
                              "description": "Spesa", "urgency": "high"})
    vol = store.add("volunteer", {"given_name": "Luca", "family_name": "B", "phone": "333 1",
                                  "comuni": ["097042"],
                                  "skills": ["shopping"]})
    store.add("referral", {"need_id": need.id, "volunteer_id": vol.id, "brief": "Spesa"})
    store.delete("person", ids[2])
    return store


def tamper(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    with conn:
        for sql in statements:
            conn.execute(sql)
    conn.close()


def test_an_untouched_database_is_ok(tmp_path: Path) -> None:
    store = filled(tmp_path / "a.db")
    assert store.doctor() == []


CASES: dict[str, tuple[tuple[str, ...], str, str]] = {
    "last audit rows deleted": (
        ("DELETE FROM audit WHERE seq > (SELECT max(seq) - 3 FROM audit)",), "audit",
        "voci rimosse"),
    "every audit row deleted": (("DELETE FROM audit",), "audit", "voci rimosse"),
    "audit entry edited": (("UPDATE audit SET operator = 'Mallory' WHERE seq = 2",), "audit",
                           "hash"),
    "change row edited": (
        ("UPDATE change SET value = '\"Mallory\"' WHERE field = 'given_name' AND seq = "
         "(SELECT min(seq) FROM change WHERE field = 'given_name')",), "change", "alterate"),
    "change row deleted": (
        ("DELETE FROM change WHERE seq = (SELECT max(seq) FROM change WHERE tbl = 'person')",),
        "change", "alterate"),
    "change row added": (
        ("INSERT INTO change (tbl, rid, field, value, hlc, origin) SELECT 'person', id, "
         "'notes', '\"x\"', 'ffffffffffff-0000', 'evil' FROM person LIMIT 1",),
        "change", "fuori dall'applicazione"),
    "record row edited": (("UPDATE person SET notes = 'cambiata' WHERE rowid = 1",), "person",
                          "notes"),
    "record row added": (
        ("INSERT INTO person (id, given_name, family_name, comune) VALUES "
         "('01900000-0000-7000-8000-000000000001', 'X', 'Y', '097042')",), "person",
        "senza alcuna modifica"),
    "deleted record brought back": (("UPDATE person SET _deleted = 0",), "person", "_deleted"),
    "referral history edited": (("UPDATE referral_event SET by = 'Mallory'",),
                                "referral_event", "by"),
    # the hostile review's: the last write unit cut whole, with its anchor
    "last unit cut with its anchor": (
        ("DELETE FROM change WHERE seq >= (SELECT json_extract(detail, '$.first') FROM audit "
         "WHERE action = 'changes' ORDER BY seq DESC LIMIT 1)",
         "DELETE FROM audit WHERE seq >= (SELECT max(seq) - 1 FROM audit)",
         "DELETE FROM meta WHERE key = 'audit_head'"), "audit", "manca la testa"),
    "anchor garbled": (("UPDATE meta SET value = 'x' WHERE key = 'audit_head'",), "audit",
                       "manca la testa"),
    "sealing switched off": (
        ("UPDATE meta SET value = '1000000' WHERE key = 'digest_from'",
         "INSERT INTO change (tbl, rid, field, value, hlc, origin) SELECT 'person', id, "
         "'notes', '\"x\"', 'ffffffffffffffff-0000', 'evil' FROM person LIMIT 1"),
        "change", "digest_from alterato"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_doctor_finds_tampering(tmp_path: Path, case: str) -> None:
    statements, area, fragment = CASES[case]
    path = tmp_path / "a.db"
    filled(path).close()
    tamper(path, *statements)
    found = open_store(path).doctor()
    assert found, case
    mine = [p for p in found if p.area == area]
    assert any(fragment in p.message for p in mine), [str(p) for p in found]


def test_doctor_reads_without_blocking_a_writer(tmp_path: Path) -> None:
    """The checks run in a read snapshot: a write from another connection goes through."""
    path = tmp_path / "a.db"
    store = filled(path)
    other = open_store(path)
    seen: list[int] = []
    original: Callable[..., object] = other.add

    store.conn.execute("BEGIN")
    store.conn.execute("SELECT count(*) FROM person").fetchone()  # hold a read snapshot
    original("person", PERSON)
    seen.append(other.count("person"))
    store.conn.execute("COMMIT")
    assert seen == [3] and store.doctor() == []
