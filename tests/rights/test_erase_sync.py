"""Erasure end to end: three devices, a volunteer and the hub; edits in flight; one device
offline. After the sync rounds no byte of the person survives in any database file, WAL,
the hub's archive or any bundle on disk, decrypted with every key that exists."""

from __future__ import annotations

from pathlib import Path

from rightskit import SECRETS, full_file, other_person
from synckit import Net

from fieldwelfare.rights.erase import erase
from fieldwelfare.store import Store, hubstate
from fieldwelfare.sync import device, envelope
from fieldwelfare.sync.bundle import unwrap_sealed
from fieldwelfare.sync.errors import BundleRefused
from fieldwelfare.sync.keys import KeyPair


def all_keys(stores: list[Store]) -> list[KeyPair]:
    return [KeyPair.from_row(r) for s in stores for owner in ("hub", "device")
            for r in hubstate.keys(s, owner)]


def plaintexts(path: Path, keys: list[KeyPair]) -> list[bytes]:
    """The decrypted tar of a bundle, for every key that opens it (enrollment requests,
    sealed to a code's secret, hold no person data and are left as they are)."""
    env = envelope.read_header(path)
    out = []
    for key in keys:
        try:
            ck = unwrap_sealed(env, [key])
        except BundleRefused:
            continue
        out.append(b"".join(envelope.decrypt(env, ck)))
    return out


def leaks(root: Path, keys: list[KeyPair]) -> list[str]:
    hits: list[str] = []
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        blobs = [path.read_bytes()]
        if path.suffix == ".fwb":
            blobs += plaintexts(path, keys)
        for blob in blobs:
            low = blob.lower()
            hits.extend(f"{path.relative_to(root)}: {s}" for s in SECRETS
                        if s.lower().encode() in low)
    return hits


def row(store: Store, kind: str, rid: str) -> tuple[object, ...] | None:
    rows = store.execute_read(f"SELECT * FROM {kind} WHERE id = ?", (rid,))
    return tuple(rows[0]) if rows else None


def test_erasure_reaches_every_replica_and_every_file(net: Net, tmp_path: Path) -> None:
    a = net.device("anna", role="coordinator")
    b = net.device("bruno")
    c = net.device("carla")
    f = full_file(a)
    maria = other_person(a)
    net.push(a)
    vol = net.device("vol", role="volunteer", ambito=None, volunteer=f.volunteer)
    for dev in (b, c, vol):
        net.pull(dev)
    assert b.get("person", f.person).notes == "Sanitariozeta"
    assert vol.get("referral", f.referral).brief.startswith("Briefkappa")
    assert leaks(tmp_path, all_keys([net.hub, a, b, c, vol]))  # the person is everywhere

    # in flight: bruno's edit is exported but not yet at the hub; carla edits offline
    b.update("person", f.person, {"notes": "Sanitariozeta aggiornata"})
    b.update("person", maria, {"phone": "0341 000000"})  # unrelated work goes on
    in_flight = device.export(b, tmp_path / "usb")
    c.update("visit", f.visit, {"notes": "Sanitariozeta di nuovo"})

    done = erase(a, f.person, "richiesta dell'interessata (art. 17)")
    assert done["records"] >= 5
    net.push(a)
    late = [net.push_file(s.path) for s in in_flight]
    assert late[0].applied >= 1 and late[0].purged >= 1  # maria's phone, not the erased
    for dev in (b, vol, a):
        net.pull(dev)
    net.push(b)
    net.pull(a)
    # carla comes back: her late edit is dropped, the erasure reaches her
    (back,) = net.push(c)
    assert back.purged >= 1 and back.applied == 0
    net.pull(c)
    for dev in (a, b, c, vol):
        net.push(dev)
        net.pull(dev)

    everyone = [net.hub, a, b, c, vol]
    for s in everyone:
        assert row(s, "person", f.person) is None
        assert row(s, "visit", f.visit) is None
        assert row(s, "need", f.need) is None
        assert s.execute_read("SELECT 1 FROM purge WHERE id = ?", (f.person,)), s.path
        assert s.doctor() == [], (s.path, s.doctor())
    for s in (net.hub, b, c):
        assert row(s, "person", maria) == row(a, "person", maria)
    assert a.get("person", maria).phone == "0341 000000"
    for s in (net.hub, b, c, vol):
        assert row(s, "referral", f.referral) == row(a, "referral", f.referral)
    assert vol.get("referral", f.referral).brief == "[cancellato]"
    keys = all_keys(everyone)
    assert len(keys) == 5
    wals = list(tmp_path.glob("*.db-wal"))
    assert len(wals) == 5  # the databases are open: their WAL files are searched too
    assert leaks(tmp_path, keys) == []
    for s in everyone:
        s.close()
    assert leaks(tmp_path, keys) == []
