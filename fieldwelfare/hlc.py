"""Hybrid logical clock (Kulkarni et al., OPODIS 2014).

A stamp is ``"<16 hex wall ms>-<4 hex counter>"``: it sorts as a string in causal order.
Ties between devices are broken by the device id, outside this module.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from fieldwelfare import clock

MAX_OFFSET_MS = 24 * 3600 * 1000
"""A remote stamp more than this ahead of our wall clock is flagged, not trusted."""

MAX_ACCEPT_AHEAD_MS = 366 * 24 * 3600 * 1000
"""A received stamp more than this ahead of the receiver's clock is refused outright (the
bundle is refused ``clock``): whatever is accepted leaves room for the stamps derived from
it (a later edit is stamped just above it), so no stamp ever leaves the parseable range."""

_COUNTER_MAX = 0xFFFF


def format_stamp(wall_ms: int, counter: int) -> str:
    return f"{wall_ms:016x}-{counter:04x}"


def parse_stamp(stamp: str) -> tuple[int, int]:
    wall, _, counter = stamp.partition("-")
    if len(wall) != 16 or len(counter) != 4:
        raise ValueError(f"not an HLC stamp: {stamp!r}")
    return int(wall, 16), int(counter, 16)


def wall_ms_now() -> int:
    """The default clock in milliseconds (a store's own clock is passed to HybridClock)."""
    return clock.wall_ms(clock.default_clock().now())


class HybridClock:
    """A thread-safe HLC. ``now()`` for local events, ``observe()`` for received stamps."""

    def __init__(self, last: str | None = None, clock: Callable[[], int] = wall_ms_now) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._wall, self._counter = parse_stamp(last) if last else (0, 0)

    @property
    def last(self) -> str:
        return format_stamp(self._wall, self._counter)

    def now(self) -> str:
        with self._lock:
            physical = self._clock()
            if physical > self._wall:
                self._wall, self._counter = physical, 0
            else:
                self._counter += 1
                if self._counter > _COUNTER_MAX:
                    self._wall, self._counter = self._wall + 1, 0
            return format_stamp(self._wall, self._counter)

    def observe(self, stamp: str) -> bool:
        """Merge a received stamp. Returns False (and ignores it) if it is too far ahead."""
        wall, counter = parse_stamp(stamp)
        with self._lock:
            physical = self._clock()
            if wall > physical + MAX_OFFSET_MS:
                return False
            if wall > self._wall:
                self._wall, self._counter = wall, counter + 1
            elif wall == self._wall:
                self._counter = max(self._counter, counter) + 1
            if self._counter > _COUNTER_MAX:
                self._wall, self._counter = self._wall + 1, 0
            return True


def is_far_future(stamp: str, now_ms: int | None = None) -> bool:
    wall, _ = parse_stamp(stamp)
    return wall > (now_ms if now_ms is not None else wall_ms_now()) + MAX_OFFSET_MS


def is_beyond_acceptance(stamp: str, now_ms: int) -> bool:
    """True if ``stamp`` is too far ahead of ``now_ms`` to be accepted at all."""
    wall, _ = parse_stamp(stamp)
    return wall > now_ms + MAX_ACCEPT_AHEAD_MS
