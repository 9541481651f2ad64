"""The consortium hub: its keys, ingesting device bundles, and replying to each device.

A hub is a fieldwelfare database with hub keys (``hub init``). Ingesting a bundle refuses
an unknown or revoked sender before any decryption, applies the changes in one
transaction (the merge engine's ledger makes a replay a no-op) and keeps a copy of the
file as the audit artefact. A reply carries what the device may see since its last
acknowledged hub sequence, the acknowledgement of the device's own changes, and the
device certificate with the hub's public keys.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fieldwelfare.clock import wall_ms
from fieldwelfare.errors import InvalidInput
from fieldwelfare.i18n import t
from fieldwelfare.ids import uuid7
from fieldwelfare.store import erasure, hubstate, writescope
from fieldwelfare.store.replication import (
    ApplyReport,
    PeerScope,
    apply_changes,
    changes_for_peer,
    is_applied,
    last_seq,
    tables_between,
)
from fieldwelfare.store.store import Store
from fieldwelfare.sync import enrollment, envelope, scrub
from fieldwelfare.sync.bundle import (
    Outgoing,
    Payload,
    new_content_key,
    refusing_malformed,
    safe_name,
    seal_for,
    unwrap_sealed,
    write,
)
from fieldwelfare.sync.errors import BundleRefused
from fieldwelfare.sync.keys import KeyPair
from fieldwelfare.sync.records import schema_for


@dataclass(frozen=True)
class Ingested:
    path: str
    kind: str
    device: str
    device_id: str
    duplicate: bool
    applied: int = 0
    skipped: int = 0
    conflicts: int = 0
    flagged_future: int = 0
    alerts: tuple[str, ...] = ()
    purged: int = 0
    """Changes dropped because an erasure removed their record (docs/privacy.md)."""

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__, alerts=list(self.alerts))


def bundles_dir(store: Store) -> Path:
    return Path(store.path).resolve().parent / "hub-bundles"


def init(store: Store, name: str) -> str:
    """Make the hub keys (once). Returns the key fingerprint."""
    existing = hubstate.current_key(store, "hub")
    if existing is not None:
        raise InvalidInput(t("sync.hub.already", name=store.meta().get("hub_name", "?")))
    pair = KeyPair.generate()
    sign_sk, box_sk = pair.secrets()
    hubstate.add_key(store, kid=pair.kid, owner="hub", sign_sk=sign_sk, box_sk=box_sk,
                     created_at=store.now_iso())
    store.set_meta({"hub_name": name})
    if not store.identity.initialised:
        store.set_identity(device_name=name, operator=store.identity.operator,
                           role="coordinator", ambito=None)
    store.record_event("sync.hub_init", f"{name} {pair.kid}")
    return pair.kid


def rotate_key(store: Store) -> str:
    """A new current hub key; older ones stay to open bundles still sealed to them."""
    enrollment.hub_keys(store)
    pair = KeyPair.generate()
    sign_sk, box_sk = pair.secrets()
    hubstate.add_key(store, kid=pair.kid, owner="hub", sign_sk=sign_sk, box_sk=box_sk,
                     created_at=store.now_iso(), retire_others=True)
    store.record_event("sync.hub_rotate", pair.kid)
    return pair.kid


def _all_keys(store: Store) -> list[KeyPair]:
    return [KeyPair.from_row(r) for r in hubstate.keys(store, "hub")]


def ingest(store: Store, path: Path, *, archive: bool = True) -> Ingested:
    """Verify, decrypt and apply one device bundle (enrollment requests included)."""
    try:
        return _ingest(store, path, archive)
    except BundleRefused as exc:
        raise exc.at(str(path)) from None


def _ingest(store: Store, path: Path, archive: bool) -> Ingested:
    enrollment.hub_keys(store)
    env = envelope.read_header(path)
    header = env.header
    if env.kind == "enroll":
        enrolled, new = enrollment.register(store, env)
        return Ingested(str(path), "enroll", enrolled["name"], enrolled["device_id"], not new)
    if env.kind != "changes":
        raise BundleRefused("wrong_kind", env.kind)
    device = check_sender(store, header)
    file_sha = envelope.verify(env, bytes(device["sign_pk"]))
    ck = unwrap_sealed(env, _all_keys(store))
    payload = Payload(env, ck, origin=header["sender"], now_ms=wall_ms(store.now()))
    bundle_id = header["bundle_id"]
    if is_applied(store, bundle_id):
        payload.drain()
        report = None
    else:
        peer = PeerScope(device_id=device["device_id"], role=device["role"],
                         ambito=device["ambito"], volunteer_id=device["volunteer_id"])
        with refusing_malformed():  # WriteOutOfScope is a ValueError: caught first
            try:
                report = apply_changes(store, writescope.guard(store, peer, payload.changes()),
                                       bundle_id=bundle_id, sender=header["sender"],
                                       file_sha256=file_sha, kind="changes")
            except writescope.WriteOutOfScope as exc:
                raise BundleRefused("scope", str(exc)) from None
    alerts = _progress(store, device, header, payload, file_sha, fresh=report is not None
                       and not report.duplicate)
    if archive and _may_archive(store, path, report):
        _archive(store, path, device["name"], header["seq"], bundle_id)
    if report is not None and (report.erased or report.scrubbed):
        erasure.widen_markers(store)  # the needs its eraser did not know (volunteers)
        scrub.after_erasure(store, report.scrubbed, erased=bool(report.erased))
    if report is None or report.duplicate:
        return Ingested(str(path), "changes", device["name"], device["device_id"], True,
                        alerts=alerts)
    store.record_event("sync.ingest", f"{bundle_id} {device['name']} {report.applied}")
    return Ingested(str(path), "changes", device["name"], device["device_id"], False,
                    report.applied, report.skipped, report.conflicts, report.flagged_future,
                    alerts, report.purged)


def check_sender(store: Store, header: dict[str, Any]) -> dict[str, Any]:
    """The enrolled, live device that a changes bundle's header names (before any crypto)."""
    device = hubstate.device_by_id(store, header["sender"])
    if device is None:
        raise BundleRefused("unknown_sender", header["sender"])
    if device["revoked_at"] is not None:
        raise BundleRefused("revoked", device["name"])
    if device["kid"] != header["sender_kid"]:
        raise BundleRefused("unknown_sender", f"key {header['sender_kid']}")
    return device


