"""Subject access (GDPR art. 15): everything this database holds about one person, for the
person (HTML, in the UI's language, Italian by default) and for a machine (JSON).

It covers the person, their visits and needs, their referrals with their history and where
they went (an organisation's name; a volunteer only as "volontario", never their name),
the privacy notice, the change history (what, when, who, from which device) and the read
log. Nothing about anyone else: other people's records are never read.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path
from typing import Any

from fieldwelfare.errors import InvalidInput, NotFound
from fieldwelfare.i18n import get_language, register, t
from fieldwelfare.store.codec import decode_value, row_to_data
from fieldwelfare.store.merge import EVENT_TABLE, stamp_time
from fieldwelfare.store.store import Store

FORMAT_VERSION = 1

register({
    "err.export_own_file": ("{path}: è un file del database; scegliere un altro file",
                            "{path}: that is one of the database's files; choose another"),
    "err.export_exists": ("{path}: esiste già; scegliere un altro nome",
                          "{path}: already exists; choose another name"),
    "sar.title": ("Dati personali che la riguardano: {name}",
                  "Personal data held about you: {name}"),
    "sar.intro": ("Copia dei dati trattati su questo archivio (art. 15 GDPR), generata il "
                  "{at} da {by} ({device}).",
                  "Copy of the data processed in this archive (GDPR art. 15), made on {at} "
                  "by {by} ({device})."),
    "sar.person": ("Dati anagrafici", "Personal details"),
    "sar.visits": ("Visite e colloqui", "Visits"),
    "sar.needs": ("Bisogni rilevati", "Needs"),
    "sar.referrals": ("Invii a volontari e organizzazioni", "Referrals"),
    "sar.history": ("Storico delle modifiche (chi, quando)", "Change history (who, when)"),
    "sar.accesses": ("Chi ha consultato la scheda", "Who opened the file"),
    "sar.none": ("nessuno", "none"),
    "sar.volunteer": ("volontario", "volunteer"),
    "sar.organisation": ("organizzazione", "organisation"),
})

_RECORD_INTERNAL = {"_rowid", "_clock"}


def _rows(store: Store, sql: str, args: tuple[Any, ...]) -> list[dict[str, Any]]:
    return [dict(r) for r in store.execute_read(sql, args)]


def _record(kind: str, row: dict[str, Any]) -> dict[str, Any]:
    data = row_to_data(kind, row)
    data["deleted"] = bool(row.get("_deleted"))
    return {k: v for k, v in data.items() if k not in _RECORD_INTERNAL}


def collect(store: Store, person_id: str) -> dict[str, Any]:
    """The subject access report of ``person_id`` as plain data (NotFound if unknown)."""
    people = _rows(store, "SELECT * FROM person WHERE id = ?", (person_id,))
    if not people:
        raise NotFound(t("err.not_found", kind="person", id=person_id), kind="person",
                       record_id=person_id)
    visits = _rows(store, "SELECT * FROM visit WHERE person_id = ? ORDER BY date, id",
                   (person_id,))
    needs = _rows(store, "SELECT * FROM need WHERE person_id = ? ORDER BY opened_on, id",
                  (person_id,))
    need_ids = [n["id"] for n in needs]
    referrals = _rows(store, f"SELECT * FROM referral WHERE need_id IN "
                      f"({', '.join('?' * len(need_ids))}) ORDER BY created_at, id",
                      tuple(need_ids)) if need_ids else []
    out_referrals = []
    for r in referrals:
        data = _record("referral", r)
        data["destination"] = _destination(store, r)
        data.pop("volunteer_id", None)  # another person: only "a volunteer"
        data["history"] = _rows(store, "SELECT status, at, by, note FROM referral_event "
                                "WHERE referral_id = ? ORDER BY hlc, origin", (r["id"],))
        out_referrals.append(data)
    ident = store.identity
    return {
        "format": "fieldwelfare-subject-access", "version": FORMAT_VERSION,
        "generated_at": store.now_iso(), "generated_by": ident.operator,
        "device": ident.device_name, "person": _record("person", people[0]),
        "visits": [_record("visit", v) for v in visits],
        "needs": [_record("need", n) for n in needs],
        "referrals": out_referrals,
        "history": _history(store, [("person", person_id),
                                    *(("visit", v["id"]) for v in visits),
                                    *(("need", n) for n in need_ids),
                                    *(("referral", r["id"]) for r in referrals)]),
        "accesses": _rows(store, "SELECT at, by, device, via, why FROM access "
                          "WHERE person_id = ? ORDER BY at, hlc", (person_id,)),
    }


def _destination(store: Store, referral: dict[str, Any]) -> dict[str, Any]:
    if referral.get("organisation_id"):
        rows = store.execute_read("SELECT name FROM organisation WHERE id = ?",
                                  (referral["organisation_id"],))
        return {"kind": "organisation", "name": rows[0][0] if rows else None}
    return {"kind": "volunteer"}


def _history(store: Store, records: list[tuple[str, str]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for tbl, rid in records:
        for r in store.execute_read(
                "SELECT field, value, hlc, origin, operator FROM change WHERE tbl = ? "
                "AND rid = ? ORDER BY hlc, origin, field", (tbl, rid)):
            if tbl == "referral" and r[0] == "volunteer_id":
                continue  # another person's id
            out.append({"record": tbl, "id": rid, "field": r[0], "value": decode_value(r[1]),
                        "at": stamp_time(r[2]), "by": r[4], "device": r[3]})
        if tbl == "referral":
            events = [e[0] for e in store.execute_read(
                "SELECT id FROM referral_event WHERE referral_id = ?", (rid,))]
            for event in events:
                out.extend({"record": EVENT_TABLE, "id": event, "field": r[0],
                            "value": decode_value(r[1]), "at": stamp_time(r[2]), "by": r[4],
                            "device": r[3]} for r in store.execute_read(
                    "SELECT field, value, hlc, origin, operator FROM change WHERE tbl = ? "
                    "AND rid = ? ORDER BY hlc, field", (EVENT_TABLE, event)))
    out.sort(key=lambda h: (h["at"], h["record"], h["id"], h["field"]))
    return out


def to_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2, sort_keys=True)


FIELD_WORDS: dict[str, tuple[str, str]] = {
    "given_name": ("Nome", "Given name"), "family_name": ("Cognome", "Family name"),
    "birth_year": ("Anno di nascita", "Year of birth"), "sex": ("Sesso", "Sex"),
    "fiscal_code": ("Codice fiscale", "Tax code"), "comune": ("Comune", "Municipality"),
    "address": ("Indirizzo", "Address"), "phone": ("Telefono", "Phone"),
    "household_size": ("Persone in famiglia", "Household size"),
    "languages": ("Lingue", "Languages"), "privacy_notice": ("Informativa", "Privacy notice"),
    "notes": ("Note", "Notes"), "owner": ("Seguita da", "Followed by"),
    "created_at": ("Registrato il", "Recorded on"), "updated_at": ("Modificato il",
                                                                   "Changed on"),
    "created_by": ("Registrato da", "Recorded by"), "date": ("Data", "Date"),
    "kind": ("Tipo", "Kind"), "duration_min": ("Durata (minuti)", "Duration (minutes)"),
    "follow_up_on": ("Ricontatto", "Follow-up"), "opened_on": ("Aperto il", "Opened on"),
    "closed_on": ("Chiuso il", "Closed on"), "area": ("Area", "Area"),
    "category": ("Categoria", "Category"), "description": ("Descrizione", "Description"),
    "urgency": ("Urgenza", "Urgency"), "status": ("Stato", "Status"),
    "destination": ("Destinatario", "Sent to"), "brief": ("Richiesta", "Request"),
    "outcome": ("Esito", "Outcome"), "reason": ("Motivo", "Reason"),
    "history": ("Storico", "History"), "at": ("Quando", "When"), "by": ("Chi", "Who"),
    "record": ("Dato", "Record"), "field": ("Campo", "Field"), "value": ("Valore", "Value"),
    "device": ("Dispositivo", "Device"), "via": ("Come", "How"),
    "why": ("Perché", "Why"), "note": ("Nota", "Note"), "version": ("Versione", "Version"),
    "given_on": ("Data il", "Given on"), "given_by": ("Da", "By"),
    "person": ("Persona", "Person"), "visit": ("Visita", "Visit"), "need": ("Bisogno", "Need"),
    "referral": ("Invio", "Referral"), "referral_event": ("Passaggio di un invio",
                                                          "Referral step"),
}
"""Field and record names as a person reads them (the HTML export; JSON keeps the codes)."""
VOCABULARY_OF = {"sex": "sex", "kind": "visit_kind", "area": "area", "category": "category",
                 "urgency": "urgency"}
"""Fields whose codes have words (a status's vocabulary depends on the record)."""
SKIPPED = frozenset({"id", "person_id", "need_id", "visit_id", "volunteer_id",
                     "organisation_id", "_deleted", "deleted"})


def _word(key: str) -> str:
    words = FIELD_WORDS.get(key)
    return (words[0] if get_language() == "it" else words[1]) if words else key


def _shown(field: str, value: Any, table: str = "") -> Any:
    """A value as the person reads it: words for codes, comune names, dates dd/mm/yyyy."""
    from fieldwelfare import vocab

    lang = get_language()
    if isinstance(value, bool):
        return ("sì" if value else "no") if lang == "it" else ("yes" if value else "no")
    if not isinstance(value, str):
        return value
    if field == "comune":
        return vocab.comune_name(value)
    if field == "status":
        return vocab.label("referral_status" if table == "referral" else "need_status",
                           value, lang)
    if field in VOCABULARY_OF:
        return vocab.label(VOCABULARY_OF[field], value, lang)
    if field in ("record", "field"):  # the change history names records and fields
        return _word(value)
    if len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-" and value[:4].isdigit():
        day = f"{value[8:10]}/{value[5:7]}/{value[:4]}"
        return day + (f" {value[11:16]}" if len(value) > 16 and value[10:11] == "T" else "")
    return value


def _cell(value: Any, field: str = "", table: str = "") -> str:
    if value is None or value == [] or value == {}:
        return ""
    if isinstance(value, dict):
        value = "; ".join(f"{_word(k)}: {_shown(k, v, table)}" for k, v in value.items()
                          if k not in SKIPPED and v not in (None, "", [], {}))
    elif isinstance(value, list):
        value = " · ".join(
            ", ".join(f"{_shown(k, v, table)}" for k, v in item.items()
                      if k not in SKIPPED and v not in (None, "", [], {}))
            if isinstance(item, dict) else str(_shown(field, item, table)) for item in value)
    else:
        value = _shown(field, value, table)
    return html.escape(str(value))


def _table(rows: list[dict[str, Any]], columns: list[str], table: str = "") -> str:
    if not rows:
        return f"<p>{html.escape(t('sar.none'))}</p>"
    head = "".join(f"<th>{html.escape(_word(c))}</th>" for c in columns)
    def cell(row: dict[str, Any], column: str) -> str:
        if column == "value" and "field" in row:  # the change history: its field says
            return _cell(row.get(column), str(row["field"]), str(row.get("record", "")))
        return _cell(row.get(column), column, table)

    body = "".join("<tr>" + "".join(f"<td>{cell(r, c)}</td>" for c in columns) + "</tr>"
                   for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def to_html(report: dict[str, Any]) -> str:
    """A self-contained page the person can read (no scripts, no external resources)."""
    person = report["person"]
    name = f"{person.get('given_name') or ''} {person.get('family_name') or ''}".strip()
    details = "".join(
        f"<tr><th>{html.escape(_word(k))}</th><td>{_cell(v, k, 'person')}</td></tr>"
        for k, v in person.items() if k not in SKIPPED and v not in (None, "", [], {}))
    referrals = [{**r, "destination": t(f"sar.{r['destination']['kind']}") + (
        f": {r['destination']['name']}" if r["destination"].get("name") else "")}
        for r in report["referrals"]]
    sections = [
        (t("sar.person"), f"<table><tbody>{details}</tbody></table>"),
        (t("sar.visits"), _table(report["visits"], ["date", "kind", "duration_min", "notes",
                                                     "follow_up_on"], "visit")),
        (t("sar.needs"), _table(report["needs"], ["opened_on", "area", "category",
                                                  "description", "urgency", "status",
                                                  "closed_on"], "need")),
        (t("sar.referrals"), _table(referrals, ["created_at", "destination", "category",
                                                "brief", "status", "outcome", "reason",
                                                "history"], "referral")),
        (t("sar.history"), _table(report["history"], ["at", "by", "record", "field",
                                                      "value"])),
        (t("sar.accesses"), _table(report["accesses"], ["at", "by", "device", "via",
                                                        "why"])),
    ]
    title = html.escape(t("sar.title", name=name))
    intro = html.escape(t("sar.intro", at=_shown("at", report["generated_at"]),
                          by=report["generated_by"],
                          device=report["device"]))
    body = "".join(f"<h2>{html.escape(h)}</h2>{content}" for h, content in sections)
    return ("<!DOCTYPE html><html lang=\"it\"><head><meta charset=\"utf-8\">"
            f"<title>{title}</title><style>body{{font-family:sans-serif;max-width:60em;"
            "margin:auto}table{border-collapse:collapse;width:100%}td,th{border:1px solid "
            "#999;padding:.3em;text-align:left;vertical-align:top}</style></head><body>"
            f"<h1>{title}</h1><p>{intro}</p>{body}</body></html>\n")


FORMATS = ("html", "json")


def export(store: Store, person_id: str, fmt: str, out: Path, *, via: str = "export",
           why: str | None = None, overwrite: bool = True) -> Path:
    """Write the report of ``person_id`` to ``out`` (``fmt``: html or json). The export is
    logged in the read log first (``via``: ``export`` from the command line, ``tui`` from
    the person screen), so the report lists it too."""
    from fieldwelfare.store.accesslog import record_access

    if fmt not in FORMATS:
        raise ValueError(f"format: one of {', '.join(FORMATS)} expected")
    check_destination(store, out, overwrite=overwrite)
    report = collect(store, person_id)
    record_access(store, person_id, via=via, why=why)
    report["accesses"] = collect(store, person_id)["accesses"]
    text = to_json(report) if fmt == "json" else to_html(report)
    write_private(out, text)
    return out


OWN_SUFFIXES = ("", "-wal", "-shm", "-journal", ".keys", ".keys.new", ".keys.tmp")
"""The database's files: an export never replaces one (it would destroy the database)."""


def check_destination(store: Store, out: Path, *, overwrite: bool) -> None:
    """Refuse the database's own files (also through a link) and, unless ``overwrite``,
    any file that exists."""
    target = out.expanduser().resolve()
    database = Path(store.path).expanduser().resolve()
    own = {database.with_name(database.name + suffix) for suffix in OWN_SUFFIXES}
    if target in own or (target.exists() and any(
            mine.exists() and os.path.samefile(target, mine) for mine in own)):
        raise InvalidInput(t("err.export_own_file", path=str(out)), field="out")
    if target.exists() and not overwrite:
        raise InvalidInput(t("err.export_exists", path=str(out)), field="out")


def write_private(out: Path, text: str) -> None:
    """Write ``text`` to ``out`` readable by its owner only, whole or not at all."""
    part = out.with_name(f".{out.name}.part")
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(part, out)
    finally:
        part.unlink(missing_ok=True)
