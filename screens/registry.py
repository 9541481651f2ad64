"""The screens reachable from the navigation keys and the command palette.

Append an entry to make a screen reachable; nothing else needs to change::

    from fieldwelfare.screens.registry import ScreenEntry, register

    register(ScreenEntry("referrals", "nav.referrals", "nav.referrals.help",
                         "fieldwelfare.screens.screens.referrals:ReferralsScreen", key="f6"))

``title`` and ``help`` are i18n keys (see :mod:`fieldwelfare.screens.strings`). ``target`` is
``"module:Class"``, imported only when the screen is opened, so start-up stays fast. The class
is built with no arguments; it reads the store from the app.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.screen import Screen


@dataclass(frozen=True)
class ScreenEntry:
    name: str
    title: str
    help: str
    target: str
    key: str | None = None
    """Navigation key (a function key: letters are typed into search fields)."""
    letter: str | None = None
    """Its letter in the "Vai a…" menu (Ctrl+G): for terminals and desktops that take the
    function keys (F1, F10, ...)."""
    roles: frozenset[str] | None = None
    """Roles that may open the screen (None: every role): its key, the footer, the palette
    and the help follow the device's role. A device not set up yet sees everything."""

    def allowed(self, role: str | None) -> bool:
        return self.roles is None or role is None or role in self.roles

    def load(self) -> type[Screen[Any]]:
        module_name, _, class_name = self.target.partition(":")
        screen_class: type[Screen[Any]] = getattr(importlib.import_module(module_name),
                                                  class_name)
        return screen_class


_S = "fieldwelfare.screens.screens"
STAFF = frozenset({"social_worker", "coordinator"})
"""Who works with person records and the directory (a volunteer's device never has them)."""
VOLUNTEER = frozenset({"volunteer"})

ENTRIES: list[ScreenEntry] = [
    ScreenEntry("home", "nav.home", "nav.home.help", f"{_S}.home:HomeScreen", key="f2",
                letter="h"),
    ScreenEntry("people", "nav.people", "nav.people.help", f"{_S}.people:PeopleScreen",
                key="f3", letter="p", roles=STAFF),
    ScreenEntry("visit", "nav.visit", "nav.visit.help", f"{_S}.visit_log:VisitLogScreen",
                key="f4", letter="v", roles=STAFF),
    ScreenEntry("needs", "nav.needs", "nav.needs.help", f"{_S}.needs:NeedsScreen", key="f5",
                letter="b", roles=STAFF),
    ScreenEntry("person_new", "nav.person_new", "nav.person_new.help",
                f"{_S}.person_form:PersonFormScreen", roles=STAFF),
]

ENROLLMENT: list[str] = []
"""``"module:Class"`` of the screen that enrolls this device with a code (set by the sync UI).
The setup screen offers it when present; the screen is dismissed with True once enrolled."""


def register(entry: ScreenEntry) -> None:
    """Append a screen (names are unique; a second registration replaces the first)."""
    for index, existing in enumerate(ENTRIES):
        if existing.name == entry.name:
            ENTRIES[index] = entry
            return
    ENTRIES.append(entry)


def get(name: str) -> ScreenEntry:
    for entry in ENTRIES:
        if entry.name == name:
            return entry
    raise KeyError(name)


def allowed(name: str, role: str | None) -> bool:
    """May a device with ``role`` open the screen ``name``? (Unknown names: no.)"""
    try:
        return get(name).allowed(role)
    except KeyError:
        return False


def load_target(target: str) -> type[Screen[Any]]:
    return ScreenEntry(target, "", "", target).load()


# The directory, referral, volunteer and sync screens.
for _entry in (
    ScreenEntry("referrals", "nav.referrals", "nav.referrals.help",
                f"{_S}.referrals:ReferralsScreen", key="f6", letter="i"),
    ScreenEntry("volunteers", "nav.volunteers", "nav.volunteers.help",
                f"{_S}.volunteers:VolunteersScreen", key="f7", letter="o",
                roles=STAFF),
    ScreenEntry("organisations", "nav.organisations", "nav.organisations.help",
                f"{_S}.organisations:OrganisationsScreen", key="f8",
                letter="e", roles=STAFF),
    ScreenEntry("sync", "nav.sync", "nav.sync.help", f"{_S}.sync:SyncScreen", key="f9",
                letter="s"),
    ScreenEntry("conflicts", "nav.conflicts", "nav.conflicts.help",
                f"{_S}.conflicts:ConflictsScreen", letter="c"),
    ScreenEntry("my_week", "nav.my_week", "nav.my_week.help",
                f"{_S}.volunteer_home:VolunteerHomeScreen", key="f10",
                letter="m", roles=VOLUNTEER),
    ScreenEntry("volunteer_new", "nav.volunteer_new", "nav.volunteer_new.help",
                f"{_S}.volunteer_form:VolunteerFormScreen", roles=STAFF),
    ScreenEntry("reports", "nav.reports", "nav.reports.help", f"{_S}.reports:ReportsScreen",
                roles=frozenset({"coordinator"})),
    ScreenEntry("import", "nav.import", "nav.import.help",
                f"{_S}.import_dialog:ImportScreen", roles=frozenset({"coordinator"})),
    ScreenEntry("organisation_new", "nav.organisation_new", "nav.organisation_new.help",
                f"{_S}.organisation_form:OrganisationFormScreen", roles=STAFF),
):
    register(_entry)
ENROLLMENT.append(f"{_S}.enroll:EnrollScreen")
