"""Enrolling a device with the hub: no trust on first use in either direction.

1. The hub (``hub enroll``) stores a single-use, expiring code: token id + 16-byte secret,
   and prints it together with the fingerprint of the hub's signing key.
2. The device (``enroll CODE``) makes its own keys and writes an *enroll* bundle: its public
   keys and device id, with a keyed BLAKE2b MAC made with the secret; the content key is
   wrapped with a key derived from the same secret, so only that hub can read it.
3. The hub checks the code (known, unused, not expired), the self-signature, the MAC, then
   registers the device and uses up the code, in one transaction.
4. The hub's next reply carries the device certificate and the hub's public keys; the
   device accepts it only if the reply's signing key hashes to the fingerprint in the code.

A hub with its own TLS certificate (:mod:`.tls`) issues ``FW2`` codes that also pin the
certificate: from the start, the device talks ``https://`` only to a server showing it.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from nacl.exceptions import CryptoError
from nacl.secret import SecretBox

from fieldwelfare.errors import InvalidInput, NotFound
from fieldwelfare.i18n import t
from fieldwelfare.ids import uuid7
from fieldwelfare.models.vocabulary import Ambito, Role
from fieldwelfare.store import hubstate
from fieldwelfare.store.store import Store
from fieldwelfare.sync import envelope, tls
from fieldwelfare.sync.bundle import Outgoing, Payload, safe_name, write
from fieldwelfare.sync.errors import BundleRefused
from fieldwelfare.sync.keys import (
    EnrollCode,
    KeyPair,
    b64d,
    b64e,
    check_mac,
    enroll_mac,
    kid_of,
    wrap_key,
)
from fieldwelfare.sync.records import schema_for

CODE_TTL_HOURS = 72
PSK = "psk:"


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def hub_keys(store: Store) -> KeyPair:
    row = hubstate.current_key(store, "hub")
    if row is None:
        raise InvalidInput(t("sync.hub.no_keys"))
    return KeyPair.from_row(row)


def issue_code(store: Store, *, device: str, role: str, ambito: str | None = None,
               volunteer_id: str | None = None, ttl_hours: float = CODE_TTL_HOURS,
               now: dt.datetime | None = None) -> str:
    """Register a single-use code for ``device`` and return its text (one line)."""
    keys = hub_keys(store)
    roles = [r.value for r in Role]
    if role not in roles:
        raise InvalidInput(t("sync.hub.bad_role", role=role, allowed=", ".join(roles)),
                           field="role", allowed=roles)
    ambiti = [a.value for a in Ambito]
    if ambito is not None and ambito not in ambiti:
        raise InvalidInput(t("sync.hub.bad_ambito", ambito=ambito, allowed=", ".join(ambiti)),
                           field="ambito", allowed=ambiti)
    if role == Role.volunteer and not volunteer_id:
        raise InvalidInput(t("sync.hub.volunteer_needed"), field="volunteer")
    if role != Role.volunteer and not ambito:
        raise InvalidInput(t("sync.hub.ambito_needed", role=role), field="ambito",
                           allowed=ambiti)
    if volunteer_id is not None:
        _check_volunteer(store, volunteer_id)
    existing = hubstate.device_by_name(store, device)
    if existing is not None and existing["revoked_at"] is None:
        raise InvalidInput(t("sync.hub.device_exists", name=device), field="device")
    now = now or store.clock.now()
    code = EnrollCode(os.urandom(5).hex(), os.urandom(16), keys.kid, tls.current_pin(store))
    hubstate.add_token(store, token_id=code.token_id, device_name=device, role=role,
                       ambito=ambito, volunteer_id=volunteer_id, secret=code.secret,
                       created_at=_iso(now), expires_at=_iso(now + dt.timedelta(hours=ttl_hours)))
    store.record_event("sync.enroll_code", f"{device} {role} {code.token_id}")
    return code.text()


def _check_volunteer(store: Store, volunteer_id: str) -> None:
    """A volunteer's device is tied to a live volunteer record of this hub."""
    try:
        store.get("volunteer", volunteer_id)
    except (NotFound, InvalidInput):
        raise InvalidInput(t("err.ref_missing", field="volunteer", kind="volunteer",
                             id=volunteer_id), field="volunteer") from None


