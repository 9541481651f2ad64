"""Referral status changes through ``record update``: the store's rules, surfaced as exit 2."""

from __future__ import annotations

import json
from typing import Any

from cli_helpers import NOTICE, Cli

World = dict[str, dict[str, Any]]


def update(run: Cli, rid: str, changes: dict[str, Any]) -> dict[str, Any]:
    record: dict[str, Any] = run.json("record", "update", "referral", rid, json.dumps(changes))
    return record


def refused(run: Cli, rid: str, changes: dict[str, Any]) -> str:
    before = run.json("record", "get", "referral", rid)
    message = run.fails(2, "record", "update", "referral", rid, json.dumps(changes))
    assert run.json("record", "get", "referral", rid) == before  # nothing written
    return message


def give_notice(run: Cli, world: World) -> None:
    run.json("record", "update", "person", world["person"]["id"],
             json.dumps({"privacy_notice": NOTICE}))


def test_privacy_notice_is_required_before_sending(run: Cli, world: World) -> None:
    rid = world["referral"]["id"]
    message = refused(run, rid, {"status": "sent"})
    assert "status" in message and "informativa" in message and "Maria Rossi" in message
    give_notice(run, world)
    assert update(run, rid, {"status": "sent"})["status"] == "sent"


def test_privacy_notice_message_in_english(run: Cli, world: World) -> None:
    message = run.fails(2, "--lang", "en", "record", "update", "referral",
                        world["referral"]["id"], '{"status": "sent"}')
    assert message == "Error: status: cannot send before the privacy notice of Maria Rossi " \
                      "is recorded"


def test_a_new_referral_cannot_start_sent_without_notice(run: Cli, world: World) -> None:
    before = run.counts()
    message = run.fails(2, "record", "add", "referral", json.dumps(
        {"need_id": world["need"]["id"], "organisation_id": world["organisation"]["id"],
         "brief": "Pasti", "status": "sent"}))
    assert "informativa" in message
    assert run.counts() == before


def test_completing_needs_an_outcome_and_keeps_the_history(run: Cli, world: World) -> None:
    rid = world["referral"]["id"]
    give_notice(run, world)
    update(run, rid, {"status": "sent"})
    update(run, rid, {"status": "accepted", "note": "chiamato il volontario"})
    update(run, rid, {"status": "in_progress"})
    message = refused(run, rid, {"status": "completed"})
    assert message.startswith("Errore: outcome:")
    done = update(run, rid, {"status": "completed", "outcome": "spesa consegnata"})
    assert done["outcome"] == "spesa consegnata"
    assert [e["status"] for e in done["history"]] == \
        ["proposed", "sent", "accepted", "in_progress", "completed"]
    assert done["history"][2]["note"] == "chiamato il volontario"
    message = refused(run, rid, {"status": "cancelled", "reason": "x"})
    assert "status" in message and "-" in message  # completed is final: nowhere to go


def test_declining_and_cancelling_need_a_reason(run: Cli, world: World) -> None:
    rid = world["referral"]["id"]
    assert refused(run, rid, {"status": "cancelled"}).startswith("Errore: reason:")
    give_notice(run, world)
    update(run, rid, {"status": "sent"})
    assert refused(run, rid, {"status": "declined"}).startswith("Errore: reason:")
    declined = update(run, rid, {"status": "declined", "reason": "non disponibile"})
    assert declined["status"] == "declined"
    assert declined["reason"] == "non disponibile"


def test_a_transition_not_allowed_names_the_allowed_ones(run: Cli, world: World) -> None:
    message = refused(run, world["referral"]["id"], {"status": "completed", "outcome": "ok"})
    assert "'proposed'" in message and "'completed'" in message
    assert "cancelled, sent" in message


def test_an_unknown_status_names_the_vocabulary(run: Cli, world: World) -> None:
    message = refused(run, world["referral"]["id"], {"status": "done"})
    assert "status" in message
    for status in ("proposed", "sent", "accepted", "declined", "in_progress", "completed",
                   "cancelled"):
        assert status in message


def test_note_is_only_for_referrals(run: Cli, world: World) -> None:
    message = run.fails(2, "record", "update", "need", world["need"]["id"], '{"note": "x"}')
    assert "note" in message
