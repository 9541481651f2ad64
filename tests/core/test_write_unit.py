"""The write unit: one transaction for several writes, the injected clock, nesting."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from fieldwelfare.clock import FixedClock
from fieldwelfare.errors import InvalidInput
from fieldwelfare.hlc import parse_stamp
from fieldwelfare.store import Store, open_store
from fieldwelfare.visits import NeedRefused, log_visit

PERSON = {"given_name": "Maria", "family_name": "Rossi", "comune": "097042"}
NEED = {"area": "elderly", "category": "shopping", "description": "Spesa", "urgency": "high"}


def counts(store: Store) -> tuple[int, ...]:
    return tuple(store.execute_read(f"SELECT count(*) FROM {t}")[0][0]
                 for t in ("person", "visit", "need", "change", "audit"))


def test_a_unit_commits_together_or_not_at_all(store: Store) -> None:
    before = counts(store)
    with pytest.raises(InvalidInput), store.writing() as w:
        w.add("person", PERSON)
        w.add("person", {**PERSON, "comune": "1"})
    assert counts(store) == before
    with store.writing() as w:
        a = w.add("person", PERSON)
        b = w.add("person", {**PERSON, "given_name": "Giulia"})
    assert store.get("person", a.id) and store.get("person", b.id)


def test_a_unit_opened_inside_a_unit_joins_it(store: Store) -> None:
    before = counts(store)
    with pytest.raises(RuntimeError), store.writing():
        store.add("person", PERSON)  # the one-shot form joins the open unit
        raise RuntimeError("stop")
    assert counts(store) == before


def test_log_visit_is_all_or_nothing(store: Store) -> None:
    person = store.add("person", PERSON)
    before = counts(store)
    visit = {"person_id": person.id, "kind": "home", "notes": "visita"}
    with pytest.raises(NeedRefused) as info:
        log_visit(store, visit, [NEED, {**NEED, "urgency": "sometimes"}])
    assert info.value.number == 2 and info.value.field == "urgency"
    assert counts(store) == before
    visit_id, stored = log_visit(store, visit, [NEED, {**NEED, "category": "meals"}])
    assert stored == 2
    needs = store.list_records("need", where={"visit_id": visit_id})
    assert {n.model_dump()["category"] for n in needs} == {"shopping", "meals"}


def test_the_injected_clock_dates_everything(tmp_path: Path) -> None:
    later = dt.datetime(2031, 9, 15, 9, 0, tzinfo=dt.UTC)
    store = open_store(tmp_path / "a.db", clock=FixedClock(later))
    store.set_identity(device_name="pc", operator="Anna", role="coordinator", ambito="Lecco")
    person = store.add("person", PERSON)
    visit = store.add("visit", {"person_id": person.id, "kind": "home"})
    need = store.add("need", {**NEED, "person_id": person.id})
    assert str(visit.model_dump()["date"]) == "2031-09-15"
    assert str(need.model_dump()["opened_on"]) == "2031-09-15"
    assert person.model_dump()["created_at"].startswith("2031-09-15T09:00")
    wall, _ = parse_stamp(store.hlc())
    assert dt.datetime.fromtimestamp(wall / 1000, dt.UTC).date() == dt.date(2031, 9, 15)
    audit = store.execute_read("SELECT at FROM audit ORDER BY seq DESC LIMIT 1")[0][0]
    assert audit.startswith("2031-09-15")
    assert store.today() == dt.date(2031, 9, 15)
    # "not in the future" is judged by the store's clock, not the machine's
    with pytest.raises(InvalidInput):
        store.add("visit", {"person_id": person.id, "kind": "home", "date": "2031-09-16"})


def test_two_stores_on_one_file_never_share_a_stamp(tmp_path: Path) -> None:
    """The clock is read from the database inside each unit: a second store of the same
    file (another process, in the field) continues after the first one's stamps."""
    path = tmp_path / "a.db"
    frozen = dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC)
    first = open_store(path, clock=FixedClock(frozen, step=dt.timedelta(0)))
    first.set_identity(device_name="pc", operator="Anna", role="coordinator", ambito="Lecco")
    second = open_store(path, clock=FixedClock(frozen, step=dt.timedelta(0)))
    stamps = []
    for i in range(20):
        stamps.append((first if i % 2 else second).stamp())
    assert len(set(stamps)) == 20 and stamps == sorted(stamps)
    assert first.doctor() == [] and second.doctor() == []
