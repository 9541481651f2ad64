"""``fieldwelfare sync ...``: this device's side of sync (USB bundles or HTTP)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn

from fieldwelfare.cli.context import get_store, handle_errors
from fieldwelfare.cli.output import dumps, each_bundle
from fieldwelfare.i18n import t
from fieldwelfare.sync import device
from fieldwelfare.sync.errors import SyncError


@click.group(help="Sincronizzazione con l'hub: pacchetti firmati e cifrati, via chiavetta USB "
                  "o HTTP (sync with the hub).")
def sync() -> None:
    pass


@sync.command("export", help="Scrive le modifiche non ancora confermate in pacchetti per l'hub; "
                             "stampa i percorsi, uno per riga (write bundles for the hub).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Cartella di destinazione (es. la chiavetta USB).")
@handle_errors
def export_cmd(out: Path | None) -> None:
    store = get_store()
    if not device.status(store)["enrolled"]:  # nothing was received: not a refused bundle
        raise SyncError(t("cli.err.not_enrolled"))
    for sealed in device.export(store, out):
        click.echo(str(sealed.path))


@sync.command("import", help="Verifica e applica i pacchetti di risposta dell'hub "
                             "(apply hub bundles). Exit 3 se rifiutato.")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@handle_errors
def import_cmd(files: tuple[Path, ...]) -> None:
    store = get_store()
    for _, done in each_bundle(files, lambda path: device.import_reply(store, path)):
        _report(store, done)


def _report(store: Any, done: device.Imported) -> None:
    if done.enrolled:
        ident = store.identity
        click.echo(t("sync.dev.enrolled", hub=device.status(store)["hub"],
                     name=ident.device_name, role=ident.role))
    if done.duplicate:
        click.echo(t("sync.dev.duplicate", path=done.path))
    else:
        click.echo(t("sync.dev.imported", path=done.path, applied=done.applied,
                     skipped=done.skipped, conflicts=done.conflicts))


@sync.command("run", help="Invia le modifiche all'hub e applica la risposta in un solo passo; "
                          "si può ripetere dopo un'interruzione (send and receive over HTTP).")
@click.option("--hub", "url", metavar="URL", help="Indirizzo dell'hub (ricordato per le volte "
                                                  "successive).")
@handle_errors
def run_cmd(url: str | None) -> None:
    from fieldwelfare.sync.run import run

    store = get_store()
    console = Console(stderr=True)
    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
               TransferSpeedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        tasks: dict[str, Any] = {}

        def progress(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                label = t("sync.dev.uploading" if phase == "up" else "sync.dev.downloading")
                tasks[phase] = bar.add_task(label, total=total or None)
            bar.update(tasks[phase], completed=done, total=total or None)

        result = run(store, url, progress=progress)
    for done in result.imported:
        _report(store, done)


@sync.command("status", help="Stato: modifiche da inviare, ultima sincronizzazione, hub, "
                             "pacchetti in attesa (sync status).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Formato.")
@handle_errors
def status_cmd(fmt: str) -> None:
    info = device.status(get_store())
    if fmt == "json":
        click.echo(dumps(info))
        return
    rows = [
        (t("sync.status.enrolled"), t("cli.yes") if info["enrolled"] else t("cli.no")),
        (t("sync.status.hub"), f"{info['hub'] or '-'} {info['hub_url'] or ''}".strip()),
        (t("sync.status.unsent"), str(info["unsent"])),
        (t("sync.status.last_sync"), info["last_sync"] or t("sync.status.never")),
        (t("sync.status.outbox"), str(len(info["outbox"]))),
    ]
    for label, value in rows:
        click.echo(f"{label}: {value}")


COMMANDS = [sync]
