"""The signed, encrypted envelope of a bundle file (``.fwb``), format version 1.

Layout (docs/bundle-format.md)::

    magic (8) | header length (u32 big-endian) | header (RFC 8785 JSON) | signature (64)
    | ciphertext = secretstream header (24) + chunks of 64 KiB plaintext (+17 bytes each)

The plaintext is the zlib-compressed tar of a BagIt bag. The signature is Ed25519 over
``DOMAIN || header || sha256(ciphertext)``; the first secretstream chunk carries, as
associated data, the hash of the header without its three length fields (known only once
the payload is written), so a ciphertext cannot be moved under another header. Every length
is declared in the header and checked against caps before any cryptographic work.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from nacl import bindings as nb
from nacl.exceptions import BadSignatureError, CryptoError
from nacl.signing import SigningKey, VerifyKey

from fieldwelfare.sync.errors import BundleRefused
from fieldwelfare.sync.keys import canonical, kid_of
from fieldwelfare.sync.records import SCHEMA_VERSION

MAGIC = b"\x89FWB\r\n\x1a\n"
DOMAIN = b"fieldwelfare/bundle/v1\x00"
FORMAT = "fieldwelfare-bundle"
VERSION = 1
READER_VERSION = 1
CHUNK = 64 * 1024
SS_HEADER = nb.crypto_secretstream_xchacha20poly1305_HEADERBYTES
SS_ABYTES = nb.crypto_secretstream_xchacha20poly1305_ABYTES
TAG_FINAL = nb.crypto_secretstream_xchacha20poly1305_TAG_FINAL
TAG_MESSAGE = nb.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
SIG_BYTES = 64
PREFIX = len(MAGIC) + 4

MAX_HEADER = 16 * 1024
MAX_RECIPIENTS = 16
MAX_PT = 2 * 1024**3
"""Compressed payload cap; exports split long before (FAT32 sticks hold < 4 GiB files)."""
MAX_TAR = 8 * 1024**3
MAX_RATIO = 64
"""A declared tar longer than 64x its compressed size (+1 MiB) is refused as a bomb."""
INFLATE_SIZE = 1024 * 1024
"""Decompressed bytes per step: memory stays bounded whatever the compression ratio."""
KINDS = ("changes", "reply", "enroll")
LENGTH_FIELDS = ("pt_len", "tar_len", "ct_len")
_REQUIRED: dict[str, type | tuple[type, ...]] = {
    "fmt": str, "v": int, "kind": str, "bundle_id": str, "sender": str, "sender_kid": str,
    "sender_vk": str, "recipients": dict, "seq": int, "prev": (str, type(None)),
    "created_hlc": str, "schema": int, "min_reader": int, "pt_len": int, "tar_len": int,
    "ct_len": int, "chunk": int, "comp": str,
}
_OPTIONAL: dict[str, type | tuple[type, ...]] = {"acks": dict}


def ct_length(pt_len: int) -> int:
    chunks = max(1, math.ceil(pt_len / CHUNK))
    return SS_HEADER + pt_len + chunks * SS_ABYTES


def binding_ad(header: dict[str, Any]) -> bytes:
    core = {k: v for k, v in header.items() if k not in LENGTH_FIELDS}
    return hashlib.sha256(DOMAIN + canonical(core)).digest()


@dataclass(frozen=True)
class Sealed:
    path: Path
    sha256: str
    size: int
    header: dict[str, Any]


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # directories cannot be opened on Windows
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def seal(path: Path, fields: dict[str, Any], *, ck: bytes, signer: SigningKey,
         payload: Iterable[bytes], level: int = 6, strict: bool = True) -> Sealed:
    """Write a bundle to ``path`` (never a partial file under that name). ``strict``: check
    the header as a reader will (tests turn it off to forge hostile bundles)."""
    vk = bytes(signer.verify_key)
    header = {**fields, "fmt": FORMAT, "v": VERSION, "sender_vk": vk.hex(),
              "sender_kid": kid_of(vk), "chunk": CHUNK, "comp": "zlib"}
    ct_tmp = path.with_name(path.name + ".ct.part")
    part = path.with_name(path.name + ".part")
    try:
        with open(ct_tmp, "wb") as out:
            pt_len, tar_len, ct_hash = _encrypt(out, header, ck, payload, level, strict)
            out.flush()
            os.fsync(out.fileno())
        header.update(pt_len=pt_len, tar_len=tar_len, ct_len=ct_length(pt_len))
        header_bytes = canonical(header)
        if strict:
            check_header(header_bytes)  # never write what a reader would refuse
        sig = signer.sign(DOMAIN + header_bytes + ct_hash).signature
        digest = hashlib.sha256()
        with open(part, "wb") as out, open(ct_tmp, "rb") as src:
            for piece in (MAGIC, len(header_bytes).to_bytes(4, "big"), header_bytes, sig):
                out.write(piece)
                digest.update(piece)
            while block := src.read(1024 * 1024):
                out.write(block)
                digest.update(block)
            out.flush()
            os.fsync(out.fileno())
            size = out.tell()
        os.replace(part, path)
        _fsync_dir(path.parent)
    finally:
        for leftover in (ct_tmp, part):
            leftover.unlink(missing_ok=True)
    return Sealed(path, digest.hexdigest(), size, header)


def _encrypt(out: BinaryIO, header: dict[str, Any], ck: bytes, payload: Iterable[bytes],
             level: int, bounded: bool = True) -> tuple[int, int, bytes]:
    state = nb.crypto_secretstream_xchacha20poly1305_state()
    ss_header = nb.crypto_secretstream_xchacha20poly1305_init_push(state, ck)
    ct_hash = hashlib.sha256(ss_header)
    out.write(ss_header)
    comp = zlib.compressobj(level)
    buffer = bytearray()
    pt_len = tar_len = 0
    ad: bytes | None = binding_ad(header)

    def push(chunk: bytes, tag: int) -> None:
        nonlocal ad
        block = nb.crypto_secretstream_xchacha20poly1305_push(state, chunk, ad, tag)
        ad = None
        ct_hash.update(block)
        out.write(block)

    def excess() -> int:
        return tar_len - WRITER_RATIO * (pt_len + len(buffer)) if bounded else -MAX_TAR

    for piece in payload:
        for part, fine in _slices(piece, excess):
            tar_len += len(part)
            buffer += comp.compress(part)
            if fine:  # over budget: make the output keep up
                buffer += comp.flush(zlib.Z_SYNC_FLUSH)
            while len(buffer) > CHUNK:
                push(bytes(buffer[:CHUNK]), TAG_MESSAGE)
                pt_len += CHUNK
                del buffer[:CHUNK]
    buffer += comp.flush()
    while len(buffer) > CHUNK:
        push(bytes(buffer[:CHUNK]), TAG_MESSAGE)
        pt_len += CHUNK
        del buffer[:CHUNK]
    push(bytes(buffer), TAG_FINAL)
    pt_len += len(buffer)
    return pt_len, tar_len, ct_hash.digest()


WRITER_RATIO = 48
"""The writer keeps ``tar_len <= 48 x compressed + 640 KiB``, inside the reader's 64:1 + 1 MiB,
whatever the data: a bag of very repetitive text (notes of 10,000 dashes) would otherwise
compress beyond what the reader accepts, and be refused for ever."""
COARSE_SLICE = 64 * 1024
FINE_SLICE = 128
"""Compressed with a sync flush after each (>= 5 bytes out), 128 bytes give at most ~26:1."""
_BUDGET = 512 * 1024


def _slices(piece: bytes, excess: Callable[[], int]) -> Iterator[tuple[bytes, bool]]:
    """``piece`` in slices, each with "flush after it": 64 KiB while the ratio budget
    allows, else 128 bytes followed by a sync flush (which emits at least 5 bytes);
    ``excess()`` is ``tar_len - WRITER_RATIO * compressed`` so far."""
    view = memoryview(piece)
    i = 0
    while i < len(view):
        fine = excess() + COARSE_SLICE >= _BUDGET
        size = FINE_SLICE if fine else COARSE_SLICE
        yield bytes(view[i:i + size]), fine
        i += size


# ---------------------------------------------------------------------------- reading
@dataclass(frozen=True)
class Envelope:
    path: Path
    header: dict[str, Any]
    header_bytes: bytes
    signature: bytes
    ct_offset: int

    @property
    def kind(self) -> str:
        return str(self.header["kind"])


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


def read_header(path: Path) -> Envelope:
    """Pre-authentication parse: magic, capped lengths, strict canonical JSON, versions."""
    size = path.stat().st_size
    with open(path, "rb") as f:
        start = f.read(PREFIX)
        if len(start) < len(MAGIC):
            raise BundleRefused("truncated", f"{size} bytes")
        if start[:len(MAGIC)] != MAGIC:
            raise BundleRefused("not_a_bundle")
        if len(start) < PREFIX:
            raise BundleRefused("truncated", f"{size} bytes")
        hlen = int.from_bytes(start[len(MAGIC):], "big")
        if hlen > MAX_HEADER:
            raise BundleRefused("too_large", f"header {hlen} > {MAX_HEADER} bytes")
        header_bytes = f.read(hlen)
        signature = f.read(SIG_BYTES)
    if len(header_bytes) < hlen or len(signature) < SIG_BYTES:
        raise BundleRefused("truncated", "header or signature")
    header = check_header(header_bytes)
    ct_offset = PREFIX + hlen + SIG_BYTES
    expected = ct_offset + header["ct_len"]
    if size < expected:
        raise BundleRefused("truncated", f"{size} of {expected} bytes")
    if size > expected:
        raise BundleRefused("header", f"{size - expected} bytes after the end")
    return Envelope(path, header, header_bytes, signature, ct_offset)


UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")
MAX_INT = 2**53 - 1
"""Every integer in a header is in 0..2^53-1 (RFC 8785 and I-JSON: exact in any reader)."""


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > 16:  # also keeps int() away from huge digit strings
        raise ValueError("integer out of range")
    return int(text)


def parse_json(data: bytes) -> Any:
    """Strict JSON: UTF-8, no NaN/Infinity, no duplicate keys, integers of <= 16 digits;
    ValueError (RecursionError included) for anything else."""
    try:
        return json.loads(data.decode("utf-8"), object_pairs_hook=_no_duplicates,
                          parse_constant=_no_constant, parse_int=_bounded_int)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def _check_numbers(header: dict[str, Any]) -> None:
    for key, value in header.items():
        if isinstance(value, int) and not 0 <= value <= MAX_INT:
            raise BundleRefused("header", f"{key} out of range")
    acks = header.get("acks")
    if acks is not None:
        upto = acks.get("upto")
        if set(acks) != {"upto"} or not isinstance(upto, int) or isinstance(upto, bool) \
                or not 0 <= upto <= MAX_INT:
            raise BundleRefused("header", "acks")


def check_header(header_bytes: bytes) -> dict[str, Any]:
    try:
        header = parse_json(header_bytes)
    except ValueError as exc:
        raise BundleRefused("header", str(exc)[:200]) from None
    if not isinstance(header, dict):
        raise BundleRefused("header", "not an object")
    if header.get("fmt") != FORMAT:
        raise BundleRefused("not_a_bundle")
    if not isinstance(header.get("v"), int) or header["v"] > VERSION:
        raise BundleRefused("upgrade_required", f"format v{header.get('v')}")
    if isinstance(header.get("min_reader"), int) and header["min_reader"] > READER_VERSION:
        raise BundleRefused("upgrade_required", f"reader v{header['min_reader']}")
    if isinstance(header.get("schema"), int) and header["schema"] > SCHEMA_VERSION:
        raise BundleRefused("upgrade_required", f"schema {header['schema']} > {SCHEMA_VERSION}")
    for key, kind in _REQUIRED.items():
        if key not in header:
            raise BundleRefused("header", f"missing {key}")
        if not isinstance(header[key], kind) or isinstance(header[key], bool):
            raise BundleRefused("header", f"wrong type for {key}")
    for key, kind in _OPTIONAL.items():
        if key in header and not isinstance(header[key], kind):
            raise BundleRefused("header", f"wrong type for {key}")
    extra = set(header) - set(_REQUIRED) - set(_OPTIONAL)
    if extra:
        raise BundleRefused("header", f"unknown fields {sorted(extra)}")
    _check_numbers(header)
    if not UUID.match(header["bundle_id"]):  # it names files and folders: checked first
        raise BundleRefused("header", "bundle_id is not a UUID")
    try:
        text = canonical(header)
    except ValueError:  # lone surrogates, numbers outside the JSON domain
        raise BundleRefused("header", "not canonical JSON") from None
    if text != header_bytes:
        raise BundleRefused("header", "not canonical JSON")
    if header["kind"] not in KINDS:
        raise BundleRefused("unsupported", f"kind {header['kind']!r}")
    if header["chunk"] != CHUNK or header["comp"] != "zlib":
        raise BundleRefused("unsupported", "chunking or compression")
    recipients = header["recipients"]
    if not 1 <= len(recipients) <= MAX_RECIPIENTS:
        raise BundleRefused("too_large", f"{len(recipients)} recipients (1-{MAX_RECIPIENTS})")
    if not all(isinstance(v, str) and len(v) <= 200 for v in recipients.values()):
        raise BundleRefused("header", "recipients")
    pt_len, tar_len = header["pt_len"], header["tar_len"]
    if not 0 <= pt_len <= MAX_PT:
        raise BundleRefused("too_large", f"payload {pt_len} bytes")
    if not 0 <= tar_len <= min(MAX_TAR, pt_len * MAX_RATIO + 1024 * 1024):
        raise BundleRefused("bomb", f"declared {tar_len} bytes from {pt_len}")
    if header["ct_len"] != ct_length(pt_len):
        raise BundleRefused("header", "ct_len does not match pt_len")
    try:
        vk = bytes.fromhex(header["sender_vk"])
    except ValueError:
        raise BundleRefused("header", "sender_vk") from None
    if len(vk) != 32 or kid_of(vk) != header["sender_kid"]:
        raise BundleRefused("header", "sender_kid does not match sender_vk")
    return header


def canonical_header_for_tests(**over: Any) -> bytes:
    """A well-formed header (for tests of the pre-authentication checks)."""
    header: dict[str, Any] = {
        "fmt": FORMAT, "v": VERSION, "kind": "changes",
        "bundle_id": "00000000-0000-7000-8000-000000000000", "sender": "x",
        "sender_kid": kid_of(b"\0" * 32), "sender_vk": (b"\0" * 32).hex(),
        "recipients": {"k": "QUJD"}, "seq": 1, "prev": None, "created_hlc": "0" * 16 + "-0000",
        "schema": 1, "min_reader": 1, "pt_len": 100, "tar_len": 1000, "ct_len": ct_length(100),
        "chunk": CHUNK, "comp": "zlib", **over,
    }
    return canonical(header)


def _ciphertext(env: Envelope, block: int = 1024 * 1024) -> Iterator[bytes]:
    with open(env.path, "rb") as f:
        f.seek(env.ct_offset)
        remaining = int(env.header["ct_len"])
        while remaining:
            data = f.read(min(block, remaining))
            if not data:
                raise BundleRefused("truncated", "ciphertext")
            remaining -= len(data)
            yield data


def verify(env: Envelope, vk: bytes) -> str:
    """Check the signature (one pass over the ciphertext); returns the file's sha256."""
    file_hash = hashlib.sha256(MAGIC + len(env.header_bytes).to_bytes(4, "big")
                               + env.header_bytes + env.signature)
    ct_hash = hashlib.sha256()
    for data in _ciphertext(env):
        ct_hash.update(data)
        file_hash.update(data)
    try:
        VerifyKey(vk).verify(DOMAIN + env.header_bytes + ct_hash.digest(), env.signature)
    except (BadSignatureError, ValueError):
        raise BundleRefused("bad_signature") from None
    return file_hash.hexdigest()


