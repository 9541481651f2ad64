"""The BagIt 1.0 bag (RFC 8493) inside a bundle, serialised as a tar stream.

Layout, under one base directory ``fwb-<bundle_id>/``::

    data/changes/000001.jsonl ...   payload: one change record per line (<= 10,000 a file)
    data/enrollment.json            payload of enrollment bundles (request or certificate)
    manifest-sha256.txt             sha256 of every payload file
    fw/manifest.json                fieldwelfare's own tag file (who, what, how many)
    bag-info.txt                    Payload-Oxum, Bagging-Date, Bag-Software-Agent
    bagit.txt                       BagIt-Version: 1.0
    tagmanifest-sha256.txt          sha256 of the tag files above

Payload files come first so the writer streams with one file in memory; the reader checks
the manifests at the end, and the caller applies changes inside a transaction that only
commits once :meth:`BagReader.finish` has passed. Member names must match an allow-list:
no links, no absolute or ``..`` paths, no duplicates, regular files only.
"""

from __future__ import annotations

import hashlib
import json
import re
import tarfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from fieldwelfare import __version__
from fieldwelfare.sync.errors import BundleRefused

LINES_PER_FILE = 10_000
MAX_MEMBERS = 10_000
MAX_MEMBER = 256 * 1024 * 1024
MAX_TAG_FILE = 1024 * 1024
MAX_LINE = 1024 * 1024
READ_SIZE = 256 * 1024
"""Payload files are read in slices of this size: a long line is refused once it passes
MAX_LINE, however the stream was cut, before anything parses it."""
BAGIT_TXT = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
_NAME = re.compile(
    r"^fwb-(?P<bid>[0-9a-f-]{36})/(?P<rel>bagit\.txt|bag-info\.txt|manifest-sha256\.txt|"
    r"tagmanifest-sha256\.txt|fw/manifest\.json|data/enrollment\.json|"
    r"data/changes/\d{6}\.jsonl)$")
TAG_FILES = ("bagit.txt", "bag-info.txt", "manifest-sha256.txt", "fw/manifest.json")


def _member(name: str, data: bytes) -> bytes:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = 0
    info.mode = 0o644
    pad = -len(data) % tarfile.BLOCKSIZE
    return info.tobuf(format=tarfile.USTAR_FORMAT) + data + b"\0" * pad


def write_bag(bundle_id: str, manifest: dict[str, Any], lines: Iterable[bytes],
              enrollment: dict[str, Any] | None = None,
              bagging_date: str = "") -> Iterator[bytes]:
    """Yield the tar stream. ``lines`` are JSON change records, each ending in a newline.

    ``manifest["count"]`` is filled in with the number of lines written.
    """
    base = f"fwb-{bundle_id}/"
    sums: list[tuple[str, str]] = []
    octets = 0
    count = 0
    buffer: list[bytes] = []

    def flush() -> bytes:
        nonlocal octets
        data = b"".join(buffer)
        buffer.clear()
        rel = f"data/changes/{len(sums) + 1:06d}.jsonl"
        sums.append((rel, hashlib.sha256(data).hexdigest()))
        octets += len(data)
        return _member(base + rel, data)

    for line in lines:
        buffer.append(line)
        count += 1
        if len(buffer) >= LINES_PER_FILE:
            yield flush()
    if buffer:
        yield flush()
    if enrollment is not None:
        data = json.dumps(enrollment, sort_keys=True).encode()
        sums.append(("data/enrollment.json", hashlib.sha256(data).hexdigest()))
        octets += len(data)
        yield _member(base + "data/enrollment.json", data)
    manifest["count"] = count
    tags = {
        "manifest-sha256.txt": "".join(f"{h}  {n}\n" for n, h in sums).encode(),
        "fw/manifest.json": json.dumps(manifest, sort_keys=True, indent=1).encode(),
        "bag-info.txt": (f"Payload-Oxum: {octets}.{len(sums)}\nBagging-Date: {bagging_date}\n"
                         f"Bag-Software-Agent: fieldwelfare {__version__}\n"
                         f"External-Identifier: {bundle_id}\n").encode(),
        "bagit.txt": BAGIT_TXT,
    }
    for rel, data in tags.items():
        yield _member(base + rel, data)
    tagsums = "".join(f"{hashlib.sha256(d).hexdigest()}  {n}\n" for n, d in tags.items())
    yield _member(base + "tagmanifest-sha256.txt", tagsums.encode())
    yield b"\0" * (2 * tarfile.BLOCKSIZE)


