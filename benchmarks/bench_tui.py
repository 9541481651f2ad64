"""TUI benchmark, measured with the Textual pilot on a large database.

    python benchmarks/bench_tui.py                 # 100,000 people, 200,000 needs
    python benchmarks/bench_tui.py --quick         # 10,000 people, 20,000 needs
    python benchmarks/bench_tui.py --db big.db     # reuse (or build once into) a file

Prints: start to first screen (goal < 1 s), the people, needs and referrals lists open and a
person's card shown (goal < 200 ms each; median and worst of 7 openings), a search keystroke
answered (goal p95 < 50 ms over
as-you-type prefixes). Rows are built with ``fieldwelfare.demo.bulk_rows`` and written
through ``Store.add_many``; one volunteer per ten people and a referral per fourth need.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fieldwelfare import demo
from fieldwelfare.store import Store, open_store

CHUNK = 5_000
TODAY = dt.date(2025, 6, 16)
KEY_ROUNDS = 3
"""The as-you-type prefixes are typed this many times (90 keystrokes: a steady p95)."""
ROUNDS = 7
"""Each screen is opened this many times: the median and the worst are printed."""
PREFIXES = ["r", "ro", "ros", "b", "bi", "bia", "mar", "maria", "co", "col", "fe", "fer"]


def build(path: Path, people: int, needs: int) -> Store:
    store = open_store(path)
    if store.count("person") >= people:
        return store
    store.set_identity(device_name="bench", operator="Bench", role="coordinator",
                       ambito="Lecco")
    rows = list(demo.bulk_rows("person", people, today=TODAY))
    for start in range(0, len(rows), CHUNK):
        store.add_many("person", rows[start:start + CHUNK])
    ids = [r["id"] for r in rows]
    need_rows = list(demo.bulk_rows("need", needs, refs={"person_id": ids}, today=TODAY))
    for start in range(0, len(need_rows), CHUNK):
        store.add_many("need", need_rows[start:start + CHUNK])
    volunteers = list(demo.bulk_rows("volunteer", max(people // 10, 1), today=TODAY))
    store.add_many("volunteer", volunteers)
    vids = [v["id"] for v in volunteers]
    referrals = [{"need_id": n["id"], "volunteer_id": vids[i % len(vids)], "status": "proposed",
                  "brief": "Spesa settimanale, martedì mattina"}
                 for i, n in enumerate(need_rows[::4])]
    for start in range(0, len(referrals), CHUNK):
        store.add_many("referral", referrals[start:start + CHUNK])
    return store


async def settle(app: Any, pilot: Any) -> None:
    for _ in range(2):
        await app.workers.wait_for_complete()
        await pilot.pause()


class PaintClock:
    """When a RecordTable first shows rows, and when it is first painted with them."""

    def __init__(self) -> None:
        from fieldwelfare.screens.widgets import record_table

        self.shown: float | None = None
        self.painted: float | None = None
        table = record_table.RecordTable
        show_page, render_lines = table.show_page, table.render_lines
        clock = self

        def timed_show(self: Any, page: Any) -> bool:
            done = show_page(self, page)
            if done and clock.shown is None:
                clock.shown = time.perf_counter()
            return done

        def timed_render(self: Any, crop: Any) -> Any:
            if clock.shown is not None and clock.painted is None and self.row_count:
                clock.painted = time.perf_counter()
            return render_lines(self, crop)

        table.show_page = timed_show  # type: ignore[method-assign]
        table.render_lines = timed_render  # type: ignore[method-assign]

    def reset(self) -> None:
        self.shown = self.painted = None


async def measure(store: Store) -> dict[str, Any]:
    from fieldwelfare.screens.app import make_app
    from fieldwelfare.screens.screens.home import HomeScreen
    from fieldwelfare.screens.widgets import RecordTable

    paint = PaintClock()

    out: dict[str, Any] = {}
    start = time.perf_counter()
    app = make_app(store, today=lambda: TODAY, cursor_blink=False)
    async with app.run_test(size=(100, 30)) as pilot:
        while not (isinstance(app.screen, HomeScreen) and app.screen.query(".card")):
            await pilot.pause(0.001)
        out["first_screen"] = time.perf_counter() - start
        for key, name in (("f3", "people"), ("f5", "needs"), ("f6", "referrals")):
            out[f"open_{name}"], out[f"settled_{name}"] = [], []
            for _ in range(ROUNDS):
                await pilot.press("f2")
                await settle(app, pilot)
                paint.reset()
                begin = time.perf_counter()
                await pilot.press(key)
                while paint.painted is None:
                    await pilot.pause(0.001)
                out[f"open_{name}"].append(paint.painted - begin)
                await settle(app, pilot)
                out[f"settled_{name}"].append(time.perf_counter() - begin)
        out["person_card"] = [await person_card(app, pilot, store, i) for i in range(ROUNDS)]
        await pilot.press("f3")
        await settle(app, pilot)
        table = app.screen.query_one(RecordTable)
        times = []
        for prefix in PREFIXES * KEY_ROUNDS:
            app.screen.query_one("#search").value = ""
            await settle(app, pilot)
            search = app.screen.query_one("#search")
            for char in prefix:
                # From the character entering the field to the rows painted. (pilot.press
                # also waits for the whole process to go idle, 100+ ms of harness.)
                generation = table.generation
                paint.reset()
                app._last_input = time.monotonic()  # type: ignore[attr-defined]  # (as a key)
                begin = time.perf_counter()
                search.insert_text_at_cursor(char)
                while (table.generation == generation or app.screen._busy  # type: ignore[attr-defined]
                       or paint.painted is None):
                    await asyncio.sleep(0.0005)
                times.append(paint.painted - begin)
        out["keystrokes"] = times
    return out


async def person_card(app: Any, pilot: Any, store: Store, nth: int) -> float:
    """From opening a person with needs to their card's summary and tables shown."""
    from fieldwelfare.screens.screens.person_detail import PersonDetailScreen

    need = store.list_records("need", where={"status": "open"}, limit=1, offset=nth)[0]
    person_id = str(getattr(need, "person_id", ""))
    await pilot.press("f2")
    await settle(app, pilot)
    app._last_input = time.monotonic()  # as the key that opens it (no idle collection then)
    begin = time.perf_counter()
    app.push_screen(PersonDetailScreen(person_id))
    while getattr(app.screen, "person", None) is None:  # set by the handler that fills
        await asyncio.sleep(0.0005)                       # the summary and the tables
    shown = time.perf_counter() - begin
    await pilot.press("escape")
    await settle(app, pilot)
    return shown


