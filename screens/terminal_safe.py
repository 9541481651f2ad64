"""Nothing stored reaches the terminal as a control sequence.

A name typed, imported or synced from another device with ``ESC ] 2 ; … BEL`` set the
window's title, ``ESC [ 2 J`` wiped the screen on every repaint (that person could not even
be edited), OSC 8 made links and OSC 52 wrote the clipboard. Tables show such characters
escaped (``\\x1b``, :func:`fieldwelfare.text.visible`); everything else Textual draws (the
header, forms' inputs, menus, notifications) loses them at the last step, where a line of
the screen becomes terminal text: Textual measures them as zero cells wide, so dropping
them there changes no layout.
"""

from __future__ import annotations

from rich.console import Console
from rich.segment import Segment
from textual.strip import Strip

from fieldwelfare.text import UNSAFE

_original = Strip.render


def _render(self: Strip, console: Console) -> str:
    if self._render_cache is None and any(
            UNSAFE.search(text) for text, _, control in self._segments if not control):
        clean = Strip([Segment(UNSAFE.sub("", text), style, control) if not control
                       else Segment(text, style, control)
                       for text, style, control in self._segments], self.cell_length)
        self._render_cache = _original(clean, console)
    return _original(self, console)


def install() -> None:
    """Once, before the app draws (idempotent)."""
    Strip.render = _render  # type: ignore[method-assign]
