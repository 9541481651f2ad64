"""Fixtures for the TUI tests (the app and its data come from ``tuikit``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tuikit import build_app, open_tui_store

from fieldwelfare.screens.app import FieldWelfareApp
from fieldwelfare.store import Store


@pytest.fixture
def new_store(tmp_path: Path) -> Iterator[Store]:
    """A database that has never been set up (first run)."""
    store = open_tui_store(tmp_path / "tui.db")
    yield store
    store.close()


@pytest.fixture
def tui_store(tmp_path: Path) -> Iterator[Store]:
    store = open_tui_store(tmp_path / "tui.db")
    store.set_identity(device_name="portatile-1", operator="Anna Bianchi",
                       role="coordinator", ambito="Lecco")
    yield store
    store.close()


@pytest.fixture
def app_factory(tui_store: Store) -> Callable[..., FieldWelfareApp]:
    def factory(lang: str = "it") -> FieldWelfareApp:
        return build_app(tui_store, lang)
    return factory
