"""Matching: order, tiers and reasons of the candidates for a need."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from fieldwelfare import i18n, vocab
from fieldwelfare.errors import NotFound
from fieldwelfare.matching import Candidate, match
from fieldwelfare.store import Store

TODAY = dt.date(2025, 3, 3)  # a Monday
LECCO, CALOLZIO, BELLANO = "097042", "097013", "097008"  # ambiti Lecco, Lecco, Bellano


def need(store: Store, category: str = "transport", comune: str = LECCO) -> str:
    return store.add("need", {"comune": comune, "area": "elderly", "category": category,
                              "description": "test"}).id


def volunteer(store: Store, name: str, **fields: Any) -> str:
    data: dict[str, Any] = {"given_name": name, "family_name": "Test", "phone": "333",
                            "skills": ["transport"], "comuni": [LECCO], "has_car": True}
    data.update(fields)
    return store.add("volunteer", data).id


def slot(store: Store, vid: str, weekday: int = 0, start: str = "09:00", end: str = "11:00",
         valid_from: dt.date = TODAY - dt.timedelta(days=30),
         valid_to: dt.date | None = None) -> None:
    store.add("availability", {"volunteer_id": vid, "weekday": weekday, "start": start,
                               "end": end, "valid_from": valid_from.isoformat(),
                               "valid_to": valid_to.isoformat() if valid_to else None})


def names(candidates: list[Candidate]) -> list[str]:
    return [c.name for c in candidates]


def by_name(candidates: list[Candidate], name: str) -> Candidate:
    return next(c for c in candidates if c.name == name)


def test_same_comune_beats_same_ambito_beats_elsewhere(store: Store) -> None:
    nid = need(store)
    volunteer(store, "Elsewhere", comuni=[BELLANO])
    volunteer(store, "Ambito", comuni=[CALOLZIO])
    volunteer(store, "Comune", comuni=[CALOLZIO, LECCO])
    found = match(store, nid, today=TODAY)
    assert names(found) == ["Comune Test", "Ambito Test", "Elsewhere Test"]
    assert [c.rank for c in found] == [1, 2, 3]
    assert "opera nello stesso comune (Lecco)" in found[0].reasons
    assert "opera nello stesso ambito (Lecco)" in found[1].reasons
    assert "opera fuori dall'ambito" in found[2].reasons
    assert found[0].score > found[1].score > found[2].score


def test_skill_is_a_tier_not_a_filter(store: Store) -> None:
    nid = need(store, category="shopping")
    # Without the skill but local, available and free: still after the skilled one.
    unskilled = volunteer(store, "Near", skills=["meals"])
    for weekday in range(3):
        slot(store, unskilled, weekday=weekday, start="08:00", end="13:00")
    volunteer(store, "Far", skills=["shopping", "meals"], comuni=[BELLANO])
    found = match(store, nid, today=TODAY)
    assert names(found) == ["Far Test", "Near Test"]
    assert found[0].reasons[0] == "offre «Spesa»"
    assert found[1].reasons[0] == "non offre «Spesa»"
    assert found[1].score > found[0].score  # a higher score does not jump the tier


def test_car_counts_for_transport_only(store: Store) -> None:
    transport = need(store, category="transport")
    meals = need(store, category="meals")
    volunteer(store, "Walker", skills=["transport", "meals"], has_car=False)
    volunteer(store, "Driver", skills=["transport", "meals"], has_car=True)
    found = match(store, transport, today=TODAY)
    assert names(found) == ["Driver Test", "Walker Test"]
    assert "ha l'auto (serve per «Trasporto»)" in found[0].reasons
    assert "senza auto (serve per «Trasporto»)" in found[1].reasons
    for_meals = match(store, meals, today=TODAY)
    assert for_meals[0].score == for_meals[1].score
    assert not any("auto" in r for c in for_meals for r in c.reasons)


def test_medical_escort_needs_a_car_too(store: Store) -> None:
    nid = need(store, category="medical_escort")
    volunteer(store, "Walker", skills=["medical_escort"], has_car=False)
    volunteer(store, "Driver", skills=["medical_escort"], has_car=True)
    assert names(match(store, nid, today=TODAY)) == ["Driver Test", "Walker Test"]


def test_fewer_open_referrals_rank_higher(store: Store) -> None:
    nid = need(store)
    busy = volunteer(store, "Busy")
    volunteer(store, "Free")
    done = volunteer(store, "Done")
    for _ in range(2):
        store.add("referral", {"need_id": need(store), "volunteer_id": busy, "brief": "x"})
    finished = store.add("referral", {"need_id": need(store), "volunteer_id": done,
                                      "brief": "x", "status": "sent"})
    for status in ("accepted", "in_progress"):
        store.update("referral", finished.id, {"status": status})
    store.update("referral", finished.id, {"status": "completed", "outcome": "ok"})
    found = match(store, nid, today=TODAY)
    assert names(found)[-1] == "Busy Test"
    assert "2 invii aperti" in found[-1].reasons
    # A completed referral is not load.
    assert "nessun invio aperto" in by_name(found, "Done Test").reasons
    assert by_name(found, "Done Test").score == by_name(found, "Free Test").score


def test_availability_counts_slots_in_the_next_14_days(store: Store) -> None:
    nid = need(store)
    weekly = volunteer(store, "Weekly")
    slot(store, weekly, weekday=2, start="09:00", end="11:30")  # twice in 14 days
    ended = volunteer(store, "Ended")
    slot(store, ended, valid_to=TODAY - dt.timedelta(days=1))
    later = volunteer(store, "Later")
    slot(store, later, valid_from=TODAY + dt.timedelta(days=14))
    half = volunteer(store, "Half")  # starts in a week: one Monday of the two
    slot(store, half, weekday=0, valid_from=TODAY + dt.timedelta(days=5))
    found = match(store, nid, today=TODAY)
    assert names(found) == ["Weekly Test", "Half Test", "Ended Test", "Later Test"]
    assert "2 fasce disponibili nei prossimi 14 giorni (5 ore)" in found[0].reasons
    assert "1 fascia disponibile nei prossimi 14 giorni (2 ore)" in found[1].reasons
    assert "nessuna disponibilità nei prossimi 14 giorni" in found[2].reasons
    assert "nessuna disponibilità nei prossimi 14 giorni" in found[3].reasons


def test_deleted_slots_do_not_count(store: Store) -> None:
    nid = need(store)
    vid = volunteer(store, "Gone")
    slot(store, vid)
    rid = store.list_records("availability", where={"volunteer_id": vid})[0].id
    store.delete("availability", rid)
    assert "nessuna disponibilità nei prossimi 14 giorni" in match(store, nid)[0].reasons


def test_inactive_and_deleted_volunteers_are_excluded(store: Store) -> None:
    nid = need(store)
    volunteer(store, "Active")
    volunteer(store, "Resting", active=False)
    store.delete("volunteer", volunteer(store, "Deleted"))
    assert names(match(store, nid, today=TODAY)) == ["Active Test"]


def test_organisations_are_ranked_with_volunteers(store: Store) -> None:
    nid = need(store)
    org = store.add("organisation", {"name": "ODV Il Faro", "kind": "odv", "comuni": [LECCO],
                                     "categories": ["transport"]}).id
    store.add("organisation", {"name": "Parrocchia", "kind": "parish", "comuni": [BELLANO],
                               "categories": ["meals"]})
    volunteer(store, "Walker", has_car=False, comuni=[BELLANO])
    found = match(store, nid, today=TODAY)
    assert [(c.kind, c.name) for c in found] == [
        ("organisation", "ODV Il Faro"), ("volunteer", "Walker Test"),
        ("organisation", "Parrocchia"),
    ]
    assert found[0].id == org
    assert found[0].reasons[0] == f"servizio: {vocab.label('organisation_kind', 'odv')}"
    assert "offre «Trasporto» con mezzi propri" in found[0].reasons


def test_already_asked_targets_are_left_out(store: Store) -> None:
    nid = need(store)
    asked = volunteer(store, "Asked")
    refused = volunteer(store, "Refused")
    volunteer(store, "Fresh")
    store.add("referral", {"need_id": nid, "volunteer_id": asked, "brief": "x"})
    sent = store.add("referral", {"need_id": nid, "volunteer_id": refused, "brief": "x",
                                  "status": "sent"})
    store.update("referral", sent.id, {"status": "declined", "reason": "busy"})
    assert names(match(store, nid, today=TODAY)) == ["Fresh Test"]


def test_limit_rank_and_as_dict(store: Store) -> None:
    nid = need(store)
    for i in range(5):
        volunteer(store, f"V{i}")
    found = match(store, nid, limit=3, today=TODAY)
    assert [c.rank for c in found] == [1, 2, 3]
    assert names(found) == ["V0 Test", "V1 Test", "V2 Test"]  # ties break on name
    as_dict = found[0].as_dict()
    assert set(as_dict) == {"kind", "id", "name", "score", "rank", "reasons"}
    assert match(store, nid, limit=0) == []


def test_reasons_follow_the_language(store: Store) -> None:
    nid = need(store)
    volunteer(store, "Driver")
    i18n.set_language("en")
    reasons = match(store, nid, today=TODAY)[0].reasons
    assert reasons[:3] == ["offers “Transport”", "works in the same municipality (Lecco)",
                           "has a car (needed for “Transport”)"]


def test_unknown_or_deleted_need_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound):
        match(store, "01900000-0000-7000-8000-000000000000")
    nid = need(store)
    store.delete("need", nid)
    with pytest.raises(NotFound):
        match(store, nid)
