"""A field device: exporting its changes for the hub and importing the hub's replies.

An export holds every change the hub has not acknowledged (split at
:data:`MAX_CHANGES_PER_BUNDLE`), so a lost bundle costs nothing: the next one carries the
same changes again and the merge ignores what it already has. A reply is accepted only from
the pinned hub key (or, while enrolling, from the key whose fingerprint is in the code).
A reply's certificate also lists the hub's TLS certificate fingerprints (``tls_pins``): the
device takes them as its pins for ``https://`` (a renewed certificate arrives this way).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fieldwelfare.clock import wall_ms
from fieldwelfare.i18n import t
from fieldwelfare.ids import uuid7
from fieldwelfare.store import hubstate
from fieldwelfare.store.replication import (
    acknowledge,
    apply_changes,
    is_applied,
    last_seq,
    outbox,
    outbox_tables,
    unsent_count,
)
from fieldwelfare.store.store import Store
from fieldwelfare.sync import enrollment, envelope, tls
from fieldwelfare.sync.bundle import (
    MAX_CHANGES_PER_BUNDLE,
    Outgoing,
    Payload,
    new_content_key,
    refusing_malformed,
    safe_name,
    seal_for,
    unwrap_sealed,
    write,
)
from fieldwelfare.sync.errors import BundleRefused, SyncError
from fieldwelfare.sync.keys import KeyPair
from fieldwelfare.sync.records import schema_for


@dataclass(frozen=True)
class Imported:
    path: str
    duplicate: bool
    applied: int = 0
    skipped: int = 0
    conflicts: int = 0
    flagged_future: int = 0
    enrolled: bool = False

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def spool_dir(store: Store) -> Path:
    return Path(store.path).resolve().parent / "bundles"


WITNESSED = "audit_witnessed"
"""``meta`` key: the audit head the hub last witnessed for this device (``seq:hash``)."""


def _hub(store: Store) -> dict[str, Any]:
    hub = hubstate.get_hub(store)
    if hub is None or not hub.get("hub_kid"):
        raise BundleRefused("not_enrolled")
    return hub


def _keys(store: Store) -> KeyPair:
    pair = enrollment.device_keys(store)
    if pair is None:
        raise BundleRefused("not_enrolled")
    return pair


def export(store: Store, out_dir: Path | None = None,
           max_changes: int = MAX_CHANGES_PER_BUNDLE) -> list[envelope.Sealed]:
    """Write this device's unacknowledged changes as bundle(s) for the hub (at least one)."""
    hub = _hub(store)
    pair = _keys(store)
    out_dir = out_dir or spool_dir(store) / "outbox"
    sealed: list[envelope.Sealed] = []
    after: int | None = None
    seq, prev = hub["out_seq"], hub["out_hash"]
    while True:
        ck = new_content_key()
        seq += 1
        spec = Outgoing(kind="changes", sender=store.identity.device_id, seq=seq, prev=prev,
                        created_hlc=store.stamp(), created_at=store.now_iso(),
                        recipients={hub["hub_kid"]: seal_for(bytes(hub["box_pk"]), ck)},
                        peer_upto=hub["hub_upto"], audit_head=store.audit_head(),
                        schema=schema_for(outbox_tables(store, after_seq=after)))
        bundle_id = uuid7()
        name = safe_name(store.identity.device_name or "device")
        path = out_dir / f"from-{name}-{seq:06d}.fwb"
        result, count = write(path, spec, bundle_id, ck, pair,
                              outbox(store, after_seq=after, limit=max_changes))
        with store.writing() as w:  # the chain position, the ledger and the audit: together
            hubstate.set_hub(store, {"out_seq": seq, "out_hash": result.sha256})
            hubstate.add_bundle(store, {
                "bundle_id": bundle_id, "direction": "out", "kind": "changes",
                "peer": hub["hub_id"], "seq": seq, "first_seq": spec.first_seq,
                "last_seq": spec.last_seq, "count": count, "file_sha256": result.sha256,
                "path": str(path), "created_at": w.now_iso()})
            w.event("sync.export", f"{bundle_id} {count}")
        sealed.append(result)
        prev = result.sha256
        if count < max_changes or spec.last_seq is None:
            return sealed
        after = spec.last_seq


def import_reply(store: Store, path: Path) -> Imported:
    """Verify, decrypt and apply one hub reply; take its acknowledgement and certificate."""
    try:
        return _import(store, path)
    except BundleRefused as exc:
        raise exc.at(str(path)) from None


def _import(store: Store, path: Path) -> Imported:
    env = envelope.read_header(path)
    header = env.header
    if env.kind != "reply":
        raise BundleRefused("wrong_kind", env.kind)
    pair = _keys(store)
    hub = hubstate.get_hub(store) or {}
    pending = enrollment.pending_code(store)
    if hub.get("hub_kid"):
        if header["sender_kid"] != hub["hub_kid"] or header["sender"] != hub["hub_id"]:
            raise BundleRefused("unknown_sender", header["sender_kid"])
        vk = bytes(hub["sign_pk"])
    elif pending is not None:
        if header["sender_kid"] != pending.hub_kid:
            raise BundleRefused("hub_key", header["sender_kid"])
        vk = bytes.fromhex(header["sender_vk"])
    else:
        raise BundleRefused("not_enrolled")
    file_sha = envelope.verify(env, vk)
    ck = unwrap_sealed(env, [pair])
    payload = Payload(env, ck, now_ms=wall_ms(store.now()))
    payload.checks.append(lambda p: _check_certificate(p, store, pair, header))
    bundle_id = header["bundle_id"]
    if is_applied(store, bundle_id):
        payload.drain()
        report = None
    else:
        with refusing_malformed():
            report = apply_changes(store, payload.changes(), bundle_id=bundle_id,
                                   sender=header["sender"], file_sha256=file_sha,
                                   kind="reply", received_from_hub=True)
    fresh = report is not None and not report.duplicate
    with store.writing() as w:  # what the reply teaches, and its audit entry: together
        enrolled = _after_import(store, header, payload, file_sha, pending is not None, fresh)
        if report is None or report.duplicate:
            return Imported(str(path), True, enrolled=enrolled)
        w.event("sync.import", f"{bundle_id} {report.applied}")
    if report.erased or report.scrubbed:
        from fieldwelfare.sync import scrub

        scrub.after_erasure(store, report.scrubbed, erased=bool(report.erased))
    from fieldwelfare.rights.retention import expire_device_accesses

    expire_device_accesses(store)  # the reply's acknowledgement may have made some due
    return Imported(str(path), False, report.applied, report.skipped, report.conflicts,
                    report.flagged_future, enrolled)


