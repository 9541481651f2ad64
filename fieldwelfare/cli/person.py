"""``fieldwelfare person erase|export|accesses``: the data subject's rights (docs/privacy.md)."""

from __future__ import annotations

from pathlib import Path

import click

from fieldwelfare.cli.context import get_store, handle_errors
from fieldwelfare.cli.output import echo_json
from fieldwelfare.i18n import register, t
from fieldwelfare.rights.erase import erase as erase_subject

register({
    "cli.person.exported": ("scritto {path}", "wrote {path}"),
    "cli.person.no_accesses": ("nessuna consultazione registrata", "no access recorded"),
    "cli.person.erased": (
        "persona {id} cancellata: {records} record, {rows} righe del registro modifiche; "
        "la cancellazione arriverà agli altri dispositivi con la prossima sincronizzazione",
        "person {id} erased: {records} records, {rows} change-log rows; the erasure reaches "
        "the other devices with the next sync"),
})


@click.group(help="Diritti dell'interessato: accesso, cancellazione, registro delle "
                  "consultazioni (data subject's rights).")
def person() -> None:
    pass


@person.command(short_help="Cancella una persona su ogni copia (diritto all'oblio, art. 17).",
                help="Cancella una persona su ogni copia del database (GDPR art. 17): "
                     "persona, visite, bisogni, testi degli invii, storico delle modifiche. "
                     "Solo coordinatori. (Erase a person on every replica; coordinators.)")
@click.argument("person_id", metavar="ID")
@click.option("--reason", required=True, metavar="TEXT",
              help="Motivo, senza dati personali (reason, no personal data).")
@click.option("--json", "as_json", is_flag=True, help="Risultato in JSON.")
@handle_errors
def erase(person_id: str, reason: str, as_json: bool) -> None:
    done = erase_subject(get_store(), person_id, reason)
    if as_json:
        echo_json(done)
    else:
        click.echo(t("cli.person.erased", id=person_id, records=done["records"],
                     rows=done["rows"]))


@person.command(help="Chi ha consultato la scheda di una persona, quando, come e perché "
                     "(read log; on the hub: every device's).")
@click.argument("person_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="In JSON.")
@handle_errors
def accesses(person_id: str, as_json: bool) -> None:
    from fieldwelfare.store.accesslog import accesses as read_log

    rows = read_log(get_store(), person_id)
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo(t("cli.person.no_accesses"))
    for r in rows:
        click.echo(f"{r['at']}  {r['by']}  {r['device']}  {r['via']}  {r['why'] or ''}".rstrip())


@person.command("export",
                short_help="Tutti i dati di una persona, per lei (accesso, art. 15).",
                help="Tutto ciò che questo database conserva su una persona "
                               "(art. 15 GDPR), in HTML leggibile o JSON (subject access). "
                               "Resta nel registro delle consultazioni.")
@click.argument("person_id", metavar="ID")
@click.option("--format", "fmt", type=click.Choice(["json", "html"]), default=None,
              help="Formato; senza, dall'estensione di --out (.json: json), altrimenti html.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              metavar="FILE", help="File da scrivere (file to write).")
@click.option("--why", metavar="TEXT", default=None,
              help="Motivo, per il registro delle consultazioni (reason, for the read log).")
@handle_errors
def export(person_id: str, fmt: str | None, out: Path, why: str | None) -> None:
    from fieldwelfare.rights import subject

    fmt = fmt or ("json" if out.suffix.lower() == ".json" else "html")
    subject.export(get_store(), person_id, fmt, out, why=why)
    click.echo(t("cli.person.exported", path=out))


COMMANDS = [person]
