"""The footer of every screen: help and "Vai a…" first, so a narrow terminal never hides
the two keys that lead to all the others (the help lists every key of the screen), and a
"…" left of the palette's key when the screen's keys do not all fit.

Textual's footer rebuilds all its keys each time the screen's bindings may have changed (every
focus change, every mounted widget): opening a list did that six times, 10 ms each, before
its rows could be drawn. This one rebuilds at most once per refresh, and only when the keys it
would show differ from the ones it shows."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Static

FIRST = ("help", "go_menu")


def key_width(key: Any) -> int:
    """A compact FooterKey's cells: ``key description`` and one space after it."""
    return cell_len(str(key.key_display)) + 1 + cell_len(str(key.description)) + 1


class AppFooter(Footer):
    DEFAULT_CSS = """
    AppFooter .more {
        dock: right;
        width: 2;
        display: none;
        color: $footer-key-foreground;
        background: $footer-background;
    }
    AppFooter.-cut .more {
        display: block;
    }
    """

    def __init__(self) -> None:
        super().__init__(compact=True)
        self._keys_width = 0
        self._palette_width = 0
        self._shown: tuple[Any, ...] | None = None
        """What the composed keys show (None: nothing composed yet)."""
        self._rebuild_asked = False

    def _wanted(self) -> tuple[Any, ...]:
        """The keys the screen's bindings ask for, as comparable values."""
        return tuple((b.key, b.action, b.description, b.show, enabled, tooltip)
                     for _node, b, enabled, tooltip in self.screen.active_bindings.values())

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or self._rebuild_asked:
            return
        if self.is_attached and screen is self.screen:
            self._rebuild_asked = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_asked = False
        if self.is_attached and self._wanted() != self._shown:
            await self.recompose()

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._shown = self._wanted()
        keys = list(super().compose())
        first = [k for k in keys if getattr(k, "action", None) in FIRST]  # FooterKeys
        last = [k for k in keys if k.has_class("-command-palette")]
        rest = [k for k in keys if k not in first and k not in last]
        # measured from the text, not from the layout: the same on every refresh
        self._keys_width = sum(key_width(k) for k in first + rest)
        self._palette_width = sum(key_width(k) + 1 for k in last)  # its border
        yield from first
        yield from rest
        more = Static("…", classes="more")
        more.styles.margin = (0, self._palette_width, 0, 0)  # docks do not stack
        yield more
        yield from last
        self._mark_cut()

    def on_resize(self) -> None:
        self._mark_cut()

    def _mark_cut(self) -> None:
        """Some keys are past the right edge: say so (F1 lists them all)."""
        width = self.size.width or self.app.size.width
        self.set_class(self._keys_width > width - self._palette_width, "-cut")