# ---------------------------------------------------------------------------- device side
def device_keys(store: Store) -> KeyPair | None:
    row = hubstate.current_key(store, "device")
    return KeyPair.from_row(row) if row else None


def start(store: Store, code_text: str) -> EnrollCode:
    """Remember the code and make this device's keys (kept if they already exist)."""
    code = EnrollCode.parse(code_text)
    if device_keys(store) is None:
        pair = KeyPair.generate()
        sign_sk, box_sk = pair.secrets()
        hubstate.add_key(store, kid=pair.kid, owner="device", sign_sk=sign_sk, box_sk=box_sk,
                         created_at=store.now_iso(), retire_others=True)
    hubstate.set_hub(store, {"enroll_token": code.token_id, "enroll_secret": code.secret,
                             "enroll_fpr": code.hub_kid, "tls_pins": code.tls_pin})
    return code


def pending_code(store: Store) -> EnrollCode | None:
    hub = hubstate.get_hub(store)
    if hub is None or not hub.get("enroll_token") or not hub.get("enroll_secret"):
        return None
    return EnrollCode(hub["enroll_token"], bytes(hub["enroll_secret"]), hub["enroll_fpr"])


def request_fields(store: Store, pair: KeyPair, token_id: str) -> dict[str, Any]:
    ident = store.identity
    return {"token_id": token_id, "device_id": ident.device_id,
            "verify_key": pair.verify_key.hex(), "box_pk": pair.box_pk.hex(),
            "operator": ident.operator}


def write_request(store: Store, out_dir: Path) -> envelope.Sealed:
    """The enroll bundle for the pending code, in ``out_dir``."""
    code = pending_code(store)
    pair = device_keys(store)
    if code is None or pair is None:
        raise BundleRefused("not_enrolled")
    request = request_fields(store, pair, code.token_id)
    ck = os.urandom(32)
    wrapped = b64e(bytes(SecretBox(wrap_key(code.secret)).encrypt(ck)))
    spec = Outgoing(kind="enroll", sender=store.identity.device_id, seq=0, prev=None,
                    created_hlc=store.stamp(), created_at=store.now_iso(),
                    recipients={PSK + code.token_id: wrapped},
                    enrollment={"request": request, "mac": enroll_mac(code.secret, request)},
                    schema=schema_for(()))  # no changes: any reader takes it
    bundle_id = uuid7()
    name = f"enroll-{safe_name(store.identity.device_name or store.identity.device_id)}.fwb"
    sealed, _ = write(out_dir / name, spec, bundle_id, ck, pair, iter(()))
    return sealed


# ---------------------------------------------------------------------------- hub side
def register(store: Store, env: envelope.Envelope, *,
             now: dt.datetime | None = None) -> tuple[dict[str, Any], bool]:
    """Check an enroll bundle and register its device. Returns (device row, was new)."""
    header = env.header
    recipients = header["recipients"]
    keys = list(recipients)
    if len(keys) != 1 or not keys[0].startswith(PSK):
        raise BundleRefused("enroll_code", "no code")
    token_id = keys[0][len(PSK):]
    token = hubstate.get_token(store, token_id)
    if token is None:
        raise BundleRefused("enroll_code", token_id)
    moment = _iso(now or store.clock.now())
    if token["used_at"] is not None:
        return _retry(store, env, token, moment), False
    if token["expires_at"] < moment:
        raise BundleRefused("enroll_expired", token["expires_at"])
    vk = bytes.fromhex(header["sender_vk"])
    envelope.verify(env, vk)
    secret = bytes(token["secret"])
    try:
        ck = bytes(SecretBox(wrap_key(secret)).decrypt(b64d(recipients[keys[0]])))
    except (CryptoError, ValueError):
        raise BundleRefused("enroll_mac") from None
    payload = Payload(env, ck)
    payload.drain()
    body = payload.enrollment or {}
    request, mac = body.get("request"), body.get("mac")
    if payload.count or not isinstance(request, dict) or not isinstance(mac, str):
        raise BundleRefused("bag", "enrollment request")
    if not check_mac(secret, request, mac):
        raise BundleRefused("enroll_mac")
    if (request.get("token_id") != token_id or request.get("device_id") != header["sender"]
            or request.get("verify_key") != header["sender_vk"]):
        raise BundleRefused("enroll_mac")
    try:
        box_pk = bytes.fromhex(str(request.get("box_pk")))
    except ValueError:
        raise BundleRefused("bag", "box_pk") from None
    if len(box_pk) != 32:
        raise BundleRefused("bag", "box_pk")
    device = {
        "device_id": header["sender"], "name": token["device_name"], "role": token["role"],
        "ambito": token["ambito"], "volunteer_id": token["volunteer_id"],
        "kid": kid_of(vk), "sign_pk": vk, "box_pk": box_pk, "enrolled_at": moment,
    }
    try:
        hubstate.register_device(store, token_id, device, moment)
    except InvalidInput:
        raise BundleRefused("enroll_used", token_id) from None
    store.record_event("sync.enrolled", f"{device['name']} {device['device_id']}")
    registered = hubstate.device_by_id(store, header["sender"])
    assert registered is not None
    return registered, True


