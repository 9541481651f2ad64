"""Vocabularies (CSV in schema/) and the pydantic models that enforce them."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import pytest

from fieldwelfare import clock, vocab
from fieldwelfare.errors import InvalidInput
from fieldwelfare.models import MODELS, Person
from fieldwelfare.models import vocabulary as v
from fieldwelfare.models.validation import validate

BASE = {"id": "01a215b5-0a8a-70ab-bfe4-c436c52740e0", "created_at": "x", "updated_at": "x",
        "created_by": "op"}


@pytest.mark.parametrize(
    ("name", "enum"),
    [("sex", v.Sex), ("visit_kind", v.VisitKind), ("area", v.Area), ("category", v.Category),
     ("urgency", v.Urgency), ("need_status", v.NeedStatus),
     ("organisation_kind", v.OrganisationKind), ("referral_status", v.ReferralStatus),
     ("role", v.Role), ("ambito", v.Ambito)],
)
def test_enum_matches_csv(name: str, enum: type[StrEnum]) -> None:
    assert vocab.codes(name) == [e.value for e in enum]
    for code in vocab.codes(name):
        assert vocab.label(name, code, "it") and vocab.label(name, code, "en")


def test_84_comuni_of_lecco_in_three_ambiti() -> None:
    comuni = vocab.comuni()
    assert len(comuni) == 84
    by_ambito: dict[str, int] = {}
    for comune in comuni.values():
        by_ambito[comune.ambito] = by_ambito.get(comune.ambito, 0) + 1
    assert by_ambito == {"Lecco": 31, "Merate": 24, "Bellano": 29}
    assert vocab.comune_name("097042") == "Lecco"
    assert vocab.ambito_of("097042") == "Lecco"
    assert vocab.ambito_of("015146") is None  # Milano: valid code, outside the province


@pytest.mark.parametrize("code", ["097042", "015146", "001001"])
def test_valid_istat_codes(code: str) -> None:
    assert vocab.is_valid_istat_code(code)


@pytest.mark.parametrize("code", ["97042", "0970420", "abc123", "000001", "999001", "097000"])
def test_invalid_istat_codes(code: str) -> None:
    assert not vocab.is_valid_istat_code(code)


def test_car_categories() -> None:
    assert vocab.car_categories() == {"transport", "medical_escort"}


def person(**kw: object) -> dict[str, object]:
    return {**BASE, "given_name": "Maria", "family_name": "Rossi", "comune": "097042", **kw}


def test_valid_person_and_fiscal_code_normalised() -> None:
    p = validate(Person, person(fiscal_code=" rssmra80a41e507m "))
    assert isinstance(p, Person)
    assert p.fiscal_code == "RSSMRA80A41E507M"


@pytest.mark.parametrize(
    ("data", "field", "fragment"),
    [
        (person(family_name=None), "family_name", ""),
        ({k: val for k, val in person().items() if k != "family_name"}, "family_name",
         "obbligatorio"),
        (person(fiscal_code="RSSMRA80A41E507X"), "fiscal_code", "codice fiscale"),
        (person(comune="97042"), "comune", "ISTAT"),
        (person(sex="Q"), "sex", "F, M, X"),
        (person(birth_year=3000), "birth_year", "futuro"),
        (person(birth_year="abc"), "birth_year", ""),
        (person(household_size=0), "household_size", ""),
        (person(privacy_notice={"version": "1", "given_on": "2999-01-01", "given_by": "A"}),
         "privacy_notice.given_on", "futuro"),
        (person(colour="blue"), "colour", ""),
    ],
)
def test_invalid_person_names_the_field(data: dict[str, object], field: str,
                                        fragment: str) -> None:
    with pytest.raises(InvalidInput) as info:
        validate(Person, data)
    assert info.value.field == field
    assert field in str(info.value)
    assert fragment in str(info.value)


def test_enum_error_lists_allowed_values() -> None:
    data = {**BASE, "comune": "097042", "area": "elderly", "category": "taxi",
            "description": "x", "opened_on": "2026-01-01"}
    with pytest.raises(InvalidInput) as info:
        validate(MODELS["need"], data)
    assert info.value.field == "category"
    assert info.value.allowed is not None and "transport" in info.value.allowed
    assert "transport" in str(info.value)


def test_volunteer_needs_a_contact() -> None:
    with pytest.raises(InvalidInput) as info:
        validate(MODELS["volunteer"], {**BASE, "given_name": "A", "family_name": "B"})
    assert "telefono o email" in str(info.value)
    ok = validate(MODELS["volunteer"], {**BASE, "given_name": "A", "family_name": "B",
                                        "email": "a@example.org"})
    assert ok.model_dump()["active"] is True


def test_referral_needs_exactly_one_target() -> None:
    ref = {**BASE, "need_id": BASE["id"], "brief": "b"}
    for targets in ({}, {"volunteer_id": BASE["id"], "organisation_id": BASE["id"]}):
        with pytest.raises(InvalidInput, match="esattamente un destinatario"):
            validate(MODELS["referral"], {**ref, **targets})


@pytest.mark.parametrize(("start", "end"), [("12:00", "09:00"), ("09:00", "09:00")])
def test_availability_end_after_start(start: str, end: str) -> None:
    data = {**BASE, "volunteer_id": BASE["id"], "weekday": 0, "start": start, "end": end,
            "valid_from": "2026-01-01"}
    with pytest.raises(InvalidInput) as info:
        validate(MODELS["availability"], data)
    assert info.value.field == "end"


@pytest.mark.parametrize("bad", ["9:00", "25:00", "12:60", "noon"])
def test_availability_time_format(bad: str) -> None:
    data = {**BASE, "volunteer_id": BASE["id"], "weekday": 0, "start": bad, "end": "23:00",
            "valid_from": "2026-01-01"}
    with pytest.raises(InvalidInput) as info:
        validate(MODELS["availability"], data)
    assert info.value.field == "start"


def test_visit_date_not_in_future_and_follow_up_after() -> None:
    base = {**BASE, "person_id": BASE["id"], "kind": "home"}
    tomorrow = (clock.today() + dt.timedelta(days=1)).isoformat()
    with pytest.raises(InvalidInput, match="futuro"):
        validate(MODELS["visit"], {**base, "date": tomorrow})
    with pytest.raises(InvalidInput) as info:
        validate(MODELS["visit"], {**base, "date": "2026-01-10", "follow_up_on": "2026-01-01"})
    assert info.value.field == "follow_up_on"


def test_english_messages() -> None:
    from fieldwelfare import i18n

    i18n.set_language("en")
    with pytest.raises(InvalidInput, match="required field"):
        validate(Person, {**BASE, "given_name": "A", "comune": "097042"})


@pytest.mark.parametrize(("kind", "field", "data"), [
    ("need", "description", {"comune": "097042", "area": "elderly", "category": "meals",
                             "description": "   ", "opened_on": "2026-01-01"}),
    ("referral", "brief", {"need_id": BASE["id"], "volunteer_id": BASE["id"], "brief": ""}),
])
def test_empty_free_text_that_must_say_something(kind: str, field: str,
                                                 data: dict[str, object]) -> None:
    with pytest.raises(InvalidInput) as info:
        validate(MODELS[kind], {**BASE, **data})
    assert info.value.field == field
    assert str(info.value) == f"{field}: campo obbligatorio"
