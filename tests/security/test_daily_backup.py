"""The hub backs itself up once a day while it serves, keeping the newest N copies."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fieldwelfare.clock import FixedClock
from fieldwelfare.store import vault
from fieldwelfare.sync.daily import Daily, backup_job

PASS = "la frase del consorzio"


def test_one_copy_a_day_the_newest_kept_and_each_restorable(tmp_path: Path) -> None:
    clock = FixedClock(dt.datetime(2026, 6, 15, 3, 0, tzinfo=dt.UTC))
    hub, _recovery = vault.create(tmp_path / "hub.db", operator="Admin Hub",
                                  passphrase=PASS, clock=clock)
    hub.set_identity(device_name="hub", operator="Admin Hub", role="coordinator",
                     ambito="Lecco")
    folder = tmp_path / "backups"
    daily = Daily(hub, [backup_job(folder, keep=2)])
    for day in range(4):
        hub.add("person", {"given_name": f"Giorno{day}", "family_name": "X",
                           "comune": "097042"})
        daily.run_once()
        daily.run_once()  # twice the same day: still one copy
        clock.advance(dt.timedelta(days=1))
    copies = sorted(p.name for p in folder.glob("hub-*.db"))
    assert copies == ["hub-2026-06-17.db", "hub-2026-06-18.db"]
    assert sorted(p.name for p in folder.glob("*.keys")) == [f"{c}.keys" for c in copies]
    assert all(p.stat().st_mode & 0o077 == 0 for p in folder.iterdir())
    restored = tmp_path / "restored.db"
    assert vault.restore(folder / copies[-1], restored, operator="Admin Hub",
                         passphrase=PASS) == []
    back = vault.unlock(restored, operator="Admin Hub", passphrase=PASS)
    assert back.count("person") == 4
    back.close()
    hub.close()


def test_a_failing_job_does_not_stop_the_others(tmp_path: Path) -> None:
    seen: list[str] = []

    def broken(store: object) -> object:
        raise OSError("disk full")

    daily = Daily(object(), [broken, lambda s: seen.append("ran")])  # type: ignore[arg-type]
    daily.run_once()
    assert seen == ["ran"]
