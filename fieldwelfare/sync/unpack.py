"""Writing a verified bundle's BagIt bag to a folder, for audits (``hub unpack``).

Nothing is written under the final name until the whole bag has been checked: the files go
to ``fwb-<bundle_id>.part/`` (names already passed the allow-list), then the folder is
renamed. A refused bag leaves no folder behind.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import BinaryIO

from fieldwelfare.sync import envelope
from fieldwelfare.sync.bag import BagReader
from fieldwelfare.sync.errors import BundleRefused
from fieldwelfare.sync.records import parse_change


def write_bag_dir(env: envelope.Envelope, ck: bytes, out_dir: Path) -> Path:
    bundle_id = env.header["bundle_id"]
    if not envelope.UUID.match(bundle_id):  # read_header checked it; never build paths blind
        raise BundleRefused("header", "bundle_id is not a UUID")
    final = out_dir / f"fwb-{bundle_id}"
    part = out_dir / f"fwb-{bundle_id}.part"
    shutil.rmtree(part, ignore_errors=True)
    part.mkdir(parents=True)
    reader = BagReader(bundle_id)
    handle: BinaryIO | None = None
    current = ""
    try:
        for line in reader.read(envelope.decrypt(env, ck)):
            parse_change(line)
            if reader.current != current:
                if handle is not None:
                    handle.close()
                current = reader.current
                target = part / current
                target.parent.mkdir(parents=True, exist_ok=True)
                handle = open(target, "wb")  # noqa: SIM115  (closed on the next file)
            assert handle is not None
            handle.write(line + b"\n")
        if handle is not None:
            handle.close()
            handle = None
        reader.finish()
        for rel, data in reader.tags.items():
            (part / rel).parent.mkdir(parents=True, exist_ok=True)
            (part / rel).write_bytes(data)
        if reader.enrollment is not None:
            (part / "data").mkdir(exist_ok=True)
            (part / "data" / "enrollment.json").write_bytes(reader.enrollment)
        (part / "data").mkdir(exist_ok=True)
        shutil.rmtree(final, ignore_errors=True)
        part.rename(final)
    except BaseException:
        if handle is not None:
            handle.close()
        shutil.rmtree(part, ignore_errors=True)
        raise
    return final