def _check_certificate(payload: Payload, store: Store, pair: KeyPair,
                       header: dict[str, Any]) -> None:
    cert = (payload.enrollment or {}).get("certificate")
    if not isinstance(cert, dict):
        raise BundleRefused("bag", "no device certificate")
    if (cert.get("device_id") != store.identity.device_id or cert.get("device_kid") != pair.kid
            or cert.get("hub_kid") != header["sender_kid"]
            or cert.get("hub_verify_key") != header["sender_vk"]
            or cert.get("hub_id") != header["sender"]):
        raise BundleRefused("not_for_me", "certificate")


def _after_import(store: Store, header: dict[str, Any], payload: Payload, file_sha: str,
                  enrolling: bool, fresh: bool) -> bool:
    cert = (payload.enrollment or {})["certificate"]
    manifest = payload.manifest
    assert manifest is not None
    hub = hubstate.get_hub(store) or {}
    values: dict[str, Any] = {"last_sync": store.now_iso()} if fresh or enrolling else {}
    if header["seq"] > hub.get("in_seq", 0):
        values.update(in_seq=header["seq"], in_hash=file_sha,
                      hub_upto=max(hub.get("hub_upto", 0), manifest.peer_upto))
    if enrolling:
        values.update(hub_id=cert["hub_id"], hub_name=cert["hub_name"],
                      hub_kid=cert["hub_kid"], sign_pk=bytes.fromhex(cert["hub_verify_key"]),
                      box_pk=bytes.fromhex(cert["hub_box_pk"]), enroll_token=None,
                      enroll_secret=None, enroll_fpr=None)
    fresh_pins = tls.valid_pins(cert.get("tls_pins") or [])
    if fresh_pins:  # signed by the pinned hub key: a renewed TLS certificate arrives here
        values["tls_pins"] = " ".join(fresh_pins)
    values = {k: v for k, v in values.items() if hub.get(k) != v}
    if values:  # a replay that teaches nothing new writes nothing
        hubstate.set_hub(store, values)
    seen = manifest.witnessed_head
    if seen is not None and fresh and store.meta().get(WITNESSED) != f"{seen.seq}:{seen.hash}":
        store.set_meta({WITNESSED: f"{seen.seq}:{seen.hash}"})
    ident = store.identity
    if enrolling or (ident.role, ident.ambito, ident.device_name) != (
            cert["role"], cert["ambito"], cert["name"]):
        store.set_identity(device_name=cert["name"], operator=ident.operator,
                           role=cert["role"], ambito=cert["ambito"])
        if cert.get("volunteer_id"):
            store.set_meta({"volunteer_id": cert["volunteer_id"]})
    upto = int((header.get("acks") or {}).get("upto", 0))
    if 0 < upto <= last_seq(store):
        acknowledge(store, upto)
    hubstate.mark_acked(store, cert["hub_id"], upto, store.now_iso())
    return enrolling


def status(store: Store) -> dict[str, Any]:
    from fieldwelfare.store.replication import sync_info

    hub = hubstate.get_hub(store) or {}
    info = sync_info(store)
    return {
        "device": store.identity.device_name, "device_id": store.identity.device_id,
        "role": store.identity.role, "ambito": store.identity.ambito,
        "enrolled": bool(hub.get("hub_kid")),
        "enrollment_pending": bool(hub.get("enroll_token")),
        "hub": hub.get("hub_name"), "hub_url": hub.get("url"), "hub_kid": hub.get("hub_kid"),
        "tls_pins": tls_pins(store),
        "unsent": unsent_count(store), "last_sync": hub.get("last_sync"),
        "outbox": [{"bundle_id": b["bundle_id"], "seq": b["seq"], "count": b["count"],
                    "path": b["path"]}
                   for b in hubstate.bundles(store, "out", unacked_only=True)],
        "open_conflicts": info["open_conflicts"],
        "future_clock_flags": info["future_clock_flags"],
    }


def tls_pins(store: Store) -> list[str]:
    """The hub TLS certificate fingerprints this device trusts over ``https://``."""
    hub = hubstate.get_hub(store) or {}
    return tls.valid_pins((hub.get("tls_pins") or "").split())


def remember_url(store: Store, url: str | None) -> str:
    hub = hubstate.get_hub(store) or {}
    if url:
        if url != hub.get("url"):
            hubstate.set_hub(store, {"url": url.rstrip("/")})
        return url.rstrip("/")
    if not hub.get("url"):
        raise SyncError(t("sync.dev.no_hub"))
    return str(hub["url"])
