"""Python's cycle collector runs when the user pauses, not while a screen opens.

A screen that closes leaves its widgets as one garbage cycle, every widget's render caches
included. Python's collector found them whenever allocations crossed its thresholds, that
is while the next list or card was being built or between two keystrokes: on the benchmark
database a full pass took 100-375 ms, the slowest single openings of every screen. The app
freezes what it built at start (it lives as long as the app: the collector no longer walks
it) and collects once the keyboard and mouse have rested for :attr:`IdleCollector.IDLE`
seconds, or at once when garbage piles up past :attr:`IdleCollector.LIMIT` (typing without
pause for minutes). On leaving, Python's own collection comes back as it was.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable


class IdleCollector:
    IDLE = 0.5
    """Seconds without input before garbage is collected."""
    CHECK = 0.25
    """Seconds between two looks (the app's interval timer)."""
    PENDING = 5_000
    """Fewer new objects than this: nothing worth a pass."""
    LIMIT = 200_000
    """This many new objects: collected even while the user types."""

    def __init__(self, last_input: Callable[[], float],
                 now: Callable[[], float] = time.monotonic,
                 before: Callable[[], object] | None = None) -> None:
        self._last_input = last_input
        self._now = now
        self._before = before
        """Called before each pass (to let go of what still points at closed screens)."""
        self._was_enabled: bool | None = None
        self.passes = 0
        """Collections made so far."""

    def start(self) -> None:
        if self._was_enabled is not None:
            return
        self._was_enabled = gc.isenabled()
        gc.freeze()  # (with what startup left as garbage: a pass now would cost more)
        gc.disable()

    def check(self) -> None:
        if self._was_enabled is None:
            return
        pending = gc.get_count()[0]
        resting = self._now() - self._last_input() >= self.IDLE
        if pending >= self.LIMIT or (resting and pending >= self.PENDING):
            if self._before is not None:
                self._before()
            gc.collect()
            self.passes += 1

    def stop(self) -> None:
        if self._was_enabled is None:
            return
        gc.unfreeze()
        if self._was_enabled:
            gc.enable()
        self._was_enabled = None
