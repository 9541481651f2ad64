"""Reports: the home screen's counts, and the coordinators' aggregate reports for the
Piano di Zona (needs, referrals, capacity, directory) with small-cell suppression."""

from fieldwelfare.reports.home import (
    available_volunteers,
    follow_up_people,
    follow_ups_due,
    volunteers_available,
)

__all__ = ["available_volunteers", "follow_up_people", "follow_ups_due",
           "volunteers_available"]
