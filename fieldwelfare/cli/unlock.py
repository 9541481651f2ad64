"""Who is at the keyboard: passphrases for encrypted databases.

An encrypted database is opened with an operator's passphrase, asked with a hidden prompt
when there is a terminal; otherwise from ``FIELDWELFARE_PASSPHRASE`` (with
``FIELDWELFARE_OPERATOR`` when several operators share the laptop) or ``--passphrase-file``
(``hub serve`` under a service manager); ``FIELDWELFARE_RECOVERY_KEY`` opens it with the
recovery key. A wrong passphrase is one message and exit status 4.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from fieldwelfare.cli.context import Settings, get_settings
from fieldwelfare.errors import InvalidInput
from fieldwelfare.i18n import t
from fieldwelfare.store import Store, keyslots, open_store, vault
from fieldwelfare.store.connection import is_encrypted
from fieldwelfare.store.dbapi import HAS_CIPHER
from fieldwelfare.store.identity import default_operator
from fieldwelfare.store.keyslots import Locked

PASSPHRASE_ENV = "FIELDWELFARE_PASSPHRASE"
OPERATOR_ENV = "FIELDWELFARE_OPERATOR"
RECOVERY_ENV = "FIELDWELFARE_RECOVERY_KEY"
NEW_PASSPHRASE_ENV = "FIELDWELFARE_NEW_PASSPHRASE"

F = TypeVar("F", bound=Callable[..., Any])


def plaintext_option(func: F) -> F:
    option = click.option(
        "--plaintext", is_flag=True,
        help="Crea un database NON cifrato (not encrypted): solo su un disco già cifrato, o "
             "dove sqlcipher3 non c'è. 'doctor' lo segnala.")
    return option(func)  # type: ignore[no-any-return]


def interactive() -> bool:
    return sys.stdin.isatty()


def _from_file(settings: Settings) -> str | None:
    if settings.passphrase_file is None:
        return None
    try:
        text = settings.passphrase_file.read_text(encoding="utf-8")
    except OSError as exc:
        raise Locked(t("cli.err.file", detail=exc)) from None
    return text.splitlines()[0] if text else ""


def has_credentials(settings: Settings) -> bool:
    """A passphrase (or the recovery key) given without a prompt."""
    return bool(settings.passphrase_file or os.environ.get(PASSPHRASE_ENV)
                or os.environ.get(RECOVERY_ENV))


def existing_passphrase(settings: Settings, path: Path) -> tuple[str | None, str | None,
                                                                  str | None]:
    """(operator, passphrase, recovery key) to open ``path``."""
    recovery = os.environ.get(RECOVERY_ENV)
    if recovery:
        return None, None, recovery
    operators = keyslots.operators(path)
    operator = os.environ.get(OPERATOR_ENV) or (operators[0] if len(operators) == 1 else None)
    passphrase = _from_file(settings) or os.environ.get(PASSPHRASE_ENV)
    if passphrase is None or operator is None:
        if not interactive():
            if passphrase is not None:  # given, but for whom?
                raise Locked(t("keys.need_operator", names=", ".join(operators)))
            raise Locked(t("keys.need_passphrase"))
        if operator is None:
            operator = click.prompt(t("cli.unlock.operator"),
                                    type=click.Choice(operators), err=True)
        passphrase = click.prompt(t("cli.unlock.passphrase", name=operator), hide_input=True,
                                  err=True)
    return operator, passphrase, None


def new_passphrase(settings: Settings, operator: str, *, opened: bool = False) -> str:
    """A new operator's passphrase: asked twice at a terminal, else from the environment
    (``FIELDWELFARE_NEW_PASSPHRASE``, else ``FIELDWELFARE_PASSPHRASE``) or the file.
    ``opened``: the database is already open (``operator add``, ``operator passwd``): what
    opened it (``FIELDWELFARE_PASSPHRASE``, the file) is that operator's passphrase and is
    never taken as the new one, which comes only from ``FIELDWELFARE_NEW_PASSPHRASE`` or
    the prompt (before, the new operator silently got the current one's)."""
    given = os.environ.get(NEW_PASSPHRASE_ENV)
    if given is None and not opened:
        given = _from_file(settings) or os.environ.get(PASSPHRASE_ENV)
    if given is not None:
        keyslots.check_passphrase(given, names=(operator,))
        return given
    if not interactive():
        raise InvalidInput(t("keys.need_new_passphrase" if opened else "keys.need_passphrase",
                             name=operator), field="passphrase")
    click.echo(t("cli.unlock.rules", n=keyslots.MIN_PASSPHRASE), err=True)
    while True:
        first = click.prompt(t("cli.unlock.new", name=operator), hide_input=True, err=True)
        try:
            keyslots.check_passphrase(first, names=(operator,))
        except InvalidInput as exc:
            click.echo(str(exc), err=True)
            continue
        if click.prompt(t("cli.unlock.again"), hide_input=True, err=True) == first:
            return first
        click.echo(t("cli.unlock.mismatch"), err=True)


def open_existing(settings: Settings, path: Path, *, create: bool) -> Store:
    """The store at ``path``, unlocked if it is encrypted."""
    if is_encrypted(path):
        operator, passphrase, recovery = existing_passphrase(settings, path)
        return vault.unlock(path, operator=operator, passphrase=passphrase, recovery=recovery)
    return open_store(path, create=create)


def is_new(path: Path) -> bool:
    return not path.exists() or path.stat().st_size == 0


def new_or_existing(operator: str | None, plaintext: bool) -> Store:
    """The database at ``--db``: made (encrypted unless ``--plaintext``) if it does not
    exist yet, else opened (unlocked) as any command would."""
    from fieldwelfare import paths
    from fieldwelfare.cli.context import get_store

    ctx = click.get_current_context()
    path = get_settings(ctx).db_path()
    if not is_new(path) or path in get_settings(ctx).stores:
        return get_store(ctx, create=True)
    name = (operator or "").strip() or default_operator()
    paths.ensure_parent(path)
    return create_store(ctx, path, operator=name, plaintext=plaintext)


def create_store(ctx: click.Context, path: Path, *, operator: str, plaintext: bool) -> Store:
    """A new database for ``init``, ``enroll`` or ``hub init``: encrypted unless
    ``--plaintext``; the recovery key is printed once, to keep on paper."""
    settings = get_settings(ctx)
    if plaintext:
        store = open_store(path)
    else:
        if not HAS_CIPHER:
            raise InvalidInput(t("keys.no_cipher"), field="plaintext")
        passphrase = new_passphrase(settings, operator)
        store, recovery = vault.create(path, operator=operator, passphrase=passphrase)
        click.echo(t("cli.unlock.recovery", key=recovery), err=True)
    settings.stores[path] = store
    ctx.find_root().call_on_close(store.close)
    return store
