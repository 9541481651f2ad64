"""Binding descriptions are i18n keys, translated when a screen or the app is built."""

from __future__ import annotations

import dataclasses

from textual.dom import DOMNode

from fieldwelfare.i18n import catalogue, t


def translate_bindings(node: DOMNode) -> None:
    known = catalogue()
    for key, bindings in node._bindings.key_to_bindings.items():
        node._bindings.key_to_bindings[key] = [
            dataclasses.replace(b, description=t(b.description))
            if b.description in known else b
            for b in bindings
        ]