def spread(times: list[float]) -> str:
    return f"{statistics.median(times) * 1000:7.1f} / {max(times) * 1000:5.1f} ms"


def import_time() -> float:
    code = ("import time; t = time.perf_counter(); import fieldwelfare.screens.app; "
            "print(time.perf_counter() - t)")
    return float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                check=True).stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 people, 20,000 needs")
    parser.add_argument("--people", type=int, default=None)
    parser.add_argument("--needs", type=int, default=None)
    parser.add_argument("--db", type=Path, default=None, help="database file to reuse")
    args = parser.parse_args()
    people = args.people or (10_000 if args.quick else 100_000)
    needs = args.needs or 2 * people
    path = args.db or Path(tempfile.mkdtemp()) / "bench_tui.db"
    begin = time.perf_counter()
    store = build(path, people, needs)
    print(f"database: {store.count('person'):,} people, {store.count('need'):,} needs, "
          f"{store.count('referral'):,} referrals "
          f"({time.perf_counter() - begin:.1f} s to build/open) at {path}")
    out = asyncio.run(measure(store))
    keys = sorted(out["keystrokes"])
    p95 = keys[int(0.95 * (len(keys) - 1))]
    imports = import_time()
    print(f"start to first screen (home):      {(imports + out['first_screen']) * 1000:7.1f} ms"
          f"  goal < 1000   (imports {imports * 1000:.0f} ms + app to home cards "
          f"{out['first_screen'] * 1000:.0f} ms)")
    print(f"each screen opened {ROUNDS} times: median / worst")
    for name in ("people", "needs", "referrals"):
        print(f"open {name + ' list':12s} (first page painted): {spread(out['open_' + name])}"
              f"  goal < 200   (screen idle, filters mounted: "
              f"{statistics.median(out['settled_' + name]) * 1000:.1f} ms)")
    print(f"a person's card shown:             {spread(out['person_card'])}  goal < 200")
    print(f"search keystroke answered p50/p95: {statistics.median(keys) * 1000:7.1f} / "
          f"{p95 * 1000:.1f} ms  goal p95 < 50  ({len(keys)} keystrokes)")
    store.close()


if __name__ == "__main__":
    main()