def precheck_request(store: Store, header: dict[str, Any]) -> None:
    """The cheap part of :func:`register`, from the header alone (the HTTP hub runs it
    before storing a body): a code that exists and can still be used by this sender."""
    keys = list(header["recipients"])
    if len(keys) != 1 or not keys[0].startswith(PSK):
        raise BundleRefused("enroll_code", "no code")
    token = hubstate.get_token(store, keys[0][len(PSK):])
    if token is None:
        raise BundleRefused("enroll_code", keys[0][len(PSK):])
    moment = _iso(store.clock.now())
    if token["used_at"] is None:
        if token["expires_at"] < moment:
            raise BundleRefused("enroll_expired", token["expires_at"])
        return
    done = hubstate.device_by_id(store, token["device_id"] or "")
    if done is not None and done["revoked_at"] is not None \
            and done["kid"] == header["sender_kid"]:
        raise BundleRefused("revoked", done["name"])
    if done is None or done["kid"] != header["sender_kid"] or done["in_seq"] \
            or done["last_seen"] or token["expires_at"] < moment:
        raise BundleRefused("enroll_used", token["token_id"])


def _retry(store: Store, env: envelope.Envelope, token: dict[str, Any],
           moment: str) -> dict[str, Any]:
    """The same request again, after a lost reply. It works only for the device it enrolled,
    signed by that device, while that device is not revoked, has not synced with its own
    keys yet (the request is useless after the first real sync) and the code has not
    expired: an old ``enroll-*.fwb`` left on a lost laptop gets nothing."""
    header = env.header
    done = hubstate.device_by_id(store, token["device_id"] or "")
    if done is None or done["kid"] != header["sender_kid"] \
            or done["device_id"] != header["sender"]:
        raise BundleRefused("enroll_used", token["token_id"])
    if done["revoked_at"] is not None:
        raise BundleRefused("revoked", done["name"])
    if done["in_seq"] or done["last_seen"] or token["expires_at"] < moment:
        raise BundleRefused("enroll_used", token["token_id"])
    envelope.verify(env, bytes(done["sign_pk"]))
    return done


def certificate(store: Store, device: dict[str, Any]) -> dict[str, Any]:
    """What the device learns from the hub: who it is, and the hub's public keys."""
    keys = hub_keys(store)
    return {
        "certificate": {
            "device_id": device["device_id"], "name": device["name"], "role": device["role"],
            "ambito": device["ambito"], "volunteer_id": device["volunteer_id"],
            "device_kid": device["kid"], "hub_id": store.identity.device_id,
            "hub_name": store.meta().get("hub_name") or store.identity.device_name,
            "hub_kid": keys.kid, "hub_verify_key": keys.verify_key.hex(),
            "hub_box_pk": keys.box_pk.hex(), "issued_at": store.now_iso(),
            "tls_pins": tls.pins(store),
        }
    }
