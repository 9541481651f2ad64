"""Schema changes only through numbered migrations: blank database -> latest."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from fieldwelfare.store import open_store
from fieldwelfare.store.migrations import migrations


def test_blank_to_latest(tmp_path: Path) -> None:
    store = open_store(tmp_path / "blank.db")
    db = Database(store.conn)
    assert migrations.pending(db) == []
    applied = [m.name for m in migrations.applied(db)]
    assert applied[0] == "m001_create_records"
    assert applied == sorted(applied), "migrations must be numbered and applied in order"
    person = db["person"].columns_dict
    for column in ("id", "given_name", "family_name", "fiscal_code", "comune", "privacy_notice",
                   "_deleted", "_clock"):
        assert column in person
    change = db["change"].columns_dict
    assert set(change) >= {"seq", "tbl", "rid", "field", "value", "hlc", "origin", "operator",
                           "base"}
    fks = {(fk.table, fk.column, fk.other_table) for fk in db["visit"].foreign_keys}
    assert ("visit", "person_id", "person") in fks
    assert {t for t in db.table_names() if t.endswith("_fts")} >= {
        "person_fts", "need_fts", "volunteer_fts", "organisation_fts"}
    assert {t for t in db.table_names() if t.endswith("_tri")} >= {
        "person_tri", "need_tri", "volunteer_tri", "organisation_tri"}
    pragmas = {
        "journal_mode": store.conn.execute("PRAGMA journal_mode").fetchone()[0],
        "foreign_keys": store.conn.execute("PRAGMA foreign_keys").fetchone()[0],
    }
    assert pragmas == {"journal_mode": "wal", "foreign_keys": 1}
    store.close()


def test_reopen_applies_nothing_twice(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    open_store(path).close()
    store = open_store(path)
    names = [m.name for m in migrations.applied(Database(store.conn))]
    assert len(names) == len(set(names))
    store.close()
