"""The optimised bulk write path keeps every guarantee of the single-record path."""

from __future__ import annotations

from typing import Any

import pytest

from fieldwelfare.errors import InvalidInput
from fieldwelfare.models import Referral
from fieldwelfare.store import Store
from fieldwelfare.store import writer as store_module
from fieldwelfare.store.codec import encode_value

PERSON: dict[str, Any] = {
    "given_name": "Nicolò", "family_name": "D'Angelo", "comune": "097042",
    "birth_year": 1948, "languages": ["it", "sq"], "phone": "+39 333 1234567",
    "privacy_notice": {"version": "2024.1", "given_on": "2024-05-02", "given_by": "Anna"},
}
VOLUNTEER: dict[str, Any] = {
    "given_name": "Ugo", "family_name": "Sala", "email": "ugo@posta.example",
    "skills": ["transport", "meals"], "comuni": ["097042"], "has_car": True,
}


@pytest.mark.parametrize("value", [
    "testo «àèìòù» \"quoted\" \\ \n", 0, -3, 1.5, True, False, None, [], ["b", "a"],
    {"z": 1, "a": [1, {"y": None, "b": "é"}]},
])
def test_canonical_encoder_equals_encode_value(value: Any) -> None:
    assert store_module._canonical(value) == encode_value(value)


def _logged(store: Store, rid: str) -> dict[str, str]:
    return {r["field"]: r["value"] for r in store.execute_read(
        "SELECT field, value FROM change WHERE rid = ? ORDER BY seq", [rid])}


def _row(store: Store, kind: str, rid: str) -> dict[str, Any]:
    row = dict(store.execute_read(f"SELECT * FROM {kind} WHERE id = ?", [rid])[0])
    for key in ("_rowid", "id", "created_at", "updated_at", "_clock"):
        row.pop(key)
    return row


@pytest.mark.parametrize(("kind", "data"), [("person", PERSON), ("volunteer", VOLUNTEER)])
def test_add_many_writes_what_add_writes(store: Store, kind: str, data: dict[str, Any]) -> None:
    one = store.add(kind, data).id
    store.add_many(kind, [data, data])
    many = [r.id for r in store.list_records(kind, limit=None) if r.id != one]
    assert len(many) == 2
    single = _logged(store, one)
    for rid in many:
        logged = _logged(store, rid)
        assert logged.keys() == single.keys()
        assert {k: v for k, v in logged.items() if k != "created_at"} == \
            {k: v for k, v in single.items() if k != "created_at"}
        assert _row(store, kind, rid) == _row(store, kind, one)
    audits = store.execute_read("SELECT rid FROM audit WHERE action = 'create'")
    assert {a["rid"] for a in audits} >= {one, *many}
    assert len(store.list_records(kind, search="ugo" if kind == "volunteer" else "nicol")) == 3
    assert store.integrity_check() == []


def test_add_many_is_all_or_nothing(store: Store) -> None:
    with pytest.raises(InvalidInput) as bad_field:
        store.add_many("person", [PERSON, {**PERSON, "nickname": "x"}])
    with pytest.raises(InvalidInput) as single:
        store.add("person", {**PERSON, "nickname": "x"})
    assert str(bad_field.value) == str(single.value)
    with pytest.raises(InvalidInput):
        store.add_many("need", [
            {"comune": "097042", "area": "elderly", "category": "meals", "description": "ok"},
            {"comune": "097042", "area": "elderly", "category": "meals", "description": "x",
             "person_id": "01900000-0000-7000-8000-000000000000"},
        ])
    assert store.count("person") == store.count("need") == 0
    assert store.execute_read("SELECT count(*) FROM change")[0][0] == 0


def test_referral_created_in_bulk_has_its_first_event(store: Store) -> None:
    need = store.add("need", {"comune": "097042", "area": "elderly", "category": "meals",
                              "description": "pasti"}).id
    vid = store.add("volunteer", VOLUNTEER).id
    store.add_many("referral", [{"need_id": need, "volunteer_id": vid, "brief": "b"}] * 2)
    referrals = [r for r in store.list_records("referral", limit=None)
                 if isinstance(r, Referral)]
    assert len(referrals) == 2
    assert [[e.status for e in r.history] for r in referrals] == [["proposed"], ["proposed"]]
    assert all(r.category == "meals" and r.comune == "097042" for r in referrals)
