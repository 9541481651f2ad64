"""Key slots, as LUKS does: who can open an encrypted database.

The database key is 32 random bytes (a raw SQLCipher key: opening costs no PBKDF2). It
never sits on disk in the clear: the slots file beside the database (``<db>.keys``, 0600)
holds it sealed (X25519 sealed box) to each slot's public key. A slot's private key is:

- for an **operator**, encrypted with a key derived from their passphrase (Argon2id,
  PyNaCl ``pwhash``; the cost is recorded per slot);
- for the **recovery key** (printed once at ``init``, kept on paper), derived from it.

So re-keying (an operator removed with ``--rekey``) seals the new key to every remaining
slot without knowing anyone's passphrase. Failed unlocks are counted in the file (the
database is closed then) and written to the audit log at the next unlock.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nacl.encoding
import nacl.exceptions
import nacl.pwhash
import nacl.utils
from nacl.hash import blake2b
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.secret import SecretBox

from fieldwelfare.errors import FieldWelfareError, InvalidInput
from fieldwelfare.i18n import t

FORMAT = "fieldwelfare-keyslots"
KEY_BYTES = 32
MIN_PASSPHRASE = 10
RECOVERY = "recovery"
OPS = nacl.pwhash.argon2id.OPSLIMIT_INTERACTIVE
MEM = nacl.pwhash.argon2id.MEMLIMIT_INTERACTIVE
FAST_KDF_ENV = "FIELDWELFARE_INSECURE_FAST_KDF"
"""Tests only: slots made with the minimum Argon2id cost (``doctor`` reports them)."""

_OBVIOUS = {"password", "passw0rd", "password1", "qwertyuiop", "1234567890", "0123456789",
            "passwordpassword", "qwerty", "asdfghjkl", "admin", "changeme", "segreto",
            "segretissimo", "parolachiave", "parolasegreta", "passphrase", "lamiapassword",
            "abcdefghij", "fieldwelfare", "consorzio", "girasole", "lecco", "assistente",
            "volontario", "coordinatore", "amministratore", "iloveyou", "letmein",
            "welcome", "benvenuto", "ciao"}


class Locked(FieldWelfareError):
    """The database could not be unlocked (wrong or missing passphrase): exit 4."""

    exit_code = 4


class Unreadable(FieldWelfareError):
    """The key slots opened, but the database file does not (damaged, or not the file these
    keys belong to): exit 1, like any database that cannot be opened."""

    exit_code = 1


@dataclass(frozen=True)
class Slot:
    name: str
    kind: str
    """``operator`` or ``recovery``."""
    created_at: str
    weak: bool
    """Made with less than the standard Argon2id cost (tests)."""


def slots_path(db: Path | str) -> Path:
    return Path(f"{db}.keys")


def new_key() -> bytes:
    return nacl.utils.random(KEY_BYTES)


def key_check(key: bytes) -> str:
    """A short digest that tells the right key from a wrong one without revealing it."""
    return blake2b(key, digest_size=16, person=b"fw-key-check").decode()


def _cost() -> tuple[int, int]:
    if os.environ.get(FAST_KDF_ENV):
        return nacl.pwhash.argon2id.OPSLIMIT_MIN, nacl.pwhash.argon2id.MEMLIMIT_MIN
    return OPS, MEM


def check_passphrase(passphrase: str, *, names: tuple[str, ...] = ()) -> None:
    """Refuse what is short or obvious (InvalidInput naming the rule)."""
    text = passphrase.strip()
    lowered = re.sub(r"[\s\-_.!?]", "", text.lower())
    letters = re.sub(r"[^a-zà-ù]", "", lowered)  # "password123", "Password!!!"
    half = len(lowered) // 2
    if len(text) < MIN_PASSPHRASE:
        raise InvalidInput(t("keys.short", n=MIN_PASSPHRASE), field="passphrase")
    if (lowered in _OBVIOUS or letters in _OBVIOUS or len(set(lowered)) <= 3
            or lowered.isdigit() or len(set(letters)) <= 2
            or (half >= 3 and lowered[:half] == lowered[half:2 * half])
            or any(word in _OBVIOUS for word in re.findall(r"[a-zà-ù]+", lowered)
                   if len(word) >= len(letters) - 2)
            or lowered in "abcdefghijklmnopqrstuvwxyz0123456789qwertyuiopasdfghjklzxcvbnm"):
        raise InvalidInput(t("keys.obvious"), field="passphrase")
    if any(len(n) >= 4 and re.sub(r"\s", "", n.lower()) in lowered for n in names):
        raise InvalidInput(t("keys.has_name"), field="passphrase")


# ---------------------------------------------------------------------------- file
def read(db: Path | str) -> dict[str, Any]:
    path = slots_path(db)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise Locked(t("keys.no_slots", path=path)) from None
    except (OSError, ValueError) as exc:
        raise Locked(t("keys.bad_slots", path=path, detail=exc)) from None
    if not isinstance(data, dict) or not _well_formed(data):
        raise Locked(t("keys.bad_slots", path=path, detail="format"))
    return data


_SLOT_KEYS = {"name", "kind", "pk", "sealed", "created_at"}
_OPERATOR_KEYS = {"salt", "opslimit", "memlimit", "sk"}


def _well_formed(data: object) -> bool:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return False
    slots = data.get("slots")
    if not isinstance(slots, list) or not isinstance(data.get("key_check"), str):
        return False
    for slot in slots:
        if not isinstance(slot, dict) or not slot.keys() >= _SLOT_KEYS:
            return False
        if slot["kind"] == "operator" and not slot.keys() >= _OPERATOR_KEYS:
            return False
        if not all(isinstance(slot[k], str) for k in ("name", "kind", "pk", "sealed")):
            return False
    return isinstance(data.get("failures", []), list)


def write(db: Path | str, data: dict[str, Any]) -> None:
    """Atomically, 0600 from the first byte."""
    path = slots_path(db)
    part = path.with_name(path.name + ".part")
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=1, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())
    part.replace(path)


def _hex(data: bytes) -> str:
    return data.hex()


def _operator_slot(name: str, passphrase: str, key: bytes, now: str) -> dict[str, Any]:
    private = PrivateKey.generate()
    salt = nacl.utils.random(nacl.pwhash.argon2id.SALTBYTES)
    ops, mem = _cost()
    kek = nacl.pwhash.argon2id.kdf(KEY_BYTES, passphrase.encode("utf-8"), salt,
                                   opslimit=ops, memlimit=mem)
    return {"name": name, "kind": "operator", "created_at": now,
            "pk": _hex(bytes(private.public_key)), "salt": _hex(salt), "opslimit": ops,
            "memlimit": mem, "sk": _hex(SecretBox(kek).encrypt(bytes(private))),
            "sealed": _hex(SealedBox(private.public_key).encrypt(key))}


def _recovery_private(text: str) -> PrivateKey:
    raw = re.sub(r"[^A-Z2-7]", "", text.upper())
    try:
        secret = base64.b32decode(raw + "=" * (-len(raw) % 8))
    except ValueError:
        raise Locked(t("keys.bad_recovery")) from None
    if len(secret) != KEY_BYTES:
        raise Locked(t("keys.bad_recovery"))
    return PrivateKey(blake2b(secret, digest_size=32, person=b"fw-recovery-key",
                              encoder=nacl.encoding.RawEncoder))


def _recovery_text(secret: bytes) -> str:
    raw = base64.b32encode(secret).decode().rstrip("=")
    return "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def create(db: Path | str, key: bytes, *, operator: str, passphrase: str, now: str) -> str:
    """The slots file for a new encrypted database; returns the recovery key's text."""
    secret = nacl.utils.random(KEY_BYTES)
    recovery = _recovery_private(_recovery_text(secret))
    data = {"format": FORMAT, "v": 1, "cipher": "sqlcipher4", "key_check": key_check(key),
            "slots": [_operator_slot(operator, passphrase, key, now),
                      {"name": RECOVERY, "kind": RECOVERY, "created_at": now,
                       "pk": _hex(bytes(recovery.public_key)),
                       "sealed": _hex(SealedBox(recovery.public_key).encrypt(key))}],
            "failures": []}
    write(db, data)
    return _recovery_text(secret)


