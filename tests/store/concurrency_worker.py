"""One process of the concurrency test (``test_concurrency.py``): ``ROLE DB N [PAYLOAD]``.

- ``long``: one long-lived store, like the TUI's: N adds and updates, reads between them;
- ``ingest``: applies the bundles in PAYLOAD (JSON lists of changes from another device);
- ``reader``: N times, opens the database and lists and counts people (never writes).

Prints one JSON line: what it did and every error it met (``database is locked`` included).
"""

from __future__ import annotations

import json
import sys

from fieldwelfare.store import open_store
from fieldwelfare.store import replication as rep


def main() -> None:
    role, db, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    errors: list[str] = []
    done = 0
    if role == "long":
        store = open_store(db)
        for i in range(n):
            try:
                person = store.add("person", {"given_name": f"Long{i}", "family_name": "Proc",
                                              "comune": "097042"})
                store.update("person", person.id, {"phone": f"0341 {i}"})
                store.list_records("person", limit=5)
                done += 1
            except Exception as exc:  # every failure is reported, none is hidden
                errors.append(f"{type(exc).__name__}: {exc}")
        store.close()
    elif role == "ingest":
        store = open_store(db)
        with open(sys.argv[4], encoding="utf-8") as fh:
            bundles = json.load(fh)
        for bundle in bundles:
            try:
                rep.apply_changes(store, [rep.Change.from_dict(c) for c in bundle["changes"]],
                                  bundle_id=bundle["bundle_id"], sender="other-device",
                                  file_sha256="0" * 64, kind="device-push")
                done += 1
            except Exception as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
        store.close()
    elif role == "reader":
        for _ in range(n):
            try:
                store = open_store(db, create=False)
                store.list_records("person", limit=20)
                store.count("person")
                store.close()
                done += 1
            except Exception as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
    print(json.dumps({"role": role, "done": done, "errors": errors}))


if __name__ == "__main__":
    main()
