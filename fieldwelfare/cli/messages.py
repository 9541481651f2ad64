"""The command line's own messages (Italian first, English), added to the one catalogue."""

from __future__ import annotations

from fieldwelfare.i18n import register

MESSAGES: dict[str, tuple[str, str]] = {
    "cli.error": ("Errore: {message}", "Error: {message}"),
    "cli.unlock.operator": ("Operatore", "Operator"),
    "cli.tui.first_run": (
        "Primo avvio: creo il database cifrato {path}. Chi lo usa, e con quale passphrase?",
        "First start: creating the encrypted database {path}. Who uses it, and with which "
        "passphrase?"),
    "cli.tui.written_down": ("Scritta la chiave di recupero? Invio per aprire l'app",
                             "Recovery key written down? Enter to open the app"),
    "cli.unlock.passphrase": ("Passphrase di {name}", "Passphrase of {name}"),
    "cli.unlock.new": ("Nuova passphrase per {name}", "New passphrase for {name}"),
    "cli.unlock.again": ("Ripetere la passphrase", "Repeat the passphrase"),
    "cli.unlock.mismatch": ("Le due passphrase non coincidono: di nuovo.",
                            "The two passphrases differ: again."),
    "cli.unlock.rules": (
        "Il database è cifrato: ogni operatore lo apre con la propria passphrase (almeno "
        "{n} caratteri, non ovvia: qualche parola va bene).",
        "The database is encrypted: each operator opens it with their own passphrase (at "
        "least {n} characters, not obvious: a few words will do)."),
    "cli.unlock.recovery": (
        "CHIAVE DI RECUPERO (scriverla su carta e conservarla sotto chiave: apre il database "
        "se tutte le passphrase vanno perse; non viene mostrata di nuovo):\n  {key}",
        "RECOVERY KEY (write it on paper and keep it locked away: it opens the database if "
        "every passphrase is lost; it is not shown again):\n  {key}"),
    "cli.operator.added": ("operatore {name} aggiunto", "operator {name} added"),
    "cli.operator.removed": ("operatore {name} tolto{rekeyed}", "operator {name} removed{rekeyed}"),
    "cli.operator.rekeyed": ("; il database ha una nuova chiave",
                             "; the database has a new key"),
    "cli.operator.changed": ("passphrase di {name} cambiata", "passphrase of {name} changed"),
    "cli.operator.plaintext": ("il database non è cifrato: nessun operatore da gestire "
                               "('fieldwelfare encrypt' per cifrarlo)",
                               "the database is not encrypted: no operators to manage "
                               "('fieldwelfare encrypt' to encrypt it)"),
    "cli.encrypt.done": ("{path} ora è cifrato; operatore: {name}",
                         "{path} is now encrypted; operator: {name}"),
    "cli.backup.done": ("copia di sicurezza in {path}{slots}", "backup in {path}{slots}"),
    "cli.backup.slots": (" (chiavi in {path}.keys: servono per il ripristino)",
                         " (keys in {path}.keys: needed to restore)"),
    "cli.restore.done": ("{path} ripristinato da {source} (controllo: ok)",
                         "{path} restored from {source} (check: ok)"),
    "cli.restore.refused": ("copia rifiutata, nulla è stato sostituito: {count} problemi",
                            "backup refused, nothing was replaced: {count} problems"),
    "cli.err.open_db": (
        "impossibile aprire il database {path}: {detail}",
        "cannot open the database {path}: {detail}",
    ),
    "cli.err.file": ("errore di file: {detail}", "file error: {detail}"),
    "cli.conf.cols": ("id|record|campo|valore attuale|altro valore|tipo|stato",
                      "id|record|field|current value|other value|kind|status"),
    "cli.conf.kind.concurrent_edit": ("modifiche concorrenti", "concurrent edits"),
    "cli.conf.kind.edit_after_delete": ("modifica dopo l'eliminazione", "edit after delete"),
    "cli.conf.status.open": ("aperto", "open"),
    "cli.conf.status.resolved": ("risolto", "resolved"),
    "cli.err.not_enrolled": (
        "questo dispositivo non è ancora registrato presso l'hub, quindi non c'è nulla da "
        "esportare per l'hub: chiedere un codice al coordinatore ed eseguire "
        "'fieldwelfare enroll CODICE'",
        "this device is not enrolled with the hub yet, so there is nothing to export for it: "
        "ask the coordinator for a code and run 'fieldwelfare enroll CODE'"),
    "cli.err.not_a_number": (
        "{field}: serve un numero intero (ricevuto '{value}')",
        "{field}: an integer is needed (got '{value}')",
    ),
    "cli.err.negative": (
        "{field}: non può essere negativo (ricevuto {value})",
        "{field}: cannot be negative (got {value})",
    ),
    # report
    "cli.report.xlsx_out": ("out: il formato xlsx richiede --out FILE",
                            "out: the xlsx format needs --out FILE"),
    "cli.report.written": ("scritto {path}", "written {path}"),
    "cli.report.threshold": ("soglia dei report: {value}", "report threshold: {value}"),
    "cli.report.not_hub": ("la soglia si imposta all'hub ('hub init' prima)",
                           "the threshold is set at the hub ('hub init' first)"),
    # record
    "cli.deleted": ("{kind} {id}: eliminato", "{kind} {id}: deleted"),
    "cli.list.caption": ("{shown} di {total} record", "{shown} of {total} records"),
    "cli.list.empty": ("nessun record", "no records"),
    "cli.yes": ("sì", "yes"),
    "cli.no": ("no", "no"),
    # column headers
    "cli.col.id": ("ID", "ID"),
    "cli.col.family_name": ("Cognome", "Family name"),
    "cli.col.given_name": ("Nome", "Given name"),
    "cli.col.name": ("Nome", "Name"),
    "cli.col.birth_year": ("Nato nel", "Born"),
    "cli.col.comune": ("Comune", "Municipality"),
    "cli.col.comuni": ("Comuni", "Municipalities"),
    "cli.col.phone": ("Telefono", "Phone"),
    "cli.col.privacy_notice": ("Informativa", "Privacy notice"),
    "cli.col.date": ("Data", "Date"),
    "cli.col.person_id": ("Persona", "Person"),
    "cli.col.visit_kind": ("Tipo", "Kind"),
    "cli.col.duration_min": ("Minuti", "Minutes"),
    "cli.col.follow_up_on": ("Ricontatto", "Follow-up"),
    "cli.col.opened_on": ("Aperto il", "Opened on"),
    "cli.col.category": ("Categoria", "Category"),
    "cli.col.categories": ("Categorie", "Categories"),
    "cli.col.area": ("Area", "Area"),
    "cli.col.urgency": ("Urgenza", "Urgency"),
    "cli.col.status": ("Stato", "Status"),
    "cli.col.description": ("Descrizione", "Description"),
    "cli.col.organisation_kind": ("Tipo", "Kind"),
    "cli.col.contact": ("Contatto", "Contact"),
    "cli.col.skills": ("Competenze", "Skills"),
    "cli.col.has_car": ("Auto", "Car"),
    "cli.col.active": ("Attivo", "Active"),
    "cli.col.volunteer_id": ("Volontario", "Volunteer"),
    "cli.col.weekday": ("Giorno", "Day"),
    "cli.col.start": ("Dalle", "From"),
    "cli.col.end": ("Alle", "To"),
    "cli.col.valid_from": ("Valida dal", "Valid from"),
    "cli.col.valid_to": ("Valida al", "Valid to"),
    "cli.col.need_id": ("Bisogno", "Need"),
    "cli.col.target": ("Destinatario", "Target"),
    "cli.col.outcome": ("Esito", "Outcome"),
    "cli.col.rank": ("#", "#"),
    "cli.col.kind": ("Tipo", "Kind"),
    "cli.col.score": ("Punteggio", "Score"),
    "cli.col.reasons": ("Motivi", "Reasons"),
    "cli.col.count": ("Numero", "Count"),
    # match
    "cli.match.volunteer": ("volontario", "volunteer"),
    "cli.match.organisation": ("ente", "organisation"),  # the UI's word (Enti, F8)
    "cli.match.none": ("nessun candidato per questo bisogno", "no candidates for this need"),
    "cli.match.title": ("Candidati per il bisogno {id}", "Candidates for need {id}"),
    # admin
    "cli.init.done": (
        "database {path} inizializzato: dispositivo '{device}', operatore '{operator}', "
        "ruolo {role}, ambito {ambito}",
        "database {path} initialised: device '{device}', operator '{operator}', "
        "role {role}, ambito {ambito}",
    ),
    "cli.paths.home": ("Cartella dati", "Data folder"),
    "cli.paths.db": ("Database", "Database"),
    "cli.paths.demo_db": ("Database demo", "Demo database"),
    "cli.paths.log": ("File di log", "Log file"),
    "cli.doctor.problems": (
        "problemi trovati in {path}: {count}", "problems found in {path}: {count}"
    ),
    # demo
    "cli.demo.reuse": (
        "database demo {path} già popolato: lo riuso (--reset per ricrearlo)",
        "demo database {path} already has data: reusing it (--reset to recreate it)",
    ),
    "cli.demo.reset": ("database demo {path} cancellato", "demo database {path} removed"),
    "cli.demo.creating": ("creo i dati demo in {path}", "creating demo data in {path}"),
    "cli.demo.summary": ("Dati demo", "Demo data"),
    "cli.err.not_demo": (
        "--reset: {path} contiene dati che non vengono dalla demo: non lo cancello",
        "--reset: {path} holds data that did not come from the demo: not deleting it",
    ),
    "cli.demo.item": ("Voce", "Item"),
    # counts (demo summary keys and record kinds)
    "cli.count.person": ("Persone", "People"),
    "cli.count.people": ("Persone", "People"),
    "cli.count.visit": ("Visite", "Visits"),
    "cli.count.visits": ("Visite", "Visits"),
    "cli.count.need": ("Bisogni", "Needs"),
    "cli.count.needs": ("Bisogni", "Needs"),
    "cli.count.organisation": ("Organizzazioni", "Organisations"),
    "cli.count.organisations": ("Organizzazioni", "Organisations"),
    "cli.count.volunteer": ("Volontari", "Volunteers"),
    "cli.count.volunteers": ("Volontari", "Volunteers"),
    "cli.count.availability": ("Fasce di disponibilità", "Availability slots"),
    "cli.count.referral": ("Invii", "Referrals"),
    "cli.count.referrals": ("Invii", "Referrals"),
    "cli.count.referral_updates": ("Cambi di stato degli invii", "Referral status changes"),
}

register(MESSAGES)
