"""Shared fixtures: every test gets its own data folder; the real user data is never touched."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldwelfare import i18n
from fieldwelfare.store import Store, open_store


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--long",
        action="store_true",
        default=False,
        help="long property and fault runs (more hypothesis examples, more kill points)",
    )


@pytest.fixture
def long_run(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--long"))


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
    s = open_store(tmp_path / "test.db")
    s.set_identity(device_name="laptop-test", operator="Anna Operatrice", role="social_worker",
                   ambito="Lecco")
    yield s
    s.close()
