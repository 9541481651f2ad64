"""Errors the core raises; the CLI maps them to exit codes (2 bad input, 1 not found)."""

from __future__ import annotations

from collections.abc import Sequence


class FieldWelfareError(Exception):
    """Base class. ``str(error)`` is one clear sentence for the user."""

    exit_code = 1


class InvalidInput(FieldWelfareError):
    """Bad input: nothing was written. Names the field and, where closed, the allowed values."""

    exit_code = 2

    def __init__(
        self, message: str, *, field: str | None = None, allowed: Sequence[str] | None = None
    ) -> None:
        self.field = field
        self.allowed = list(allowed) if allowed else None
        self.details: list[tuple[str | None, str]] = [(field, message)]
        """Every problem found, ``(field, message)``; the first is this error's own. A form
        shows them all next to their fields; the command line prints only the first."""
        super().__init__(message)


class NotFound(FieldWelfareError):
    exit_code = 1

    def __init__(self, message: str, *, kind: str, record_id: str) -> None:
        self.kind = kind
        self.record_id = record_id
        super().__init__(message)


class NotInitialised(FieldWelfareError):
    exit_code = 2
