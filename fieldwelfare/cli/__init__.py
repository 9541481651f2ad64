"""The ``fieldwelfare`` command: a click group whose default command opens the TUI.

Commands live in small modules, each with a ``COMMANDS`` list. To add a module, import it
below and append it to ``COMMAND_MODULES``; use :mod:`fieldwelfare.cli.context` for the store
(``get_store()``) and the error boundary (``@handle_errors``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import ModuleType

import click
from click_default_group import DefaultGroup

from fieldwelfare import __version__
from fieldwelfare.cli import (
    admin,
    conflicts,
    demo,
    directory,
    enroll,
    hub,
    match,
    person,
    record,
    report,
    retention,
    security,
    sync,
    tui,
)
from fieldwelfare.cli.context import Settings, error_boundary
from fieldwelfare.i18n import LANGUAGES, set_language

COMMAND_MODULES: list[ModuleType] = [
    tui,
    demo,
    admin,
    record,
    person,
    match,
    hub,
    enroll,
    sync,
    conflicts,
    report,
    directory,
    security,
    retention,
]


class FieldWelfareGroup(DefaultGroup):  # type: ignore[misc]
    """The root group: any core error left uncaught by a command still exits cleanly."""

    def invoke(self, ctx: click.Context) -> object:
        with error_boundary():
            return super().invoke(ctx)


@click.group(
    cls=FieldWelfareGroup, default="tui", default_if_no_args=True, invoke_without_command=True,
    help="fieldwelfare: welfare di comunità, locale e sincronizzabile (Ambito di Lecco). "
         "Senza comando apre l'interfaccia a terminale (no command: opens the TUI).\n\n"
         "Exit status: 0 ok, 1 record non trovato o controllo fallito (not found), "
         "2 input non valido (bad input: nothing written), 3 pacchetto rifiutato (bundle "
         "refused), 4 database bloccato: passphrase errata o mancante (locked).",
)
@click.version_option(__version__, prog_name="fieldwelfare")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), envvar="FIELDWELFARE_DB",
              default=None, metavar="PATH",
              help="File del database (env FIELDWELFARE_DB; default: vedi 'fieldwelfare paths').")
@click.option("--lang", type=click.Choice(LANGUAGES), envvar="FIELDWELFARE_LANG", default="it",
              show_default=True, help="Lingua dei messaggi (env FIELDWELFARE_LANG): it | en.")
@click.option("--passphrase-file", type=click.Path(dir_okay=False, path_type=Path),
              envvar="FIELDWELFARE_PASSPHRASE_FILE", default=None, metavar="FILE",
              help="Passphrase dell'operatore dalla prima riga di FILE (per servizi e script; "
                   "altrimenti FIELDWELFARE_PASSPHRASE o la richiesta a terminale).")
@click.pass_context
def cli(ctx: click.Context, db: Path | None, lang: str, passphrase_file: Path | None) -> None:
    set_language(lang)
    os.umask(0o077)  # every file the app makes (database, bundles, logs, backups): 0600
    source = ctx.get_parameter_source("lang")
    given = source in (click.core.ParameterSource.COMMANDLINE,
                       click.core.ParameterSource.ENVIRONMENT)
    ctx.obj = Settings(db=db, lang=lang, lang_given=given, passphrase_file=passphrase_file)
    if ctx.invoked_subcommand is None:  # global options only (`fieldwelfare --db x`): the TUI
        ctx.invoke(tui.tui)


for _module in COMMAND_MODULES:
    for _command in _module.COMMANDS:
        cli.add_command(_command)


def main() -> None:
    """Console-script entry point."""
    try:
        cli(prog_name="fieldwelfare")
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)


__all__ = ["COMMAND_MODULES", "cli", "main"]
