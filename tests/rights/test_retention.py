"""Retention at the hub: people with no open need and no activity for N years are erased,
through the same marker as any erasure (so it reaches every replica)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from click.testing import CliRunner
from synckit import Net

from fieldwelfare.cli import cli
from fieldwelfare.clock import FixedClock
from fieldwelfare.rights import retention
from fieldwelfare.store import open_store

LECCO = "097042"
NEED = {"area": "elderly", "category": "shopping", "description": "Spesa", "urgency": "high"}


def test_who_goes_and_who_stays(net: Net) -> None:
    clock = FixedClock(dt.datetime(2020, 3, 2, 9, 0, tzinfo=dt.UTC))
    hub = net.hub
    hub.clock = clock
    old = hub.add("person", {"given_name": "Vecchio", "family_name": "Uno", "comune": LECCO})
    closed = hub.add("need", {**NEED, "person_id": old.id})
    hub.update("need", closed.id, {"status": "met"})
    waiting = hub.add("person", {"given_name": "Vecchio", "family_name": "Due",
                                 "comune": LECCO})
    hub.add("need", {**NEED, "person_id": waiting.id})  # still open: stays
    clock.advance(dt.timedelta(days=365 * 6))
    recent = hub.add("person", {"given_name": "Nuovo", "family_name": "Tre", "comune": LECCO})
    assert retention.policy(hub).person_years == 5
    listed = retention.run(hub, dry_run=True)
    assert listed == [{"id": old.id, "last_activity": "2020-03-02"}]
    assert hub.count("person") == 3  # a dry run changes nothing
    erased = retention.run(hub)
    assert [p["id"] for p in erased] == [old.id]
    ids = {p.id for p in hub.list_records("person")}
    assert ids == {waiting.id, recent.id}
    marker = hub.execute_read("SELECT reason FROM purge WHERE id = ?", [old.id])[0][0]
    assert marker.startswith("conservazione: nessuna attività per 5 anni")
    assert retention.run(hub) == []  # once
    assert hub.doctor() == []
    retention.set_policy(hub, person_years=1)
    assert [p["id"] for p in retention.due(hub)] == []  # the waiting one has an open need


def test_the_cli_applies_it_only_at_the_hub(net: Net, tmp_path: Path) -> None:
    runner = CliRunner()
    device = tmp_path / "device.db"
    open_store(device).close()
    result = runner.invoke(cli, ["--db", str(device), "retention", "run"])
    assert result.exit_code == 2 and "hub" in result.stderr
    result = runner.invoke(cli, ["--db", str(device), "retention", "run", "--dry-run",
                                 "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout) == []
    hub_path = net.hub.path
    result = runner.invoke(cli, ["--db", hub_path, "retention", "policy", "--person-years",
                                 "7"])
    assert result.exit_code == 0 and "7" in result.stdout
    assert retention.policy(net.hub).person_years == 7
    assert runner.invoke(cli, ["--db", hub_path, "retention", "policy", "--person-years",
                               "0"]).exit_code == 2