@dataclass
class BagReader:
    """Reads a tar stream strictly; yields change lines; :meth:`finish` checks the bag."""

    bundle_id: str
    tags: dict[str, bytes] = field(default_factory=dict)
    payload_sums: dict[str, str] = field(default_factory=dict)
    payload_octets: int = 0
    enrollment: bytes | None = None
    lines: int = 0
    finished: bool = False
    current: str = ""
    """The payload file the last yielded line came from."""

    def read(self, stream: Iterable[bytes]) -> Iterator[bytes]:
        """Yield each change line (bytes) of the payload, checking names as they come."""
        source = _Reader(iter(stream))
        seen: set[str] = set()
        while True:
            block = source.take(tarfile.BLOCKSIZE)
            if block == b"\0" * tarfile.BLOCKSIZE:
                if source.take(tarfile.BLOCKSIZE) != b"\0" * tarfile.BLOCKSIZE:
                    raise BundleRefused("bag", "tar end marker")
                if not source.at_end():
                    raise BundleRefused("bag", "data after the tar end")
                break
            rel = self._check_member(block, seen)
            size = self._size
            if rel.startswith("data/changes/"):
                self.current = rel
                yield from self._lines(source, rel, size)
            else:
                data = source.take(size)
                if rel == "data/enrollment.json":
                    self._payload(rel, data)
                    self.enrollment = data
                else:
                    self.tags[rel] = data
            source.take(-size % tarfile.BLOCKSIZE)
        self.finished = True

    _size: int = 0

    def _check_member(self, block: bytes, seen: set[str]) -> str:
        try:
            info = tarfile.TarInfo.frombuf(block, "utf-8", "strict")
        except (tarfile.HeaderError, UnicodeDecodeError) as exc:
            raise BundleRefused("bag", f"tar header: {exc}") from None
        if info.type != tarfile.REGTYPE:
            raise BundleRefused("tar_name", f"{info.name!r}: not a regular file")
        match = _NAME.match(info.name)
        if match is None or match["bid"] != self.bundle_id:
            raise BundleRefused("tar_name", repr(info.name))
        if info.name in seen:
            raise BundleRefused("tar_name", f"{info.name!r} twice")
        seen.add(info.name)
        if len(seen) > MAX_MEMBERS:
            raise BundleRefused("bomb", f"more than {MAX_MEMBERS} files")
        rel = match["rel"]
        limit = MAX_MEMBER if rel.startswith("data/changes/") else MAX_TAG_FILE
        if info.size > limit:
            raise BundleRefused("bomb", f"{rel}: {info.size} bytes")
        self._size = info.size
        return rel

    def _payload(self, rel: str, data: bytes) -> None:
        self.payload_sums[rel] = hashlib.sha256(data).hexdigest()
        self.payload_octets += len(data)

    def _lines(self, source: _Reader, rel: str, size: int) -> Iterator[bytes]:
        digest = hashlib.sha256()
        rest = b""
        remaining = size
        while remaining:
            data = source.take_some(min(remaining, READ_SIZE))
            remaining -= len(data)
            digest.update(data)
            rest += data
            *complete, rest = rest.split(b"\n")
            if len(rest) > MAX_LINE or any(len(line) > MAX_LINE for line in complete):
                raise BundleRefused("bomb", f"{rel}: line over {MAX_LINE} bytes")
            for line in complete:
                self.lines += 1
                yield line
        if rest:
            raise BundleRefused("bag", f"{rel}: last line without a newline")
        self.payload_sums[rel] = digest.hexdigest()
        self.payload_octets += size

    def finish(self) -> dict[str, Any]:
        """Check bagit.txt, tag manifest, payload manifest and Oxum; return fw/manifest.json."""
        if not self.finished:
            raise BundleRefused("bag", "incomplete archive")
        missing = [n for n in (*TAG_FILES, "tagmanifest-sha256.txt") if n not in self.tags]
        if missing:
            raise BundleRefused("bag", f"missing {', '.join(missing)}")
        if self.tags["bagit.txt"] != BAGIT_TXT:
            raise BundleRefused("bag", "bagit.txt")
        tagsums = {n: hashlib.sha256(self.tags[n]).hexdigest() for n in TAG_FILES}
        if _sums(self.tags["tagmanifest-sha256.txt"]) != tagsums:
            raise BundleRefused("bag", "tagmanifest-sha256.txt does not match")
        if _sums(self.tags["manifest-sha256.txt"]) != self.payload_sums:
            raise BundleRefused("bag", "manifest-sha256.txt does not match the payload")
        info = _bag_info(self.tags["bag-info.txt"])
        if info.get("Payload-Oxum") != f"{self.payload_octets}.{len(self.payload_sums)}":
            raise BundleRefused("bag", "Payload-Oxum")
        try:
            manifest = json.loads(self.tags["fw/manifest.json"])
        except ValueError:
            raise BundleRefused("bag", "fw/manifest.json") from None
        if not isinstance(manifest, dict) or manifest.get("count") != self.lines:
            raise BundleRefused("bag", "fw/manifest.json count")
        return manifest


def _sums(text: bytes) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in text.decode("utf-8", "replace").splitlines():
        digest, sep, name = line.partition("  ")
        if not sep or name in out:
            raise BundleRefused("bag", "manifest line")
        out[name] = digest
    return out


def _bag_info(text: bytes) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in text.decode("utf-8", "replace").splitlines():
        key, sep, value = line.partition(": ")
        if sep:
            out[key] = value
    return out


class _Reader:
    """Exact-size reads over an iterator of byte pieces."""

    def __init__(self, pieces: Iterator[bytes]) -> None:
        self._pieces = pieces
        self._buffer = b""

    def _fill(self) -> bool:
        for piece in self._pieces:
            if piece:
                self._buffer += piece
                return True
        return False

    def take(self, size: int) -> bytes:
        while len(self._buffer) < size:
            if not self._fill():
                raise BundleRefused("bag", "archive ends early")
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    def take_some(self, limit: int) -> bytes:
        if not self._buffer and not self._fill():
            raise BundleRefused("bag", "archive ends early")
        data, self._buffer = self._buffer[:limit], self._buffer[limit:]
        return data

    def at_end(self) -> bool:
        return not self._buffer and not self._fill()
