"""Making and opening bundles: the pieces device and hub share.

Opening is staged so that nothing costly or risky happens before the sender is known:
:func:`envelope.read_header` (caps, versions) -> the caller looks the sender up ->
:func:`envelope.verify` (signature) -> unwrap the content key -> :class:`Payload` streams
the decrypted bag, change by change, and checks the bag when the stream ends.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from pydantic import ValidationError as PydanticError

from fieldwelfare.hlc import is_beyond_acceptance
from fieldwelfare.models import utc_now
from fieldwelfare.store.replication import Change
from fieldwelfare.sync import envelope
from fieldwelfare.sync.bag import BagReader, write_bag
from fieldwelfare.sync.errors import BundleRefused
from fieldwelfare.sync.keys import KeyPair, b64d, b64e
from fieldwelfare.sync.records import SCHEMA_VERSION, BagManifest, ChangeRecord, parse_change

MAX_CHANGES_PER_BUNDLE = 1_000_000
_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def safe_name(text: str) -> str:
    return _SAFE.sub("_", text)[:40] or "device"


def change_line(change: Change) -> bytes:
    return (json.dumps(change.as_dict(), ensure_ascii=False, separators=(",", ":"))
            + "\n").encode("utf-8")


@dataclass
class Outgoing:
    """Everything a new bundle needs besides its changes."""

    kind: str
    sender: str
    seq: int
    prev: str | None
    created_hlc: str
    recipients: dict[str, str]
    """kid -> base64 of the content key wrapped for that recipient."""
    acks: dict[str, Any] | None = None
    first_seq: int | None = None
    last_seq: int | None = None
    peer_upto: int = 0
    enrollment: dict[str, Any] | None = None
    created_at: str | None = None
    """When the bag was made (the sending store's clock)."""
    audit_head: dict[str, Any] | None = None
    witnessed_head: dict[str, Any] | None = None
    schema: int = SCHEMA_VERSION
    """The oldest change-record schema that carries what is sent (``records.schema_for``)."""


def seal_for(box_pk: bytes, ck: bytes) -> str:
    return b64e(SealedBox(PublicKey(box_pk)).encrypt(ck))


def write(path: Path, spec: Outgoing, bundle_id: str, ck: bytes, signer: KeyPair,
          changes: Iterable[tuple[int, Change]]) -> tuple[envelope.Sealed, int]:
    """Seal ``changes`` (seq, change) into ``path``; returns the file and the change count."""
    manifest: dict[str, Any] = {"bundle_id": bundle_id, "kind": spec.kind,
                                "sender": spec.sender, "peer_upto": spec.peer_upto,
                                "first_seq": None, "last_seq": None}
    for key in ("audit_head", "witnessed_head"):
        if getattr(spec, key) is not None:
            manifest[key] = getattr(spec, key)

    def lines() -> Iterator[bytes]:
        # write_bag reads ``manifest`` only after the last line: the range is final by then
        for seq, change in changes:
            if manifest["first_seq"] is None:
                manifest["first_seq"] = seq
            manifest["last_seq"] = seq
            yield change_line(change)

    payload = write_bag(bundle_id, manifest, lines(), spec.enrollment,
                        spec.created_at or utc_now())
    fields: dict[str, Any] = {
        "kind": spec.kind, "bundle_id": bundle_id, "sender": spec.sender, "seq": spec.seq,
        "prev": spec.prev, "created_hlc": spec.created_hlc, "schema": spec.schema,
        "min_reader": 1, "recipients": spec.recipients,
    }
    if spec.acks is not None:
        fields["acks"] = spec.acks
    path.parent.mkdir(parents=True, exist_ok=True)
    sealed = envelope.seal(path, fields, ck=ck, signer=signer.sign, payload=payload)
    spec.first_seq, spec.last_seq = manifest["first_seq"], manifest["last_seq"]
    return sealed, int(manifest.get("count", 0))


def new_content_key() -> bytes:
    return os.urandom(32)


def unwrap_sealed(env: envelope.Envelope, my_keys: list[KeyPair]) -> bytes:
    """The content key, from the recipient entry of one of ``my_keys`` (newest first)."""
    recipients = env.header["recipients"]
    for pair in my_keys:
        wrapped = recipients.get(pair.kid)
        if wrapped is None:
            continue
        try:
            return bytes(SealedBox(PrivateKey(bytes(pair.box))).decrypt(b64d(wrapped)))
        except (CryptoError, ValueError):
            raise BundleRefused("decrypt", "content key") from None
    raise BundleRefused("not_for_me", ", ".join(sorted(recipients)))


@dataclass
class Payload:
    """The decrypted bag of one bundle, read once, as a stream of checked changes."""

    env: envelope.Envelope
    ck: bytes
    origin: str | None = None
    """If set, every change must come from this device (device -> hub bundles)."""
    manifest: BagManifest | None = None
    enrollment: dict[str, Any] | None = None
    count: int = 0
    checks: list[Callable[[Payload], None]] = field(default_factory=list)
    now_ms: int | None = None
    """The receiver's clock: a stamp too far ahead of it is refused (``clock``)."""

    def changes(self) -> Iterator[Change]:
        header = self.env.header
        reader = BagReader(header["bundle_id"])
        for line in reader.read(envelope.decrypt(self.env, self.ck)):
            record = parse_change(line)
            if self.origin is not None and record.origin != self.origin:
                raise BundleRefused("origin", f"{record.origin} != {self.origin}")
            if self.now_ms is not None and is_beyond_acceptance(record.hlc, self.now_ms):
                raise BundleRefused("clock", f"{record.tbl}.{record.field} {record.hlc}")
            self.count += 1
            yield _to_change(record)
        try:
            self.manifest = BagManifest.model_validate(reader.finish())
        except PydanticError as exc:
            raise BundleRefused("bag", f"fw/manifest.json: {exc.errors()[0]['msg']}") from None
        if (self.manifest.bundle_id != header["bundle_id"]
                or self.manifest.sender != header["sender"]
                or self.manifest.kind != header["kind"]):
            raise BundleRefused("bag", "fw/manifest.json does not match the header")
        if reader.enrollment is not None:
            try:
                self.enrollment = json.loads(reader.enrollment)
            except ValueError:
                raise BundleRefused("bag", "data/enrollment.json") from None
        for check in self.checks:
            check(self)

    def drain(self) -> None:
        """Read and check everything without applying (duplicates, enrollment requests)."""
        for _ in self.changes():
            pass


def _to_change(record: ChangeRecord) -> Change:
    try:
        return Change.from_dict(record.model_dump())
    except ValueError as exc:  # the store's own check of a received change
        raise BundleRefused("change", str(exc)[:300]) from None


@contextmanager
def refusing_malformed() -> Iterator[None]:
    """Around applying a bundle: what the merge finds malformed in it (the same change id
    twice with different values, a value the store cannot hold) is a coded refusal; the
    transaction has rolled back by then."""
    try:
        yield
    except (ValueError, OverflowError) as exc:
        raise BundleRefused("change", str(exc)[:300]) from None
