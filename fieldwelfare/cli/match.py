"""``fieldwelfare match NEED_ID``: volunteers and organisations ranked for a need."""

from __future__ import annotations

import click

from fieldwelfare.cli import output
from fieldwelfare.cli.context import get_store, handle_errors
from fieldwelfare.i18n import number, t


@click.command(help="Propone volontari ed enti per un bisogno, in ordine, con i motivi "
                    "(rank candidates for a need, with reasons). NEED_ID: id del bisogno.")
@click.argument("need_id")
@click.option("--limit", type=click.IntRange(min=1, max=10_000), default=10, show_default=True,
              help="Numero massimo di candidati (max candidates).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="table | json (un array di candidati).")
@handle_errors
def match(need_id: str, limit: int, fmt: str) -> None:
    from fieldwelfare.matching import match as rank

    store = get_store()
    store.get("need", need_id)  # an unknown or deleted need: NotFound, exit 1
    candidates = rank(store, need_id, limit=limit)
    if fmt == "json":
        output.echo_json([c.as_dict() for c in candidates])
        return
    if not candidates:
        click.echo(t("cli.match.none"))
        return
    headers = [t(f"cli.col.{c}") for c in ("rank", "name", "kind", "score", "reasons")]
    rows = [
        [str(c.rank), c.name, t(f"cli.match.{c.kind}"), number(c.score), "; ".join(c.reasons)]
        for c in candidates
    ]
    output.print_table(headers, rows, title=t("cli.match.title", id=need_id), no_wrap=())


COMMANDS: list[click.Command] = [match]
