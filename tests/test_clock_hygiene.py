"""Nothing reads the real clock except ``fieldwelfare.clock``: the suite passes on any date.

Durations (``time.monotonic``, ``time.perf_counter``) are allowed: they are no date.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = re.compile(
    r"\b(date\.today|datetime\.now|datetime\.utcnow|datetime\.today|time\.time|time\.time_ns"
    r"|time\.localtime|time\.gmtime)\s*\(")
ALLOWED = {ROOT / "fieldwelfare" / "clock.py", Path(__file__).resolve()}


def test_only_the_clock_module_reads_the_real_clock() -> None:
    offenders = []
    for folder in ("fieldwelfare", "screens", "tests", "benchmarks", "scripts"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path in ALLOWED:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if FORBIDDEN.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == [], "read the time from fieldwelfare.clock:\n" + "\n".join(offenders)


def test_the_suite_runs_under_a_fixed_clock() -> None:
    from fieldwelfare import clock

    first, second = clock.default_clock().now(), clock.default_clock().now()
    assert isinstance(clock.default_clock(), clock.FixedClock)
    assert second > first and (second - first).total_seconds() < 1
