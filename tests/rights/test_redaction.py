"""Retention of closed referrals' free text: after M years the hub writes a redaction
marker; it reaches every replica, wins over a later edit from an offline device, and no
byte of the brief, outcome, reason or history notes survives in any database file, WAL,
the hub's archive or a bundle on disk."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rightskit import full_file
from synckit import Net
from test_erase_sync import all_keys, plaintexts

from fieldwelfare.clock import FixedClock
from fieldwelfare.errors import InvalidInput
from fieldwelfare.rights import retention
from fieldwelfare.store import Store
from fieldwelfare.sync.keys import KeyPair

TEXTS = ("Briefkappa", "Motivoomega")
"""The closed referral's brief, reason and history note (full_file declines it)."""
OPEN_BRIEF = "Apertissimo"
YEARS_LATER = dt.timedelta(days=365 * 2 + 40)


def leaks(root: Path, keys: list[KeyPair], needles: tuple[str, ...]) -> list[str]:
    hits: list[str] = []
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        blobs = [path.read_bytes()]
        if path.suffix == ".fwb":
            blobs += plaintexts(path, keys)
        hits.extend(f"{path.relative_to(root)}: {s}" for blob in blobs for s in needles
                    if s.lower().encode() in blob.lower())
    return hits


def referral_row(store: Store, rid: str) -> tuple[object, ...]:
    return tuple(store.execute_read("SELECT * FROM referral WHERE id = ?", (rid,))[0])


def notes(store: Store, rid: str) -> list[object]:
    return [r[0] for r in store.execute_read(
        "SELECT note FROM referral_event WHERE referral_id = ? ORDER BY hlc", (rid,))]


def test_closed_briefs_are_redacted_on_every_replica(net: Net, tmp_path: Path,
                                                      suite_clock: FixedClock) -> None:
    a = net.device("anna", role="coordinator")
    c = net.device("carla")
    f = full_file(a)
    still_open = a.add("referral", {"need_id": f.need, "volunteer_id": f.volunteer,
                                    "brief": f"{OPEN_BRIEF} spesa", "status": "sent"}).id
    net.push(a)
    vol = net.device("vol", role="volunteer", ambito=None, volunteer=f.volunteer)
    for dev in (c, vol):
        net.pull(dev)
    assert vol.get("referral", f.referral).brief.startswith("Briefkappa")
    closed_on = a.get("referral", f.referral).history[-1].at[:10]

    suite_clock.advance(YEARS_LATER)
    c.update("referral", f.referral, {"brief": "Briefkappa riscritto"})  # offline, late
    listed = retention.run_all(net.hub, dry_run=True)
    assert {"kind": "referral_brief", "id": f.referral, "last_activity": closed_on} in listed
    assert still_open not in {i["id"] for i in listed}
    assert net.hub.get("referral", f.referral).brief.startswith("Briefkappa")  # dry run
    done = retention.run_all(net.hub)
    assert [i["id"] for i in done if i["kind"] == "referral_brief"] == [f.referral]
    for dev in (a, vol):
        net.pull(dev)
    (late,) = net.push(c)
    assert late.purged >= 1  # its brief is rewritten on arrival
    net.pull(c)
    for dev in (a, c, vol):
        net.push(dev)
        net.pull(dev)

    everyone = [net.hub, a, c, vol]
    for s in everyone:
        r = s.get("referral", f.referral)
        assert (r.brief, r.reason, r.status) == ("[cancellato]", None, "declined"), s.path
        assert notes(s, f.referral) == [None, None], s.path
        assert s.execute_read("SELECT 1 FROM redaction WHERE id = ?", (f.referral,))
        assert s.doctor() == [], (s.path, s.doctor())
    for s in (a, c, vol):
        assert referral_row(s, f.referral) == referral_row(net.hub, f.referral)
    assert a.get("referral", still_open).brief == f"{OPEN_BRIEF} spesa"
    assert a.get("person", f.person).notes == "Sanitariozeta"  # the person stays
    with pytest.raises(InvalidInput):
        a.update("referral", f.referral, {"brief": "di nuovo"})
    keys = all_keys(everyone)
    assert leaks(tmp_path, keys, (OPEN_BRIEF,))  # the search does find what is there
    assert leaks(tmp_path, keys, TEXTS) == []
    assert [i for i in retention.run_all(net.hub, dry_run=True)
            if i["kind"] == "referral_brief"] == []  # once
    for s in everyone:
        s.close()
    assert leaks(tmp_path, keys, TEXTS) == []


def test_a_marker_for_a_referral_not_yet_known_applies_on_arrival(
        net: Net, suite_clock: FixedClock) -> None:
    """A device enrolled after the redaction receives the marker and the referral's old
    changes in one reply: the text never lands."""
    a = net.device("anna", role="coordinator")
    f = full_file(a)
    net.push(a)
    suite_clock.advance(YEARS_LATER)
    retention.run_all(net.hub)
    b = net.device("bruno")
    net.pull(b)
    assert b.get("referral", f.referral).brief == "[cancellato]"
    assert b.execute_read("SELECT 1 FROM change WHERE value LIKE '%Briefkappa%' "
                          "OR value LIKE '%Motivoomega%'") == []
    assert b.doctor() == []


def test_the_policy_periods(net: Net) -> None:
    hub = net.hub
    assert retention.policy(hub) == retention.Policy(5, 2, 2)
    retention.set_policy(hub, brief_years=3)
    retention.set_policy(hub, access_years=4)
    assert retention.policy(hub) == retention.Policy(5, 3, 4)
    with pytest.raises(InvalidInput):
        retention.set_policy(hub, brief_years=0)
    hub.set_meta({retention.KEY: '{"person_years": 6}'})  # as an older version wrote it
    assert retention.policy(hub) == retention.Policy(6, 2, 2)
