"""The needs list's default order read from its index, and counts that stop early: the
answers are the same as a full sort and a full count (issue #11's speed goals)."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldwelfare.store import Store, queries
from fieldwelfare.store.writer import model_for

DEFAULT = "-urgency,opened_on"
URGENCY = ["low", "medium", "high", "urgent"]
STATUSES = ["open", "in_progress", "met", "closed_unmet"]


def add_needs(store: Store, count: int, seed: int) -> None:
    rng = random.Random(seed)
    person = store.add("person", {"given_name": "Maria", "family_name": "Rossi",
                                  "comune": "097042"})
    store.add_many("need", [
        {"person_id": person.id, "area": "elderly", "category": "shopping",
         "description": f"bisogno {i}", "urgency": rng.choice(URGENCY),
         "status": rng.choice(STATUSES),
         "opened_on": f"2025-0{rng.randint(1, 6)}-{rng.randint(10, 28)}"}
        for i in range(count)])


def expected(store: Store, statuses: list[str]) -> list[str]:
    rows = store.execute_read(
        "SELECT id, urgency, opened_on, _rowid FROM need WHERE _deleted = 0")
    chosen = [r for r in rows if store.get("need", r["id"]).status in statuses]
    chosen.sort(key=lambda r: (-URGENCY.index(r["urgency"]), r["opened_on"], -r["_rowid"]))
    return [r["id"] for r in chosen]


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), statuses=st.lists(st.sampled_from(STATUSES), min_size=1,
                                                       max_size=2, unique=True),
       offset=st.integers(0, 40))
def test_the_ordered_index_lists_as_a_full_sort_would(store: Store, seed: int,
                                                      statuses: list[str], offset: int) -> None:
    if not store.count("need"):
        add_needs(store, 120, seed)
    got = [n.id for n in store.list_records("need", where={"status": statuses},
                                            order_by=DEFAULT, limit=20, offset=offset)]
    assert got == expected(store, statuses)[offset:offset + 20]


def test_the_default_view_walks_the_index(store: Store) -> None:
    add_needs(store, 30, 1)
    model = model_for("need")
    index_sql = store.execute_read(
        "SELECT sql FROM sqlite_master WHERE name = 'need_by_urgency'")[0]["sql"]
    # the migration's expression is the one order_clause writes (else the index is unusable)
    assert queries.order_clause(model, DEFAULT).replace("t.", "") in index_sql
    clause, params = queries.where_clause(model, {"status": ["open", "in_progress"]}, None)
    hint = queries._index_hint(model, {"status": ["open", "in_progress"]}, None, DEFAULT)
    plan = " ".join(str(tuple(r)) for r in store.execute_read(
        f"EXPLAIN QUERY PLAN SELECT t.* FROM need t{hint} WHERE {clause} "
        f"ORDER BY {queries.order_clause(model, DEFAULT)} LIMIT 50", params))
    assert "need_by_urgency" in plan and "TEMP B-TREE" not in plan
    # a search or a comune filter is more selective: the planner chooses
    assert queries._index_hint(model, {"comune": "097042"}, None, DEFAULT) == ""
    assert queries._index_hint(model, None, "rossi", DEFAULT) == ""


def test_counting_stops_where_asked(store: Store) -> None:
    add_needs(store, 30, 2)
    assert store.count("need") == 30
    assert store.count("need", at_most=10) == 10
    assert store.count("need", at_most=100) == 30
    assert store.count("need", where={"status": "open"}, at_most=1000) == \
        store.count("need", where={"status": "open"})


def test_a_persons_needs_are_read_by_person(store: Store) -> None:
    """Not by scanning every live need: ``need_deleted`` made SQLite do that (m016)."""
    add_needs(store, 10, 3)
    model = model_for("need")
    clause, params = queries.where_clause(model, {"person_id": "x"}, None)
    plan = " ".join(str(tuple(r)) for r in store.execute_read(
        f"EXPLAIN QUERY PLAN SELECT t.* FROM need t WHERE {clause} "
        f"ORDER BY {queries.order_clause(model, '-opened_on')} LIMIT 50", params))
    assert "need_person" in plan


def test_a_long_list_of_values_is_one_parameter_and_an_empty_one_matches_nothing(
        store: Store) -> None:
    """A home card limits a list to thousands of ids: SQLite refuses a chain of a thousand
    ORs, so a long list goes as one JSON array (``queries.MANY``)."""
    store.add_many("person", [{"given_name": "P", "family_name": f"N{i}", "comune": "097042"}
                              for i in range(2500)])
    ids = [r["id"] for r in store.execute_read("SELECT id FROM person")]
    wanted = ids[::2]
    assert len(wanted) > queries.MANY
    got = store.list_records("person", where={"id": wanted}, limit=None)
    assert sorted(r.id for r in got) == sorted(wanted)
    assert store.count("person", where={"id": wanted}) == len(wanted)
    assert store.list_records("person", where={"id": []}) == []
    assert store.count("person", where={"id": []}) == 0
