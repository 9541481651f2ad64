"""Read-log expiry: entries older than the policy's ``access_years`` are removed at the hub
(``retention run``, the daily job) and on a device once the hub has them; ``doctor`` stays
clean, the audit chain keeps its id-only ``access`` entries."""

from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner
from rightskit import full_file
from synckit import Net

from fieldwelfare.cli import cli
from fieldwelfare.clock import FixedClock
from fieldwelfare.rights import retention
from fieldwelfare.store import Store
from fieldwelfare.store.accesslog import accesses, record_access

LATER = dt.timedelta(days=365 * 2 + 40)


def doctor_ok(path: str) -> None:
    result = CliRunner().invoke(cli, ["--db", path, "doctor"])
    assert result.exit_code == 0, result.output


def log_values(store: Store, needle: str) -> list[object]:
    return [r[0] for r in store.execute_read(
        "SELECT rid FROM change WHERE value LIKE ?", (f"%{needle}%",))]


def test_old_entries_go_at_the_hub_and_then_on_the_device(
        net: Net, suite_clock: FixedClock) -> None:
    a = net.device("anna", role="coordinator")
    f = full_file(a)
    sent = record_access(a, f.person, via="cli", why="Perchevecchio")
    opened_on = accesses(a, f.person)[0]["at"][:10]
    net.push(a)
    net.pull(a)  # the hub acknowledges the entry
    suite_clock.advance(LATER)
    unsent = record_access(a, f.person, via="tui")  # recent: stays everywhere
    assert [e["id"] for e in accesses(net.hub, f.person)] == [sent]

    listed = retention.run_all(net.hub, dry_run=True)
    assert [i for i in listed if i["kind"] == "access"] == [
        {"kind": "access", "id": sent, "last_activity": opened_on}]
    assert accesses(net.hub, f.person)  # a dry run removes nothing
    retention.run_all(net.hub)
    assert accesses(net.hub, f.person) == []
    assert log_values(net.hub, "Perchevecchio") == []
    assert net.hub.execute_read("SELECT 1 FROM change WHERE rid = ? AND value IS NOT NULL",
                                (sent,)) == []
    doctor_ok(net.hub.path)

    # the device: its old entry goes once the hub has it; the recent one stays
    net.push(a)
    net.pull(a)
    assert [e["id"] for e in accesses(a, f.person)] == [unsent]
    assert log_values(a, "Perchevecchio") == []
    assert a.execute_read("SELECT 1 FROM change WHERE rid = ? AND value IS NOT NULL",
                          (sent,)) == []
    chain = a.execute_read("SELECT rid, detail FROM audit WHERE action = 'access'")
    assert any(sent in r[1] and r[0] == f.person for r in chain)  # ids only, kept
    assert [e["id"] for e in accesses(net.hub, f.person)] == [unsent]
    doctor_ok(a.path)
    assert a.doctor() == [] and net.hub.doctor() == []


def test_a_device_keeps_what_the_hub_has_not_acknowledged(
        net: Net, suite_clock: FixedClock) -> None:
    a = net.device("anna", role="coordinator")
    f = full_file(a)
    old = record_access(a, f.person, via="cli")
    suite_clock.advance(LATER)
    assert retention.expire_device_accesses(a) == 0  # never sent: kept
    net.push(a)
    net.pull(a)  # acknowledged, then expired by the import itself
    assert accesses(a, f.person) == []
    assert old not in {e["id"] for e in accesses(a, f.person)}
    assert a.doctor() == []


def test_the_cli_sets_and_applies_every_period(net: Net, suite_clock: FixedClock) -> None:
    a = net.device("anna", role="coordinator")
    f = full_file(a)
    record_access(a, f.person, via="cli")
    net.push(a)
    runner = CliRunner()
    hub = net.hub.path
    result = runner.invoke(cli, ["--db", hub, "--lang", "en", "retention", "policy",
                                 "--brief-years", "3", "--access-years", "1"])
    assert result.exit_code == 0, result.output
    assert "after 3 years" in result.stdout and "kept 1 years" in result.stdout
    assert retention.policy(net.hub) == retention.Policy(5, 3, 1)
    result = runner.invoke(cli, ["--db", a.path, "retention", "policy", "--brief-years",
                                 "3"])
    assert result.exit_code == 2  # only at the hub
    suite_clock.advance(dt.timedelta(days=365 * 3 + 40))
    result = runner.invoke(cli, ["--db", hub, "retention", "run", "--dry-run", "--format",
                                 "json"])
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)
    assert {i["kind"] for i in items} == {"referral_brief", "access"}
    assert all(set(i) == {"kind", "id", "last_activity"} for i in items)
    result = runner.invoke(cli, ["--db", hub, "--lang", "en", "retention", "run"])
    assert result.exit_code == 0, result.output
    assert "1 referrals closed more than 3 years ago: texts removed" in result.stdout
    assert "1 read-log entries older than 1 years removed" in result.stdout
    assert net.hub.get("referral", f.referral).brief == "[cancellato]"
    assert accesses(net.hub, f.person) == []
    doctor_ok(hub)
