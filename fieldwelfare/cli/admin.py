"""``fieldwelfare init``, ``paths`` and ``doctor``: this device and its database."""

from __future__ import annotations

from itertools import groupby

import click

from fieldwelfare import paths as fw_paths
from fieldwelfare import vocab
from fieldwelfare.cli import output
from fieldwelfare.cli.context import get_settings, get_store, handle_errors
from fieldwelfare.cli.unlock import create_store, is_new, plaintext_option
from fieldwelfare.errors import InvalidInput
from fieldwelfare.i18n import t
from fieldwelfare.models import KINDS
from fieldwelfare.models.vocabulary import Ambito, Role
from fieldwelfare.store import vault
from fieldwelfare.text import visible

ROLES = [r.value for r in Role]
AMBITI = [a.value for a in Ambito]


def check_choice(field: str, value: str | None, allowed: list[str]) -> None:
    """A closed-vocabulary option: bad values are bad input naming the allowed ones."""
    if value is not None and value not in allowed:
        raise InvalidInput(
            t("err.not_allowed_value", field=field, value=repr(value), allowed=", ".join(allowed)),
            field=field, allowed=allowed,
        )


@click.command(help="Dà un'identità a questo dispositivo e al suo operatore (initialise this "
                    "device: name, operator, role, ambito). Rifiuta se già fatto, salvo --force.")
@click.option("--device", required=True, metavar="NAME",
              help="Nome del dispositivo (device name), es. 'laptop-anna'.")
@click.option("--operator", required=True, metavar="NAME",
              help="Nome dell'operatore che usa il dispositivo (operator).")
@click.option("--role", required=True, metavar="|".join(ROLES),
              help="Ruolo (role): " + ", ".join(ROLES) + ".")
@click.option("--ambito", metavar="|".join(AMBITI),
              help="Ambito territoriale (district): " + ", ".join(AMBITI) + ".")
@click.option("--force", is_flag=True, help="Cambia un'identità già presente (overwrite).")
@plaintext_option
@handle_errors
def init(device: str, operator: str, role: str, ambito: str | None, force: bool,
         plaintext: bool) -> None:
    """A new database is encrypted (SQLCipher): the operator's passphrase is asked, and the
    recovery key printed once. ``--plaintext`` makes an unencrypted one."""
    check_choice("role", role, ROLES)
    check_choice("ambito", ambito, AMBITI)
    for field, value in (("device", device), ("operator", operator)):
        if not value.strip():
            raise InvalidInput(t("err.required", field=field), field=field)
    path = get_settings().db_path()
    if is_new(path):
        fw_paths.ensure_parent(path)
        store = create_store(click.get_current_context(), path, operator=operator.strip(),
                             plaintext=plaintext)
    else:
        store = get_store(create=True)
    if store.identity.initialised and not force:
        raise InvalidInput(
            t("err.already_initialised", device=visible(store.identity.device_name or "")),
            field="force"
        )
    identity = store.set_identity(device_name=device.strip(), operator=operator.strip(),
                                  role=role, ambito=ambito)
    click.echo(t("cli.init.done", path=store.path, device=visible(identity.device_name or ""),
                 operator=visible(identity.operator),
                 role=vocab.label("role", role, get_settings().lang),
                 ambito=identity.ambito or "-"))


@click.command(help="Mostra dove sono i file: cartella dati, database, database demo, log "
                    "(where the files are).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text | json.")
@handle_errors
def paths(fmt: str) -> None:
    found = {
        "home": str(fw_paths.home()),
        "db": str(get_settings().db_path()),
        "demo_db": str(fw_paths.demo_db_path()),
        "log": str(fw_paths.log_path()),
    }
    if fmt == "json":
        output.echo_json(found)
        return
    width = max(len(t(f"cli.paths.{key}")) for key in found)
    for key, value in found.items():
        click.echo(f"{t(f'cli.paths.{key}'):<{width}}  {value}")


@click.command(help="Controlla l'integrità del database (SQLite, chiavi esterne, indici di "
                    "ricerca, catena dell'audit): 'ok' ed exit 0, oppure i problemi ed exit 1.")
@handle_errors
def doctor() -> None:
    store = get_store()
    problems = store.doctor()
    if problems:
        for line in vault.report(store)[1]:
            click.echo(visible(line))
        click.echo(t("cli.doctor.problems", count=len(problems), path=store.path))
        for area, group in groupby(problems, key=lambda p: p.area):
            click.echo(f"[{area}]")
            for problem in group:
                click.echo(visible(f"- {problem.message}"))
        click.get_current_context().exit(1)
    click.echo("ok")
    for kind in KINDS:
        click.echo(f"{kind}: {store.count(kind)}")
    facts, warnings = vault.report(store)
    for line in (*facts, *warnings):
        click.echo(visible(line))


COMMANDS: list[click.Command] = [init, paths, doctor]
