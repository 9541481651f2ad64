"""Jobs the hub runs once a day while ``hub serve`` runs: the backup (and whatever else
is registered). A job that fails is logged and tried again the next day; it never stops
the server."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from fieldwelfare.store import Store, vault

log = logging.getLogger("fieldwelfare.hub")

DAY_SECONDS = 24 * 3600
Job = Callable[[Store], object]


def backup_job(folder: Path, keep: int) -> Job:
    """A daily online backup into ``folder`` (``hub-YYYY-MM-DD.db`` and its key slots),
    keeping the newest ``keep``."""

    def run(store: Store) -> object:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        target = folder / f"hub-{store.today().isoformat()}.db"
        if not target.exists():
            vault.backup(store, target)
        copies = sorted(folder.glob("hub-*.db"))
        for old in copies[:-keep] if keep > 0 else []:
            old.unlink()
            Path(f"{old}.keys").unlink(missing_ok=True)
        return target

    return run


class Daily:
    """Runs ``jobs`` now and then every ``every`` seconds, in a thread, until stopped."""

    def __init__(self, store: Store, jobs: list[Job], every: float = DAY_SECONDS) -> None:
        self.store = store
        self.jobs = jobs
        self.every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="hub-daily", daemon=True)

    def start(self) -> Daily:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(60)

    def run_once(self) -> None:
        for job in self.jobs:
            try:
                done = job(self.store)
                log.info("daily job done: %s", getattr(done, "name", done))
            except Exception as exc:  # logged; the server goes on, tried again tomorrow
                log.error("daily job failed: %s", type(exc).__name__)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.run_once()
            self._stop.wait(self.every)
