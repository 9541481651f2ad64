"""``fieldwelfare tui`` (and bare ``fieldwelfare``): open the terminal UI.

Textual is imported here, lazily, and nowhere else in the command line: headless commands
never load it (tested in tests/test_import_hygiene.py).
"""

from __future__ import annotations

import click

from fieldwelfare.cli.context import get_settings, get_store, handle_errors
from fieldwelfare.store import Store


def open_tui(store: Store, lang: str) -> None:
    """Build the app with the one factory the tests use too, and run it."""
    from fieldwelfare.screens.app import make_app  # type: ignore[import-not-found]

    make_app(store, lang=lang).run()


@click.command(help="Apre l'interfaccia a terminale (open the terminal UI). È il comando "
                    "predefinito: 'fieldwelfare' da solo fa lo stesso.")
@handle_errors
def tui() -> None:
    open_tui(get_store(), get_settings().lang)


COMMANDS: list[click.Command] = [tui]
