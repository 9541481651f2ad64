"""``fieldwelfare record add|update|delete|get|list``: records from the command line."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from fieldwelfare.cli import output
from fieldwelfare.cli.context import get_store, handle_errors
from fieldwelfare.cli.tables import table_for
from fieldwelfare.errors import InvalidInput
from fieldwelfare.i18n import t
from fieldwelfare.models import KINDS
from fieldwelfare.store import model_for

KIND_METAVAR = "KIND"
KINDS_HELP = "KIND: " + "|".join(KINDS) + "."
JSON_HELP = "JSON: un oggetto JSON, oppure '-' per leggerlo da stdin (JSON object, or '-': stdin)."


def read_json_object(text: str) -> dict[str, Any]:
    """The JSON argument (or stdin for ``-``) as an object; bad JSON is bad input (exit 2)."""
    if text == "-":
        text = sys.stdin.read()  # click's runner swaps sys.stdin too
    try:
        data = json.loads(text)
    except RecursionError:  # '[' * 100000: nested too deep to be a record
        raise InvalidInput(t("err.invalid_json", detail="nesting too deep"),
                           field="json") from None
    except json.JSONDecodeError as exc:
        raise InvalidInput(t("err.invalid_json", detail=exc), field="json") from None
    if not isinstance(data, dict):
        raise InvalidInput(t("err.json_object"), field="json")
    return data


def parse_where(items: tuple[str, ...]) -> dict[str, str | list[str]]:
    """``FIELD=VALUE`` filters: the same field repeated is OR, different fields are AND."""
    grouped: dict[str, list[str]] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise InvalidInput(t("err.where", value=item), field="where")
        grouped.setdefault(name.strip(), []).append(value)
    return {name: values[0] if len(values) == 1 else values for name, values in grouped.items()}


@click.group(help="Record: aggiungere, modificare, eliminare, leggere, elencare (records CRUD). "
                  + KINDS_HELP)
def record() -> None:
    pass


@record.command(help="Aggiunge un record e lo stampa in JSON con il suo id (add a record). "
                     + KINDS_HELP + " " + JSON_HELP + "\n\n\b\nEsempio:\n"
                     "  fieldwelfare record add person "
                     "'{\"given_name\": \"Maria\", \"family_name\": \"Rossi\", "
                     "\"comune\": \"097042\"}'")
@click.argument("kind", metavar=KIND_METAVAR)
@click.argument("data", metavar="JSON")
@handle_errors
def add(kind: str, data: str) -> None:
    model_for(kind)
    values = read_json_object(data)
    output.echo_record(get_store().add(kind, values))


@record.command(help="Modifica solo i campi indicati e stampa il record (update given fields). "
                     "Per un invio (referral) si può aggiungere 'note' allo storico; i cambi di "
                     "stato sono controllati. " + KINDS_HELP + " " + JSON_HELP)
@click.argument("kind", metavar=KIND_METAVAR)
@click.argument("record_id", metavar="ID")
@click.argument("data", metavar="JSON")
@handle_errors
def update(kind: str, record_id: str, data: str) -> None:
    model_for(kind)
    changes = read_json_object(data)
    output.echo_record(get_store().update(kind, record_id, changes))


@record.command(help="Elimina un record (delete; resta come tombstone per la sync). "
                     + KINDS_HELP)
@click.argument("kind", metavar=KIND_METAVAR)
@click.argument("record_id", metavar="ID")
@handle_errors
def delete(kind: str, record_id: str) -> None:
    model_for(kind)
    get_store().delete(kind, record_id)
    click.echo(t("cli.deleted", kind=kind, id=record_id))


@record.command(help="Stampa un record in JSON (get one record). Aprire una persona resta "
                     "nel registro delle consultazioni (opening a person is logged). "
                     + KINDS_HELP)
@click.argument("kind", metavar=KIND_METAVAR)
@click.argument("record_id", metavar="ID")
@click.option("--why", metavar="TEXT", default=None,
              help="Motivo della consultazione, per il registro (reason, for the read log).")
@handle_errors
def get(kind: str, record_id: str, why: str | None) -> None:
    model_for(kind)
    store = get_store()
    found = store.get(kind, record_id)
    if kind == "person":
        from fieldwelfare.store.accesslog import record_access

        record_access(store, record_id, via="cli", why=why)
    output.echo_record(found)


@record.command(name="list", help="Elenca i record di un tipo (list records). " + KINDS_HELP
                + "\n\n\b\nEsempio:\n  fieldwelfare record list need --where status=open "
                  "--where status=in_progress --where urgency=urgent --format json")
@click.argument("kind", metavar=KIND_METAVAR)
@click.option("--where", "where", multiple=True, metavar="FIELD=VALUE",
              help="Filtro; ripetuto sullo stesso campo = OR, su campi diversi = AND. "
                   "Un campo lista (skills, comuni, ...) corrisponde se contiene il valore.")
@click.option("--search", metavar="TEXT",
              help="Ricerca per inizio di parola, senza accenti (full-text prefix search).")
@click.option("--limit", type=click.IntRange(min=0, max=2**31), default=50, show_default=True,
              help="Numero massimo di record; 0 = tutti (0 = no limit).")
@click.option("--offset", type=click.IntRange(min=0, max=2**62), default=0, show_default=True,
              help="Record da saltare (paging).")
@click.option("--order", metavar="FIELD",
              help="Ordinamento: 'campo', '-campo' (decrescente), più campi separati da virgola.")
@click.option("--format", "fmt", type=click.Choice(output.FORMATS), default="table",
              show_default=True, help="table | json (un array) | jsonl (uno per riga) | csv.")
@handle_errors
def list_(kind: str, where: tuple[str, ...], search: str | None, limit: int, offset: int,
          order: str | None, fmt: str) -> None:
    model = model_for(kind)
    filters = parse_where(where)
    store = get_store()
    records = store.list_records(kind, where=filters, search=search,
                                 limit=limit or None, offset=offset, order_by=order)
    rows = [output.record_data(r) for r in records]
    if fmt == "json":
        output.echo_json(rows)
    elif fmt == "jsonl":
        click.echo(output.to_jsonl(rows), nl=False)
    elif fmt == "csv":
        output.echo_data(output.to_csv(list(model.model_fields), rows))
    else:
        total = store.count(kind, where=filters, search=search)
        headers, cells = table_for(kind, rows)
        caption = t("cli.list.caption", shown=len(rows), total=total)
        output.print_table(headers, cells, caption=caption)


COMMANDS: list[click.Command] = [record]