def decrypt(env: Envelope, ck: bytes) -> Iterator[bytes]:
    """The decompressed tar stream, in pieces; refuses tampering and lying lengths."""
    header = env.header
    tar_len = int(header["tar_len"])
    state = nb.crypto_secretstream_xchacha20poly1305_state()
    stream = _blocks(env)
    try:
        nb.crypto_secretstream_xchacha20poly1305_init_pull(state, next(stream), ck)
    except (CryptoError, ValueError, StopIteration) as exc:
        raise BundleRefused("decrypt", "stream header") from exc
    comp = zlib.decompressobj()
    ad: bytes | None = binding_ad(header)
    produced = 0
    final = False
    for block in stream:
        if final:
            raise BundleRefused("decrypt", "data after the final chunk")
        try:
            plain, tag = nb.crypto_secretstream_xchacha20poly1305_pull(state, block, ad)
        except CryptoError:
            raise BundleRefused("decrypt", "chunk") from None
        ad = None
        final = tag == TAG_FINAL
        data = plain
        while data:
            try:
                out = comp.decompress(data, min(INFLATE_SIZE, tar_len - produced + 1))
            except zlib.error as exc:
                raise BundleRefused("bag", f"compression: {exc}") from None
            produced += len(out)
            if produced > tar_len:
                raise BundleRefused("bomb", f"more than the declared {tar_len} bytes")
            if out:
                yield out
            data = comp.unconsumed_tail
            if comp.unused_data:
                raise BundleRefused("bag", "data after the compressed stream")
    if not final or not comp.eof or produced != tar_len:
        raise BundleRefused("decrypt", "incomplete stream")


def _blocks(env: Envelope) -> Iterator[bytes]:
    """The secretstream header, then ciphertext chunks of CHUNK + ABYTES bytes."""
    pending = bytearray()
    first = True
    size = CHUNK + SS_ABYTES
    for data in _ciphertext(env):
        pending += data
        if first and len(pending) >= SS_HEADER:
            yield bytes(pending[:SS_HEADER])
            del pending[:SS_HEADER]
            first = False
        while not first and len(pending) > size:
            yield bytes(pending[:size])
            del pending[:size]
    if first:
        yield bytes(pending)
        return
    if pending:
        yield bytes(pending)


def open_payload(env: Envelope, unwrap: Callable[[dict[str, str]], bytes]) -> Iterator[bytes]:
    """Unwrap the content key (``unwrap`` picks our recipient entry) and decrypt."""
    return decrypt(env, unwrap(env.header["recipients"]))
