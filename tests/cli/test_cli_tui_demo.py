"""``tui`` (the default command) and ``demo``: the UI is built by ``make_app`` and run."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import PERSON, Cli, open_db
from click.testing import CliRunner

from fieldwelfare.cli import cli
from fieldwelfare.store import Store
from fieldwelfare.store.connection import is_encrypted


@dataclass
class FakeApps:
    """Stands in for ``fieldwelfare.screens.app``: records each app built and run."""

    built: list[tuple[str, str, int]] = field(default_factory=list)

    def make_app(self, store: Store, *, lang: str = "it") -> Any:
        apps = self

        class App:
            def run(self) -> None:
                apps.built.append((store.path, lang, store.count("person")))

        return App()


@pytest.fixture
def apps(monkeypatch: pytest.MonkeyPatch) -> FakeApps:
    fake = FakeApps()
    module = types.ModuleType("fieldwelfare.screens.app")
    module.make_app = fake.make_app  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fieldwelfare.screens.app", module)
    return fake


@pytest.mark.parametrize("args", [[], ["tui"]])
def test_bare_command_and_tui_open_the_app(run: Cli, apps: FakeApps, args: list[str]) -> None:
    run.add("person", PERSON)
    run.ok(*args)
    assert apps.built == [(str(run.db), "it", 1)]


def test_tui_passes_the_language(run: Cli, apps: FakeApps) -> None:
    run.ok("--lang", "en")
    assert apps.built == [(str(run.db), "en", 0)]


def test_tui_uses_the_default_database(tmp_path: Path, apps: FakeApps) -> None:
    result = CliRunner().invoke(cli, [])
    assert result.exit_code == 0, result.output
    assert apps.built == [(str(tmp_path / "home" / "fieldwelfare.db"), "it", 0)]


def test_the_real_app_factory_is_used(run: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.app import App

    ran: list[App[Any]] = []
    monkeypatch.setattr(App, "run", lambda self, *a, **k: ran.append(self))
    run.ok("--lang", "en", "tui")
    assert len(ran) == 1 and isinstance(ran[0], App)


@dataclass
class FakeDemo:
    """Stands in for ``fieldwelfare.demo.populate``: adds ``people`` persons."""

    calls: list[tuple[int, int]] = field(default_factory=list)

    def populate(self, store: Store, *, seed: int = 42, people: int = 300,
                 progress: Callable[[str, int, int], None] | None = None) -> Any:
        self.calls.append((seed, people))
        for done in range(people):
            store.add("person", {**PERSON, "given_name": f"P{done}"})
            if progress:
                progress("Persone", done + 1, people)

        class Summary:
            def as_dict(self) -> dict[str, int]:
                return {"people": people, "visits": 0}

        return Summary()


@pytest.fixture
def demo(monkeypatch: pytest.MonkeyPatch) -> FakeDemo:
    fake = FakeDemo()
    module = types.ModuleType("fieldwelfare.demo")
    module.populate = fake.populate  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fieldwelfare.demo", module)
    return fake


def demo_db(tmp_path: Path) -> Path:
    return tmp_path / "home" / "demo.db"


def test_demo_fills_the_demo_database_and_opens_the_app(
    tmp_path: Path, demo: FakeDemo, apps: FakeApps
) -> None:
    result = CliRunner().invoke(cli, ["demo", "--seed", "7", "--people", "3"])
    assert result.exit_code == 0, result.output
    assert demo.calls == [(7, 3)]
    assert "Persone" in result.stdout and "Visite" in result.stdout  # the summary
    assert apps.built == [(str(demo_db(tmp_path)), "it", 3)]
    assert not (tmp_path / "home" / "fieldwelfare.db").exists()
    with open_db(demo_db(tmp_path)) as store:
        assert store.identity.initialised and store.count("person") == 3


def test_demo_defaults_and_no_tui(tmp_path: Path, demo: FakeDemo, apps: FakeApps) -> None:
    result = CliRunner().invoke(cli, ["demo", "--no-tui"])
    assert result.exit_code == 0, result.output
    assert demo.calls == [(42, 300)]
    assert apps.built == []


def test_demo_reuses_a_filled_database_and_reset_recreates_it(
    tmp_path: Path, demo: FakeDemo, apps: FakeApps
) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["demo", "--no-tui", "--people", "2"]).exit_code == 0
    again = runner.invoke(cli, ["demo", "--no-tui", "--people", "5"])
    assert again.exit_code == 0, again.output
    assert "riuso" in again.stdout and str(demo_db(tmp_path)) in again.stdout
    assert demo.calls == [(42, 2)]
    reset = runner.invoke(cli, ["demo", "--no-tui", "--people", "4", "--reset"])
    assert reset.exit_code == 0, reset.output
    assert demo.calls == [(42, 2), (42, 4)]
    with open_db(demo_db(tmp_path)) as store:
        assert store.count("person") == 4


def test_demo_respects_db(run: Cli, demo: FakeDemo, apps: FakeApps, tmp_path: Path) -> None:
    result = run("demo", "--people", "2")
    assert result.exit_code == 0, result.output
    assert run.counts()["person"] == 2
    assert apps.built == [(str(run.db), "it", 2)]
    assert not demo_db(tmp_path).exists()


def test_demo_reset_refuses_a_database_with_real_data(run: Cli, demo: FakeDemo) -> None:
    run.add("person", PERSON)
    message = run.fails(2, "demo", "--no-tui", "--reset")
    assert "--reset" in message and str(run.db) in message
    assert run.counts()["person"] == 1
    assert demo.calls == []


def test_demo_with_the_real_generator(run: Cli) -> None:
    result = run("--lang", "en", "demo", "--no-tui", "--people", "12", "--seed", "3")
    assert result.exit_code == 0, result.output
    assert "People" in result.stdout
    counts = run.counts()
    assert counts["person"] == 12 and counts["volunteer"] > 0 and counts["need"] > 0
    assert run.ok("doctor").stdout.startswith("ok")


def test_language_saved_from_the_ui_is_used_and_relaunch_switches(
        run: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """The UI saves the other language and returns 'switch_language': the CLI reopens it."""
    from fieldwelfare.cli.tui import LANG_KEY, RELAUNCH

    runs: list[str] = []

    def make_app(store: Store, *, lang: str = "it") -> Any:
        class App:
            def run(self) -> str | None:
                runs.append(lang)
                if len(runs) == 1:
                    store.set_meta({LANG_KEY: "en" if lang == "it" else "it"})
                    return RELAUNCH
                return None

        return App()

    module = types.ModuleType("fieldwelfare.screens.app")
    module.make_app = make_app  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fieldwelfare.screens.app", module)
    run.ok()
    assert runs == ["it", "en"]
    runs.clear()
    run.ok()  # next start: the saved language
    assert runs[0] == "en"
    runs.clear()
    run.ok("--lang", "it")  # an explicit --lang wins over the saved one
    assert runs[0] == "it"


def test_first_start_makes_an_encrypted_database_from_the_terminal(
        tmp_path: Path, apps: FakeApps, monkeypatch: pytest.MonkeyPatch) -> None:
    """Bare `fieldwelfare` on a new computer: operator, passphrase twice, the recovery key
    shown and waited for, then the UI (its setup screen) on the encrypted database."""
    monkeypatch.delenv("FIELDWELFARE_PASSPHRASE")
    monkeypatch.setattr("fieldwelfare.cli.unlock.interactive", lambda: True)
    monkeypatch.setattr("fieldwelfare.cli.tui.interactive", lambda: True)
    phrase = "tre gatti sul tetto"
    result = CliRunner().invoke(cli, [], input=f"Anna Bianchi\n{phrase}\n{phrase}\n\n")
    assert result.exit_code == 0, result.output
    db = tmp_path / "home" / "fieldwelfare.db"
    assert "CHIAVE DI RECUPERO" in result.stderr and "Invio per aprire" in result.stderr
    assert is_encrypted(db) and apps.built == [(str(db), "it", 0)]


def test_first_start_without_a_terminal_or_passphrase_makes_nothing(
        tmp_path: Path, apps: FakeApps, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FIELDWELFARE_PASSPHRASE")
    result = CliRunner().invoke(cli, [])
    assert result.exit_code == 2 and "FIELDWELFARE_PASSPHRASE" in result.stderr
    assert not (tmp_path / "home" / "fieldwelfare.db").exists() and apps.built == []
