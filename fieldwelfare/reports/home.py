"""Counts for the home screen that ``Store.count`` cannot express (dates compared, joins)."""

from __future__ import annotations

import datetime as dt

from fieldwelfare.store import Store


def follow_up_people(store: Store, today: dt.date) -> list[str]:
    """People to contact again: their last visit asked for a follow-up by ``today``."""
    rows = store.execute_read(
        "SELECT DISTINCT v.person_id FROM visit v WHERE v._deleted = 0 "
        "AND v.follow_up_on IS NOT NULL AND v.follow_up_on <= ? AND NOT EXISTS "
        "(SELECT 1 FROM visit later WHERE later.person_id = v.person_id "
        "AND later._deleted = 0 AND later.date > v.date)",
        (today.isoformat(),),
    )
    return [str(r[0]) for r in rows]


def follow_ups_due(store: Store, today: dt.date) -> int:
    """How many people are to be contacted again (:func:`follow_up_people`)."""
    return len(follow_up_people(store, today))


def available_volunteers(store: Store, today: dt.date) -> list[str]:
    """Active volunteers with at least one weekly slot valid during the week of ``today``."""
    monday = today - dt.timedelta(days=today.weekday())
    sunday = monday + dt.timedelta(days=6)
    rows = store.execute_read(
        "SELECT DISTINCT a.volunteer_id FROM availability a "
        "JOIN volunteer v ON v.id = a.volunteer_id "
        "WHERE a._deleted = 0 AND v._deleted = 0 AND v.active = 1 "
        "AND a.valid_from <= ? AND (a.valid_to IS NULL OR a.valid_to >= ?)",
        (sunday.isoformat(), monday.isoformat()),
    )
    return [str(r[0]) for r in rows]


def volunteers_available(store: Store, today: dt.date) -> int:
    """How many volunteers are available this week (:func:`available_volunteers`)."""
    return len(available_volunteers(store, today))
