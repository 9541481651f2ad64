"""Fixtures: a CLI bound to a tmp_path database, and a small world of records to work on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import ORGANISATION, PERSON, VOLUNTEER, Cli
from click.testing import CliRunner


@pytest.fixture
def run(tmp_path: Path) -> Iterator[Cli]:
    """The CLI on a database that exists (created, never set up: no identity, no role)."""
    yield Cli(tmp_path / "cli.db", CliRunner())


@pytest.fixture
def world(run: Cli) -> dict[str, dict[str, Any]]:
    """One record of every kind, linked together (the person has no privacy notice yet)."""
    person = run.add("person", PERSON)
    visit = run.add("visit", {"person_id": person["id"], "kind": "home", "duration_min": 45})
    need = run.add("need", {"person_id": person["id"], "area": "elderly",
                            "category": "shopping", "description": "Spesa settimanale",
                            "urgency": "high"})
    organisation = run.add("organisation", ORGANISATION)
    volunteer = run.add("volunteer", VOLUNTEER)
    availability = run.add("availability", {"volunteer_id": volunteer["id"], "weekday": 0,
                                            "start": "09:00", "end": "12:00"})
    referral = run.add("referral", {"need_id": need["id"], "volunteer_id": volunteer["id"],
                                    "brief": "Spesa il lunedì mattina"})
    return {"person": person, "visit": visit, "need": need, "organisation": organisation,
            "volunteer": volunteer, "availability": availability, "referral": referral}
