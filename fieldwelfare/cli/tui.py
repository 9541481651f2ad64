"""``fieldwelfare tui`` (and bare ``fieldwelfare``): open the terminal UI.

Textual is imported here, lazily, and nowhere else in the command line: headless commands
never load it (tested in tests/test_import_hygiene.py).
"""

from __future__ import annotations

import click

from fieldwelfare.cli.context import get_settings, get_store, handle_errors
from fieldwelfare.cli.unlock import has_credentials
from fieldwelfare.store import Store
from fieldwelfare.store.connection import is_encrypted

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
    path = settings.db_path()
    if path.is_file() and is_encrypted(path) and not has_credentials(settings):
        from fieldwelfare.screens.unlock_app import (  # type: ignore[import-not-found]
            unlock_in_terminal,
        )

        store = unlock_in_terminal(path, settings.lang)
        if store is None:  # the user quit on the unlock screen
            return
        settings.stores[path] = store
        click.get_current_context().find_root().call_on_close(store.close)
    else:
        store = get_store(create=settings.db is None)
    open_tui(store, settings.lang, lang_given=settings.lang_given)


COMMANDS: list[click.Command] = [tui]
