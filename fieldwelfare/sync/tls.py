"""TLS without a certificate authority: the hub's self-signed certificate and the pin.

The hub makes its own certificate (``hub init --tls``, ``hub tls-cert``): ECDSA P-256,
self-signed, with the host names and addresses it answers on, kept beside the hub database
in ``hub-tls/`` (the key 0600). Its SHA-256 fingerprint (of the DER certificate) is in the
hub's ``meta`` (``tls_fpr``), goes into every enrollment code (``FW2`` codes: its first
:data:`.keys.PIN_BYTES` bytes) and into every reply's certificate (``tls_pins``, in full).

A device that holds pins talks to an ``https://`` hub with :func:`pinned_context`: no
certificate authority, no host-name check, only "is the certificate the server showed one
of my pins", checked right after the handshake, before a byte of the bundle is sent.

Renewal: a second ``hub tls-cert`` does not replace the certificate being served; it
prepares the next one (``hub-tls/next.*``, ``meta.tls_next_fpr``). Replies then carry both
fingerprints, so each device learns the new one on its next sync over the connection it
already trusts (or by USB: a reply is signed by the hub key, the transport does not matter).
``hub tls-cert --activate`` makes the next certificate the current one (restart
``hub serve``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import os
import re
import ssl
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from fieldwelfare.errors import InvalidInput
from fieldwelfare.i18n import t
from fieldwelfare.store.store import Store
from fieldwelfare.sync.keys import PIN_BYTES

CERT_DAYS = 730
DEFAULT_HOSTS = ("localhost", "127.0.0.1")
MIN_PIN_HEX = 2 * PIN_BYTES
"""The shortest pin accepted: what an ``FW2`` enrollment code carries (160 bits)."""
CURRENT, NEXT = "tls_fpr", "tls_next_fpr"
_HEX = re.compile(r"[0-9a-f]{40,64}")
_DNS = re.compile(r"(?=.{1,253}$)([A-Za-z0-9*]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)"
                  r"(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?")


@dataclass(frozen=True)
class CertFiles:
    cert: Path
    key: Path

    def exist(self) -> bool:
        return self.cert.is_file() and self.key.is_file()


def tls_dir(store: Store) -> Path:
    return Path(store.path).resolve().parent / "hub-tls"


def files(store: Store, *, staged: bool = False) -> CertFiles:
    stem = "next" if staged else "hub"
    folder = tls_dir(store)
    return CertFiles(folder / f"{stem}.crt", folder / f"{stem}.key")


def fingerprint(der: bytes) -> str:
    """SHA-256 of a DER certificate, 64 lowercase hex characters."""
    return hashlib.sha256(der).hexdigest()


def file_fingerprint(path: Path) -> str:
    pem = path.read_text(encoding="ascii")
    return fingerprint(ssl.PEM_cert_to_DER_cert(pem))


# ---------------------------------------------------------------------------- hub side
def pins(store: Store) -> list[str]:
    """The fingerprints a reply tells devices to trust: the current one, then the next."""
    meta = store.meta()
    return [meta[k] for k in (CURRENT, NEXT) if meta.get(k)]


def current_pin(store: Store) -> str | None:
    return store.meta().get(CURRENT) or None


def make(store: Store, *, hosts: Sequence[str] = DEFAULT_HOSTS,
         days: int = CERT_DAYS) -> tuple[str, bool]:
    """Make the hub's certificate, or (if it has one) the next one. Returns
    ``(fingerprint, staged)``."""
    names = _checked_hosts(hosts)
    if days < 1:
        raise InvalidInput(t("sync.tls.bad_days"), field="days")
    staged = bool(current_pin(store)) and files(store).exist()
    target = files(store, staged=staged)
    hub_name = store.meta().get("hub_name") or store.identity.device_name or "fieldwelfare hub"
    cert_pem, key_pem = _self_signed(hub_name, names, days, store.now())
    fpr = fingerprint(ssl.PEM_cert_to_DER_cert(cert_pem.decode("ascii")))
    _write(target.key, key_pem, 0o600)
    _write(target.cert, cert_pem, 0o644)
    store.set_meta({NEXT if staged else CURRENT: fpr})
    store.record_event("sync.tls_cert", f"{'next' if staged else 'current'} {fpr}")
    return fpr, staged


def activate(store: Store) -> str:
    """The prepared certificate becomes the one served (after ``hub serve`` restarts)."""
    nxt, cur = files(store, staged=True), files(store)
    fpr = store.meta().get(NEXT)
    if not fpr or not nxt.exist():
        raise InvalidInput(t("sync.tls.no_next"), field="activate")
    if file_fingerprint(nxt.cert) != fpr:
        raise InvalidInput(t("sync.tls.mismatch", path=nxt.cert), field="activate")
    nxt.key.replace(cur.key)
    nxt.cert.replace(cur.cert)
    store.set_meta({CURRENT: fpr, NEXT: None})
    store.record_event("sync.tls_activate", fpr)
    return fpr


def served(store: Store) -> tuple[CertFiles, str] | None:
    """The hub's own certificate and its fingerprint, if it has one (checked against the
    fingerprint in the hub's state: devices would refuse any other)."""
    cur = files(store)
    fpr = current_pin(store)
    if not fpr:
        return None
    if not cur.exist():  # serving plain HTTP instead would only confuse the devices
        raise InvalidInput(t("sync.tls.missing", path=cur.cert), field="tls-cert")
    if file_fingerprint(cur.cert) != fpr:
        raise InvalidInput(t("sync.tls.mismatch", path=cur.cert), field="tls-cert")
    return cur, fpr


