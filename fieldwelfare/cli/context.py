"""What every command shares: the global options, the lazily opened store, and the error
boundary that turns core errors into exit codes with one message on stderr.

A command module uses it like this::

    @click.command(help="...")
    @handle_errors
    def mycommand() -> None:
        store = get_store()
        ...

Errors raised as :class:`~fieldwelfare.errors.FieldWelfareError` leave with their
``exit_code`` (2 bad input, 1 not found) and ``str(error)`` on stderr, never a traceback.
The root group applies the same boundary, so a command that forgets the decorator is
still covered.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, ParamSpec, TypeVar

import click

from fieldwelfare import paths
from fieldwelfare.cli import messages as _messages  # noqa: F401  (registers the CLI keys)
from fieldwelfare.errors import FieldWelfareError
from fieldwelfare.i18n import get_language, t
from fieldwelfare.store import Store, open_store
from fieldwelfare.store.dbapi import sqlite3

P = ParamSpec("P")
R = TypeVar("R")


class CommandFailed(click.ClickException):
    """A core error on its way out: the message on stderr, the error's exit code."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        # click declares exit_code a class variable; this error carries the core error's
        setattr(self, "exit_code", exit_code)  # noqa: B010

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(t("cli.error", message=self.message), err=file is None, file=file)


@contextmanager
def error_boundary() -> Iterator[None]:
    """Turn core, SQLite and file errors into :class:`CommandFailed`."""
    try:
        yield
    except FieldWelfareError as exc:
        raise CommandFailed(str(exc), exc.exit_code) from None
    except sqlite3.Error as exc:
        raise CommandFailed(str(exc), 1) from None
    except BrokenPipeError:  # `fieldwelfare record list ... | head`: handled by main()
        raise
    except OSError as exc:
        raise CommandFailed(t("cli.err.file", detail=exc), 1) from None


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Decorator for a command callback: run it inside :func:`error_boundary`."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with error_boundary():
            return func(*args, **kwargs)

    return wrapper


@dataclass
class Settings:
    """The global options (``--db``, ``--lang``) and the stores opened from them."""

    db: Path | None = None
    """``--db`` / ``FIELDWELFARE_DB``; None means the command's default database."""
    lang: str = "it"
    lang_given: bool = False
    """True when ``--lang`` or ``FIELDWELFARE_LANG`` chose the language (it then wins over
    the language saved in the database from the UI)."""
    stores: dict[Path, Store] = field(default_factory=dict)
    passphrase_file: Path | None = None
    """``--passphrase-file``: the first line is the passphrase (services, scripts)."""

    def db_path(self, default: Callable[[], Path] = paths.db_path) -> Path:
        return self.db if self.db is not None else default()


def get_settings(ctx: click.Context | None = None) -> Settings:
    ctx = ctx or click.get_current_context()
    settings = ctx.find_object(Settings)
    if settings is None:  # a command invoked on its own, outside the root group
        settings = ctx.ensure_object(Settings)
        settings.lang = get_language()
    return settings


def get_store(
    ctx: click.Context | None = None, *, default: Callable[[], Path] = paths.db_path,
    create: bool = False,
) -> Store:
    """The store at ``--db`` (or ``default()``), opened on first use and closed at exit.

    Only the commands that make a database (``init``, ``enroll``, ``demo``, ``hub init``,
    and the UI on the default database, which opens on its setup screen) pass
    ``create=True``; every other command refuses a file that does not exist (exit 1,
    naming the path), so a mistyped ``--db`` never makes a new empty database.
    """
    ctx = ctx or click.get_current_context()
    settings = get_settings(ctx)
    path = settings.db_path(default)
    store = settings.stores.get(path)
    if store is None:
        from fieldwelfare.cli.unlock import open_existing

        if create:
            paths.ensure_parent(path)
        elif not path.is_file():
            open_store(path, create=False)  # NotFound, naming the path
        try:
            store = open_existing(settings, path, create=create)
        except sqlite3.Error as exc:
            raise CommandFailed(t("cli.err.open_db", path=path, detail=exc), 1) from None
        settings.stores[path] = store
        ctx.find_root().call_on_close(store.close)
    return store
