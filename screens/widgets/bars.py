"""Horizontal bars drawn with block characters: one line per label, hidden values shown
as their mark without a bar."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.widgets import Static

BLOCKS = " ▏▎▍▌▋▊▉█"


def bar(value: float, most: float, width: int) -> str:
    """A bar of ``value`` out of ``most`` in ``width`` cells, with eighths at the end."""
    if most <= 0 or value <= 0:
        return ""
    eighths = round(value / most * width * 8)
    full, part = divmod(eighths, 8)
    return "█" * full + (BLOCKS[part] if part else "")


def render_bars(title: str, items: Sequence[tuple[str, Any]], width: int = 40) -> Text:
    numbers = [v for _, v in items if isinstance(v, int | float)]
    most = max(numbers, default=0)
    label_width = min(24, max((len(label) for label, _ in items), default=0))
    text = Text(title + "\n", style="bold")
    for label, value in items:
        text.append(f"{label[:label_width]:<{label_width}} ")
        if isinstance(value, int | float):
            text.append(bar(value, most, width), style="green")
            text.append(f" {value}\n")
        else:
            text.append(f"{value}\n", style="dim")
    return text


class Bars(Static):
    """A bar chart; :meth:`show` replaces its content."""

    DEFAULT_CSS = """
    Bars { height: auto; }
    """

    def show(self, title: str, items: Sequence[tuple[str, Any]]) -> None:
        width = max(10, (self.size.width or 70) - 34)
        self.update(render_bars(title, items, width))
