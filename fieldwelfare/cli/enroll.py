"""``fieldwelfare enroll CODE``: register this device with the hub."""

from __future__ import annotations

from pathlib import Path

import click

from fieldwelfare.cli.context import handle_errors
from fieldwelfare.cli.unlock import new_or_existing, plaintext_option
from fieldwelfare.i18n import t
from fieldwelfare.sync import device, enrollment
from fieldwelfare.sync.keys import EnrollCode


@click.command(help="Registra questo dispositivo presso l'hub con il codice avuto dal "
                    "coordinatore: crea le chiavi e scrive la richiesta in --out (stampa il "
                    "percorso) oppure la invia con --hub URL (enroll this device).")
@click.argument("code")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Cartella dove scrivere la richiesta (default: cartella dei pacchetti).")
@click.option("--hub", "url", metavar="URL", help="Invia subito all'hub (send over HTTP).")
@click.option("--operator", envvar="FIELDWELFARE_OPERATOR", metavar="NAME",
              help="Chi usa il portatile (operator): serve se il database è nuovo, per la sua "
                   "passphrase (env FIELDWELFARE_OPERATOR).")
@plaintext_option
@handle_errors
def enroll(code: str, out: Path | None, url: str | None, operator: str | None,
           plaintext: bool) -> None:
    EnrollCode.parse(code)  # a mistyped code makes no database
    store = new_or_existing(operator, plaintext)
    if operator and store.identity.operator != operator.strip():
        store.set_meta({"operator": operator.strip()})
    enrollment.start(store, code)
    if url:
        from fieldwelfare.sync.run import run

        run(store, url)
        ident = store.identity
        click.echo(t("sync.dev.enrolled", hub=device.status(store)["hub"], name=ident.device_name,
                     role=ident.role))
        return
    sealed = enrollment.write_request(store, out or device.spool_dir(store) / "outbox")
    click.echo(str(sealed.path))
    click.echo(t("sync.dev.enroll_written"), err=True)


COMMANDS = [enroll]
