"""Deterministic app and data for the TUI tests: fixed date, size, no cursor blink."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from fieldwelfare.clock import FixedClock
from fieldwelfare.screens.app import FieldWelfareApp, make_app
from fieldwelfare.store import Store, open_store

TODAY = dt.date(2025, 6, 16)
"""A Monday, in the past: every stored date is before it, and the week is fixed."""
SIZE = (100, 30)


def tui_clock() -> FixedClock:
    """The stores of the TUI tests live at 08:30 UTC on TODAY, stopped (every record is
    stamped at that moment; the hybrid clock's counter keeps stamps distinct), whatever the
    suite's clock (``--clock``) says: a screen that dated anything by another clock would
    show up in the snapshots."""
    return FixedClock(dt.datetime(TODAY.year, TODAY.month, TODAY.day, 8, 30, tzinfo=dt.UTC),
                      step=dt.timedelta(0))


TUI_KEY = bytes(range(32, 64))
"""The TUI tests run on encrypted databases (a raw SQLCipher key)."""


def open_tui_store(path: Path | str) -> Store:
    return open_store(path, clock=tui_clock(), key=TUI_KEY)

LECCO, MERATE, CALOLZIO = "097042", "097048", "097013"


def build_app(store: Store, lang: str = "it") -> FieldWelfareApp:
    app = make_app(store, lang=lang, cursor_blink=False)
    app.strict = True
    return app


NOTICE = {"version": "2024-1", "given_on": "2025-06-02", "given_by": "Anna Bianchi"}


def seed(store: Store) -> dict[str, Any]:
    """A small, fixed network: three people, visits, needs, two volunteers, one organisation."""
    rossi = store.add("person", {
        "given_name": "Maria", "family_name": "Rossi", "birth_year": 1941, "sex": "F",
        "comune": LECCO, "address": "Via Cavour 12", "phone": "0341 000111",
        "household_size": 1, "privacy_notice": NOTICE})
    ferrari = store.add("person", {
        "given_name": "Giuseppe", "family_name": "Ferrari", "birth_year": 1950,
        "comune": MERATE, "phone": "039 000222"})
    colombo = store.add("person", {
        "given_name": "Lucia", "family_name": "Colombo", "birth_year": 1987,
        "comune": CALOLZIO, "privacy_notice": NOTICE})
    visit = store.add("visit", {"person_id": rossi.id, "date": "2025-06-02", "kind": "home",
                                "notes": "Vive sola, fatica a fare la spesa.",
                                "follow_up_on": "2025-06-12"})
    shopping = store.add("need", {
        "person_id": rossi.id, "visit_id": visit.id, "area": "elderly", "category": "shopping",
        "urgency": "high", "description": "Spesa settimanale, non esce di casa",
        "opened_on": "2025-06-02"})
    store.add("need", {
        "person_id": rossi.id, "visit_id": visit.id, "area": "elderly",
        "category": "medical_escort", "urgency": "urgent",
        "description": "Accompagnamento a visita cardiologica", "opened_on": "2025-06-02"})
    store.add("need", {
        "person_id": colombo.id, "area": "family_minors", "category": "homework_help",
        "urgency": "medium", "description": "Aiuto compiti per due figli",
        "opened_on": "2025-05-20"})
    store.add("need", {
        "person_id": ferrari.id, "area": "poverty", "category": "financial_support",
        "urgency": "low", "status": "met", "description": "Bolletta arretrata",
        "opened_on": "2025-04-10", "closed_on": "2025-05-01"})
    giulia = store.add("volunteer", {
        "given_name": "Giulia", "family_name": "Conti", "phone": "333 0000001",
        "skills": ["shopping", "companionship"], "comuni": [LECCO], "has_car": False})
    store.add("volunteer", {
        "given_name": "Paolo", "family_name": "Galli", "email": "paolo@example.org",
        "skills": ["transport", "medical_escort"], "comuni": [MERATE], "has_car": True})
    store.add("availability", {"volunteer_id": giulia.id, "weekday": 1, "start": "09:00",
                               "end": "12:00", "valid_from": "2025-01-01"})
    store.add("organisation", {"name": "Caritas Lecco", "kind": "odv", "comuni": [LECCO],
                               "categories": ["meals", "shopping"]})
    return {"rossi": rossi.id, "ferrari": ferrari.id, "colombo": colombo.id,
            "visit": visit.id, "shopping": shopping.id, "giulia": giulia.id}
