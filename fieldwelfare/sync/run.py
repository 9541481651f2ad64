"""``sync run``: send this device's changes (or its enrollment request) to the hub over HTTP
and apply the reply, in one step. Safe to repeat after any interruption."""

from __future__ import annotations

from dataclasses import dataclass, field

from fieldwelfare.store.store import Store
from fieldwelfare.sync import device, enrollment
from fieldwelfare.sync.http import Progress, post_bundle


@dataclass
class RunResult:
    url: str
    sent: list[str] = field(default_factory=list)
    imported: list[device.Imported] = field(default_factory=list)


def run(store: Store, url: str | None = None, *, progress: Progress | None = None) -> RunResult:
    url = device.remember_url(store, url)
    result = RunResult(url)
    spool = device.spool_dir(store)
    enrolling = enrollment.pending_code(store) is not None
    if enrolling:
        bundles = [enrollment.write_request(store, spool / "outbox").path]
    else:
        bundles = [s.path for s in device.export(store, spool / "outbox")]
    for path in bundles:
        reply = post_bundle(url, path, spool / "inbox" / f"reply-{path.stem}.fwb",
                            progress=progress, pins=device.tls_pins(store))
        result.sent.append(str(path))
        result.imported.append(device.import_reply(store, reply))
        reply.unlink(missing_ok=True)
        if enrolling:  # the request has done its job: leave nothing worth stealing
            path.unlink(missing_ok=True)
    return result

