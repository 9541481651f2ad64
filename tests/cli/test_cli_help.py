"""Every command has help; the group's error boundary; --version."""

from __future__ import annotations

from collections.abc import Iterator

import click
import pytest
from cli_helpers import Cli
from click.testing import CliRunner

from fieldwelfare import __version__
from fieldwelfare.cli import cli
from fieldwelfare.cli.context import get_store
from fieldwelfare.errors import InvalidInput, NotFound


def walk(command: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from walk(sub, (*path, name))


COMMANDS = list(walk(cli))


def resolve(path: tuple[str, ...]) -> click.Command:
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    return command


def test_the_contract_commands_are_all_there() -> None:
    expected = {("tui",), ("demo",), ("init",), ("paths",), ("doctor",), ("match",),
                ("record",), ("record", "add"), ("record", "update"), ("record", "delete"),
                ("record", "get"), ("record", "list")}
    assert expected <= set(COMMANDS)


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "fieldwelfare")
def test_every_command_and_option_has_help(path: tuple[str, ...]) -> None:
    command = resolve(path)
    assert command.help and len(command.help) > 20, path
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, (path, param.name)
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.stdout


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.stdout


@pytest.mark.parametrize(("error", "code"), [
    (NotFound("person x: non trovato", kind="person", record_id="x"), 1),
    (InvalidInput("sex: valore non ammesso", field="sex"), 2),
])
def test_a_command_without_the_decorator_still_exits_cleanly(
    run: Cli, monkeypatch: pytest.MonkeyPatch, error: Exception, code: int
) -> None:
    @click.command(help="A command added by another module, without @handle_errors.")
    def bare() -> None:
        get_store()
        raise error

    monkeypatch.setitem(cli.commands, "bare", bare)
    message = run.fails(code, "bare")
    assert message == f"Errore: {error}"
