"""UUIDv7 identifiers (RFC 9562 §5.7), generated on the device."""

from __future__ import annotations

import os
import re
import threading
import uuid

from fieldwelfare import clock

_lock = threading.Lock()
_last_ms = 0
_last_rand = 0


def uuid7() -> str:
    """Return a new UUIDv7 string, monotonic within this process.

    48 bits of Unix milliseconds, then 74 random bits; within the same millisecond the
    random part is incremented (RFC 9562 §6.2 method 2) so ids sort in creation order.
    """
    global _last_ms, _last_rand
    with _lock:
        ms = clock.wall_ms(clock.default_clock().now())
        if ms <= _last_ms:
            ms = _last_ms
            rand = (_last_rand + 1) & ((1 << 74) - 1)
        else:
            rand = int.from_bytes(os.urandom(10), "big") & ((1 << 74) - 1)
        _last_ms, _last_rand = ms, rand
    rand_a = rand >> 62  # 12 bits
    rand_b = rand & ((1 << 62) - 1)
    value = (ms << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62) | rand_b
    return str(uuid.UUID(int=value))


UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
"""The one spelling of an id, on devices and on the hub: lowercase, hyphenated, 36 chars."""
_UUID = re.compile(UUID_PATTERN.replace("$", r"\Z"))


def is_uuid(value: str) -> bool:
    return isinstance(value, str) and _UUID.match(value) is not None
