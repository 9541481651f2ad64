"""``fieldwelfare retention``: how long people, referrals' texts and the read log are kept
(the hub's policy)."""

from __future__ import annotations

import click

from fieldwelfare.cli import output
from fieldwelfare.cli.context import get_store, handle_errors
from fieldwelfare.errors import InvalidInput
from fieldwelfare.i18n import t
from fieldwelfare.reports.engine import is_hub
from fieldwelfare.rights import retention as policy_rules


@click.group(short_help="Conservazione dei dati: quanto a lungo, e cosa scade (retention).",
             help="Conservazione (GDPR art. 5(1)(e)): le persone senza bisogni aperti né "
                  "attività per N anni sono cancellate dall'hub, ovunque; i testi degli "
                  "invii chiusi dopo M anni; il registro delle consultazioni dopo N anni "
                  "(retention).")
def retention() -> None:
    pass


@retention.command("policy", help="Mostra la politica; sull'hub le opzioni la cambiano "
                                  "(years: people, closed referrals' texts, read log).")
@click.option("--person-years", type=int, default=None, metavar="N",
              help="Anni senza attività dopo i quali una persona è cancellata (default 5).")
@click.option("--brief-years", type=int, default=None, metavar="M",
              help="Anni dopo la chiusura di un invio dopo i quali il suo testo (brief, esito, "
                   "motivo, note) è cancellato (default 2).")
@click.option("--access-years", type=int, default=None, metavar="N",
              help="Anni di conservazione del registro delle consultazioni (default 2).")
@handle_errors
def policy_cmd(person_years: int | None, brief_years: int | None,
               access_years: int | None) -> None:
    store = get_store()
    given = {"person_years": person_years, "brief_years": brief_years,
             "access_years": access_years}
    chosen = {k: v for k, v in given.items() if v is not None}
    if chosen:
        if not is_hub(store):
            raise InvalidInput(t("retention.not_hub"),
                               field=next(iter(chosen)).replace("_", "-"))
        policy_rules.set_policy(store, **chosen)
    current = policy_rules.policy(store)
    click.echo(t("retention.policy", years=current.person_years))
    click.echo(t("retention.policy_more", brief=current.brief_years,
                 access=current.access_years))


@retention.command("run", help="Applica la politica (solo sull'hub; 'hub serve' lo fa ogni "
                               "giorno): persone cancellate, testi degli invii chiusi "
                               "cancellati, registro delle consultazioni scaduto rimosso. "
                               "--dry-run elenca soltanto (id e date).")
@click.option("--dry-run", is_flag=True, help="Elenca senza cancellare.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text | json.")
@handle_errors
def run_cmd(dry_run: bool, fmt: str) -> None:
    store = get_store()
    if not dry_run and not is_hub(store):
        raise InvalidInput(t("retention.not_hub"), field="dry-run")
    found = policy_rules.run_all(store, dry_run=dry_run)
    if fmt == "json":
        output.echo_json(found)
        return
    current = policy_rules.policy(store)
    kinds: dict[str, list[dict[str, str]]] = {"person": [], "referral_brief": [],
                                              "access": []}
    for item in found:
        kinds[item["kind"]].append(item)
    click.echo(t("retention.would" if dry_run else "retention.done",
                 count=len(kinds["person"]), years=current.person_years))
    for person in kinds["person"]:
        click.echo(f"{person['id']}  {person['last_activity']}")
    click.echo(t("retention.briefs_would" if dry_run else "retention.briefs_done",
                 count=len(kinds["referral_brief"]), years=current.brief_years))
    for referral in kinds["referral_brief"]:
        click.echo(f"{referral['id']}  {referral['last_activity']}")
    click.echo(t("retention.access_would" if dry_run else "retention.access_done",
                 count=len(kinds["access"]), years=current.access_years))


COMMANDS: list[click.Command] = [retention]
