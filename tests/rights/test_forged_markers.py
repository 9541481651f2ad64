"""Markers that remove data and the read log, forged by a device: refused by the hub
(found by the hostile test; docs/merge.md "Who may change what")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from forge import change, forge
from rightskit import full_file
from synckit import Net

from fieldwelfare.store import Store
from fieldwelfare.store.accesslog import accesses, record_access
from fieldwelfare.sync.errors import BundleRefused


def forged(dev: Store, tmp: Path, tbl: str, rid: str, values: dict[str, Any]) -> Path:
    return forge(dev, tmp / "usb", changes=[change(dev, tbl=tbl, rid=rid, field=k, value=v)
                                            for k, v in values.items()])


@pytest.mark.parametrize("role", ["social_worker", "coordinator"])
def test_a_device_cannot_remove_a_referrals_texts(net: Net, tmp_path: Path, role: str) -> None:
    dev = net.device("anna", role=role)
    f = full_file(dev)
    net.push(dev)
    path = forged(dev, tmp_path, "redaction", f.referral,
                  {"at": "2026-06-15T09:00:00Z", "by": "x", "reason": "forged"})
    with pytest.raises(BundleRefused) as refused:
        net.push_file(path)
    assert refused.value.code == "scope"
    assert net.hub.get("referral", f.referral).brief != "[cancellato]"
    assert net.hub.execute_read("SELECT count(*) FROM redaction")[0][0] == 0


def test_only_a_coordinator_erases(net: Net, tmp_path: Path) -> None:
    dev = net.device("sara", role="social_worker")
    f = full_file(dev)
    net.push(dev)
    path = forged(dev, tmp_path, "purge", f.person,
                  {"at": "2026-06-15T09:00:00Z", "by": "x", "reason": "forged", "needs": []})
    with pytest.raises(BundleRefused):
        net.push_file(path)
    assert net.hub.get("person", f.person).id == f.person


def test_a_read_log_entry_is_never_rewritten(net: Net, tmp_path: Path) -> None:
    anna = net.device("anna", role="coordinator")
    f = full_file(anna)
    rid = record_access(anna, f.person, via="tui", why="controllo")
    net.push(anna)
    before = accesses(net.hub, f.person)
    bruno = net.device("bruno")
    for dev in (bruno, anna):  # another device, or the same one later
        path = forged(dev, tmp_path, "access", rid,
                      {"by": "Qualcun Altro", "at": "2020-01-01T00:00:00.000Z"})
        with pytest.raises(BundleRefused):
            net.push_file(path)
    assert accesses(net.hub, f.person) == before
    record_access(anna, f.person, via="cli")  # new entries still arrive
    (sent,) = net.push(anna)
    assert sent.applied > 0
    assert len(accesses(net.hub, f.person)) == len(before) + 1
    assert net.hub.doctor() == []


def test_retention_counts_time_by_stamps_not_a_laptops_wall_clock(
        net: Net, suite_clock: Any) -> None:
    """A laptop whose clock is three years behind closes a referral and logs an opening
    today: neither is old enough for the hub's retention (its stamps are after what it
    last received)."""
    import datetime as dt

    from fieldwelfare.clock import FixedClock
    from fieldwelfare.rights import retention

    anna = net.device("anna", role="coordinator")
    f = full_file(anna)
    live = anna.add("referral", {"need_id": f.need, "volunteer_id": f.volunteer,
                                 "brief": "Spesa del martedì", "status": "sent"}).id
    net.push(anna)
    net.pull(anna)
    behind = FixedClock(suite_clock.now() - dt.timedelta(days=3 * 365))
    anna.clock = behind  # what open_store(clock=...) gives the laptop
    anna.update("referral", live, {"status": "cancelled", "reason": "non serve più"})
    record_access(anna, f.person, via="tui")
    net.push(anna)
    due = retention.run_all(net.hub, dry_run=True)
    assert live not in {i["id"] for i in due}
    assert all(i["kind"] != "access" for i in due)
