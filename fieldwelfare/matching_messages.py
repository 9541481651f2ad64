"""Matching reasons not in the core catalogue, registered with :func:`fieldwelfare.i18n.register`.

Imported by :mod:`fieldwelfare.matching`; the keys exist as soon as matching is imported.
"""

from __future__ import annotations

from fieldwelfare.i18n import register

MESSAGES: dict[str, tuple[str, str]] = {
    "match.no_area": (
        "non ha indicato i comuni in cui opera", "has not said which comuni they work in"
    ),
    "match.own_vehicles": (
        "offre «{category}» con mezzi propri", "offers “{category}” with its own vehicles"
    ),
    "match.org_hours": (
        "servizio con orari propri (nessuna fascia settimanale registrata)",
        "service with its own opening hours (no weekly slots recorded)",
    ),
    "match.one_load": ("1 invio aperto", "1 open referral"),
    "match.one_slot": (
        "1 fascia disponibile nei prossimi 14 giorni ({hours} ore)",
        "1 available slot in the next 14 days ({hours} hours)",
    ),
}

register(MESSAGES)
