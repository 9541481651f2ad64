"""The consortium's directory as Open Referral HSDS 3.0 JSON.

- each organisation is an HSDS ``organization`` (its kind and categories in the
  description; a contact that is an e-mail or a phone number as such), with one
  ``location`` per comune served (named after the comune, ISTAT code as external id);
- each category it offers is a ``service`` (status active) tagged with the category's
  ``taxonomy_term`` (taxonomy "fieldwelfare categories"), with a ``service_area`` and a
  ``service_at_location`` per comune, and weekly ``schedules`` (RFC 5545 WEEKLY/BYDAY)
  from the availability of the organisation's active volunteers with that skill (times
  only, no names).

Identifiers of derived objects are UUIDv5 of the organisation's id, so a new export of the
same directory gives the same ids. Files: ``organizations.json``, ``services.json``,
``taxonomy.json``, ``taxonomy_terms.json`` (arrays of objects).
"""

from __future__ import annotations

import json
import re
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

from fieldwelfare import vocab
from fieldwelfare.store import Store

FILES = ("organizations", "services", "taxonomy", "taxonomy_terms")
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
TAXONOMY_ID = str(uuid.uuid5(uuid.NAMESPACE_URL, "fieldwelfare:taxonomy:category"))
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
_PHONE = re.compile(r"^(tel\.?|telefono|phone)?\s*(\+?[\d][\d\s/.-]{5,})$", re.IGNORECASE)


def derived_id(*parts: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "fieldwelfare:" + ":".join(parts)))


def term_id(category: str) -> str:
    return derived_id("category", category)


def _json_list(text: str | None) -> list[str]:
    return list(json.loads(text or "[]"))


def _contact(org_id: str, contact: str | None) -> dict[str, Any]:
    if not contact:
        return {}
    if _EMAIL.match(contact):
        return {"email": contact}
    phone = _PHONE.match(contact)
    if phone:
        return {"phones": [{"id": derived_id(org_id, "phone"), "organization_id": org_id,
                            "number": phone.group(2).strip()}]}
    return {}


def _schedules(store: Store) -> dict[tuple[str, str], list[tuple[int, str, str, str]]]:
    """Weekly slots by (organisation, skill) from its active volunteers, valid today."""
    today = store.today().isoformat()
    rows = store.execute_read(
        "SELECT v.organisation_id AS org, v.skills AS skills, a.weekday AS weekday, "
        "a.start AS start, a.\"end\" AS end_, a.valid_from AS valid_from FROM availability a "
        "JOIN volunteer v ON v.id = a.volunteer_id WHERE a._deleted = 0 AND v._deleted = 0 "
        "AND v.active = 1 AND v.organisation_id IS NOT NULL "
        "AND (a.valid_to IS NULL OR a.valid_to >= ?)", (today,))
    slots: dict[tuple[str, str], set[tuple[int, str, str, str]]] = defaultdict(set)
    for row in rows:
        for skill in _json_list(row["skills"]):
            slots[(row["org"], skill)].add((row["weekday"], row["start"], row["end_"],
                                            row["valid_from"]))
    return {key: sorted(value) for key, value in slots.items()}


def build(store: Store) -> dict[str, list[dict[str, Any]]]:
    """The HSDS objects, by file name."""
    orgs = store.execute_read(
        "SELECT id, name, kind, comuni, categories, contact FROM organisation "
        "WHERE _deleted = 0 ORDER BY name, id")
    slots = _schedules(store)
    organizations: list[dict[str, Any]] = []
    services: list[dict[str, Any]] = []
    for org in orgs:
        org_id, comuni, categories = org["id"], _json_list(org["comuni"]), \
            _json_list(org["categories"])
        kind = vocab.label("organisation_kind", org["kind"])
        offered = ", ".join(vocab.label("category", c) for c in categories)
        locations = [
            {"id": derived_id(org_id, "location", code), "location_type": "physical",
             "organization_id": org_id, "name": vocab.comune_name(code),
             "external_identifier": code, "external_identifier_type": "ISTAT"}
            for code in comuni
        ]
        organizations.append({
            "id": org_id, "name": org["name"],
            "description": f"{kind}" + (f". Servizi: {offered}" if offered else ""),
            **_contact(org_id, org["contact"]), "locations": locations,
        })
        for category in categories:
            service_id = derived_id(org_id, "service", category)
            services.append({
                "id": service_id, "organization_id": org_id, "status": "active",
                "name": vocab.label("category", category),
                "description": f"{vocab.label('category', category)} ({org['name']})",
                "attributes": [{"id": derived_id(service_id, "attribute"),
                                "link_id": service_id, "link_type": "service",
                                "link_entity": "service",
                                "taxonomy_term_id": term_id(category)}],
                "service_areas": [
                    {"id": derived_id(service_id, "area", code), "service_id": service_id,
                     "name": vocab.comune_name(code),
                     "description": f"Comune di {vocab.comune_name(code)} (ISTAT {code})"}
                    for code in comuni
                ],
                "service_at_locations": [
                    {"id": derived_id(service_id, "at", loc["id"]), "service_id": service_id,
                     "location_id": loc["id"]}
                    for loc in locations
                ],
                "schedules": [
                    {"id": derived_id(service_id, "schedule", str(day), start, end),
                     "service_id": service_id, "freq": "WEEKLY", "wkst": "MO",
                     "byday": WEEKDAYS[day], "opens_at": start, "closes_at": end,
                     "valid_from": valid_from,
                     "description": "Disponibilità dei volontari dell'organizzazione"}
                    for day, start, end, valid_from in slots.get((org_id, category), [])
                ],
            })
    terms = [{"id": term_id(code), "code": code, "name": vocab.label("category", code),
              "description": vocab.label("category", code, "en"), "taxonomy_id": TAXONOMY_ID,
              "taxonomy": "fieldwelfare categories", "language": "it"}
             for code in vocab.codes("category")]
    taxonomy = [{"id": TAXONOMY_ID, "name": "fieldwelfare categories",
                 "description": "Categorie dei compiti del welfare di comunità (Ambito di Lecco)"}]
    return {"organizations": organizations, "services": services, "taxonomy": taxonomy,
            "taxonomy_terms": terms}


def write(store: Store, folder: Path) -> list[Path]:
    """Write the HSDS files into ``folder`` (created if needed); returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, items in build(store).items():
        path = folder / f"{name}.json"
        path.write_text(json.dumps(items, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written