def _progress(store: Store, device: dict[str, Any], header: dict[str, Any], payload: Payload,
              file_sha: str, *, fresh: bool) -> tuple[str, ...]:
    """Remember what the device has sent and seen; note gaps and forks in the chain."""
    manifest = payload.manifest
    assert manifest is not None
    alerts: list[str] = []
    seq, prev = header["seq"], header["prev"]
    values: dict[str, Any] = {"hub_upto": max(device["hub_upto"], manifest.peer_upto)}
    if manifest.last_seq is not None:
        values["acked_upto"] = max(device["acked_upto"], manifest.last_seq)
    head = manifest.audit_head
    if head is not None and fresh:
        known = device["audit_seq"]
        if known is not None and (head.seq < known or (head.seq == known
                                                       and head.hash != device["audit_hash"])):
            alerts.append(f"audit: {device['name']} head {known} -> {head.seq}")
        if known is None or head.seq >= known:
            values.update(audit_seq=head.seq, audit_hash=head.hash)
    if seq > device["in_seq"]:
        if seq != device["in_seq"] + 1 or (device["in_hash"] and prev != device["in_hash"]):
            alerts.append(f"gap: {device['name']} seq {device['in_seq']} -> {seq}")
        values.update(in_seq=seq, in_hash=file_sha)
    values = {k: v for k, v in values.items() if device[k] != v}
    if fresh:
        values["last_seen"] = store.now_iso()
    if values:  # a replay that teaches nothing new writes nothing
        hubstate.update_device(store, device["device_id"], values)
    for alert in alerts:
        store.record_event("sync.chain_alert", alert)
    return tuple(alerts)


def _may_archive(store: Store, path: Path, report: ApplyReport | None) -> bool:
    """A bundle that held changes an erasure removed is not kept (docs/privacy.md)."""
    if report is not None and not report.duplicate:
        return report.purged == 0
    if not store.execute_read("SELECT 1 FROM purged_record LIMIT 1"):
        return True
    purged = scrub.purged_records(store)
    return not scrub.holds_erased(store, path, _all_keys(store), purged)


def _archive(store: Store, path: Path, name: str, seq: int, bundle_id: str) -> None:
    target = bundles_dir(store) / "archive" / f"from-{safe_name(name)}-{seq:06d}-{bundle_id}.fwb"
    if path.resolve() == target.resolve() or target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    shutil.copyfile(path, part)
    part.replace(target)


