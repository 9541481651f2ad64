"""``fieldwelfare hub ...``: the consortium hub (keys, enrollment, ingest, replies, serve)."""

from __future__ import annotations

from pathlib import Path

import click

from fieldwelfare.cli.context import get_store, handle_errors
from fieldwelfare.cli.output import dumps, each_bundle
from fieldwelfare.cli.unlock import new_or_existing, plaintext_option
from fieldwelfare.errors import InvalidInput
from fieldwelfare.i18n import t
from fieldwelfare.models.vocabulary import Ambito, Role
from fieldwelfare.sync import enrollment, tls
from fieldwelfare.sync import hub as sync_hub

ROLES = [r.value for r in Role]
AMBITI = [a.value for a in Ambito]
FILES = click.Path(exists=True, dir_okay=False, path_type=Path)
DIR = click.Path(file_okay=False, path_type=Path)


@click.group(help="Hub del consorzio: chiavi, registrazione dei dispositivi, pacchetti "
                  "(consortium hub: keys, device enrollment, bundles).")
def hub() -> None:
    pass


@hub.command("init", help="Crea le chiavi dell'hub in questo database (create the hub keys); "
                          "con --tls anche un certificato TLS autofirmato.")
@click.option("--name", required=True, metavar="NAME", help="Nome dell'hub (hub name).")
@click.option("--operator", envvar="FIELDWELFARE_OPERATOR", metavar="NAME",
              help="Chi amministra l'hub (operator): serve se il database è nuovo, per la sua "
                   "passphrase (env FIELDWELFARE_OPERATOR).")
@plaintext_option
@click.option("--tls", "with_tls", is_flag=True,
              help="Crea anche il certificato TLS autofirmato dell'hub (self-signed TLS "
                   "certificate, pinned by the enrollment codes).")
@click.option("--tls-host", "hosts", multiple=True, metavar="NAME",
              help="Nome host o indirizzo IP del certificato, ripetibile (default: localhost, "
                   "127.0.0.1).")
@handle_errors
def init_cmd(name: str, operator: str | None, plaintext: bool, with_tls: bool,
             hosts: tuple[str, ...]) -> None:
    store = new_or_existing(operator, plaintext)
    kid = sync_hub.init(store, name)
    click.echo(t("sync.hub.initialised", name=name, kid=kid))
    if with_tls or hosts:
        fpr, _ = tls.make(store, hosts=hosts or tls.DEFAULT_HOSTS)
        click.echo(t("sync.tls.made", path=tls.files(store).cert, fpr=fpr))


@hub.command("tls-cert", help="Crea il certificato TLS autofirmato dell'hub o, se c'è già, il "
                              "prossimo (rinnovo: i dispositivi lo ricevono alla prossima "
                              "sincronizzazione); --activate lo mette in uso (make or renew "
                              "the hub's self-signed TLS certificate).")
@click.option("--days", type=click.IntRange(min=1), default=tls.CERT_DAYS, show_default=True,
              help="Validità in giorni (validity in days).")
@click.option("--host", "hosts", multiple=True, metavar="NAME",
              help="Nome host o indirizzo IP, ripetibile (default: localhost, 127.0.0.1).")
@click.option("--activate", is_flag=True,
              help="Usa il certificato preparato al posto dell'attuale (then restart 'hub "
                   "serve').")
@handle_errors
def tls_cert_cmd(days: int, hosts: tuple[str, ...], activate: bool) -> None:
    store = get_store()
    enrollment.hub_keys(store)
    if activate:
        click.echo(t("sync.tls.activated", fpr=tls.activate(store)))
        return
    fpr, staged = tls.make(store, hosts=hosts or tls.DEFAULT_HOSTS, days=days)
    made = tls.files(store, staged=staged).cert
    click.echo(t("sync.tls.staged" if staged else "sync.tls.made", path=made, fpr=fpr))


@hub.command("enroll", help="Crea un codice monouso e a scadenza per registrare un dispositivo; "
                            "stampa solo il codice (single-use, expiring enrollment code).")
@click.option("--device", required=True, metavar="NAME", help="Nome del dispositivo.")
@click.option("--role", required=True, metavar="|".join(ROLES), help="Ruolo (role).")
@click.option("--ambito", metavar="|".join(AMBITI), help="Ambito territoriale (district).")
@click.option("--volunteer", metavar="ID", help="Volontario del dispositivo (role volunteer).")
@click.option("--ttl-hours", type=click.FloatRange(min=0.01), default=enrollment.CODE_TTL_HOURS,
              show_default=True, help="Validità del codice in ore (code lifetime).")
@handle_errors
def enroll_cmd(device: str, role: str, ambito: str | None, volunteer: str | None,
               ttl_hours: float) -> None:
    click.echo(enrollment.issue_code(get_store(), device=device, role=role, ambito=ambito,
                                     volunteer_id=volunteer, ttl_hours=ttl_hours))


@hub.command("ingest", help="Verifica e applica i pacchetti dei dispositivi, registrazioni "
                            "comprese (verify and apply device bundles). Exit 3 se rifiutato.")
@click.argument("files", nargs=-1, required=True, type=FILES)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Formato dell'esito.")
@handle_errors
def ingest_cmd(files: tuple[Path, ...], fmt: str) -> None:
    store = get_store()
    for path, done in each_bundle(files, lambda path: sync_hub.ingest(store, path)):
        if fmt == "json":
            click.echo(dumps(done.as_dict(), indent=None))
        elif done.kind == "enroll":
            device = sync_hub.device_by_id(store, done.device_id) or {}
            click.echo(f"{path}: " + t("sync.hub.enrolled", name=done.device,
                                       role=device.get("role", "?")))
        elif done.duplicate:
            click.echo(t("sync.hub.duplicate", path=path))
        else:
            click.echo(t("sync.hub.applied", path=path, device=done.device, applied=done.applied,
                         skipped=done.skipped, conflicts=done.conflicts))
        for alert in done.alerts:
            click.echo(alert, err=True)


