"""``fieldwelfare demo``: a database full of realistic demo data, then the UI."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from fieldwelfare import paths as fw_paths
from fieldwelfare.cli import output
from fieldwelfare.cli.context import get_settings, get_store, handle_errors
from fieldwelfare.cli.tui import open_tui
from fieldwelfare.errors import InvalidInput
from fieldwelfare.i18n import catalogue, t
from fieldwelfare.models import KINDS
from fieldwelfare.store import Store, open_store
from fieldwelfare.store.connection import is_encrypted

DEMO_MARK = "demo_seed"
"""Meta key set on a database the demo filled: only such a database may be ``--reset``."""

DEMO_IDENTITY = {"device_name": "demo", "operator": "demo", "role": "coordinator",
                 "ambito": "Lecco"}


def has_data(store: Store) -> bool:
    return any(store.count(kind) for kind in KINDS)


def reset(path: Path) -> None:
    """Delete the database at ``path``, refusing if it holds data the demo did not make."""
    if not path.exists():
        return
    if is_encrypted(path):  # the demo is never encrypted: this is someone's real data
        raise InvalidInput(t("cli.err.not_demo", path=path), field="reset")
    with open_store(path) as store:
        if has_data(store) and DEMO_MARK not in store.meta():
            raise InvalidInput(t("cli.err.not_demo", path=path), field="reset")
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    click.echo(t("cli.demo.reset", path=path), err=True)


def populate_with_progress(store: Store, *, seed: int, people: int) -> dict[str, object]:
    from fieldwelfare.demo import populate

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True)) as progress:
        task = progress.add_task(t("cli.demo.creating", path=store.path), total=None)

        def report(label: str, done: int, total: int) -> None:
            progress.update(task, description=label, completed=done, total=total)

        summary = populate(store, seed=seed, people=people, progress=report)
    return dict(summary.as_dict())


def count_label(key: str) -> str:
    """A translated label for a summary key or record kind; the key itself if there is none."""
    return t(f"cli.count.{key}") if f"cli.count.{key}" in catalogue() else key


def print_summary(counts: Mapping[str, object]) -> None:
    rows = [[count_label(key), str(value)] for key, value in counts.items()]
    output.print_table([t("cli.demo.item"), t("cli.col.count")], rows,
                       title=t("cli.demo.summary"))


@click.command(help="Crea (o riusa) un database demo con dati realistici sugli 84 comuni e apre "
                    "l'interfaccia (demo data, then the UI). Database: quello demo, salvo --db.")
@click.option("--seed", type=int, default=42, show_default=True,
              help="Seme casuale: stesso seme, stessi dati (random seed).")
@click.option("--people", type=click.IntRange(min=1), default=300, show_default=True,
              help="Quante persone creare (how many people).")
@click.option("--no-tui", is_flag=True, help="Non aprire l'interfaccia (don't open the UI).")
@click.option("--reset", "do_reset", is_flag=True,
              help="Cancella e ricrea il database demo (delete and recreate).")
@handle_errors
def demo(seed: int, people: int, no_tui: bool, do_reset: bool) -> None:
    settings = get_settings()
    path = settings.db_path(fw_paths.demo_db_path)
    if do_reset:
        reset(path)
    store = get_store(default=fw_paths.demo_db_path, create=True)
    if has_data(store):
        click.echo(t("cli.demo.reuse", path=path))
        counts: dict[str, object] = {kind: store.count(kind) for kind in KINDS}
    else:
        if not store.identity.initialised:
            store.set_identity(**DEMO_IDENTITY)
        counts = populate_with_progress(store, seed=seed, people=people)
        store.set_meta({DEMO_MARK: str(seed)})
    print_summary(counts)
    if not no_tui:
        open_tui(store, settings.lang, lang_given=settings.lang_given)


COMMANDS: list[click.Command] = [demo]
