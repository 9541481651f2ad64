"""``fieldwelfare tui`` (and bare ``fieldwelfare``): open the terminal UI.

Textual is imported here, lazily, and nowhere else in the command line: headless commands
never load it (tested in tests/test_import_hygiene.py).
"""

from __future__ import annotations

import click

from fieldwelfare.cli.context import get_settings, get_store, handle_errors
from fieldwelfare.store import Store

LANG_KEY = "lang"
"""Store meta key of the language chosen in the UI (palette: Lingua / Language)."""
RELAUNCH = "switch_language"
"""What the app returns when the user switched language: it is opened again in it."""


def open_tui(store: Store, lang: str, *, lang_given: bool = False) -> None:
    """Build the app with the one factory the tests use too, and run it.

    The language is ``--lang`` when given, else the one saved in the database from the UI.
    """
    from fieldwelfare.screens.app import make_app  # type: ignore[import-not-found]

    if not lang_given:
        lang = store.meta().get(LANG_KEY, lang)
    while make_app(store, lang=lang).run() == RELAUNCH:
        lang = store.meta().get(LANG_KEY, lang)


@click.command(help="Apre l'interfaccia a terminale (open the terminal UI). È il comando "
                    "predefinito: 'fieldwelfare' da solo fa lo stesso.")
@handle_errors
def tui() -> None:
    settings = get_settings()
    open_tui(get_store(create=settings.db is None), settings.lang, lang_given=settings.lang_given)


COMMANDS: list[click.Command] = [tui]