def slots(db: Path | str) -> list[Slot]:
    return [Slot(s["name"], s["kind"], s["created_at"],
                 s["kind"] == "operator" and (s["opslimit"] < OPS or s["memlimit"] < MEM))
            for s in read(db)["slots"]]


def operators(db: Path | str) -> list[str]:
    return [s.name for s in slots(db) if s.kind == "operator"]


def _find(data: dict[str, Any], name: str) -> dict[str, Any] | None:
    return next((s for s in data["slots"] if s["kind"] == "operator" and s["name"] == name),
                None)


def _open(data: dict[str, Any], slot: dict[str, Any], private: PrivateKey,
          which: str = "") -> bytes:
    try:
        key = SealedBox(private).decrypt(bytes.fromhex(slot["sealed" + which]))
        if key_check(key) != data["key_check" + which]:
            raise Locked(t("keys.damaged"))
    except (nacl.exceptions.CryptoError, KeyError, TypeError, ValueError):
        raise Locked(t("keys.damaged")) from None
    return key


def _keys(data: dict[str, Any], slot: dict[str, Any], private: PrivateKey) -> list[bytes]:
    """The current key, then the staged one of a re-key in progress (if any)."""
    keys = [_open(data, slot, private)]
    if "key_check_next" in data:
        with contextlib.suppress(Locked):
            keys.append(_open(data, slot, private, "_next"))
    return keys