def _checked_hosts(hosts: Iterable[str]) -> list[str]:
    names = list(dict.fromkeys(h.strip() for h in hosts if h.strip()))
    if not names:
        raise InvalidInput(t("sync.tls.bad_host", host=""), field="host")
    for name in names:
        try:
            ipaddress.ip_address(name)
        except ValueError:
            if not name.isascii() or not _DNS.fullmatch(name):
                raise InvalidInput(t("sync.tls.bad_host", host=name), field="host") from None
    return names


def _self_signed(hub_name: str, hosts: Sequence[str], days: int,
                 now: dt.datetime) -> tuple[bytes, bytes]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hub_name[:64])])
    alt: list[x509.GeneralName] = []
    for host in hosts:
        try:
            alt.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            alt.append(x509.DNSName(host))
    start = now.astimezone(dt.UTC) - dt.timedelta(minutes=5)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start).not_valid_after(start + dt.timedelta(days=days))
        .add_extension(x509.SubjectAlternativeName(alt), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=False, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=False,
            crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                       critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


def _write(path: Path, data: bytes, mode: int) -> None:
    """Write ``data`` to a new file with ``mode`` from the start, then rename it in place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    part.unlink(missing_ok=True)
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(part, mode)  # the umask may have narrowed or not: exactly ``mode``
    part.replace(path)


# ---------------------------------------------------------------------------- device side
def valid_pins(values: Iterable[object]) -> list[str]:
    """The well-formed pins among ``values`` (hex, 40 to 64 characters)."""
    return [v for v in values if isinstance(v, str) and _HEX.fullmatch(v)]


def matches(fpr: str, pinned: Iterable[str]) -> bool:
    """True when ``fpr`` (a full SHA-256) is one of ``pinned`` (full or an FW2 prefix)."""
    return any(len(p) >= MIN_PIN_HEX and fpr.startswith(p) for p in pinned)


class PinMismatch(Exception):
    """The server's certificate is not a pinned one (deliberately not an ``OSError``: it
    must not look like a network error that the client retries)."""

    def __init__(self, fpr: str) -> None:
        self.fpr = fpr
        super().__init__(fpr)


class _PinnedSocket(ssl.SSLSocket):
    pins: tuple[str, ...] = ()

    def do_handshake(self, block: bool = False) -> None:
        super().do_handshake(block)
        der = self.getpeercert(binary_form=True)
        fpr = fingerprint(der) if der else ""
        if not matches(fpr, self.pins):
            self.close()  # this socket owns the connection now: close it, send nothing
            raise PinMismatch(fpr)


class _PinnedObject(ssl.SSLObject):
    """The same check for TLS over memory buffers (``wrap_bio``: httpcore's TLS inside an
    HTTPS proxy's tunnel), where :class:`_PinnedSocket` is not used."""

    pins: tuple[str, ...] = ()

    def do_handshake(self) -> None:
        super().do_handshake()
        der = self.getpeercert(binary_form=True)
        fpr = fingerprint(der) if der else ""
        if not matches(fpr, self.pins):
            raise PinMismatch(fpr)


def pinned_context(pinned: Sequence[str]) -> ssl.SSLContext:
    """A client context that trusts exactly the certificates in ``pinned``.

    No CA and no host name: the check is the certificate's SHA-256, made by the socket
    right after the handshake (which proves the server holds the certificate's key),
    before any request is written."""
    good = tuple(p for p in valid_pins(pinned) if len(p) >= MIN_PIN_HEX)
    if not good:
        raise ValueError("no pins")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.sslsocket_class = type("PinnedSSLSocket", (_PinnedSocket,), {"pins": good})
    context.sslobject_class = type("PinnedSSLObject", (_PinnedObject,), {"pins": good})
    return context
