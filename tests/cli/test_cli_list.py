"""``record list``: formats, --where (OR within a field, AND across), --search, paging, order."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from cli_helpers import PERSON, VOLUNTEER, Cli, open_db

from fieldwelfare.models import KINDS, Person

PEOPLE = [
    {**PERSON, "given_name": "Maria", "family_name": "Rossi", "comune": "097042", "sex": "F"},
    {**PERSON, "given_name": "Giuseppe", "family_name": "Brambilla", "comune": "097042",
     "sex": "M"},
    {**PERSON, "given_name": "Niccolò", "family_name": "Citterio", "comune": "097048",
     "sex": "M", "languages": ["it", "ar"]},
    {**PERSON, "given_name": "Lucia", "family_name": "Mondella", "comune": "097001", "sex": "F"},
]


@pytest.fixture
def people(run: Cli) -> list[dict[str, Any]]:
    return [run.add("person", p) for p in PEOPLE]


def names(records: list[dict[str, Any]]) -> set[str]:
    return {r["given_name"] for r in records}


def test_json_is_one_array_of_records(run: Cli, people: list[dict[str, Any]]) -> None:
    result = run.ok("record", "list", "person", "--format", "json")
    records = json.loads(result.stdout)
    assert isinstance(records, list)
    assert sorted(r["id"] for r in records) == sorted(p["id"] for p in people)
    assert "Niccolò" in result.stdout


def test_json_of_nothing_is_an_empty_array(run: Cli) -> None:
    assert run.json("record", "list", "need", "--format", "json") == []


def test_jsonl_is_one_record_per_line(run: Cli, people: list[dict[str, Any]]) -> None:
    lines = run.ok("record", "list", "person", "--format", "jsonl").stdout.splitlines()
    assert len(lines) == len(people)
    assert names([json.loads(line) for line in lines]) == names(people)


def test_csv_has_a_header_and_json_text_for_lists(run: Cli,
                                                  people: list[dict[str, Any]]) -> None:
    text = run.ok("record", "list", "person", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(Person.model_fields)
    assert len(rows) == len(people)
    niccolo = next(r for r in rows if r["given_name"] == "Niccolò")
    assert json.loads(niccolo["languages"]) == ["it", "ar"]
    assert niccolo["privacy_notice"] == ""
    assert niccolo["birth_year"] == "1941"


def test_csv_writes_booleans_and_nested_objects(run: Cli) -> None:
    run.add("volunteer", VOLUNTEER)
    run.add("person", {**PERSON, "privacy_notice": {"version": "v1", "given_on": "2026-01-10",
                                                    "given_by": "Anna"}})
    volunteer = next(csv.DictReader(io.StringIO(
        run.ok("record", "list", "volunteer", "--format", "csv").stdout)))
    assert (volunteer["has_car"], volunteer["active"]) == ("true", "true")
    assert json.loads(volunteer["skills"]) == ["shopping", "transport"]
    person = next(csv.DictReader(io.StringIO(
        run.ok("record", "list", "person", "--format", "csv").stdout)))
    assert json.loads(person["privacy_notice"])["version"] == "v1"


def test_table_is_the_default_with_italian_headers_and_labels(
    run: Cli, people: list[dict[str, Any]]
) -> None:
    out = run.ok("record", "list", "person").stdout
    for text in ("Cognome", "Nome", "Comune", "Rossi", "Lecco", "Abbadia Lariana",
                 people[0]["id"], "4 di 4 record"):
        assert text in out


def test_table_in_english(run: Cli, people: list[dict[str, Any]]) -> None:
    out = run.ok("--lang", "en", "record", "list", "person", "--limit", "2").stdout
    assert "Family name" in out and "Cognome" not in out
    assert "2 of 4 records" in out


def test_table_for_every_kind(world: dict[str, dict[str, Any]], run: Cli) -> None:
    expected = {"person": "Rossi", "visit": "Visita domiciliare", "need": "Spesa",
                "organisation": "Organizzazione di volontariato", "volunteer": "Trasporto",
                "availability": "lunedì", "referral": "Proposto"}
    assert set(expected) == set(KINDS)
    for kind, text in expected.items():
        out = run.ok("record", "list", kind).stdout
        assert world[kind]["id"] in out
        assert text in out, (kind, out)


def test_where_same_field_is_or_different_fields_is_and(
    run: Cli, people: list[dict[str, Any]]
) -> None:
    def listed(*where: str) -> set[str]:
        args = [a for w in where for a in ("--where", w)]
        return names(run.json("record", "list", "person", "--format", "json", *args))

    assert listed("comune=097042") == {"Maria", "Giuseppe"}
    assert listed("comune=097042", "comune=097048") == {"Maria", "Giuseppe", "Niccolò"}
    assert listed("comune=097042", "sex=M") == {"Giuseppe"}
    assert listed("comune=097042", "comune=097048", "sex=M") == {"Giuseppe", "Niccolò"}
    assert listed("languages=ar") == {"Niccolò"}  # a list field contains the value
    assert listed("sex=X") == set()


def test_where_on_booleans_and_list_fields(run: Cli) -> None:
    run.add("volunteer", VOLUNTEER)
    run.add("volunteer", {**VOLUNTEER, "given_name": "Sara", "skills": ["meals"],
                          "has_car": False})
    assert names(run.json("record", "list", "volunteer", "--format", "json",
                          "--where", "has_car=true")) == {"Luca"}
    assert names(run.json("record", "list", "volunteer", "--format", "json",
                          "--where", "skills=meals", "--where", "skills=transport")) == \
        {"Luca", "Sara"}


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("comune", ["--where", "CAMPO=VALORE", "comune"]),
        ("=097042", ["--where"]),
        ("nickname=x", ["nickname", "given_name", "family_name"]),
        ("sex=female", ["sex", "F, M, X"]),
        ("birth_year=old", ["birth_year"]),
    ],
)
def test_bad_where_is_bad_input(run: Cli, people: list[dict[str, Any]], where: str,
                                expected: list[str]) -> None:
    message = run.fails(2, "record", "list", "person", "--where", where)
    for text in expected:
        assert text in message


def test_search_matches_word_prefixes_without_accents(run: Cli,
                                                      people: list[dict[str, Any]]) -> None:
    def found(text: str) -> set[str]:
        return names(run.json("record", "list", "person", "--format", "json", "--search", text))

    assert found("bram") == {"Giuseppe"}
    assert found("niccolo citt") == {"Niccolò"}
    assert found("ross") == {"Maria"}
    assert found("zzz") == set()
    assert names(run.json("record", "list", "person", "--format", "json", "--search", "m",
                          "--where", "sex=F")) == {"Maria", "Lucia"}


def test_search_on_a_kind_without_search_is_bad_input(run: Cli) -> None:
    message = run.fails(2, "record", "list", "availability", "--search", "x")
    assert "--search" in message and "person" in message


def test_limit_defaults_to_50_and_0_means_all(run: Cli) -> None:
    with open_db(run.db) as store:
        store.add_many("person", [{**PERSON, "given_name": f"P{i}"} for i in range(55)])
    assert len(run.json("record", "list", "person", "--format", "json")) == 50
    assert len(run.json("record", "list", "person", "--format", "json", "--limit", "0")) == 55
    assert len(run.json("record", "list", "person", "--format", "json", "--limit", "7")) == 7
    assert "50 di 55 record" in run.ok("record", "list", "person").stdout


def test_offset_and_order_page_through(run: Cli, people: list[dict[str, Any]]) -> None:
    def page(*args: str) -> list[str]:
        return [r["family_name"] for r in
                run.json("record", "list", "person", "--format", "json", *args)]

    everyone = page("--order", "family_name")
    assert everyone == ["Brambilla", "Citterio", "Mondella", "Rossi"]
    assert page("--order", "-family_name") == everyone[::-1]
    assert page("--order", "family_name", "--limit", "2", "--offset", "1") == everyone[1:3]
    assert page("--order", "sex,family_name") == ["Mondella", "Rossi", "Brambilla", "Citterio"]
    message = run.fails(2, "record", "list", "person", "--order", "shoe_size")
    assert "shoe_size" in message


def test_bad_format_or_negative_limit_is_a_usage_error(run: Cli) -> None:
    assert run("record", "list", "person", "--format", "xml").exit_code == 2
    assert run("record", "list", "person", "--limit", "-1").exit_code == 2


def test_unknown_kind_is_bad_input(run: Cli) -> None:
    message = run.fails(2, "record", "list", "persons")
    assert "persons" in message and "referral" in message
