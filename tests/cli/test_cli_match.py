"""``match NEED_ID``: ranked candidates as a table or one JSON array.

The ranking itself is tested with the matching module; here the command must print exactly
what ``fieldwelfare.matching.match`` returns, in its order.
"""

from __future__ import annotations

from typing import Any

import pytest
from cli_helpers import VOLUNTEER, Cli, open_db

from fieldwelfare.i18n import number
from fieldwelfare.matching import Candidate, match

World = dict[str, dict[str, Any]]


@pytest.fixture
def need(run: Cli, world: World) -> dict[str, Any]:
    """A need with no referral yet, which the world's volunteer can meet (transport, car)."""
    return run.add("need", {"person_id": world["person"]["id"], "area": "elderly",
                            "category": "transport", "description": "Visita in ospedale"})


def expected(run: Cli, need_id: str, limit: int = 10) -> list[Candidate]:
    with open_db(run.db) as store:
        return match(store, need_id, limit=limit)


def test_json_is_an_array_of_ranked_candidates(run: Cli, world: World,
                                               need: dict[str, Any]) -> None:
    candidates = run.json("match", need["id"], "--format", "json")
    assert isinstance(candidates, list) and candidates
    assert [c["rank"] for c in candidates] == list(range(1, len(candidates) + 1))
    for candidate in candidates:
        assert set(candidate) == {"kind", "id", "name", "score", "rank", "reasons"}
        assert candidate["kind"] in ("volunteer", "organisation")
        assert isinstance(candidate["score"], float)
        assert all(isinstance(r, str) for r in candidate["reasons"])
    assert world["volunteer"]["id"] in {c["id"] for c in candidates}
    assert candidates == [c.as_dict() for c in expected(run, need["id"])]


def test_limit(run: Cli, need: dict[str, Any]) -> None:
    for i in range(3):
        run.add("volunteer", {**VOLUNTEER, "given_name": f"V{i}"})
    assert len(run.json("match", need["id"], "--format", "json")) >= 4
    two = run.json("match", need["id"], "--format", "json", "--limit", "2")
    assert two == [c.as_dict() for c in expected(run, need["id"], limit=2)]
    assert len(two) == 2


def test_table_shows_rank_name_kind_score_and_reasons(run: Cli, need: dict[str, Any]) -> None:
    out = run.ok("match", need["id"]).stdout
    for text in ("#", "Nome", "Tipo", "Punteggio", "Motivi", need["id"]):
        assert text in out, text
    for candidate in expected(run, need["id"]):
        assert candidate.name in out
        assert number(candidate.score, lang="it") in out  # as the UI shows it: 98,25
        # the UI's words: "ente", as the Enti screen (point 11 of issue #11)
        assert {"volunteer": "volontario", "organisation": "ente"}[candidate.kind] in out
        for reason in candidate.reasons:
            assert reason.split()[0] in out
    out = run.ok("--lang", "en", "match", need["id"]).stdout
    assert "Score" in out and "Reasons" in out and "volunteer" in out


def test_unknown_need_exits_1(run: Cli, world: World) -> None:
    ghost = "01900000-0000-7000-8000-000000000000"
    message = run.fails(1, "match", ghost)
    assert ghost in message and "need" in message
    message = run.fails(1, "match", world["person"]["id"])  # a person's id is not a need
    assert "non trovato" in message


def test_a_need_nobody_can_meet(run: Cli) -> None:
    need = run.add("need", {"comune": "097042", "area": "poverty", "category": "housing",
                            "description": "Casa"})
    assert run.json("match", need["id"], "--format", "json") == []
    assert "nessun candidato" in run.ok("match", need["id"]).stdout
