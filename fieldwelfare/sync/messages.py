"""Sync's messages (Italian first, English), added to the one catalogue."""

from __future__ import annotations

from fieldwelfare.i18n import register

MESSAGES: dict[str, tuple[str, str]] = {
    "sync.refused": ("{where}pacchetto rifiutato [{code}]: {reason}",
                     "{where}bundle refused [{code}]: {reason}"),
    "sync.refused.truncated": ("file troncato o incompleto ({detail})",
                               "the file is truncated or incomplete ({detail})"),
    "sync.refused.not_a_bundle": ("non è un pacchetto fieldwelfare (.fwb)",
                                  "not a fieldwelfare bundle (.fwb)"),
    "sync.refused.header": ("intestazione non valida: {detail}", "invalid header: {detail}"),
    "sync.refused.too_large": ("supera il limite: {detail}", "over the limit: {detail}"),
    "sync.refused.unsupported": ("formato non supportato: {detail}",
                                 "unsupported format: {detail}"),
    "sync.refused.upgrade_required": (
        "creato da una versione più recente del programma ({detail}): aggiornare fieldwelfare",
        "made by a newer version of the program ({detail}): upgrade fieldwelfare"),
    "sync.refused.unknown_sender": ("mittente sconosciuto ({detail})",
                                    "unknown sender ({detail})"),
    "sync.refused.revoked": ("il dispositivo mittente è stato revocato ({detail})",
                             "the sending device has been revoked ({detail})"),
    "sync.refused.bad_signature": (
        "firma non valida: il file è stato alterato o non viene dal mittente dichiarato",
        "bad signature: the file was altered or does not come from the stated sender"),
    "sync.refused.not_for_me": ("il pacchetto non è destinato a questo dispositivo ({detail})",
                                "the bundle is not addressed to this device ({detail})"),
    "sync.refused.decrypt": ("decifratura fallita: contenuto alterato ({detail})",
                             "decryption failed: the content was altered ({detail})"),
    "sync.refused.bag": ("contenuto non valido: {detail}", "invalid content: {detail}"),
    "sync.refused.tar_name": ("nome di file non ammesso nell'archivio: {detail}",
                              "file name not allowed in the archive: {detail}"),
    "sync.refused.bomb": ("contenuto più grande del dichiarato o del limite: {detail}",
                          "content larger than declared or than the limit: {detail}"),
    "sync.refused.change": ("modifica non ammessa: {detail}", "change not allowed: {detail}"),
    "sync.refused.clock": ("marca temporale troppo nel futuro (orologio del mittente "
                           "sbagliato?): {detail}",
                           "stamp too far in the future (sender's clock wrong?): {detail}"),
    "sync.refused.scope": ("il dispositivo non può fare questa modifica: {detail}",
                           "the device may not make this change: {detail}"),
    "sync.refused.origin": ("una modifica non viene dal mittente: {detail}",
                            "a change does not come from the sender: {detail}"),
    "sync.refused.enroll_code": ("codice di registrazione sconosciuto o errato ({detail})",
                                 "unknown or mistyped enrollment code ({detail})"),
    "sync.refused.enroll_expired": ("codice di registrazione scaduto ({detail})",
                                    "the enrollment code has expired ({detail})"),
    "sync.refused.enroll_used": ("codice di registrazione già usato ({detail})",
                                 "the enrollment code was already used ({detail})"),
    "sync.refused.enroll_mac": ("prova del codice di registrazione errata",
                                "wrong proof of the enrollment code"),
    "sync.refused.hub_key": ("la chiave dell'hub non corrisponde a quella del codice ({detail})",
                             "the hub key does not match the one in the code ({detail})"),
    "sync.refused.wrong_kind": ("tipo di pacchetto inatteso qui ({detail})",
                                "bundle kind not expected here ({detail})"),
    "sync.refused.not_enrolled": (
        "questo dispositivo non è registrato: eseguire 'fieldwelfare enroll CODICE'",
        "this device is not enrolled: run 'fieldwelfare enroll CODE'"),
    # hub
    "sync.hub.no_keys": ("questo database non è un hub: eseguire 'fieldwelfare hub init'",
                         "this database is not a hub: run 'fieldwelfare hub init'"),
    "sync.hub.already": ("questo database è già l'hub '{name}'",
                         "this database is already the hub '{name}'"),
    "sync.hub.initialised": ("hub '{name}' creato; impronta della chiave {kid}",
                             "hub '{name}' created; key fingerprint {kid}"),
    "sync.hub.no_device": ("dispositivo '{name}' non registrato", "device '{name}' not enrolled"),
    "sync.hub.device_exists": (
        "il dispositivo '{name}' è già registrato: revocarlo prima ('hub revoke --device')",
        "the device '{name}' is already enrolled: revoke it first ('hub revoke --device')"),
    "sync.hub.bad_role": ("--role: '{role}' non ammesso; valori ammessi: {allowed}",
                          "--role: '{role}' not allowed; allowed values: {allowed}"),
    "sync.hub.bad_ambito": ("--ambito: '{ambito}' non ammesso; valori ammessi: {allowed}",
                            "--ambito: '{ambito}' not allowed; allowed values: {allowed}"),
    "sync.hub.volunteer_needed": ("--volunteer: obbligatorio per il ruolo volunteer",
                                  "--volunteer: required for the volunteer role"),
    "sync.hub.ambito_needed": ("--ambito: obbligatorio per il ruolo {role}",
                               "--ambito: required for the {role} role"),
    "sync.hub.enrolled": ("registrato il dispositivo '{name}' ({role})",
                          "enrolled the device '{name}' ({role})"),
    "sync.hub.applied": ("{path}: da '{device}': {applied} modifiche applicate, {skipped} già "
                         "presenti, {conflicts} conflitti",
                         "{path}: from '{device}': {applied} changes applied, {skipped} already "
                         "present, {conflicts} conflicts"),
    "sync.hub.duplicate": ("{path}: già importato (nessuna modifica)",
                           "{path}: already imported (nothing changed)"),
    "sync.hub.revoked": ("dispositivo '{name}' revocato", "device '{name}' revoked"),
    "sync.hub.rotated": ("nuova chiave dell'hub {kid}; la precedente resta valida per decifrare",
                         "new hub key {kid}; the previous one still decrypts"),
    "sync.hub.serving": ("hub in ascolto su {scheme}://{host}:{port} (Ctrl-C per fermare)",
                         "hub listening on {scheme}://{host}:{port} (Ctrl-C to stop)"),
    "sync.hub.tls_pair": ("--tls-cert e --tls-key vanno indicati insieme",
                          "--tls-cert and --tls-key go together"),
    "sync.hub.serving_tls": ("certificato TLS dell'hub: SHA-256 {fpr}",
                             "the hub's TLS certificate: SHA-256 {fpr}"),
    "sync.tls.made": ("certificato TLS autofirmato {path}, SHA-256 {fpr} (i nuovi codici di "
                      "registrazione lo contengono)",
                      "self-signed TLS certificate {path}, SHA-256 {fpr} (new enrollment "
                      "codes carry it)"),
    "sync.tls.staged": ("nuovo certificato TLS preparato {path}, SHA-256 {fpr}: i dispositivi "
                        "lo ricevono alla prossima sincronizzazione; poi 'hub tls-cert "
                        "--activate' e riavviare 'hub serve'",
                        "next TLS certificate prepared {path}, SHA-256 {fpr}: devices receive "
                        "it at their next sync; then 'hub tls-cert --activate' and restart "
                        "'hub serve'"),
    "sync.tls.activated": ("certificato TLS {fpr} attivo: riavviare 'hub serve'",
                           "TLS certificate {fpr} active: restart 'hub serve'"),
    "sync.tls.no_next": ("nessun nuovo certificato TLS preparato (prima 'hub tls-cert')",
                         "no next TLS certificate prepared (run 'hub tls-cert' first)"),
    "sync.tls.mismatch": ("il certificato {path} non è quello registrato nell'hub "
                          "(sostituito a mano?): rifarlo con 'hub tls-cert'",
                          "the certificate {path} is not the one recorded by the hub "
                          "(replaced by hand?): make it again with 'hub tls-cert'"),
    "sync.tls.missing": ("manca il certificato TLS dell'hub {path}: ripristinarlo dal backup, "
                         "farne uno nuovo con 'hub tls-cert' oppure servire con --no-tls",
                         "the hub's TLS certificate {path} is missing: restore it from the "
                         "backup, make a new one with 'hub tls-cert' or serve with --no-tls"),
    "sync.tls.bad_host": ("nome host o indirizzo non valido: '{host}'",
                          "invalid host name or address: '{host}'"),
    "sync.tls.bad_days": ("--days deve essere almeno 1", "--days must be at least 1"),
    "sync.tls.both": ("--tls-cert/--tls-key e --no-tls si escludono",
                      "--tls-cert/--tls-key and --no-tls exclude each other"),
    "sync.hub.need_target": ("indicare --device NOME oppure --all",
                             "give --device NAME or --all"),
    # device
    "sync.dev.no_hub": ("nessun hub: indicare --hub URL", "no hub: give --hub URL"),
    "sync.dev.bad_code": ("codice di registrazione non valido (errore di battitura?)",
                          "invalid enrollment code (typing mistake?)"),
    "sync.dev.enroll_written": ("richiesta di registrazione scritta: portarla all'hub",
                                "enrollment request written: take it to the hub"),
    "sync.dev.enrolled": ("registrato presso l'hub '{hub}' come '{name}' ({role})",
                          "enrolled with the hub '{hub}' as '{name}' ({role})"),
    "sync.dev.imported": ("{path}: {applied} modifiche applicate, {skipped} già presenti, "
                          "{conflicts} conflitti",
                          "{path}: {applied} changes applied, {skipped} already present, "
                          "{conflicts} conflicts"),
    "sync.dev.duplicate": ("{path}: già importato (nessuna modifica)",
                           "{path}: already imported (nothing changed)"),
    "sync.dev.sent": ("inviate {count} modifiche all'hub", "sent {count} changes to the hub"),
    "sync.dev.network": ("hub non raggiungibile ({detail})", "hub not reachable ({detail})"),
    "sync.dev.tls_pin": ("hub rifiutato [tls_pin]: il certificato TLS del server (SHA-256 "
                         "{fpr}) non è quello dell'hub registrato; nulla è stato inviato. "
                         "Possibile intercettazione, oppure un certificato rinnovato che questo "
                         "dispositivo non conosce (docs/operations.md)",
                         "hub refused [tls_pin]: the server's TLS certificate (SHA-256 {fpr}) "
                         "is not the enrolled hub's; nothing was sent. Possibly an "
                         "interception, or a renewed certificate this device does not know "
                         "(docs/operations.md)"),
    "sync.dev.http": ("l'hub ha risposto {status}: {detail}",
                      "the hub answered {status}: {detail}"),
    "sync.dev.uploading": ("invio", "sending"),
    "sync.dev.downloading": ("ricezione", "receiving"),
    "sync.status.never": ("mai", "never"),
    "sync.status.unsent": ("Modifiche da inviare", "Unsent changes"),
    "sync.status.last_sync": ("Ultima sincronizzazione", "Last sync"),
    "sync.status.hub": ("Hub", "Hub"),
    "sync.status.outbox": ("Pacchetti in attesa di conferma", "Bundles awaiting acknowledgement"),
    "sync.status.enrolled": ("Registrato", "Enrolled"),
    "sync.conflict.none": ("nessun conflitto aperto", "no open conflicts"),
    "sync.conflict.resolved": ("conflitto {id} risolto (tenuto: {keep})",
                               "conflict {id} resolved (kept: {keep})"),
}

register(MESSAGES)