def stage(db: Path | str, new: bytes) -> None:
    """Before a re-key: seal the new key to every slot beside the current one, so that a
    crash at any point leaves a key that opens the database."""
    data = read(db)
    for slot in data["slots"]:
        slot["sealed_next"] = _hex(SealedBox(PublicKey(bytes.fromhex(slot["pk"])))
                                   .encrypt(new))
    data["key_check_next"] = key_check(new)
    write(db, data)


def promote(db: Path | str) -> None:
    """After a re-key: the staged key becomes the current one."""
    data = read(db)
    if "key_check_next" not in data:
        return
    for slot in data["slots"]:
        slot["sealed"] = slot.pop("sealed_next")
    data["key_check"] = data.pop("key_check_next")
    write(db, data)


def unlock(db: Path | str, operator: str, passphrase: str) -> bytes:
    """The database key, for an operator's passphrase (Locked if wrong or unknown)."""
    return keys_for(db, operator, passphrase)[0]


def keys_for(db: Path | str, operator: str, passphrase: str) -> list[bytes]:
    """The keys an operator's passphrase opens: the current one, and a staged one."""
    data = read(db)
    slot = _find(data, operator)
    if slot is None:
        raise Locked(t("keys.wrong"))
    kek = nacl.pwhash.argon2id.kdf(KEY_BYTES, passphrase.encode("utf-8"),
                                   bytes.fromhex(slot["salt"]), opslimit=slot["opslimit"],
                                   memlimit=slot["memlimit"])
    try:
        private = PrivateKey(SecretBox(kek).decrypt(bytes.fromhex(slot["sk"])))
    except nacl.exceptions.CryptoError:
        raise Locked(t("keys.wrong")) from None
    return _keys(data, slot, private)


def unlock_recovery(db: Path | str, recovery: str) -> bytes:
    return keys_for_recovery(db, recovery)[0]


def keys_for_recovery(db: Path | str, recovery: str) -> list[bytes]:
    data = read(db)
    slot = next((s for s in data["slots"] if s["kind"] == RECOVERY), None)
    if slot is None:
        raise Locked(t("keys.bad_recovery"))
    private = _recovery_private(recovery)
    if bytes(private.public_key).hex() != slot["pk"]:
        raise Locked(t("keys.bad_recovery"))
    return _keys(data, slot, private)


def add_operator(db: Path | str, key: bytes, name: str, passphrase: str, now: str) -> None:
    data = read(db)
    if key_check(key) != data["key_check"]:
        raise Locked(t("keys.damaged"))
    if _find(data, name) is not None or name == RECOVERY:
        raise InvalidInput(t("keys.exists", name=name), field="operator")
    check_passphrase(passphrase, names=(name,))
    data["slots"].append(_operator_slot(name, passphrase, key, now))
    write(db, data)


def set_passphrase(db: Path | str, key: bytes, name: str, passphrase: str, now: str) -> None:
    data = read(db)
    slot = _find(data, name)
    if slot is None:
        raise InvalidInput(t("keys.unknown", name=name), field="operator")
    check_passphrase(passphrase, names=(name,))
    data["slots"][data["slots"].index(slot)] = _operator_slot(name, passphrase, key, now)
    write(db, data)


def remove_operator(db: Path | str, name: str) -> None:
    data = read(db)
    slot = _find(data, name)
    if slot is None:
        raise InvalidInput(t("keys.unknown", name=name), field="operator")
    if sum(1 for s in data["slots"] if s["kind"] == "operator") == 1:
        raise InvalidInput(t("keys.last_operator"), field="operator")
    data["slots"].remove(slot)
    write(db, data)


def copy(db: Path | str, target: Path | str) -> None:
    """The slots file of ``db`` beside ``target`` (a backup, a converted file)."""
    write(target, read(db))


# ---------------------------------------------------------------------------- failures
def record_failure(db: Path | str, operator: str, at: str) -> int:
    """Count a failed unlock; returns how many failed since the last success."""
    with contextlib.suppress(Locked):
        data = read(db)
        data.setdefault("failures", []).append({"at": at, "operator": operator[:120]})
        data["failures"] = data["failures"][-1000:]
        write(db, data)
        return len(data["failures"])
    return 0


def take_failures(db: Path | str) -> list[dict[str, str]]:
    """The failed unlocks since the last success (cleared: they go to the audit log)."""
    data = read(db)
    failures = list(data.get("failures") or [])
    if failures:
        data["failures"] = []
        write(db, data)
    return failures


def delay_after(failures: int) -> float:
    """Seconds to wait after the n-th failure in a row: 0, 1, 2, 4 ... up to 30."""
    return 0.0 if failures <= 1 else float(min(30, 2 ** (failures - 2)))
