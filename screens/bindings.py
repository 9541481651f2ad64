"""Binding descriptions are i18n keys, translated when a screen or the app is built."""

from __future__ import annotations

import dataclasses

from textual.dom import DOMNode

from fieldwelfare.i18n import catalogue, t

TEXTUAL_KEYS = {"Focus Next": "key.focus_next", "Focus Previous": "key.focus_previous",
                "Copy selected text": "key.copy", "Dismiss menu": "key.dismiss_menu"}
"""Textual's own English descriptions of screen and widget bindings, as catalogue keys
(widgets are translated when they get the focus: the footer shows their keys)."""


def translate_bindings(node: DOMNode) -> None:
    known = catalogue()
    for key, bindings in node._bindings.key_to_bindings.items():
        translated = []
        for b in bindings:
            name = TEXTUAL_KEYS.get(b.description, b.description)
            translated.append(dataclasses.replace(b, description=t(name))
                              if name in known else b)
        node._bindings.key_to_bindings[key] = translated
