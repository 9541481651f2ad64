"""The read log: opening a person's file is logged, listed, and reaches the hub (without the
person's data); devices never receive other devices' entries."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from rightskit import SECRETS, full_file
from synckit import Net

from fieldwelfare.cli import cli
from fieldwelfare.store import open_store
from fieldwelfare.store.accesslog import accesses, record_access
from fieldwelfare.store.replication import outbox


def test_record_get_person_is_logged_and_listed(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    s = open_store(db)
    s.set_identity(device_name="pc-anna", operator="Anna", role="social_worker",
                   ambito="Lecco")
    f = full_file(s)
    s.close()
    runner = CliRunner()
    base = ["--db", str(db)]
    assert runner.invoke(cli, [*base, "record", "get", "person", f.person, "--why",
                               "colloquio"]).exit_code == 0
    assert runner.invoke(cli, [*base, "record", "get", "visit", f.visit]).exit_code == 0
    result = runner.invoke(cli, [*base, "person", "accesses", f.person, "--json"])
    assert result.exit_code == 0, result.output
    (entry,) = json.loads(result.stdout)
    assert (entry["by"], entry["device"], entry["via"], entry["why"]) == (
        "Anna", "pc-anna", "cli", "colloquio")
    assert runner.invoke(cli, [*base, "doctor"]).exit_code == 0


def test_accesses_reach_the_hub_without_personal_data(net: Net) -> None:
    a = net.device("anna")
    b = net.device("bruno")
    f = full_file(a)
    net.push(a)
    net.pull(b)
    record_access(b, f.person, via="tui", why="visita domiciliare")
    sent = [c for _, c in outbox(b) if c.tbl == "access"]
    assert sent and not [c for c in sent if any(x in str(c.value) for x in SECRETS)]
    net.push(b)
    net.pull(a)
    (entry,) = accesses(net.hub, f.person)
    assert (entry["by"], entry["via"]) == (b.identity.operator, "tui")
    assert accesses(a, f.person) == []  # the hub keeps them; devices do not share them
    assert net.hub.doctor() == [] and a.doctor() == [] and b.doctor() == []
