"""``fieldwelfare conflicts``: concurrent edits the merge flagged for a person to settle."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from fieldwelfare.cli.context import get_store, handle_errors
from fieldwelfare.cli.output import dumps
from fieldwelfare.i18n import catalogue, t
from fieldwelfare.store.replication import list_conflicts, resolve_conflict


@click.group(help="Conflitti tra modifiche concorrenti (concurrent edits to review).")
def conflicts() -> None:
    pass


@conflicts.command("list", help="Elenca i conflitti aperti (open conflicts).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Formato.")
@click.option("--all", "everyone", is_flag=True, help="Anche quelli risolti.")
@handle_errors
def list_cmd(fmt: str, everyone: bool) -> None:
    found = list_conflicts(get_store(), status=None if everyone else "open")
    if fmt == "json":
        click.echo(dumps([c.as_dict() for c in found]))
        return
    if not found:
        click.echo(t("sync.conflict.none"))
        return
    table = Table(*t("cli.conf.cols").split("|"))  # JSON keeps the codes; the table has words
    for c in found:
        table.add_row(c.id, f"{c.tbl} {c.rid}", c.field, dumps(c.current_value, indent=None),
                      dumps(c.other_value, indent=None), worded("cli.conf.kind", c.kind),
                      worded("cli.conf.status", c.status))
    Console(width=200).print(table)


def worded(prefix: str, code: str) -> str:
    key = f"{prefix}.{code}"
    return t(key) if key in catalogue() else code


@conflicts.command("resolve", help="Risolve un conflitto tenendo il valore attuale o l'altro "
                                   "(resolve: keep current or other).")
@click.argument("conflict_id", metavar="ID")
@click.option("--keep", required=True, type=click.Choice(["current", "other"]),
              help="Quale valore tenere.")
@handle_errors
def resolve_cmd(conflict_id: str, keep: str) -> None:
    resolve_conflict(get_store(), conflict_id, "current" if keep == "current" else "other")
    click.echo(t("sync.conflict.resolved", id=conflict_id, keep=keep))


COMMANDS = [conflicts]