# ---------------------------------------------------------------------------- replies
def device_named(store: Store, name: str) -> dict[str, Any]:
    device = hubstate.device_by_name(store, name)
    if device is None or device["revoked_at"] is not None:
        raise InvalidInput(t("sync.hub.no_device", name=name), field="device")
    return device


def export_reply(store: Store, device: dict[str, Any], out_dir: Path) -> envelope.Sealed:
    """One reply bundle for ``device``: its data since its last ack, acks, certificate."""
    keys = enrollment.hub_keys(store)
    current = hubstate.device_by_id(store, device["device_id"])
    if current is None or current["revoked_at"] is not None:  # a revoked device gets nothing
        raise BundleRefused("revoked", device["name"])
    device = current
    peer = PeerScope(device_id=device["device_id"], role=device["role"],
                     ambito=device["ambito"], volunteer_id=device["volunteer_id"])
    upto = last_seq(store)
    since = device["hub_upto"]
    changes = ((seq, ch) for seq, ch in changes_for_peer(store, peer, since_seq=since)
               if seq <= upto)
    ck = new_content_key()
    seq = device["out_seq"] + 1
    spec = Outgoing(kind="reply", sender=store.identity.device_id, seq=seq,
                    prev=device["out_hash"], created_hlc=store.stamp(), created_at=store.now_iso(),
                    recipients={device["kid"]: seal_for(bytes(device["box_pk"]), ck)},
                    acks={"upto": device["acked_upto"]}, peer_upto=upto,
                    enrollment=enrollment.certificate(store, device),
                    witnessed_head=None if device["audit_seq"] is None else
                    {"seq": device["audit_seq"], "hash": device["audit_hash"]},
                    schema=schema_for(tables_between(store, since, upto)))
    bundle_id = uuid7()
    path = out_dir / f"to-{safe_name(device['name'])}-{seq:06d}.fwb"
    sealed, count = write(path, spec, bundle_id, ck, keys, changes)
    with store.writing() as w:  # the chain position, the ledger and the audit: together
        hubstate.update_device(store, device["device_id"], {"out_seq": seq,
                                                             "out_hash": sealed.sha256})
        hubstate.add_bundle(store, {
            "bundle_id": bundle_id, "direction": "out", "kind": "reply",
            "peer": device["device_id"], "seq": seq, "first_seq": spec.first_seq,
            "last_seq": spec.last_seq, "count": count, "file_sha256": sealed.sha256,
            "path": str(path), "created_at": w.now_iso()})
        w.event("sync.reply", f"{bundle_id} {device['name']} {count}")
    return sealed


def export_replies(store: Store, out_dir: Path, *, device: str | None = None,
                   everyone: bool = False) -> list[envelope.Sealed]:
    if device is None and not everyone:
        raise InvalidInput(t("sync.hub.need_target"), field="device")
    targets = [device_named(store, device)] if device else hubstate.devices(store)
    return [export_reply(store, d, out_dir) for d in targets]


def device_by_id(store: Store, device_id: str) -> dict[str, Any] | None:
    return hubstate.device_by_id(store, device_id)


def devices(store: Store, *, live_only: bool = True) -> list[dict[str, Any]]:
    return hubstate.devices(store, live_only=live_only)


def revoke(store: Store, name: str) -> None:
    """Revoke the live device ``name``: the registry and the audit entry (name and device
    id, which ``doctor`` checks against the registry) in one write unit."""
    with store.writing() as w:
        device = hubstate.device_by_name(store, name)
        if device is None or not hubstate.revoke_device(store, name, w.now_iso()):
            raise InvalidInput(t("sync.hub.no_device", name=name), field="device")
        w.event("sync.revoke", f"{name} {device['device_id']}")


def unpack(store: Store, path: Path, out_dir: Path) -> Path:
    """Verify and decrypt a device bundle and write its BagIt bag under ``out_dir``."""
    try:
        return _unpack(store, path, out_dir)
    except BundleRefused as exc:
        raise exc.at(str(path)) from None


def _unpack(store: Store, path: Path, out_dir: Path) -> Path:
    from fieldwelfare.sync.unpack import write_bag_dir

    env = envelope.read_header(path)
    header = env.header
    if env.kind != "changes":
        raise BundleRefused("wrong_kind", env.kind)
    device = hubstate.device_by_id(store, header["sender"])
    if device is None or device["kid"] != header["sender_kid"]:
        raise BundleRefused("unknown_sender", header["sender"])
    envelope.verify(env, bytes(device["sign_pk"]))
    ck = unwrap_sealed(env, _all_keys(store))
    return write_bag_dir(env, ck, out_dir)
