"""Control characters in stored text never reach the terminal (screens/terminal_safe.py).

A name with ``ESC ] 2 ; … BEL`` set the window title, ``ESC [ 2 J`` wiped the screen on every
repaint (that person's form stayed blank), and C1 codes and bidirectional overrides act on
terminals too. What the app writes to the terminal is checked here, screen by screen."""

from __future__ import annotations

from typing import Any

from dirkit import settle
from tuikit import LECCO, build_app

from fieldwelfare.screens.screens.person_detail import PersonDetailScreen
from fieldwelfare.screens.screens.person_form import PersonFormScreen
from fieldwelfare.store import Store

TITLE = "\x1b]2;PWNED\x07"
WIPE = "\x1b[2J"
C1 = "\x9b31m"
RTL = "\u202e"
PAYLOADS = (TITLE, WIPE, C1, RTL, "\x07", "\x9b")


def terminal_text(app: Any) -> str:
    """What the app would write to the terminal for its whole screen."""
    update = app.screen._compositor.render_full_update()
    return str(update.render_segments(app.console))


def assert_safe(app: Any, *shown: str) -> None:
    out = terminal_text(app)
    for payload in PAYLOADS:
        assert payload not in out, (payload, type(app.screen).__name__)
    for text in shown:
        assert text in out, (text, type(app.screen).__name__)


async def test_escape_sequences_in_records_never_reach_the_terminal(tui_store: Store) -> None:
    person = tui_store.add("person", {
        "given_name": f"Anna{TITLE}", "family_name": f"Esc{WIPE}Rossi", "comune": LECCO,
        "address": f"Via{C1} Roma {RTL}1"})
    tui_store.set_identity(device_name=f"pc{TITLE}", operator=f"Op{WIPE}",
                           role="coordinator", ambito="Lecco")
    app = build_app(tui_store)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        assert_safe(app, "PWNED")  # home: the device's and operator's names
        await pilot.press("f3")
        await settle(app, pilot)
        assert_safe(app, "Esc\\x1b[2JRossi")  # a table: shown escaped
        app.push_screen(PersonDetailScreen(person.id))
        await settle(app, pilot)
        assert_safe(app, "PWNED", "Roma")  # the card: dropped, the rest shown
        app.push_screen(PersonFormScreen(person))
        await settle(app, pilot)
        assert_safe(app, "Esc[2JRossi", "Anna]2;PWNED")  # the form: drawn, not wiped


async def test_ctrl_c_says_how_to_quit_in_the_uis_language(tui_store: Store) -> None:
    app = build_app(tui_store)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+c")
        await settle(app, pilot)
        shown = [n.message for n in app._notifications]
        assert any("Ctrl+Q" in m and "[b]" not in m and "Press" not in m for m in shown)
