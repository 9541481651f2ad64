"""Messages shared by several screens. Workers post them; handlers run on the UI thread."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from textual.message import Message


@dataclass
class Page(Message):
    """One page of a list, loaded by a worker.

    ``generation`` names the query it answers: a page for an older query is ignored.
    """

    generation: int
    offset: int
    rows: list[tuple[str, list[Any]]]
    total: int
    exact: bool = True
    """False when counting stopped (``total`` is then "at least")."""
    counted: bool = True
    """False for a first page whose count follows (a :class:`Counted`)."""


@dataclass
class Counted(Message):
    """How many rows a list's query matches, counted after its first page was shown."""

    generation: int
    total: int
    exact: bool


@dataclass
class Loaded(Message):
    """Whatever a detail screen loaded (its own dataclass or dict)."""

    payload: Any


@dataclass
class Saved(Message):
    """A write finished. ``summary`` says what was stored, for the notification."""

    kind: str
    record_id: str
    summary: str = ""


@dataclass
class SaveFailed(Message):
    """A write was refused. ``field`` is the input to point at (InvalidInput.field)."""

    message: str
    field: str | None = None
    saved: list[str] = dataclasses.field(default_factory=list)
    details: list[tuple[str | None, str]] = dataclasses.field(default_factory=list)
    """Every problem ``(field, message)`` when the store found several (InvalidInput.details)."""
