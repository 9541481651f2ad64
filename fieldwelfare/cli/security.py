"""``operator``, ``encrypt``, ``backup`` and ``restore``: protection at rest."""

from __future__ import annotations

from pathlib import Path

import click

from fieldwelfare.cli import output
from fieldwelfare.cli.context import get_settings, get_store, handle_errors
from fieldwelfare.cli.unlock import existing_passphrase, new_passphrase
from fieldwelfare.errors import InvalidInput
from fieldwelfare.i18n import t
from fieldwelfare.store import Store, keyslots, vault
from fieldwelfare.store.connection import is_encrypted
from fieldwelfare.text import visible


def _encrypted_store() -> Store:
    store = get_store()
    if not store.encrypted:
        raise InvalidInput(t("cli.operator.plaintext"), field="db")
    return store


@click.group(help="Gli operatori che aprono questo database cifrato, ognuno con la propria "
                  "passphrase (operators of this encrypted database). Ogni scrittura registra "
                  "l'operatore che ha aperto il database.")
def operator() -> None:
    pass


@operator.command("list", help="Elenca gli operatori (e la chiave di recupero).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="table | json.")
@handle_errors
def operator_list(fmt: str) -> None:
    store = _encrypted_store()
    rows = [{"name": s.name, "kind": s.kind, "created_at": s.created_at, "weak_kdf": s.weak}
            for s in keyslots.slots(store.path)]
    if fmt == "json":
        output.echo_json(rows)
        return
    for row in rows:
        click.echo(visible(f"{row['name']:30s} {row['kind']:9s} {row['created_at']}"))


@operator.command("add", help="Aggiunge un operatore: serve un database già aperto da un "
                              "operatore; la nuova passphrase è chiesta due volte (o "
                              "FIELDWELFARE_NEW_PASSPHRASE).")
@click.argument("name")
@handle_errors
def operator_add(name: str) -> None:
    store = _encrypted_store()
    name = name.strip()
    if not name:
        raise InvalidInput(t("err.required", field="name"), field="name")
    passphrase = new_passphrase(get_settings(), name, opened=True)
    keyslots.add_operator(store.path, vault.key_of(store), name, passphrase, store.now_iso())
    store.record_event("operator_add", name)
    click.echo(t("cli.operator.added", name=visible(name)))


@operator.command("remove", help="Toglie un operatore. Con --rekey il database riceve una "
                                 "nuova chiave (chiudere prima l'app su questo database).")
@click.argument("name")
@click.option("--rekey", is_flag=True, help="Nuova chiave del database (re-key).")
@handle_errors
def operator_remove(name: str, rekey: bool) -> None:
    store = _encrypted_store()
    if rekey:
        vault.check_alone(store)  # before anything changes
    keyslots.remove_operator(store.path, name)
    store.record_event("operator_remove", name)
    if rekey:
        vault.rekey(store)
    click.echo(t("cli.operator.removed", name=visible(name),
                 rekeyed=t("cli.operator.rekeyed") if rekey else ""))


@operator.command("passwd", help="Cambia la passphrase di un operatore (di chi apre, se NAME "
                                 "manca).")
@click.argument("name", required=False)
@handle_errors
def operator_passwd(name: str | None) -> None:
    store = _encrypted_store()
    who = name or store.identity.operator
    passphrase = new_passphrase(get_settings(), who, opened=True)
    keyslots.set_passphrase(store.path, vault.key_of(store), who, passphrase, store.now_iso())
    store.record_event("operator_passwd", who)
    click.echo(t("cli.operator.changed", name=visible(who)))


@click.command(help="Cifra un database in chiaro, sul posto e in modo atomico (nessuna copia "
                    "in chiaro resta); chiudere prima l'app. Stampa la chiave di recupero.")
@click.option("--operator", "name", required=True, envvar="FIELDWELFARE_OPERATOR",
              metavar="NAME", help="Il primo operatore (first operator).")
@handle_errors
def encrypt(name: str) -> None:
    settings = get_settings()
    path = settings.db_path()
    if not path.is_file():
        get_store()  # the usual "no database" error
    if is_encrypted(path):
        raise InvalidInput(t("keys.already_encrypted"), field="db")
    passphrase = new_passphrase(settings, name)
    recovery = vault.encrypt_in_place(path, operator=name, passphrase=passphrase)
    click.echo(t("cli.unlock.recovery", key=recovery))
    click.echo(t("cli.encrypt.done", path=path, name=name))


@click.command(help="Copia di sicurezza consistente, anche con l'app aperta, cifrata con la "
                    "stessa chiave (online backup); le chiavi in FILE.keys.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              metavar="FILE", help="Il file della copia (non deve esistere).")
@handle_errors
def backup(out: Path) -> None:
    store = get_store()
    target = vault.backup(store, out)
    click.echo(t("cli.backup.done", path=target,
                 slots=t("cli.backup.slots", path=target) if store.encrypted else ""))


@click.command(help="Ripristina una copia: la apre (passphrase di un operatore o "
                    "FIELDWELFARE_RECOVERY_KEY), la controlla come 'doctor' e solo allora la "
                    "mette al posto di --db.")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Sostituisce un database esistente.")
@handle_errors
def restore(source: Path, force: bool) -> None:
    settings = get_settings()
    target = settings.db_path()
    operator_name = passphrase = recovery = None
    if is_encrypted(source):
        operator_name, passphrase, recovery = existing_passphrase(settings, source)
    problems = vault.restore(source, target, operator=operator_name, passphrase=passphrase,
                             recovery=recovery, force=force)
    if problems:
        click.echo(t("cli.restore.refused", count=len(problems)), err=True)
        for problem in problems:
            click.echo(f"- {problem}", err=True)
        click.get_current_context().exit(1)
    click.echo(t("cli.restore.done", path=target, source=source))


COMMANDS: list[click.Command] = [operator, encrypt, backup, restore]
