"""Keys, fingerprints, canonical JSON and the enrollment code.

Every party has an Ed25519 signing key and an X25519 box key. A key id (``kid``) is the
first 16 bytes of BLAKE2b of the Ed25519 public key, in hex: it is also the fingerprint an
enrollment code carries for the hub.

Enrollment codes: ``FW1-`` + base32(token 5 | secret 16 | hub kid 16 | check 3), 64
characters; a hub with its own TLS certificate issues ``FW2-`` + base32(token 5 | secret 16 |
hub kid 16 | TLS pin 20 | check 3), 96 characters, where the pin is the first 20 bytes of the
certificate's SHA-256. Both are accepted; the check is 3 bytes of BLAKE2b of what precedes.
"""

from __future__ import annotations

import base64
import hmac
from dataclasses import dataclass
from typing import Any

import rfc8785
from nacl import encoding
from nacl import hash as nhash
from nacl.public import PrivateKey, PublicKey
from nacl.signing import SigningKey, VerifyKey

from fieldwelfare.errors import InvalidInput
from fieldwelfare.i18n import t

KID_BYTES = 16
TOKEN_BYTES = 5
SECRET_BYTES = 16
CHECK_BYTES = 3
CODE_PREFIX = "FW1"
CODE_PREFIX_TLS = "FW2"
PIN_BYTES = 20
"""How much of the hub's TLS certificate fingerprint an ``FW2`` code carries (160 bits)."""


def canonical(obj: Any) -> bytes:
    """RFC 8785 canonical JSON: the bytes that are signed and MACed."""
    return bytes(rfc8785.dumps(obj))


def kid_of(verify_key: bytes) -> str:
    return str(nhash.blake2b(verify_key, digest_size=KID_BYTES,
                             encoder=encoding.HexEncoder).decode())


def b64e(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64d(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


@dataclass(frozen=True)
class KeyPair:
    """A party's private keys (kept in the store's ``sync_key`` table)."""

    sign: SigningKey
    box: PrivateKey

    @classmethod
    def generate(cls) -> KeyPair:
        return cls(SigningKey.generate(), PrivateKey.generate())

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> KeyPair:
        return cls(SigningKey(bytes(row["sign_sk"])), PrivateKey(bytes(row["box_sk"])))

    @property
    def verify_key(self) -> bytes:
        return bytes(self.sign.verify_key)

    @property
    def box_pk(self) -> bytes:
        return bytes(self.box.public_key)

    @property
    def kid(self) -> str:
        return kid_of(self.verify_key)

    def secrets(self) -> tuple[bytes, bytes]:
        return bytes(self.sign), bytes(self.box)


def verify_key(raw: bytes) -> VerifyKey:
    return VerifyKey(raw)


def box_key(raw: bytes) -> PublicKey:
    return PublicKey(raw)


# ---------------------------------------------------------------------------- enrollment
def enroll_mac(secret: bytes, request: dict[str, Any]) -> str:
    """Keyed BLAKE2b of the canonical request: proves the device holds the code's secret."""
    return str(nhash.blake2b(canonical(request), key=secret, digest_size=32,
                             person=b"fw-enroll-mac-v1", encoder=encoding.HexEncoder).decode())


def check_mac(secret: bytes, request: dict[str, Any], mac: str) -> bool:
    return hmac.compare_digest(enroll_mac(secret, request), mac)


def wrap_key(secret: bytes) -> bytes:
    """The symmetric key that seals an enrollment request's content key."""
    return bytes(nhash.blake2b(secret, digest_size=32, person=b"fw-enroll-wrap1",
                               encoder=encoding.RawEncoder))


@dataclass(frozen=True)
class EnrollCode:
    token_id: str
    """10 hex characters: names the code on the hub."""
    secret: bytes
    """16 random bytes: never leaves the code except as a MAC key."""
    hub_kid: str
    """The hub's key fingerprint: the device trusts only a hub whose key hashes to it."""
    tls_pin: str | None = None
    """``FW2`` codes: the first :data:`PIN_BYTES` bytes of the SHA-256 of the hub's TLS
    certificate, in hex (a device talks ``https://`` only to a server showing it)."""

    def text(self) -> str:
        raw = bytes.fromhex(self.token_id) + self.secret + bytes.fromhex(self.hub_kid)
        prefix = CODE_PREFIX
        if self.tls_pin:
            raw += bytes.fromhex(self.tls_pin)[:PIN_BYTES]
            prefix = CODE_PREFIX_TLS
        raw += nhash.blake2b(raw, digest_size=CHECK_BYTES, encoder=encoding.RawEncoder)
        b32 = base64.b32encode(raw).decode("ascii")
        return prefix + "-" + "-".join(b32[i:i + 8] for i in range(0, len(b32), 8))

    @classmethod
    def parse(cls, text: str) -> EnrollCode:
        cleaned = "".join(text.split()).replace("-", "").upper()
        prefix = cleaned[:len(CODE_PREFIX)]
        if prefix not in (CODE_PREFIX, CODE_PREFIX_TLS):
            raise InvalidInput(t("sync.dev.bad_code"), field="code")
        try:
            raw = base64.b32decode(cleaned[len(prefix):])
        except ValueError:
            raise InvalidInput(t("sync.dev.bad_code"), field="code") from None
        base = TOKEN_BYTES + SECRET_BYTES + KID_BYTES
        size = base + (PIN_BYTES if prefix == CODE_PREFIX_TLS else 0)
        body, check = raw[:size], raw[size:]
        expected = nhash.blake2b(body, digest_size=CHECK_BYTES, encoder=encoding.RawEncoder)
        if len(raw) != size + CHECK_BYTES or not hmac.compare_digest(check, expected):
            raise InvalidInput(t("sync.dev.bad_code"), field="code")
        return cls(body[:TOKEN_BYTES].hex(), body[TOKEN_BYTES:TOKEN_BYTES + SECRET_BYTES],
                   body[TOKEN_BYTES + SECRET_BYTES:base].hex(),
                   body[base:].hex() if size > base else None)
