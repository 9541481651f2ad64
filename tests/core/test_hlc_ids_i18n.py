from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldwelfare import hlc, i18n
from fieldwelfare.ids import is_uuid, uuid7


def test_uuid7_version_variant_and_order() -> None:
    ids = [uuid7() for _ in range(2000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    u = uuid.UUID(ids[0])
    assert u.version == 7
    assert u.variant == uuid.RFC_4122
    assert is_uuid(ids[0]) and not is_uuid("nope")


def test_hlc_monotonic_when_wall_clock_goes_back() -> None:
    wall = [1_000_000]
    clock = hlc.HybridClock(clock=lambda: wall[0])
    a = clock.now()
    wall[0] = 500_000  # the laptop clock was moved backwards
    b = clock.now()
    c = clock.now()
    assert a < b < c


def test_hlc_observe_advances_and_refuses_far_future() -> None:
    wall = [1_000_000]
    clock = hlc.HybridClock(clock=lambda: wall[0])
    remote = hlc.format_stamp(1_000_500, 7)
    assert clock.observe(remote)
    assert clock.now() > remote
    far = hlc.format_stamp(1_000_000 + hlc.MAX_OFFSET_MS + 1, 0)
    before = clock.last
    assert not clock.observe(far)
    assert clock.last == before
    assert hlc.is_far_future(far, now_ms=1_000_000)


@given(st.lists(st.integers(min_value=0, max_value=2**40), min_size=1, max_size=50))
def test_hlc_stamps_strictly_increase_whatever_the_wall_clock(walls: list[int]) -> None:
    it = iter(walls)
    clock = hlc.HybridClock(clock=lambda: next(it))
    stamps = [clock.now() for _ in walls]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)


def test_parse_rejects_garbage() -> None:
    with pytest.raises(ValueError):
        hlc.parse_stamp("12-3")


def test_catalogue_complete_in_both_languages() -> None:
    for key, (it, en) in i18n.catalogue().items():
        assert it.strip(), f"{key} has no Italian text"
        assert en.strip(), f"{key} has no English text"


def test_language_switch() -> None:
    assert i18n.t("weekday.0") == "lunedì"
    i18n.set_language("en")
    assert i18n.t("weekday.0") == "Monday"
    with pytest.raises(ValueError):
        i18n.set_language("fr")
