"""The directory's spreadsheet columns: what ``directory export`` writes and what
``import`` reads back (Italian or English headers, codes or labels in the cells)."""

from __future__ import annotations

import re
import unicodedata

LIST_FIELDS = frozenset({"skills", "comuni", "languages", "categories"})
BOOL_FIELDS = frozenset({"has_car", "active"})

EXPORT: dict[str, tuple[str, ...]] = {
    "volunteer": ("id", "given_name", "family_name", "phone", "email", "organisation_id",
                  "skills", "comuni", "languages", "has_car", "active"),
    "organisation": ("id", "name", "kind", "comuni", "categories", "contact"),
}
"""The exported columns of each kind, in order (headers are the field names)."""

ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "volunteer": {
        "id": ("id", "identificativo"),
        "given_name": ("nome", "given name", "first name", "name"),
        "family_name": ("cognome", "family name", "surname", "last name"),
        "phone": ("telefono", "cellulare", "tel", "phone", "mobile", "phone number"),
        "email": ("email", "e-mail", "mail", "posta elettronica", "indirizzo email"),
        "organisation_id": ("organizzazione", "organisation", "organization",
                            "organisation id", "organization id", "id organizzazione"),
        "skills": ("competenze", "skills", "categorie", "attivita"),
        "comuni": ("comuni", "comuni serviti", "comune", "municipalities", "towns"),
        "languages": ("lingue", "languages", "lingua"),
        "has_car": ("auto", "ha auto", "automunito", "has car", "car"),
        "active": ("attivo", "attiva", "active"),
        "fiscal_code": ("codice fiscale", "cf", "fiscal code", "tax code"),
    },
    "organisation": {
        "id": ("id", "identificativo"),
        "name": ("nome", "denominazione", "ragione sociale", "name", "organisation",
                 "organization"),
        "kind": ("tipo", "tipologia", "forma giuridica", "kind", "type"),
        "comuni": ("comuni", "comuni serviti", "comune", "municipalities", "towns"),
        "categories": ("categorie", "servizi", "categories", "services"),
        "contact": ("contatto", "recapito", "telefono", "email", "contact", "phone"),
        "fiscal_code": ("codice fiscale", "partita iva", "cf", "fiscal code", "tax code",
                        "vat number"),
    },
}
"""Accepted headers (compared without case, accents, spaces or underscores) by field.
``fiscal_code`` is read only to find duplicates in the file (no record stores it)."""


def normalise(header: str) -> str:
    text = unicodedata.normalize("NFKD", str(header)).encode("ascii", "ignore").decode()
    return re.sub(r"[\s_\-.]+", " ", text).strip().lower()


def match_header(kind: str, header: str) -> str | None:
    """The field a header names, or None."""
    wanted = normalise(header)
    for field, names in ALIASES[kind].items():
        if wanted == normalise(field) or wanted in {normalise(n) for n in names}:
            return field
    return None
