"""A hub and enrolled devices, each in its own database, for the sync tests (the ``net``
fixture is in ``conftest.py``)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fieldwelfare.store import Store, keyslots, open_store, vault
from fieldwelfare.store.connection import is_encrypted
from fieldwelfare.sync import device, enrollment, hub

LECCO = "097042"
PERSON = {"given_name": "Maria", "family_name": "Rossi", "comune": LECCO,
          "notes": "SEGRETO-SANITARIO"}


def dump(store: Store) -> str:
    """A hash of every table (data, change log, ledger, sync state, audit)."""
    digest = hashlib.sha256()
    with store.lock:
        for (table,) in store.conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%_fts%' "
                "ORDER BY name").fetchall():
            for row in store.conn.execute(f'SELECT * FROM "{table}" ORDER BY 1'):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


@dataclass
class Net:
    tmp: Path
    hub: Store
    devices: dict[str, Store]

    def device(self, name: str, role: str = "social_worker", ambito: str | None = "Lecco",
               volunteer: str | None = None) -> Store:
        code = enrollment.issue_code(self.hub, device=name, role=role, ambito=ambito,
                                     volunteer_id=volunteer)
        dev = open_store(self.tmp / f"{name}.db")
        enrollment.start(dev, code)
        request = enrollment.write_request(dev, self.tmp / "usb")
        hub.ingest(self.hub, request.path)
        (reply,) = hub.export_replies(self.hub, self.tmp / "usb", device=name)
        device.import_reply(dev, reply.path)
        self.devices[name] = dev
        return dev

    def push(self, dev: Store) -> list[hub.Ingested]:
        return [hub.ingest(self.hub, s.path) for s in device.export(dev, self.tmp / "usb")]

    def push_file(self, path: Path) -> hub.Ingested:
        return hub.ingest(self.hub, path)

    def pull(self, dev: Store) -> device.Imported:
        name = dev.identity.device_name
        assert name is not None
        (reply,) = hub.export_replies(self.hub, self.tmp / "usb", device=name)
        return device.import_reply(dev, reply.path)


@contextmanager
def hub_net(tmp_path: Path) -> Iterator[Net]:
    """A hub (made in ``tmp_path``) and no device yet; everything closed afterwards."""
    store = open_store(tmp_path / "hub.db")
    hub.init(store, "Consorzio Lecco")
    net = Net(tmp_path, store, {})
    try:
        yield net
    finally:
        for dev in net.devices.values():
            dev.close()
        store.close()


def open_db(path: Path | str) -> Store:
    """A database the CLI made: unlocked with the suite's passphrase if it is encrypted."""
    if is_encrypted(path):
        return vault.unlock(path, operator=keyslots.operators(path)[0],
                            passphrase=os.environ["FIELDWELFARE_PASSPHRASE"])
    return open_store(path)
