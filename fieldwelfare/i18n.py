"""The one message catalogue: Italian by default, English on request.

Core messages live here; the TUI registers its own keys with :func:`register`.
Every key has both languages (tested).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

LANGUAGES = ("it", "en")

_language = os.environ.get("FIELDWELFARE_LANG", "it")
if _language not in LANGUAGES:
    _language = "it"

_CATALOGUE: dict[str, tuple[str, str]] = {
    # validation
    "err.required": ("{field}: campo obbligatorio", "{field}: required field"),
    "err.unknown_field": (
        "{field}: campo sconosciuto per '{kind}'; campi ammessi: {allowed}",
        "{field}: unknown field for '{kind}'; allowed fields: {allowed}",
    ),
    "err.read_only": ("{field}: campo non modificabile", "{field}: field cannot be changed"),
    "err.not_allowed_value": (
        "{field}: valore {value} non ammesso; valori ammessi: {allowed}",
        "{field}: value {value} not allowed; allowed values: {allowed}",
    ),
    "err.wrong_type": ("{field}: {detail}", "{field}: {detail}"),
    "err.not_integer": ("{field}: serve un numero intero (ricevuto {value})",
                        "{field}: a whole number is needed (got {value})"),
    "err.not_number": ("{field}: serve un numero (ricevuto {value})",
                       "{field}: a number is needed (got {value})"),
    "err.bad_format": ("{field}: formato non valido (ricevuto {value})",
                       "{field}: invalid format (got {value})"),
    "err.bad_date": ("{field}: data non valida (ricevuto {value}; formato AAAA-MM-GG)",
                     "{field}: invalid date (got {value}; format YYYY-MM-DD)"),
    "err.too_small": ("{field}: deve essere almeno {limit} (ricevuto {value})",
                      "{field}: must be at least {limit} (got {value})"),
    "err.too_large": ("{field}: deve essere al massimo {limit} (ricevuto {value})",
                      "{field}: must be at most {limit} (got {value})"),
    "err.too_long": ("{field}: al massimo {limit} caratteri",
                     "{field}: at most {limit} characters"),
    "err.not_bool": ("{field}: sì o no (true o false; ricevuto {value})",
                     "{field}: yes or no (true or false; got {value})"),
    "err.invalid_json": ("JSON non valido: {detail}", "invalid JSON: {detail}"),
    "err.json_object": (
        "il JSON deve essere un oggetto {{...}}", "the JSON must be an object {{...}}"
    ),
    "err.unknown_kind": (
        "tipo di record sconosciuto '{kind}'; tipi ammessi: {allowed}",
        "unknown record kind '{kind}'; allowed kinds: {allowed}",
    ),
    "err.not_found": ("{kind} {id}: non trovato", "{kind} {id}: not found"),
    "doctor.more": ("... e altri {count}", "... and {count} more"),
    "doctor.foreign_key": ("riga {rowid}: riferimento mancante in {parent}",
                           "row {rowid}: missing reference in {parent}"),
    "doctor.fts": ("indice di ricerca danneggiato ({detail})",
                   "search index damaged ({detail})"),
    "doctor.audit_broken": ("voce {seq}: catena interrotta (non segue la precedente)",
                            "entry {seq}: chain broken (does not follow the previous one)"),
    "doctor.audit_hash": ("voce {seq}: il contenuto non corrisponde al suo hash",
                          "entry {seq}: its content does not match its hash"),
    "doctor.audit_head": (
        "il registro finisce alla voce {last}, ma era arrivato alla {head} (voci rimosse)",
        "the log ends at entry {last}, but it had reached entry {head} (entries removed)"),
    "doctor.audit_witnessed": (
        "la voce {seq}, vista dall'hub all'ultima sincronizzazione, manca o è cambiata",
        "entry {seq}, seen by the hub at the last sync, is missing or changed"),
    "doctor.change_altered": (
        "modifiche {first}-{last} alterate o rimosse (sigillate dalla voce di audit {audit})",
        "changes {first}-{last} altered or removed (sealed by audit entry {audit})"),
    "doctor.change_unsealed": (
        "{count} modifiche ({first}-{last}) aggiunte fuori dall'applicazione",
        "{count} changes ({first}-{last}) added outside the app"),
    "doctor.row_missing": ("{id}: ha modifiche registrate ma nessuna riga",
                           "{id}: has logged changes but no row"),
    "doctor.row_differs": ("{id}: la riga non corrisponde al registro delle modifiche ({fields})",
                           "{id}: the row does not match its change log ({fields})"),
    "doctor.audit_head_missing": (
        "manca la testa del registro (meta.audit_head): voci o registro rimossi",
        "the log's head is missing (meta.audit_head): entries or the log removed"),
    "doctor.digest_from": (
        "il registro delle modifiche risulta sigillato da {start}, ma il primo sigillo parte da "
        "{first} (meta.digest_from alterato)",
        "the change log claims to be sealed from {start}, but the first seal starts at "
        "{first} (meta.digest_from altered)"),
    "doctor.change_malformed": ("{id}: modifiche registrate illeggibili",
                                "{id}: unreadable logged changes"),
    "doctor.row_unlogged": ("{id}: riga senza alcuna modifica registrata",
                            "{id}: row with no logged change"),
    "doctor.registry_changed": (
        "il dispositivo '{name}' non ha più il ruolo, l'ambito o il volontario del suo codice",
        "device '{name}' no longer has the role, district or volunteer of its code"),
    "doctor.registry_unknown": ("il dispositivo '{name}' non è stato registrato con un codice",
                                "device '{name}' was not enrolled with a code"),
    "doctor.revocation_lost": (
        "il dispositivo '{name}' risulta revocato nel registro di audit ma non più nel "
        "registro dei dispositivi",
        "device '{name}' is revoked in the audit log but no longer in the device registry"),
    "keys.short": ("la passphrase deve avere almeno {n} caratteri",
                   "the passphrase must have at least {n} characters"),
    "keys.has_name": ("passphrase troppo facile da indovinare: contiene il nome "
                      "dell'operatore o del dispositivo",
                      "passphrase too easy to guess: it holds the operator's or the "
                      "device's name"),
    "keys.obvious": ("passphrase troppo facile da indovinare: usare qualche parola non ovvia",
                     "passphrase too easy to guess: use a few words that are not obvious"),
    "keys.no_slots": ("database cifrato, ma manca il file delle chiavi {path}",
                      "encrypted database, but its key file {path} is missing"),
    "keys.bad_slots": ("file delle chiavi {path} illeggibile ({detail})",
                       "key file {path} unreadable ({detail})"),
    "keys.wrong": ("operatore o passphrase errati", "wrong operator or passphrase"),
    "keys.wrong_key": ("{path}: la chiave non apre questo database",
                       "{path}: the key does not open this database"),
    "keys.encrypted": (
        "{path} è cifrato (o non è un database): serve la passphrase di un operatore",
        "{path} is encrypted (or not a database): an operator's passphrase is needed"),
    "keys.unreadable": ("{path}: database illeggibile (danneggiato, o non è il file di queste "
                        "chiavi)",
                        "{path}: unreadable database (damaged, or not the file of these keys)"),
    "keys.damaged": ("il file delle chiavi non corrisponde al database",
                     "the key file does not match the database"),
    "keys.bad_recovery": ("chiave di recupero errata", "wrong recovery key"),
    "keys.exists": ("l'operatore '{name}' esiste già", "operator '{name}' already exists"),
    "keys.unknown": ("nessun operatore '{name}'", "no operator '{name}'"),
    "keys.last_operator": ("non si può togliere l'ultimo operatore",
                           "the last operator cannot be removed"),
    "keys.no_cipher": (
        "questa installazione non può cifrare (manca sqlcipher3 per questa piattaforma): "
        "usare --plaintext, su un disco cifrato",
        "this installation cannot encrypt (no sqlcipher3 for this platform): use "
        "--plaintext, on an encrypted disk"),
    "keys.not_encrypted": ("il database non è cifrato", "the database is not encrypted"),
    "keys.already_encrypted": ("il database è già cifrato", "the database is already encrypted"),
    "keys.in_use": (
        "il database è aperto da un altro programma (l'app, 'hub serve', un altro comando): "
        "chiuderlo e riprovare",
        "the database is open in another program (the app, 'hub serve', another command): "
        "close it and try again"),
    "keys.need_operator": (
        "più operatori usano questo database ({names}): indicare chi con FIELDWELFARE_OPERATOR",
        "several operators use this database ({names}): say who with FIELDWELFARE_OPERATOR"),
    "keys.need_passphrase": (
        "serve la passphrase: da terminale, o FIELDWELFARE_PASSPHRASE (con "
        "FIELDWELFARE_OPERATOR), o --passphrase-file",
        "a passphrase is needed: at a terminal, or FIELDWELFARE_PASSPHRASE (with "
        "FIELDWELFARE_OPERATOR), or --passphrase-file"),
    "err.search_words": ("ricerca troppo lunga: al massimo {max} parole",
                         "search too long: at most {max} words"),
    "keys.need_new_passphrase": (
        "serve la nuova passphrase di {name}: da terminale (chiesta due volte) o "
        "FIELDWELFARE_NEW_PASSPHRASE; FIELDWELFARE_PASSPHRASE e --passphrase-file aprono "
        "il database e non sono mai prese come nuova passphrase",
        "{name}'s new passphrase is needed: at a terminal (asked twice) or "
        "FIELDWELFARE_NEW_PASSPHRASE; FIELDWELFARE_PASSPHRASE and --passphrase-file open the "
        "database and are never taken as the new passphrase"),
    "security.encrypted": ("cifrato: SQLCipher {version}, pagine da {page} byte, {hmac}",
                           "encrypted: SQLCipher {version}, {page}-byte pages, {hmac}"),
    "security.slot": ("chiave: {name} ({kind}, dal {at})", "key slot: {name} ({kind}, since {at})"),
    "security.weak_slot": ("la chiave di {name} usa un Argon2id di costo minimo (solo per i "
                           "test): 'operator passwd {name}'",
                           "{name}'s slot uses a minimum-cost Argon2id (tests only): "
                           "'operator passwd {name}'"),
    "security.plaintext": (
        "ATTENZIONE: database NON cifrato (--plaintext): tenerlo su un disco cifrato, o "
        "'fieldwelfare encrypt'",
        "WARNING: database NOT encrypted (--plaintext): keep it on an encrypted disk, or "
        "'fieldwelfare encrypt'"),
    "security.mode": ("ATTENZIONE: {path} è leggibile da altri utenti ({mode}): chmod 600",
                      "WARNING: {path} is readable by other users ({mode}): chmod 600"),
    "security.folder_mode": ("cartella {path} aperta ad altri utenti ({mode})",
                             "folder {path} open to other users ({mode})"),
    "retention.too_short": ("il periodo di conservazione è di almeno {n} anno",
                            "the retention period is at least {n} year"),
    "retention.reason": ("conservazione: nessuna attività per {years} anni (ultima {last})",
                         "retention: no activity for {years} years (last {last})"),
    "retention.not_hub": ("la conservazione si decide e si applica all'hub: qui si può "
                          "vederla ('retention policy') ed elencare cosa scadrebbe "
                          "('retention run --dry-run')",
                          "retention is set and applied at the hub: here you can see it "
                          "('retention policy') and list what would go "
                          "('retention run --dry-run')"),
    "retention.done": ("{count} persone cancellate dalla politica di conservazione ({years} "
                       "anni)", "{count} people erased by the retention policy ({years} "
                       "years)"),
    "retention.would": ("{count} persone sarebbero cancellate ({years} anni senza attività)",
                        "{count} people would be erased ({years} years without activity)"),
    "retention.policy": ("politica di conservazione: persone senza bisogni aperti né attività "
                         "per {years} anni", "retention policy: people with no open need "
                         "and no activity for {years} years"),
    "retention.policy_more": ("testi degli invii chiusi cancellati dopo {brief} anni; "
                              "registro delle consultazioni tenuto {access} anni",
                              "closed referrals' texts removed after {brief} years; read "
                              "log kept {access} years"),
    "retention.brief_reason": ("conservazione: invio chiuso da più di {years} anni",
                               "retention: referral closed more than {years} years ago"),
    "retention.briefs_done": ("{count} invii chiusi da più di {years} anni: testi cancellati",
                              "{count} referrals closed more than {years} years ago: texts "
                              "removed"),
    "retention.briefs_would": ("{count} invii chiusi da più di {years} anni: i testi "
                               "sarebbero cancellati",
                               "{count} referrals closed more than {years} years ago: their "
                               "texts would be removed"),
    "retention.access_done": ("{count} voci del registro delle consultazioni più vecchie di "
                              "{years} anni rimosse",
                              "{count} read-log entries older than {years} years removed"),
    "retention.access_would": ("{count} voci del registro delle consultazioni più vecchie di "
                               "{years} anni sarebbero rimosse",
                               "{count} read-log entries older than {years} years would be "
                               "removed"),
    "backup.exists": ("{path} esiste già: scegliere un altro nome",
                      "{path} already exists: choose another name"),
    "backup.target_exists": ("{path} esiste già: --force per sostituirlo",
                             "{path} already exists: --force to replace it"),
    "err.not_fieldwelfare": (
        "{path} non è un database di fieldwelfare (un altro programma, o un file vuoto)",
        "{path} is not a fieldwelfare database (another program's, or an empty file)"),
    "backup.plaintext_over_encrypted": (
        "la copia {source} non è cifrata e {path} lo è: non la sostituisco",
        "the backup {source} is not encrypted and {path} is: not replacing it"),
    "err.no_database": (
        "nessun database in {path}: controllare --db (o crearlo con 'fieldwelfare init')",
        "no database at {path}: check --db (or create one with 'fieldwelfare init')",
    ),
    "err.fiscal_code": (
        "fiscal_code: codice fiscale non valido (controllo fallito)",
        "fiscal_code: invalid fiscal code (checksum failed)",
    ),
    "err.comune": (
        "{field}: '{value}' non è un codice ISTAT di comune (6 cifre)",
        "{field}: '{value}' is not an ISTAT comune code (6 digits)",
    ),
    "err.future_date": (
        "{field}: la data non può essere nel futuro", "{field}: the date cannot be in the future"
    ),
    "err.contact_needed": (
        "phone/email: serve almeno un recapito (telefono o email)",
        "phone/email: at least one contact is needed (phone or email)",
    ),
    "err.one_target": (
        "volunteer_id/organisation_id: indicare esattamente un destinatario",
        "volunteer_id/organisation_id: give exactly one target",
    ),
    "err.time_order": (
        "end: l'ora di fine deve essere dopo l'inizio ({start})",
        "end: the end time must be after the start ({start})",
    ),
    "err.date_order": (
        "{field}: deve essere uguale o successiva a {other}",
        "{field}: must be on or after {other}",
    ),
    "err.overlap": (
        "la fascia {weekday} {start}-{end} si sovrappone a quella già registrata "
        "{weekday} {other_start}-{other_end}",
        "the slot {weekday} {start}-{end} overlaps the existing slot "
        "{weekday} {other_start}-{other_end}",
    ),
    "err.transition": (
        "status: passaggio da '{old}' a '{new}' non ammesso; da '{old}' si può andare a: {allowed}",
        "status: change from '{old}' to '{new}' not allowed; from '{old}' you can go to: {allowed}",
    ),
    "err.outcome_required": (
        "outcome: l'esito è obbligatorio per completare l'invio",
        "outcome: an outcome is required to complete the referral",
    ),
    "err.reason_required": (
        "reason: il motivo è obbligatorio per {status}",
        "reason: a reason is required to {status}",
    ),
    "err.privacy_first": (
        "status: non si può inviare prima di registrare l'informativa privacy di {person}",
        "status: cannot send before the privacy notice of {person} is recorded",
    ),
    "err.ref_missing": (
        "{field}: {kind} {id} non esiste", "{field}: {kind} {id} does not exist"
    ),
    "err.initial_status": (
        "status: un nuovo invio parte da 'proposed' o 'sent'",
        "status: a new referral starts as 'proposed' or 'sent'",
    ),
    "err.where": (
        "--where: usare CAMPO=VALORE (ricevuto '{value}')",
        "--where: use FIELD=VALUE (got '{value}')",
    ),
    "err.no_search": (
        "--search: la ricerca non è disponibile per '{kind}'; disponibile per: {allowed}",
        "--search: search is not available for '{kind}'; available for: {allowed}",
    ),
    "err.role_scope": (
        "un dispositivo da volontario modifica solo la propria scheda, le proprie "
        "disponibilità e gli invii ricevuti: non '{kind}'",
        "a volunteer's device changes only its own record, its own availability and the "
        "referrals it received: not '{kind}'",
    ),
    "err.deleted": ("{kind} {id}: eliminato", "{kind} {id}: deleted"),
    "err.not_initialised": (
        "il database non ha ancora un'identità: eseguire 'fieldwelfare init'",
        "this database has no identity yet: run 'fieldwelfare init'",
    ),
    "err.already_initialised": (
        "il database è già inizializzato come '{device}' (usare --force per cambiarlo)",
        "the database is already initialised as '{device}' (use --force to change it)",
    ),
    # weekdays
    "weekday.0": ("lunedì", "Monday"),
    "weekday.1": ("martedì", "Tuesday"),
    "weekday.2": ("mercoledì", "Wednesday"),
    "weekday.3": ("giovedì", "Thursday"),
    "weekday.4": ("venerdì", "Friday"),
    "weekday.5": ("sabato", "Saturday"),
    "weekday.6": ("domenica", "Sunday"),
    # matching reasons
    "match.skill": ("offre «{category}»", "offers “{category}”"),
    "match.no_skill": ("non offre «{category}»", "does not offer “{category}”"),
    "match.same_comune": (
        "opera nello stesso comune ({comune})", "works in the same municipality ({comune})"
    ),
    "match.same_ambito": (
        "opera nello stesso ambito ({ambito})", "works in the same district ({ambito})"
    ),
    "match.elsewhere": ("opera fuori dall'ambito", "works outside the district"),
    "match.available": (
        "{slots} fasce disponibili nei prossimi 14 giorni ({hours} ore)",
        "{slots} available slots in the next 14 days ({hours} hours)",
    ),
    "match.not_available": (
        "nessuna disponibilità nei prossimi 14 giorni", "no availability in the next 14 days"
    ),
    "match.load": ("{count} invii aperti", "{count} open referrals"),
    "match.no_load": ("nessun invio aperto", "no open referrals"),
    "match.has_car": ("ha l'auto (serve per «{category}»)", "has a car (needed for “{category}”)"),
    "match.no_car": ("senza auto (serve per «{category}»)", "no car (needed for “{category}”)"),
    "match.organisation": ("servizio: {kind}", "service: {kind}"),
}


def number(value: float, decimals: int = 2, lang: str | None = None) -> str:
    """A decimal as people write it: ``98,25`` in Italian, ``98.25`` in English; no
    trailing zeros (``3,5``, ``94``). The command line and the UI show the same."""
    text = f"{round(value, decimals):.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") if (lang or _language) == "it" else text


def register(messages: Mapping[str, tuple[str, str]]) -> None:
    """Add keys (``key -> (italian, english)``) to the catalogue; used by the TUI."""
    _CATALOGUE.update(messages)


def set_language(lang: str) -> None:
    global _language
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}")
    _language = lang


def get_language() -> str:
    return _language


def t(key: str, /, lang: str | None = None, **kwargs: object) -> str:
    """Translate ``key`` into the current (or given) language, formatting ``kwargs``."""
    it, en = _CATALOGUE[key]
    text = en if (lang or _language) == "en" else it
    return text.format(**kwargs) if kwargs else text


def catalogue() -> Mapping[str, tuple[str, str]]:
    return dict(_CATALOGUE)
