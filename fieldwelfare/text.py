"""Stored text shown on a terminal: a terminal acts on control characters (ESC sequences
clear the screen, set the window title, write the clipboard or make links; bidirectional
overrides reorder what is read), so stored text never reaches one raw."""

from __future__ import annotations

import re

UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                    "\u2066-\u2069]")
"""Characters a terminal acts on instead of showing (C0/C1 controls but tab and newline,
bidirectional overrides)."""


def visible(text: str) -> str:
    """``text`` safe for a terminal: each control character written as ``\\x1b``/``\\u202e``."""
    return UNSAFE.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100
                      else f"\\u{ord(m[0]):04x}", text)
