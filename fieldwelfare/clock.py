"""The one source of wall-clock time.

Nothing else in fieldwelfare reads the system clock: the store, the hybrid logical clock,
record defaults, ``updated_at``, enrollment codes and the UI's "today" all take a
:class:`Clock`. Production code uses :class:`SystemClock`; tests inject a
:class:`FixedClock` (``open_store(path, clock=...)``, or :func:`set_default_clock` for a
whole run), so the suite gives the same result on any date.

Durations (timeouts, retry back-off, benchmarks) use ``time.monotonic``, which is no date.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from typing import Protocol


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """The current instant, timezone-aware, in UTC."""
        ...


class SystemClock:
    """The machine's clock."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    def __repr__(self) -> str:
        return "SystemClock()"


class FixedClock:
    """A clock that starts at ``start`` and moves ``step`` forward at every reading, so
    stamps stay distinct and increasing while every run sees the same dates."""

    def __init__(self, start: dt.datetime | str,
                 step: dt.timedelta = dt.timedelta(milliseconds=1)) -> None:
        if isinstance(start, str):
            start = parse_instant(start)
        if start.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware start")
        self._now = start.astimezone(dt.UTC)
        self._step = step
        self._lock = threading.Lock()

    def now(self) -> dt.datetime:
        with self._lock:
            current = self._now
            self._now = current + self._step
            return current

    def advance(self, delta: dt.timedelta) -> None:
        with self._lock:
            self._now += delta

    def set(self, when: dt.datetime) -> None:
        with self._lock:
            self._now = when.astimezone(dt.UTC)

    def __repr__(self) -> str:
        return f"FixedClock({self._now.isoformat()})"


def default_clock() -> Clock:
    """The clock used where none is injected (the system's, unless a test run set one)."""
    return _default


def set_default_clock(clock: Clock) -> Clock:
    """Replace the default clock (tests: the whole suite under one fixed clock); returns
    the previous one."""
    global _default
    previous, _default = _default, clock
    return previous


def parse_instant(text: str) -> dt.datetime:
    """An ISO 8601 instant (``Z`` allowed); a bare date is midnight UTC."""
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def iso(moment: dt.datetime) -> str:
    """ISO 8601 UTC with millisecond precision: ``2026-12-02T09:30:00.000Z``."""
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def wall_ms(moment: dt.datetime) -> int:
    """Milliseconds since the Unix epoch."""
    return int(moment.timestamp() * 1000)


def local_date(moment: dt.datetime) -> dt.date:
    """The calendar date at ``moment`` in this machine's time zone."""
    return moment.astimezone().date()


def utc_now(clock: Clock | None = None) -> str:
    return iso((clock or _default).now())


def today(clock: Clock | None = None) -> dt.date:
    return local_date((clock or _default).now())


FAKE_TIME_ENV = "FIELDWELFARE_FAKE_TIME"
"""An ISO instant here makes the default clock a :class:`FixedClock` starting then: the
test suite sets it so that the processes it starts share its date; also handy to
reproduce a problem "as on" a given day. Never set on a real device."""


def _from_environment() -> Clock:
    fake = os.environ.get(FAKE_TIME_ENV)
    return FixedClock(fake) if fake else SystemClock()


_default: Clock = _from_environment()
