"""A volunteer's device changes only its own record, its availability and the referrals it
received (status, outcome, reason): the rest is refused locally, before it is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldwelfare.errors import InvalidInput
from fieldwelfare.store import Store, open_store

NOTICE = {"version": "1", "given_on": "2026-01-01", "given_by": "Anna"}


@pytest.fixture
def volunteer_device(tmp_path: Path) -> tuple[Store, dict[str, str]]:
    store = open_store(tmp_path / "vol.db")
    store.set_identity(device_name="hub-copy", operator="Coord", role="coordinator",
                       ambito="Lecco")
    me = store.add("volunteer", {"given_name": "Lia", "family_name": "Neri", "email": "l@x.it"})
    other = store.add("volunteer", {"given_name": "Ugo", "family_name": "Bassi",
                                    "email": "u@x.it"})
    person = store.add("person", {"given_name": "M", "family_name": "R", "comune": "097042",
                                  "privacy_notice": NOTICE})
    need = store.add("need", {"person_id": person.id, "area": "elderly",
                              "category": "meals", "description": "Pasti"})
    mine = store.add("referral", {"need_id": need.id, "volunteer_id": me.id, "brief": "Pasti",
                                  "status": "sent"})
    theirs = store.add("referral", {"need_id": need.id, "volunteer_id": other.id,
                                    "brief": "Pasti", "status": "sent"})
    store.set_meta({"volunteer_id": me.id})
    store.set_identity(device_name="tel-lia", operator="Lia Neri", role="volunteer",
                       ambito=None)
    return store, {"me": me.id, "other": other.id, "person": person.id, "mine": mine.id,
                   "theirs": theirs.id}


def test_volunteer_device_changes_what_it_owns(
        volunteer_device: tuple[Store, dict[str, str]]) -> None:
    store, ids = volunteer_device
    slot = store.add("availability", {"volunteer_id": ids["me"], "weekday": 1,
                                      "start": "09:00", "end": "11:00"})
    store.update("availability", slot.id, {"end": "12:00"})
    store.delete("availability", slot.id)
    store.update("volunteer", ids["me"], {"has_car": True})
    store.update("referral", ids["mine"], {"status": "accepted", "note": "ok"})


@pytest.mark.parametrize("action", [
    lambda s, ids: s.add("person", {"given_name": "A", "family_name": "B",
                                    "comune": "097042"}),
    lambda s, ids: s.update("person", ids["person"], {"phone": "1"}),
    lambda s, ids: s.add("availability", {"volunteer_id": ids["other"], "weekday": 1,
                                          "start": "09:00", "end": "11:00"}),
    lambda s, ids: s.update("volunteer", ids["other"], {"has_car": True}),
    lambda s, ids: s.add("volunteer", {"given_name": "X", "family_name": "Y",
                                       "email": "x@y.it"}),
    lambda s, ids: s.update("referral", ids["theirs"], {"status": "accepted"}),
    lambda s, ids: s.update("referral", ids["mine"], {"brief": "altro"}),
    lambda s, ids: s.delete("referral", ids["mine"]),
])
def test_volunteer_device_refuses_the_rest(volunteer_device: tuple[Store, dict[str, str]],
                                          action: object) -> None:
    store, ids = volunteer_device
    before = store.execute_read("SELECT count(*) FROM change")[0][0]
    with pytest.raises(InvalidInput, match="volontario"):
        action(store, ids)  # type: ignore[operator]
    assert store.execute_read("SELECT count(*) FROM change")[0][0] == before
