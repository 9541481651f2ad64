"""Realistic demo data across the 84 comuni of the province of Lecco.

:func:`populate` fills a store through its write API: organisations of every kind,
volunteers with skills and weekly slots, people (Italian and foreign names, some valid
fiscal codes, most with their privacy notice), home visits, needs of every area, category,
urgency and status, and referrals in every state reached through the store's real
transitions, so their history is genuine. The same seed (and ``today``) gives the same
content; record ids are new UUIDs every time, as on a real device.

:func:`bulk_rows` yields plain input rows fast (benchmarks, load tests).
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from fieldwelfare import clock, vocab
from fieldwelfare import demo_data as data
from fieldwelfare.i18n import register, t
from fieldwelfare.ids import uuid7
from fieldwelfare.models.vocabulary import (
    Area,
    Category,
    NeedStatus,
    OrganisationKind,
    ReferralStatus,
    Urgency,
    VisitKind,
)
from fieldwelfare.store import Store

register({
    "demo.organisations": ("Organizzazioni", "Organisations"),
    "demo.volunteers": ("Volontari", "Volunteers"),
    "demo.availability": ("Disponibilità", "Availability"),
    "demo.people": ("Persone", "People"),
    "demo.visits": ("Visite", "Visits"),
    "demo.needs": ("Bisogni", "Needs"),
    "demo.referrals": ("Invii", "Referrals"),
})

Progress = Callable[[str, int, int], None]
CHUNK = 5_000
PRIVACY_VERSION = "2024.1"

# A referral's path from "proposed" to each state, through the allowed transitions.
PATHS: dict[str, tuple[str, ...]] = {
    "proposed": (),
    "sent": ("sent",),
    "accepted": ("sent", "accepted"),
    "declined": ("sent", "declined"),
    "in_progress": ("sent", "accepted", "in_progress"),
    "completed": ("sent", "accepted", "in_progress", "completed"),
    "cancelled": ("sent", "cancelled"),
}


@dataclass
class DemoSummary:
    organisations: int = 0
    volunteers: int = 0
    availability: int = 0
    people: int = 0
    visits: int = 0
    needs: int = 0
    referrals: int = 0
    referral_updates: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


# ---------------------------------------------------------------- fiscal codes
_MONTHS = "ABCDEHLMPRST"
_ODD_DIGITS = (1, 0, 5, 7, 9, 13, 15, 17, 19, 21)
_ODD = dict(zip("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                (*_ODD_DIGITS, *_ODD_DIGITS, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16,
                 10, 22, 25, 24, 23), strict=True))


def _letters(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.upper() if "A" <= ch <= "Z")


def _part(text: str, *, given: bool) -> str:
    letters = _letters(text)
    consonants = [c for c in letters if c not in "AEIOU"]
    vowels = [c for c in letters if c in "AEIOU"]
    if given and len(consonants) >= 4:
        return consonants[0] + consonants[2] + consonants[3]
    return ("".join(consonants + vowels) + "XXX")[:3]


def fiscal_code(family: str, given: str, sex: str, birth: dt.date, belfiore: str) -> str:
    """The Italian fiscal code (DM 23/12/1976), without omocodia."""
    day = birth.day + (40 if sex == "F" else 0)
    body = (f"{_part(family, given=False)}{_part(given, given=True)}{birth.year % 100:02d}"
            f"{_MONTHS[birth.month - 1]}{day:02d}{belfiore}")
    total = 0
    for i, ch in enumerate(body):
        if i % 2 == 0:
            total += _ODD[ch]
        else:
            total += int(ch) if ch.isdigit() else ord(ch) - ord("A")
    return body + chr(ord("A") + total % 26)


# ---------------------------------------------------------------- generator
class _Gen:
    """Deterministic choices for one seed and one ``today``."""

    def __init__(self, seed: int, today: dt.date) -> None:
        self.rng = random.Random(seed)
        self.today = today
        comuni = vocab.comuni()
        self.codes = sorted(comuni)
        # Weighted to the Ambito di Lecco, and most of all to the city.
        self.weights = [
            12.0 if c == "097042" else 3.0 if comuni[c].ambito == "Lecco" else 1.0
            for c in self.codes
        ]
        self.by_ambito: dict[str, list[str]] = {}
        for code in self.codes:
            self.by_ambito.setdefault(comuni[code].ambito, []).append(code)

    def comune(self) -> str:
        return self.rng.choices(self.codes, self.weights)[0]

    def near(self, code: str, extra: int) -> list[str]:
        """``code`` and up to ``extra`` other comuni of the same ambito."""
        others = [c for c in self.by_ambito[vocab.comuni()[code].ambito] if c != code]
        return [code, *self.rng.sample(others, min(extra, len(others)))]

    def days_ago(self, low: int, high: int) -> dt.date:
        return self.today - dt.timedelta(days=self.rng.randint(low, high))

    def phone(self) -> str:
        return f"+39 3{self.rng.randint(20, 49)} {self.rng.randint(100_0000, 999_9999)}"

    def name(self) -> tuple[str, str, str, str | None]:
        """(given, family, sex, foreign language or None)."""
        sex = self.rng.choice("FM")
        if self.rng.random() < 0.14:
            lang, females, males, families = self.rng.choice(data.FOREIGN)
            given = self.rng.choice(females if sex == "F" else males)
            return given, self.rng.choice(families), sex, lang
        given = self.rng.choice(data.GIVEN_F if sex == "F" else data.GIVEN_M)
        return given, self.rng.choice(data.FAMILY), sex, None

    def person(self, i: int) -> dict[str, Any]:
        given, family, sex, lang = self.name()
        code = self.comune()
        age = int(min(99, max(1, self.rng.gauss(66, 20))))
        birth = dt.date(self.today.year - age, self.rng.randint(1, 12), self.rng.randint(1, 28))
        row: dict[str, Any] = {
            "id": uuid7(), "given_name": given, "family_name": family,
            "birth_year": birth.year, "sex": sex if self.rng.random() > 0.02 else "X",
            "comune": code,
            "address": f"{self.rng.choice(data.STREETS)} {self.rng.randint(1, 120)}",
            "household_size": self.rng.choice((1, 1, 1, 2, 2, 3, 4, 5)),
            "languages": ["it"] if lang is None else [lang, "it"] if age < 40 else [lang],
            "owner": self.rng.choice(data.OPERATORS),
        }
        if self.rng.random() < 0.8:
            row["phone"] = self.phone()
        if lang is None and sex != "X" and row["sex"] != "X" and self.rng.random() < 0.45:
            row["fiscal_code"] = fiscal_code(family, given, sex, birth,
                                             vocab.comuni()[code].belfiore_code)
        if self.rng.random() < 0.85:
            row["privacy_notice"] = {"version": PRIVACY_VERSION,
                                     "given_on": self.days_ago(0, 700).isoformat(),
                                     "given_by": self.rng.choice(data.OPERATORS)}
        if self.rng.random() < 0.2:
            row["notes"] = self.rng.choice(data.VISIT_NOTES)
        return row

    def visit(self, person_id: str) -> dict[str, Any]:
        date = self.days_ago(0, 400)
        row: dict[str, Any] = {
            "id": uuid7(), "person_id": person_id, "date": date.isoformat(),
            "kind": self.rng.choices(list(VisitKind), (6, 2, 2, 1))[0],
            "duration_min": self.rng.choice((20, 30, 45, 60, 90)),
            "notes": self.rng.choice(data.VISIT_NOTES),
        }
        if self.rng.random() < 0.3:
            row["follow_up_on"] = (date + dt.timedelta(days=self.rng.randint(7, 60))).isoformat()
        return row

    def need(self, i: int, person_id: str | None, comune: str,
             visit: tuple[str, str] | None = None, status: str | None = None) -> dict[str, Any]:
        categories = list(Category)
        category = categories[i] if i < len(categories) else self.rng.choice(categories)
        areas = list(Area)
        area = areas[i] if i < len(areas) else self.rng.choice(data.CATEGORY_AREAS[category])
        opened = self.days_ago(0, 700)
        if visit is not None and dt.date.fromisoformat(visit[1]) > opened:
            opened = dt.date.fromisoformat(visit[1])
        urgencies = list(Urgency)
        statuses = list(NeedStatus)
        if status is None:
            status = (statuses[i] if i < len(statuses)
                      else self.rng.choices(statuses, (5, 2, 3, 1))[0])
        row: dict[str, Any] = {
            "id": uuid7(), "person_id": person_id, "comune": comune, "area": area,
            "category": category, "description": self.rng.choice(data.NEED_TEXTS[category]),
            "urgency": (urgencies[i] if i < len(urgencies)
                        else self.rng.choices(urgencies, (3, 5, 2, 1))[0]),
            "status": status, "opened_on": opened.isoformat(),
        }
        if visit is not None:
            row["visit_id"] = visit[0]
        if status in (NeedStatus.met, NeedStatus.closed_unmet):
            span = (self.today - opened).days
            row["closed_on"] = (opened + dt.timedelta(days=self.rng.randint(0, span))).isoformat()
        return row

    def organisation(self, i: int) -> dict[str, Any]:
        kinds = list(OrganisationKind)
        kind = kinds[i] if i < len(kinds) else self.rng.choice(kinds)
        code = self.comune()
        name = self.rng.choice(data.ORG_NAMES[kind]).format(
            c=vocab.comune_name(code), s=self.rng.choice(data.SAINTS))
        offered = data.ORG_CATEGORIES[kind]
        wide = kind in ("social_cooperative", "social_enterprise", "health_authority")
        return {
            "id": uuid7(), "name": name, "kind": kind,
            "comuni": self.near(code, self.rng.randint(3, 10) if wide else self.rng.randint(0, 2)),
            "categories": self.rng.sample(offered, self.rng.randint(1, len(offered))),
            "contact": f"tel. 0341 {self.rng.randint(200_000, 999_999)}",
        }

    def volunteer(self, i: int, organisation_ids: Sequence[str]) -> dict[str, Any]:
        given, family, _sex, lang = self.name()
        code = self.comune()
        languages = ["it"] + ([lang] if lang else [])
        if self.rng.random() < 0.25:
            languages.append(self.rng.choice(("en", "fr", "es", "de")))
        row: dict[str, Any] = {
            "id": uuid7(), "given_name": given, "family_name": family,
            "skills": self.rng.sample(list(Category), self.rng.randint(1, 4)),
            "comuni": self.near(code, self.rng.randint(0, 3)),
            "languages": languages, "has_car": self.rng.random() < 0.6,
            "active": self.rng.random() < 0.9,
        }
        if self.rng.random() < 0.8:
            row["phone"] = self.phone()
        if "phone" not in row or self.rng.random() < 0.5:
            row["email"] = f"{_letters(given).lower()}.{_letters(family).lower()}{i}@posta.example"
        if organisation_ids and self.rng.random() < 0.4:
            row["organisation_id"] = self.rng.choice(organisation_ids)
        return row

    def availability(self, volunteer_id: str, weekday: int, block: int) -> dict[str, Any]:
        """One slot; ``block`` 0-2 is morning, afternoon or evening (they never overlap)."""
        start_hour = (8, 14, 19)[block] + self.rng.randint(0, 2)
        length = self.rng.choice((1, 2, 2, 3))
        row: dict[str, Any] = {
            "id": uuid7(), "volunteer_id": volunteer_id, "weekday": weekday,
            "start": f"{start_hour:02d}:{self.rng.choice(('00', '30'))}",
            "end": f"{start_hour + length:02d}:00",
            "valid_from": self.days_ago(0, 365).isoformat(),
        }
        roll = self.rng.random()
        if roll < 0.1:  # ended: not in the matching window
            row["valid_to"] = self.days_ago(0, 20).isoformat()
            row["valid_from"] = min(row["valid_from"], row["valid_to"])
        elif roll < 0.3:  # until a date in the coming months
            row["valid_to"] = (self.today + dt.timedelta(days=self.rng.randint(3, 120))).isoformat()
        return row


def _slots(gen: _Gen, volunteer_id: str) -> list[dict[str, Any]]:
    count = gen.rng.choice((0, 1, 1, 2, 2, 3))
    days = gen.rng.sample(range(7), count)
    return [gen.availability(volunteer_id, day, gen.rng.randint(0, 2)) for day in sorted(days)]


# ---------------------------------------------------------------- bulk rows
def bulk_rows(
    kind: str, n: int, seed: int = 42, *, refs: Mapping[str, Sequence[str]] | None = None,
    today: dt.date | None = None,
) -> Iterator[dict[str, Any]]:
    """``n`` input rows of ``kind`` (each with its own ``id``), fast and deterministic.

    ``refs`` gives the ids to point at: ``person_id`` (for ``need`` and ``visit``),
    ``volunteer_id`` (``availability``: slots never overlap), ``organisation_id``
    (``volunteer``, optional). A need without ``person_id`` refs is a community need.
    """
    gen = _Gen(seed, today or clock.today())
    refs = refs or {}
    for i in range(n):
        if kind == "person":
            yield gen.person(i)
        elif kind == "organisation":
            yield gen.organisation(i)
        elif kind == "volunteer":
            yield gen.volunteer(i, refs.get("organisation_id", ()))
        elif kind == "visit":
            yield gen.visit(refs["person_id"][i % len(refs["person_id"])])
        elif kind == "need":
            people = refs.get("person_id")
            comuni = refs.get("comune")
            person = people[i % len(people)] if people else None
            comune = comuni[i % len(comuni)] if comuni else gen.comune()
            yield gen.need(i, person, comune)
        elif kind == "availability":
            vids = refs["volunteer_id"]
            turn, vid = divmod(i, len(vids))
            if turn >= 21:
                raise ValueError("at most 21 non-overlapping slots per volunteer")
            yield gen.availability(vids[vid], turn % 7, turn // 7)
        else:
            raise ValueError(f"no bulk rows for kind {kind!r}")


# ---------------------------------------------------------------- populate
def _add_chunked(store: Store, kind: str, rows: list[dict[str, Any]], label: str,
                 progress: Progress | None) -> int:
    done = 0
    for start in range(0, len(rows), CHUNK):
        done += store.add_many(kind, rows[start:start + CHUNK])
        if progress:
            progress(label, done, len(rows))
    if not rows and progress:
        progress(label, 0, 0)
    return done


def _referrals(store: Store, gen: _Gen, needs: list[dict[str, Any]],
               people: dict[str, dict[str, Any]], volunteers: list[dict[str, Any]],
               organisations: list[dict[str, Any]], progress: Progress | None) -> tuple[int, int]:
    """Referrals for open needs, walked to every state through ``Store.update``."""
    eligible = [
        n for n in needs if n["status"] == NeedStatus.open
        and (n["person_id"] is None or "privacy_notice" in people[n["person_id"]])
    ]
    states = list(ReferralStatus)
    count = min(len(eligible), max(len(states) * 2, len(needs) // 3))
    chosen = gen.rng.sample(eligible, count)
    active = [v for v in volunteers if v["active"]] or volunteers
    updates = 0
    label = t("demo.referrals")
    for i, need in enumerate(chosen):
        state = states[i % len(states)] if i < 2 * len(states) else gen.rng.choice(states)
        skilled = [v for v in active if need["category"] in v["skills"]]
        offering = [o for o in organisations if need["category"] in o["categories"]]
        row: dict[str, Any] = {"need_id": need["id"]}
        if offering and (not skilled or gen.rng.random() < 0.3):
            row["organisation_id"] = gen.rng.choice(offering)["id"]
        else:
            row["volunteer_id"] = gen.rng.choice(skilled or active)["id"]
        row["brief"] = (f"{vocab.label('category', need['category'])}, "
                        f"{vocab.comune_name(need['comune'])}: {need['description']}")
        referral = store.add("referral", row)
        for step in PATHS[state]:
            change: dict[str, Any] = {"status": step}
            if step in data.REFERRAL_NOTES:
                change["note"] = data.REFERRAL_NOTES[step]
            if step == "declined":
                change["reason"] = gen.rng.choice(data.DECLINE_REASONS)
            elif step == "cancelled":
                change["reason"] = gen.rng.choice(data.CANCEL_REASONS)
            elif step == "completed":
                change["outcome"] = gen.rng.choice(data.OUTCOMES)
            store.update("referral", referral.id, change)
            updates += 1
            if step == "accepted":
                store.update("need", need["id"], {"status": NeedStatus.in_progress})
            elif step == "completed":
                store.update("need", need["id"], {"status": NeedStatus.met})
        if progress:
            progress(label, i + 1, len(chosen))
    return len(chosen), updates


def populate(
    store: Store, *, seed: int = 42, people: int = 300, progress: Progress | None = None,
    today: dt.date | None = None,
) -> DemoSummary:
    """Fill ``store`` with demo data sized on ``people``; returns what was added."""
    gen = _Gen(seed, today or store.today())
    summary = DemoSummary()

    orgs = [gen.organisation(i) for i in range(max(len(OrganisationKind) * 2, people // 8))]
    summary.organisations = _add_chunked(store, "organisation", orgs,
                                         t("demo.organisations"), progress)
    org_ids = [o["id"] for o in orgs if o["kind"] in ("odv", "aps", "parish")]
    vols = [gen.volunteer(i, org_ids) for i in range(max(12, people // 4))]
    summary.volunteers = _add_chunked(store, "volunteer", vols, t("demo.volunteers"), progress)
    slots = [slot for v in vols for slot in _slots(gen, v["id"])]
    summary.availability = _add_chunked(store, "availability", slots, t("demo.availability"),
                                        progress)

    persons = [gen.person(i) for i in range(people)]
    summary.people = _add_chunked(store, "person", persons, t("demo.people"), progress)
    visits: list[dict[str, Any]] = []
    last_visit: dict[str, tuple[str, str]] = {}
    for person in persons:
        for _ in range(gen.rng.choice((0, 1, 1, 2, 3))):
            visit = gen.visit(person["id"])
            visits.append(visit)
            last_visit[person["id"]] = (visit["id"], visit["date"])
    summary.visits = _add_chunked(store, "visit", visits, t("demo.visits"), progress)

    needs: list[dict[str, Any]] = []
    for person in persons:
        for _ in range(gen.rng.choice((0, 1, 1, 1, 2, 3))):
            seen = last_visit.get(person["id"]) if gen.rng.random() < 0.6 else None
            needs.append(gen.need(len(needs), person["id"], person["comune"], seen))
    for _ in range(max(3, people // 20)):  # community needs: no person
        needs.append(gen.need(len(needs), None, gen.comune()))
    # Needs that will get a referral start open (their status follows the referral).
    for i, need in enumerate(needs):
        if i >= len(NeedStatus) and need["status"] != NeedStatus.open and i % 3 == 0:
            need["status"] = NeedStatus.open
            need.pop("closed_on", None)
    summary.needs = _add_chunked(store, "need", needs, t("demo.needs"), progress)

    people_by_id = {p["id"]: p for p in persons}
    summary.referrals, summary.referral_updates = _referrals(
        store, gen, needs, people_by_id, vols, orgs, progress)
    return summary
