"""A one-word search reads only the newest matches of each index and still gives the page a
full search gives (issue #11: a keystroke in a list of 100,000 people)."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldwelfare.store import Store, queries
from fieldwelfare.store.writer import model_for

GIVEN = ["Maria", "Mario", "Marco", "Rosa", "Roberto", "Bianca", "Anghileri", "Colomba"]
FAMILY = ["Rossi", "Bianchi", "Ferrari", "Colombo", "Mariani", "Castelli", "Brambilla"]
COMUNI = ["097042", "097071", "097072", "097023"]  # Lecco, Robbiate, Rogeno, Colico
WORDS = ["m", "ma", "mar", "mari", "r", "ro", "ros", "b", "bi", "c", "co", "col", "ghil",
         "castel", "rob", "lecco", "x", "ia", "ari"]


@pytest.fixture
def people(store: Store) -> Store:
    rng = random.Random(7)
    store.add_many("person", [
        {"given_name": rng.choice(GIVEN), "family_name": rng.choice(FAMILY),
         "comune": rng.choice(COMUNI)} for _ in range(160)])
    ids = [r["id"] for r in store.execute_read("SELECT id FROM person")]
    for rid in rng.sample(ids, 30):
        store.delete("person", rid)
    return store


def full_page(store: Store, kind: str, **query: Any) -> list[str]:
    """The page as a search that reads every match gives it."""
    original = queries._newest_matches
    queries._newest_matches = lambda *a, **k: None  # type: ignore[assignment]
    try:
        return [r.id for r in store.list_records(kind, **query)]
    finally:
        queries._newest_matches = original


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(word=st.sampled_from(WORDS), cap=st.integers(0, 40), limit=st.integers(0, 25),
       offset=st.integers(0, 60), comune=st.sampled_from([None, *COMUNI]))
def test_a_capped_search_gives_the_full_searchs_page(
        people: Store, monkeypatch: pytest.MonkeyPatch, word: str, cap: int, limit: int,
        offset: int, comune: str | None) -> None:
    monkeypatch.setattr(queries, "SEARCH_CAP", cap)
    where = {"comune": comune} if comune else None
    got = [r.id for r in people.list_records("person", search=word, where=where,
                                             limit=limit, offset=offset)]
    assert got == full_page(people, "person", search=word, where=where, limit=limit,
                            offset=offset)


def test_the_cut_is_used_and_caught(people: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full page above the cut comes from the capped read; a page that reaches below it
    is read again in full."""
    monkeypatch.setattr(queries, "SEARCH_CAP", 0)
    conn, model = people.conn, model_for("person")
    newest = queries._newest_matches(conn, model, None, "m", 2, 0)  # many Ma-, Mariani
    assert newest is not None and len(newest) == 2
    # 25 newest "m" matches, but only people in Colico are wanted: read again in full
    assert queries._newest_matches(conn, model, {"comune": "097023"}, "m", 25, 0) is None
    got = [r.id for r in people.list_records("person", search="m", where={"comune": "097023"},
                                             limit=25)]
    assert got == full_page(people, "person", search="m", where={"comune": "097023"},
                            limit=25)
    assert 0 < len(got) < 25


def test_a_write_between_the_reads_cannot_make_a_wrong_page(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The capped page and where its indexes were cut are read at one moment: another
    process editing matches between the two reads made a page that missed one."""
    from fieldwelfare.store import open_store

    monkeypatch.setattr(queries, "SEARCH_CAP", 0)

    def add(name: str, comune: str, address: str | None = None) -> str:
        return store.add("person", {"given_name": name, "family_name": "X", "comune": comune,
                                    "birth_year": 1950 if address != "via Lecco 9" else 1990,
                                    "address": address}).id
    r0 = add("Verdi", "097042")
    r1 = add("Neri", "097023", "via Lecco 1")  # matches by its address only
    r2 = add("Bianchi", "097042")
    others = [add("Rossi", "097023", "via Lecco 9") for _ in range(3)]
    query: dict[str, Any] = {"where": {"birth_year": 1950}, "search": "lecco", "limit": 2,
                             "offset": 0, "order_by": None}
    model = model_for("person")

    class Racing:
        """The store's connection; after the first read, another process edits."""

        def __init__(self, conn: Any) -> None:
            self.conn, self.reads = conn, 0

        def __getattr__(self, name: str) -> Any:
            return getattr(self.conn, name)

        def execute(self, sql: str, params: Any = ()) -> Any:
            cursor = self.conn.execute(sql, params)
            if sql.lstrip().startswith("SELECT"):
                self.reads += 1
                if self.reads == 1:
                    rows = cursor.fetchall()
                    other = open_store(store.path, key=bytes(range(32)))  # (conftest's TEST_KEY)
                    for rid in others:
                        other.update("person", rid, {"address": "via Roma 2"})
                    other.close()
                    return type("Replay", (), {"fetchall": lambda _self: rows})()
            return cursor

    got = [r["id"] for r in queries.select(Racing(store.conn), model, **query)]
    assert got == [r2, r1] and r0 not in got


def test_a_search_of_too_many_words_is_refused_as_bad_input(store: Store) -> None:
    from fieldwelfare.errors import InvalidInput

    assert store.list_records("person", search=" ".join(["ros"] * queries.MAX_WORDS)) == []
    with pytest.raises(InvalidInput, match="parole"):
        store.list_records("person", search=" ".join(["ros"] * 1100))
