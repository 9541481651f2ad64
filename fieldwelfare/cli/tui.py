"""``fieldwelfare tui`` (and bare ``fieldwelfare``): open the terminal UI.

Textual is imported here, lazily, and nowhere else in the command line: headless commands
never load it (tested in tests/test_import_hygiene.py).
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from fieldwelfare import paths
from fieldwelfare.cli.context import get_settings, get_store, handle_errors
from fieldwelfare.cli.unlock import (
    OPERATOR_ENV,
    create_store,
    has_credentials,
    interactive,
    is_new,
)
from fieldwelfare.errors import InvalidInput
from fieldwelfare.i18n import t
from fieldwelfare.store import Store
from fieldwelfare.store.connection import is_encrypted
from fieldwelfare.store.dbapi import HAS_CIPHER
from fieldwelfare.store.identity import default_operator

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
    elif settings.db is None and is_new(path) and HAS_CIPHER:
        store = first_run(path)
    else:
        store = get_store(create=settings.db is None)
    open_tui(store, settings.lang, lang_given=settings.lang_given)


def first_run(path: Path) -> Store:
    """The very first start on this computer: the database is made encrypted, from the
    terminal (operator, passphrase twice, the recovery key to write down), and then the UI
    opens on its setup screen."""
    asking = interactive()
    if not asking and not has_credentials(get_settings()):
        raise InvalidInput(t("keys.need_passphrase"), field="passphrase")
    click.echo(t("cli.tui.first_run", path=path), err=True)
    operator = os.environ.get(OPERATOR_ENV) or (
        click.prompt(t("cli.unlock.operator"), err=True) if asking else default_operator())
    paths.ensure_parent(path)
    store = create_store(click.get_current_context(), path, operator=operator.strip(),
                         plaintext=False)
    if asking:  # the UI is about to take the screen: the key must be written down first
        click.prompt(t("cli.tui.written_down"), default="", show_default=False, err=True)
    return store


COMMANDS: list[click.Command] = [tui]
