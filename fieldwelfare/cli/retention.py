"""``fieldwelfare retention``: how long people are kept (the hub's policy)."""

from __future__ import annotations

import click

from fieldwelfare.cli import output
from fieldwelfare.cli.context import get_store, handle_errors
from fieldwelfare.errors import InvalidInput
from fieldwelfare.i18n import t
from fieldwelfare.reports.engine import is_hub
from fieldwelfare.rights import retention as policy_rules


@click.group(help="Conservazione (GDPR art. 5(1)(e)): le persone senza bisogni aperti né "
                  "attività per N anni sono cancellate dall'hub, ovunque (retention).")
def retention() -> None:
    pass


@retention.command("policy", help="Mostra la politica; sull'hub --person-years la cambia.")
@click.option("--person-years", type=int, default=None, metavar="N",
              help="Anni senza attività dopo i quali una persona è cancellata (default 5).")
@handle_errors
def policy_cmd(person_years: int | None) -> None:
    store = get_store()
    if person_years is not None:
        if not is_hub(store):
            raise InvalidInput(t("retention.not_hub"), field="person-years")
        policy_rules.set_policy(store, person_years=person_years)
    click.echo(t("retention.policy", years=policy_rules.policy(store).person_years))


@retention.command("run", help="Cancella le persone scadute (solo sull'hub; 'hub serve' lo fa "
                               "ogni giorno). --dry-run le elenca soltanto (id e data "
                               "dell'ultima attività).")
@click.option("--dry-run", is_flag=True, help="Elenca senza cancellare.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text | json.")
@handle_errors
def run_cmd(dry_run: bool, fmt: str) -> None:
    store = get_store()
    if not dry_run and not is_hub(store):
        raise InvalidInput(t("retention.not_hub"), field="dry-run")
    found = policy_rules.run(store, dry_run=dry_run)
    if fmt == "json":
        output.echo_json(found)
        return
    years = policy_rules.policy(store).person_years
    click.echo(t("retention.would" if dry_run else "retention.done", count=len(found),
                 years=years))
    for person in found:
        click.echo(f"{person['id']}  {person['last_activity']}")


COMMANDS: list[click.Command] = [retention]
