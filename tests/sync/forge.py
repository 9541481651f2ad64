"""Hand-made bundles for refusal tests: valid envelopes around hostile contents."""

from __future__ import annotations

import io
import json
import os
import tarfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from fieldwelfare.ids import uuid7
from fieldwelfare.store import Store, hubstate
from fieldwelfare.sync import bag, envelope
from fieldwelfare.sync.bundle import seal_for
from fieldwelfare.sync.keys import KeyPair


def device_keys(dev: Store) -> KeyPair:
    row = hubstate.current_key(dev, "device")
    assert row is not None
    return KeyPair.from_row(row)


def change(dev: Store, **over: Any) -> dict[str, Any]:
    base = {"tbl": "person", "rid": uuid7(), "field": "given_name", "value": "Eva",
            "hlc": dev.stamp(), "origin": dev.identity.device_id, "operator": "x",
            "base": None}
    return {**base, **over}


def lines(changes: Iterable[dict[str, Any]]) -> list[bytes]:
    return [json.dumps(c).encode() + b"\n" for c in changes]


def tar_of(members: list[tuple[str, bytes, bytes]]) -> bytes:
    """members: (name, data, tar type)."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for name, data, kind in members:
            info = tarfile.TarInfo(name)
            info.type = kind
            info.size = len(data) if kind == tarfile.REGTYPE else 0
            if kind in (tarfile.SYMTYPE, tarfile.LNKTYPE):
                info.linkname = "/etc/passwd"
            tar.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)
    return out.getvalue()


def forge(dev: Store, out: Path, *, payload: Iterable[bytes] | None = None,
          changes: list[dict[str, Any]] | None = None, header: dict[str, Any] | None = None,
          signer: KeyPair | None = None, bundle_id: str | None = None) -> Path:
    """A changes bundle from ``dev`` to its hub, with what the test wants inside."""
    hub = hubstate.get_hub(dev)
    assert hub is not None
    bundle_id = bundle_id or uuid7()
    ck = os.urandom(32)
    if payload is None:
        manifest: dict[str, Any] = {"bundle_id": bundle_id, "kind": "changes",
                                    "sender": dev.identity.device_id, "peer_upto": 0,
                                    "first_seq": None, "last_seq": None}
        payload = bag.write_bag(bundle_id, manifest, lines(changes or []))
    fields = {"kind": "changes", "bundle_id": bundle_id, "sender": dev.identity.device_id,
              "seq": 99, "prev": None, "created_hlc": dev.stamp(), "schema": 1,
              "min_reader": 1,
              "recipients": {hub["hub_kid"]: seal_for(bytes(hub["box_pk"]), ck)},
              **(header or {})}
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"forged-{bundle_id.replace('/', '_')}.fwb"
    envelope.seal(path, fields, ck=ck, signer=(signer or device_keys(dev)).sign,
                  payload=payload, strict=False)
    return path
