"""Shared fixtures: every test gets its own data folder; the real user data is never touched."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldwelfare import clock, i18n
from fieldwelfare.store import Store, open_store

SUITE_START = "2026-06-15T09:00:00Z"
"""The default instant of the suite's fixed clock (a Monday morning)."""

TEST_PASSPHRASE = "una passphrase di prova"
"""The passphrase of every encrypted database the CLI makes in the suite (init, enroll,
hub init read it from FIELDWELFARE_PASSPHRASE, and so do the commands that open them)."""

TEST_KEY = bytes(range(32))
"""The raw SQLCipher key of the ``store`` fixtures: the core suites run encrypted too."""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--long",
        action="store_true",
        default=False,
        help="long property and fault runs (more hypothesis examples, more kill points)",
    )
    parser.addoption(
        "--clock",
        default=SUITE_START,
        help="the instant the whole suite runs at (ISO 8601): every test gets a fixed "
             "clock starting there, and so do the processes it starts. CI runs the flow "
             "and snapshot tests again with it years ahead.",
    )


def pytest_configure(config: pytest.Config) -> None:
    """The suite's clock from the start, for module- and session-scoped fixtures too."""
    start = str(config.getoption("--clock"))
    os.environ[clock.FAKE_TIME_ENV] = start
    os.environ["FIELDWELFARE_INSECURE_FAST_KDF"] = "1"  # Argon2id at minimum cost in tests
    os.environ["FIELDWELFARE_PASSPHRASE"] = TEST_PASSPHRASE
    clock.set_default_clock(clock.FixedClock(start))


@pytest.fixture
def long_run(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--long"))


@pytest.fixture(autouse=True)
def _fixed_clock(request: pytest.FixtureRequest,
                 monkeypatch: pytest.MonkeyPatch) -> Iterator[clock.FixedClock]:
    """No test reads the real clock: the default clock is fixed at ``--clock`` (a new one
    for every test, so the order of tests changes nothing), and so is every child
    process's."""
    start = str(request.config.getoption("--clock"))
    fixed = clock.FixedClock(start)
    monkeypatch.setenv(clock.FAKE_TIME_ENV, start)
    previous = clock.set_default_clock(fixed)
    yield fixed
    clock.set_default_clock(previous)


@pytest.fixture
def suite_clock(_fixed_clock: clock.FixedClock) -> clock.FixedClock:
    """The fixed clock of this test (to move it forward)."""
    return _fixed_clock


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("FIELDWELFARE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("FIELDWELFARE_DB", raising=False)
    monkeypatch.delenv("FIELDWELFARE_LANG", raising=False)
    monkeypatch.delenv("COLUMNS", raising=False)  # tables are as wide as when piped
    i18n.set_language("it")
    yield
    i18n.set_language("it")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(tmp_path / "test.db", key=TEST_KEY)
    s.set_identity(device_name="laptop-test", operator="Anna Operatrice", role="social_worker",
                   ambito="Lecco")
    yield s
    s.close()
