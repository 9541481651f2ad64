"""Tamper evidence that needs the hub: revocations in the device registry, and the audit
head each device shows the hub (witnessed, and sent back to the device)."""

from __future__ import annotations

from pathlib import Path

from synckit import PERSON, Net

from fieldwelfare.store import open_store
from fieldwelfare.store.dbapi import sqlite3  # the store's SQLite (its FTS tokenizers)
from fieldwelfare.sync import hub


def tamper(path: str, *statements: str) -> None:
    conn = sqlite3.connect(path)
    with conn:
        for sql in statements:
            conn.execute(sql)
    conn.close()


def test_a_revocation_cleared_in_the_registry_is_found(net: Net) -> None:
    net.device("anna")
    hub.revoke(net.hub, "anna")
    assert net.hub.doctor() == []
    tamper(net.hub.path, "UPDATE hub_device SET revoked_at = NULL")
    found = [str(p) for p in net.hub.doctor()]
    assert any(p.startswith("hub_device:") and "'anna'" in p for p in found), found


def test_the_hub_keeps_each_devices_audit_head_and_sends_it_back(net: Net) -> None:
    dev = net.device("anna")
    dev.add("person", PERSON)
    net.push(dev)
    row = net.hub.execute_read("SELECT audit_seq, audit_hash FROM hub_device")[0]
    assert row["audit_seq"] > 0
    net.pull(dev)
    assert dev.meta()["audit_witnessed"] == f"{row['audit_seq']}:{row['audit_hash']}"
    assert dev.doctor() == []


def test_a_device_log_removed_whole_is_found_by_the_witnessed_head(net: Net,
                                                                    tmp_path: Path) -> None:
    dev = net.device("anna")
    dev.add("person", PERSON)
    net.push(dev)
    net.pull(dev)
    path = dev.path
    dev.close()
    net.devices.pop("anna")
    # the whole log and its local anchor go: only the hub's witness is left
    tamper(path, "DELETE FROM audit", "DELETE FROM meta WHERE key = 'audit_head'")
    found = [str(p) for p in open_store(path).doctor()]
    assert any(p.startswith("audit:") and "vista dall'hub" in p for p in found), found


def test_the_hub_alerts_when_a_devices_log_goes_back(net: Net) -> None:
    dev = net.device("anna")
    dev.add("person", PERSON)
    net.push(dev)
    tamper(dev.path, "DELETE FROM audit WHERE seq > 3")
    dev.add("person", {**PERSON, "given_name": "Giulia"})
    (ingested,) = net.push(dev)
    assert any(alert.startswith("audit: anna") for alert in ingested.alerts), ingested.alerts


def test_a_devices_role_edited_in_the_registry_is_found(net: Net) -> None:
    """The hostile review: a volunteer's laptop made a coordinator's by one UPDATE."""
    net.device("anna")
    assert net.hub.doctor() == []
    tamper(net.hub.path, "UPDATE hub_device SET role = 'coordinator', ambito = 'Merate'")
    found = [str(p) for p in net.hub.doctor()]
    assert any("'anna'" in p and "ruolo" in p for p in found), found