@hub.command("export", help="Scrive un pacchetto di risposta per dispositivo; stampa i percorsi "
                            "(reply bundle per device, one path a line).")
@click.option("--device", metavar="NAME", help="Solo questo dispositivo.")
@click.option("--all", "everyone", is_flag=True, help="Tutti i dispositivi attivi.")
@click.option("--out", required=True, type=DIR, help="Cartella di destinazione.")
@handle_errors
def export_cmd(device: str | None, everyone: bool, out: Path) -> None:
    for sealed in sync_hub.export_replies(get_store(), out, device=device, everyone=everyone):
        click.echo(str(sealed.path))


@hub.command("unpack", help="Verifica e decifra un pacchetto di un dispositivo e ne scrive la "
                            "borsa BagIt in DIR, per controlli (audit copy of the bag).")
@click.argument("file", type=FILES)
@click.option("--out", required=True, type=DIR, help="Cartella di destinazione.")
@handle_errors
def unpack_cmd(file: Path, out: Path) -> None:
    click.echo(str(sync_hub.unpack(get_store(), file, out)))


@hub.command("revoke", help="Revoca un dispositivo (perso o dismesso): i suoi pacchetti sono "
                            "rifiutati e non riceve più dati (revoke a device).")
@click.option("--device", required=True, metavar="NAME", help="Nome del dispositivo.")
@handle_errors
def revoke_cmd(device: str) -> None:
    sync_hub.revoke(get_store(), device)
    click.echo(t("sync.hub.revoked", name=device))


@hub.command("rotate-key", help="Nuova chiave dell'hub; la precedente continua a decifrare i "
                                "pacchetti già sigillati per lei (rotate the hub key).")
@handle_errors
def rotate_cmd() -> None:
    click.echo(t("sync.hub.rotated", kid=sync_hub.rotate_key(get_store())))


@hub.command("devices", help="Elenca i dispositivi registrati (enrolled devices).")
@click.option("--all", "everyone", is_flag=True, help="Anche quelli revocati.")
@handle_errors
def devices_cmd(everyone: bool) -> None:
    rows = sync_hub.devices(get_store(), live_only=not everyone)
    keep = ("name", "role", "ambito", "volunteer_id", "device_id", "kid", "enrolled_at",
            "revoked_at", "acked_upto", "hub_upto", "last_seen")
    click.echo(dumps([{k: r[k] for k in keep} for r in rows]))


@hub.command("serve", help="Serve l'hub via HTTP(S) per 'sync run': in HTTPS con il "
                           "certificato dell'hub se c'è ('hub tls-cert'), o con --tls-cert/"
                           "--tls-key (serve the hub over HTTPS or HTTP). Ctrl-C o SIGTERM: "
                           "termina le sincronizzazioni in corso, poi esce.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Indirizzo di ascolto.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Porta.")
@click.option("--tls-cert", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Certificato TLS (PEM) per servire in HTTPS (TLS certificate; default: "
                   "quello dell'hub, se c'è).")
@click.option("--tls-key", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Chiave privata TLS (PEM) del certificato (TLS private key).")
@click.option("--no-tls", is_flag=True,
              help="HTTP anche se l'hub ha un certificato (behind a TLS proxy or a VPN).")
@click.option("--verbose", is_flag=True, help="Registra anche i messaggi del server su stderr.")
@click.option("--backup-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              metavar="DIR", help="Dove tenere la copia di sicurezza giornaliera (default: "
                                  "'backups' accanto al database).")
@click.option("--keep", type=click.IntRange(1, 3650), default=14, show_default=True,
              help="Quante copie giornaliere tenere (daily backups kept).")
@handle_errors
def serve_cmd(host: str, port: int, tls_cert: Path | None, tls_key: Path | None,
              no_tls: bool, verbose: bool, backup_dir: Path | None, keep: int) -> None:
    from fieldwelfare.rights import retention
    from fieldwelfare.sync.daily import backup_job
    from fieldwelfare.sync.serving import serve

    if (tls_cert is None) != (tls_key is None):
        raise InvalidInput(t("sync.hub.tls_pair"), field="tls-cert")
    if no_tls and tls_cert:
        raise InvalidInput(t("sync.tls.both"), field="no-tls")
    store = get_store()
    enrollment.hub_keys(store)
    own = None if tls_cert or no_tls else tls.served(store)
    if own is not None:
        tls_cert, tls_key = own[0].cert, own[0].key
    scheme = "https" if tls_cert else "http"
    click.echo(t("sync.hub.serving", scheme=scheme, host=host, port=port), err=True)
    if own is not None:
        click.echo(t("sync.hub.serving_tls", fpr=own[1]), err=True)
    folder = backup_dir or Path(store.path).parent / "backups"
    serve(store, host, port, tls_cert=tls_cert, tls_key=tls_key, verbose=verbose,
          daily=[backup_job(folder, keep), retention.job])


@hub.command("report-threshold", help="Soglia dei report: i conteggi sotto N sono nascosti "
                                      "(report threshold, default 5, never below 3).")
@click.argument("value", type=int, metavar="N")
@handle_errors
def threshold_cmd(value: int) -> None:
    from fieldwelfare.errors import InvalidInput
    from fieldwelfare.reports import engine

    store = get_store()
    if not engine.is_hub(store):
        raise InvalidInput(t("cli.report.not_hub"), field="threshold")
    engine.set_threshold(store, value)
    click.echo(t("cli.report.threshold", value=value))


COMMANDS = [hub]
