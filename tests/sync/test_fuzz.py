"""Fuzz targets (hypothesis) for what is parsed before and after authentication: the header
parser and the bag reader. Whatever the input, the only outcome besides success is a coded
refusal (``BundleRefused``): never another exception. Small by default; ``--long`` runs
many more inputs (the number run is printed with ``-s``)."""

from __future__ import annotations

import contextlib
import json
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from fieldwelfare.sync import bag, envelope
from fieldwelfare.sync.errors import BundleRefused

BUNDLE_ID = "0190f3a2-7b1c-7d2e-8f3a-4b5c6d7e8f90"
COUNTS: dict[str, int] = {}

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=12)


def _settings(long_run: bool, small: int = 300, long: int = 20_000) -> Any:
    return settings(max_examples=long if long_run else small, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])


def _count(name: str) -> None:
    COUNTS[name] = COUNTS.get(name, 0) + 1


def _base_header() -> dict[str, Any]:
    return dict(json.loads(envelope.canonical_header_for_tests()))


def _check(data: bytes) -> None:
    try:
        header = envelope.check_header(data)
    except BundleRefused:
        return
    assert isinstance(header, dict)


def test_header_parser_on_raw_bytes(long_run: bool) -> None:
    @_settings(long_run)
    @given(st.binary(max_size=2048))
    def run(data: bytes) -> None:
        _count("header bytes")
        _check(data)

    run()


def test_header_parser_on_mutated_headers(long_run: bool) -> None:
    keys = st.sampled_from([*_base_header(), "acks", "extra"])

    @_settings(long_run)
    @given(st.dictionaries(keys, JSON, max_size=4), st.sets(keys, max_size=3),
           st.sampled_from(["canonical", "sorted", "spaced"]))
    @example(changes={"acks": []}, drop=set(), style="canonical")  # found with --long
    def run(changes: dict[str, Any], drop: set[str], style: str) -> None:
        _count("header mutations")
        header = {k: v for k, v in {**_base_header(), **changes}.items() if k not in drop}
        try:
            if style == "canonical":
                data = envelope.canonical(header)
            else:
                data = json.dumps(header, sort_keys=True, ensure_ascii=False,
                                  separators=(",", ":") if style == "sorted" else None
                                  ).encode("utf-8", "surrogatepass")
        except ValueError:  # not representable: the raw bytes test covers such inputs
            return
        _check(data)

    run()


def test_read_header_on_files(long_run: bool, tmp_path: Path) -> None:
    path = tmp_path / "f.fwb"

    @_settings(long_run)
    @given(st.integers(min_value=0, max_value=2**32 - 1) | st.just(-1), st.binary(max_size=512))
    def run(hlen: int, rest: bytes) -> None:
        _count("header files")
        prefix = envelope.MAGIC + (len(rest) if hlen < 0 else hlen).to_bytes(4, "big")
        path.write_bytes(prefix + rest)
        with contextlib.suppress(BundleRefused):
            envelope.read_header(path)

    run()


def _good_tar() -> bytes:
    manifest: dict[str, Any] = {"bundle_id": BUNDLE_ID, "kind": "changes", "sender": "s",
                                "peer_upto": 0, "first_seq": None, "last_seq": None}
    lines = [json.dumps({"n": i}).encode() + b"\n" for i in range(3)]
    return b"".join(bag.write_bag(BUNDLE_ID, manifest, lines, {"x": 1}))


GOOD_TAR = _good_tar()


def _pieces(data: bytes, cuts: list[int]) -> Iterator[bytes]:
    start = 0
    for cut in sorted(c % (len(data) + 1) for c in cuts):
        yield data[start:cut]
        start = cut
    yield data[start:]


def _read_bag(data: bytes, cuts: list[int]) -> None:
    reader = bag.BagReader(BUNDLE_ID)
    try:
        for _ in reader.read(_pieces(data, cuts)):
            pass
        reader.finish()
    except BundleRefused:
        pass


def test_bag_reader_on_mutated_bags(long_run: bool) -> None:
    @_settings(long_run)
    @given(st.lists(st.tuples(st.integers(0, len(GOOD_TAR) - 1), st.integers(0, 255)),
                    max_size=6),
           st.integers(0, len(GOOD_TAR)), st.lists(st.integers(0, 10**6), max_size=4))
    def run(flips: list[tuple[int, int]], keep: int, cuts: list[int]) -> None:
        _count("bag mutations")
        data = bytearray(GOOD_TAR)
        for pos, value in flips:
            data[pos] = value
        _read_bag(bytes(data[:keep] if keep < len(data) - 1024 else data), cuts)

    run()


def test_bag_reader_on_hostile_members(long_run: bool) -> None:
    names = st.sampled_from([f"fwb-{BUNDLE_ID}/data/changes/000001.jsonl",
                             f"fwb-{BUNDLE_ID}/bagit.txt", f"fwb-{BUNDLE_ID}/../x",
                             "/etc/passwd", f"fwb-{BUNDLE_ID}/fw/manifest.json"]) | st.text(
        max_size=40)
    kinds = st.sampled_from([tarfile.REGTYPE, tarfile.SYMTYPE, tarfile.LNKTYPE,
                             tarfile.DIRTYPE, tarfile.CHRTYPE])

    @_settings(long_run)
    @given(st.lists(st.tuples(names, st.binary(max_size=300), kinds), max_size=5),
           st.lists(st.integers(0, 10**5), max_size=3))
    def run(members: list[tuple[str, bytes, bytes]], cuts: list[int]) -> None:
        _count("bag members")
        import io

        out = io.BytesIO()
        try:
            with tarfile.open(fileobj=out, mode="w", format=tarfile.USTAR_FORMAT) as tar:
                for name, data, kind in members:
                    info = tarfile.TarInfo(name)
                    info.type = kind
                    info.size = len(data) if kind == tarfile.REGTYPE else 0
                    tar.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)
        except (ValueError, UnicodeError):
            return  # a name USTAR cannot hold
        _read_bag(out.getvalue(), cuts)

    run()


def test_zz_report_counts(long_run: bool) -> None:
    total = sum(COUNTS.values())
    print(f"\nfuzz inputs run: {total} {COUNTS}")
