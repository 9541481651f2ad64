from __future__ import annotations

import datetime as dt

import pytest
from codicefiscale import codicefiscale as reference
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldwelfare.fiscal_code import is_valid

NAMES = st.sampled_from(["Rossi", "Bianchi", "Esposito", "Colombo", "Ng", "De Luca", "Fo"])
GIVEN = st.sampled_from(["Maria", "Luca", "Giovanni", "Aya", "Li", "Anna Maria"])
PLACES = st.sampled_from(["Lecco", "Milano", "Merate", "Bellano", "Roma"])


@settings(max_examples=60, deadline=None)
@given(NAMES, GIVEN, st.sampled_from(["M", "F"]),
       st.dates(dt.date(1920, 1, 1), dt.date(2020, 12, 31)), PLACES)
def test_agrees_with_reference_library(last: str, first: str, sex: str, birth: dt.date,
                                       place: str) -> None:
    code = reference.encode(lastname=last, firstname=first, gender=sex,
                            birthdate=birth.strftime("%d/%m/%Y"), birthplace=place)
    assert is_valid(code)
    for variant in reference.decode(code)["omocodes"]:
        assert is_valid(variant)


@pytest.mark.parametrize("code", [
    "RSSMRA80A41E507X",  # wrong check character
    "RSSMRA80A41E507",  # too short
    "RSSMRA80Z41E507M",  # no month Z
    "RSSMRA80A32E507M",  # day 32
    "RSSMRA80B30E507M",  # 30 February
    "1SSMRA80A41E507M",
    "",
])
def test_rejects(code: str) -> None:
    assert not is_valid(code)
