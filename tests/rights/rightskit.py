"""Helpers for the data-subject-rights tests: a person with a full file, byte searches."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fieldwelfare.store import Store

LECCO = "097042"
NOTICE = {"version": "2025-01", "given_on": "2026-01-10", "given_by": "Anna Operatrice"}
SECRETS = ("Zorbaxiana", "Quixotellini", "QXTZBX41A41E507K", "Segretissima",
           "Sanitariozeta", "Briefkappa", "Motivoomega")
"""Unique strings that only the erased person's file holds."""
FISCAL_CODE = "QXTZBX41A41E507K"


@dataclass
class File:
    person: str
    visit: str
    need: str
    referral: str
    volunteer: str


def volunteer(store: Store) -> str:
    return store.add("volunteer", {"given_name": "Luca", "family_name": "Bianchi",
                                   "comuni": [LECCO], "skills": ["shopping"],
                                   "phone": "333 1234567"}).id


def full_file(store: Store, volunteer_id: str | None = None) -> File:
    """A person with a visit, a need, a referral sent and accepted (with notes)."""
    vol = volunteer_id or volunteer(store)
    p = store.add("person", {"given_name": "Zorbaxiana", "family_name": "Quixotellini",
                             "comune": LECCO, "fiscal_code": FISCAL_CODE,
                             "address": "Via Segretissima 99", "privacy_notice": NOTICE,
                             "notes": "Sanitariozeta"})
    v = store.add("visit", {"person_id": p.id, "notes": "Sanitariozeta a casa"})
    n = store.add("need", {"person_id": p.id, "category": "shopping", "area": "elderly",
                           "description": "Sanitariozeta spesa", "visit_id": v.id})
    r = store.add("referral", {"need_id": n.id, "volunteer_id": vol,
                               "brief": "Briefkappa spesa il martedì", "status": "sent"})
    store.update("referral", r.id, {"status": "declined", "reason": "Motivoomega",
                                    "note": "Motivoomega nota"})
    return File(p.id, v.id, n.id, r.id, vol)


def other_person(store: Store) -> str:
    p = store.add("person", {"given_name": "Maria", "family_name": "Rossi", "comune": LECCO})
    store.add("visit", {"person_id": p.id, "notes": "visita di Maria"})
    return p.id


def files_of(db: Path) -> list[Path]:
    """The database file and its WAL (and shm), as they are on disk."""
    return [p for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")) if p.exists()]


def found(paths: list[Path], needles: tuple[str, ...] = SECRETS) -> list[str]:
    """``path: needle`` for every needle found in a file's bytes (case-insensitive: the
    full-text index keeps words lower-cased)."""
    hits: list[str] = []
    for path in paths:
        data = path.read_bytes().lower()
        hits.extend(f"{path}: {needle}" for needle in needles
                    if needle.lower().encode() in data)
    return hits
