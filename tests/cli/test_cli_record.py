"""``record add|get|update|delete``: output shapes, exit codes and nothing written on error."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cli_helpers import PERSON, Cli

from fieldwelfare.ids import is_uuid
from fieldwelfare.models import KINDS


def test_add_prints_the_stored_record_with_its_id(run: Cli) -> None:
    result = run.ok("record", "add", "person", json.dumps({**PERSON, "given_name": "Zoë"}))
    record = json.loads(result.stdout)
    assert is_uuid(record["id"])
    assert record["given_name"] == "Zoë"
    assert "Zoë" in result.stdout  # UTF-8 text, not \u escapes
    assert result.stdout.startswith("{\n  ")  # indented
    assert record["languages"] == ["it"]
    assert record["created_at"] and record["owner"]
    assert run.json("record", "get", "person", record["id"]) == record


def test_add_reads_stdin_for_dash(run: Cli) -> None:
    record = run.json("record", "add", "person", "-", stdin=json.dumps(PERSON))
    assert record["family_name"] == "Rossi"
    assert run.counts()["person"] == 1


def test_every_kind_can_be_added_and_read(world: dict[str, dict[str, Any]], run: Cli) -> None:
    assert set(world) == set(KINDS)
    for kind, record in world.items():
        assert run.json("record", "get", kind, record["id"]) == record
    assert world["referral"]["category"] == "shopping"  # copied from the need
    assert [e["status"] for e in world["referral"]["history"]] == ["proposed"]


@pytest.mark.parametrize(
    ("kind", "payload", "expected"),
    [
        ("person", "{not json", ["JSON"]),
        ("person", "[1, 2]", ["JSON", "{...}"]),
        ("people", json.dumps(PERSON), ["people", "person", "visit", "referral"]),
        ("person", json.dumps({**PERSON, "nickname": "Mari"}), ["nickname", "given_name"]),
        ("person", json.dumps({**PERSON, "birth_year": "old"}), ["birth_year"]),
        ("person", json.dumps({**PERSON, "sex": "Q"}), ["sex", "F, M, X"]),
        ("person", json.dumps({"given_name": "Maria", "comune": "097042"}), ["family_name"]),
        ("person", json.dumps({**PERSON, "comune": "Lecco"}), ["comune"]),
        ("need", json.dumps({"comune": "097042", "area": "elderly", "category": "flying",
                             "description": "x"}), ["category", "transport", "shopping"]),
        ("volunteer", json.dumps({"given_name": "A", "family_name": "B"}), ["phone", "email"]),
    ],
)
def test_bad_input_exits_2_names_the_field_and_writes_nothing(
    run: Cli, kind: str, payload: str, expected: list[str]
) -> None:
    before = run.counts()
    message = run.fails(2, "record", "add", kind, payload)
    assert message.startswith("Errore: ")
    for text in expected:
        assert text in message
    assert run.counts() == before


def test_missing_field_message_is_italian_by_default_and_english_with_lang(run: Cli) -> None:
    payload = json.dumps({"given_name": "Maria", "comune": "097042"})
    assert "campo obbligatorio" in run.fails(2, "record", "add", "person", payload)
    message = run.fails(2, "--lang", "en", "record", "add", "person", payload)
    assert message == "Error: family_name: required field"


def test_lang_from_environment(run: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIELDWELFARE_LANG", "en")
    message = run.fails(2, "record", "add", "person", json.dumps({**PERSON, "sex": "Q"}))
    assert message == "Error: sex: value 'Q' not allowed; allowed values: F, M, X"


def test_reference_to_a_missing_record_is_bad_input(run: Cli) -> None:
    ghost = "01900000-0000-7000-8000-000000000000"
    message = run.fails(2, "record", "add", "visit", json.dumps({"person_id": ghost}))
    assert "person_id" in message and ghost in message
    assert run.counts()["visit"] == 0


def test_update_changes_only_the_given_fields(run: Cli) -> None:
    person = run.add("person", PERSON)
    updated = run.json("record", "update", "person", person["id"],
                       json.dumps({"phone": "0341 123456"}))
    assert updated["phone"] == "0341 123456"
    assert {k: v for k, v in updated.items() if k not in ("phone", "updated_at")} == \
        {k: v for k, v in person.items() if k not in ("phone", "updated_at")}
    assert run.json("record", "get", "person", person["id"]) == updated


def test_update_from_stdin(run: Cli) -> None:
    person = run.add("person", PERSON)
    updated = run.json("record", "update", "person", person["id"], "-",
                       stdin='{"notes": "vive con la figlia"}')
    assert updated["notes"] == "vive con la figlia"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"sex": "female"}, ["sex", "F, M, X"]),
        ({"id": "01900000-0000-7000-8000-000000000000"}, ["id"]),
        ({"created_by": "someone"}, ["created_by"]),
        ({"nickname": "x"}, ["nickname", "family_name"]),
        ({"household_size": 0}, ["household_size"]),
    ],
)
def test_bad_update_exits_2_and_leaves_the_record_alone(
    run: Cli, changes: dict[str, Any], expected: list[str]
) -> None:
    person = run.add("person", PERSON)
    message = run.fails(2, "record", "update", "person", person["id"], json.dumps(changes))
    for text in expected:
        assert text in message
    assert run.json("record", "get", "person", person["id"]) == person


def test_need_status_transition_checked_on_update(run: Cli) -> None:
    need = run.add("need", {"comune": "097042", "area": "poverty", "category": "meals",
                            "description": "Pasti caldi"})
    met = run.json("record", "update", "need", need["id"], '{"status": "met"}')
    assert met["closed_on"] is not None
    message = run.fails(2, "record", "update", "need", met["id"], '{"status": "in_progress"}')
    assert "status" in message and "open" in message


def test_unknown_id_exits_1(run: Cli) -> None:
    ghost = "01900000-0000-7000-8000-000000000000"
    for args in (("get", "person", ghost), ("delete", "person", ghost),
                 ("update", "person", ghost, '{"phone": "1"}')):
        message = run.fails(1, "record", *args)
        assert ghost in message and "non trovato" in message


def test_unknown_kind_on_get_is_bad_input(run: Cli) -> None:
    message = run.fails(2, "record", "get", "people", "x")
    assert "people" in message and "person" in message


def test_delete_confirms_and_tombstones(run: Cli) -> None:
    person = run.add("person", PERSON)
    other = run.add("person", {**PERSON, "given_name": "Giulia"})
    result = run.ok("record", "delete", "person", person["id"])
    assert person["id"] in result.stdout and "eliminato" in result.stdout
    assert "eliminato" in run.fails(1, "record", "get", "person", person["id"])
    assert [r["id"] for r in run.json("record", "list", "person", "--format", "json")] == \
        [other["id"]]
    run.fails(1, "record", "delete", "person", person["id"])


def test_unreadable_database_exits_1_without_traceback(run: Cli) -> None:
    run.db.write_bytes(b"this is not a sqlite database" * 100)
    message = run.fails(1, "record", "list", "person")
    assert str(run.db) in message
