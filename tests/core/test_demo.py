"""Demo data: deterministic, valid, covering every vocabulary and every referral state."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from codicefiscale import codicefiscale

from fieldwelfare import demo, vocab
from fieldwelfare.models import KINDS
from fieldwelfare.models.vocabulary import (
    Area,
    Category,
    NeedStatus,
    OrganisationKind,
    ReferralStatus,
    Urgency,
)
from fieldwelfare.store import Store, open_store

TODAY = dt.date(2025, 6, 2)
REF_FIELDS = ("person_id", "visit_id", "need_id", "volunteer_id", "organisation_id")
VOLATILE = {"id", "created_at", "updated_at", "at", "referral_id"}


def _populated(path: Path, seed: int, people: int = 40) -> tuple[Store, demo.DemoSummary]:
    store = open_store(path)
    store.set_identity(device_name="demo", operator="Anna Operatrice", role="coordinator",
                       ambito="Lecco")
    return store, demo.populate(store, seed=seed, people=people, today=TODAY)


@pytest.fixture(scope="module")
def populated(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    store, summary = _populated(path, seed=7, people=60)
    yield store, summary
    store.close()


def _content(store: Store) -> dict[str, list[Any]]:
    """Every record in creation order, ids replaced by (kind, position): comparable across runs."""
    records = {kind: store.list_records(kind, limit=None)  # insertion order (rowid)
               for kind in KINDS}
    position = {r.id: (kind, i) for kind, rs in records.items() for i, r in enumerate(rs)}
    out: dict[str, list[Any]] = {}
    for kind, rs in records.items():
        rows = []
        for record in rs:
            data = record.model_dump(mode="json")
            for field in REF_FIELDS:
                if data.get(field) is not None:
                    data[field] = position[data[field]]
            data["history"] = [
                {k: v for k, v in event.items() if k not in VOLATILE}
                for event in data.get("history", [])
            ]
            rows.append({k: v for k, v in data.items() if k not in VOLATILE})
        out[kind] = rows
    return out


def test_same_seed_same_content(tmp_path: Path) -> None:
    first, a = _populated(tmp_path / "a.db", seed=3)
    second, b = _populated(tmp_path / "b.db", seed=3)
    other, _ = _populated(tmp_path / "c.db", seed=4)
    try:
        assert a == b
        assert _content(first) == _content(second)
        assert _content(first) != _content(other)
        ids = {r.id for r in first.list_records("person", limit=None)}
        assert ids.isdisjoint({r.id for r in second.list_records("person", limit=None)})
    finally:
        for s in (first, second, other):
            s.close()


def test_summary_matches_the_store(populated: Any) -> None:
    store, summary = populated
    counts = summary.as_dict()
    assert counts["people"] == 60
    for kind, key in (("person", "people"), ("visit", "visits"), ("need", "needs"),
                      ("organisation", "organisations"), ("volunteer", "volunteers"),
                      ("availability", "availability"), ("referral", "referrals")):
        assert store.count(kind) == counts[key] > 0
    events = store.execute_read("SELECT count(*) FROM referral_event")[0][0]
    assert events == counts["referrals"] + counts["referral_updates"]


def test_every_referral_state_with_a_genuine_history(populated: Any) -> None:
    store, _ = populated
    referrals = store.list_records("referral", limit=None)
    assert {r.status for r in referrals} == set(ReferralStatus)
    for referral in referrals:
        path = ["proposed", *demo.PATHS[referral.status]]
        assert [e.status for e in referral.history] == path
        if referral.status == "completed":
            assert referral.outcome
        if referral.status in ("declined", "cancelled"):
            assert referral.reason
        need = store.get("need", referral.need_id)
        if referral.status in ("accepted", "in_progress"):
            assert need.status == "in_progress"
        if referral.status == "completed":
            assert need.status == "met"
    notes = {e.note for r in referrals for e in r.history}
    assert "Inviato dopo telefonata di conferma." in notes
    changes = store.execute_read(
        "SELECT count(*) FROM change WHERE tbl = 'referral' AND field = 'status'")[0][0]
    assert changes == len(referrals) + sum(len(r.history) - 1 for r in referrals)


def test_every_vocabulary_is_covered(populated: Any) -> None:
    store, _ = populated
    needs = store.list_records("need", limit=None)
    assert {n.area for n in needs} == set(Area)
    assert {n.category for n in needs} == set(Category)
    assert {n.urgency for n in needs} == set(Urgency)
    assert {n.status for n in needs} == set(NeedStatus)
    assert any(n.person_id is None for n in needs)
    orgs = store.list_records("organisation", limit=None)
    assert {o.kind for o in orgs} == set(OrganisationKind)
    volunteers = store.list_records("volunteer", limit=None)
    assert any(not v.active for v in volunteers) and any(v.active for v in volunteers)
    assert any(v.has_car for v in volunteers) and any(not v.has_car for v in volunteers)


def test_every_comune_is_valid_and_lecco_weighs_most(populated: Any) -> None:
    store, _ = populated
    valid = set(vocab.comuni())
    places: list[str] = []
    for kind in ("person", "need"):
        places += [r.comune for r in store.list_records(kind, limit=None)]
    for kind in ("organisation", "volunteer"):
        for record in store.list_records(kind, limit=None):
            assert record.comuni
            places += record.comuni
    assert set(places) <= valid
    ambiti = Counter(vocab.ambito_of(c) for c in places)
    assert ambiti["Lecco"] > ambiti["Merate"] and ambiti["Lecco"] > ambiti["Bellano"]


def test_people_fiscal_codes_and_privacy(populated: Any) -> None:
    store, _ = populated
    people = store.list_records("person", limit=None)
    coded = [p for p in people if p.fiscal_code]
    assert coded and len(coded) < len(people)
    assert all(codicefiscale.is_valid(p.fiscal_code) for p in coded)
    with_notice = sum(p.privacy_notice is not None for p in people)
    assert len(people) // 2 < with_notice < len(people)
    assert any(lang != "it" for p in people for lang in p.languages)
    visits = store.list_records("visit", limit=None)
    assert {v.kind for v in visits} >= {"home"} and all(v.notes for v in visits)


def test_fiscal_code_matches_the_reference_library() -> None:
    cases = [("Rossi", "Mario", "M", dt.date(1950, 4, 3), "E507"),
             ("D'Angelo", "Nicolò", "M", dt.date(2001, 12, 31), "F133"),
             ("Fò", "Ai", "F", dt.date(1938, 1, 9), "A745"),
             ("Hoxha", "Francesca", "F", dt.date(1979, 8, 21), "B423")]
    for family, given, sex, birth, place in cases:
        expected = codicefiscale.encode(lastname=family, firstname=given,
                                        gender="F" if sex == "F" else "M",
                                        birthdate=birth.strftime("%d/%m/%Y"), birthplace=place)
        assert demo.fiscal_code(family, given, sex, birth, place) == expected


def test_integrity_after_populate(populated: Any) -> None:
    store, _ = populated
    assert store.integrity_check() == []


def test_progress_is_reported(tmp_path: Path) -> None:
    calls: list[tuple[str, int, int]] = []
    store = open_store(tmp_path / "p.db")
    try:
        demo.populate(store, seed=1, people=20, progress=lambda *a: calls.append(a), today=TODAY)
    finally:
        store.close()
    labels = [c[0] for c in calls]
    assert {"Persone", "Bisogni", "Invii", "Volontari", "Organizzazioni"} <= set(labels)
    assert all(0 <= done <= total for _, done, total in calls)
    last = {label: (done, total) for label, done, total in calls}
    assert all(done == total for done, total in last.values())


def test_bulk_rows_are_valid_and_deterministic(store: Store) -> None:
    people = list(demo.bulk_rows("person", 50, seed=5, today=TODAY))
    again = list(demo.bulk_rows("person", 50, seed=5, today=TODAY))
    strip = [{k: v for k, v in r.items() if k != "id"} for r in people]
    assert strip == [{k: v for k, v in r.items() if k != "id"} for r in again]
    assert store.add_many("person", people) == 50
    needs = demo.bulk_rows("need", 80, refs={"person_id": [p["id"] for p in people]})
    assert store.add_many("need", needs) == 80
    vols = list(demo.bulk_rows("volunteer", 5))
    store.add_many("volunteer", vols)
    slots = list(demo.bulk_rows("availability", 40, refs={"volunteer_id": [v["id"] for v in vols]}))
    store.add_many("availability", slots)
    by_day: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for s in slots:
        by_day.setdefault((s["volunteer_id"], s["weekday"]), []).append((s["start"], s["end"]))
    for spans in by_day.values():
        spans.sort()
        assert all(a[1] <= b[0] for a, b in pairwise(spans))
    with pytest.raises(ValueError):
        list(demo.bulk_rows("referral", 1))
    assert store.integrity_check() == []
