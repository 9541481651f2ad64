"""Tables whose rows never stay drawn at the widths they had before being measured.

Textual's DataTable measures new rows when idle, but a row drawn between ``add_row`` and that
moment stays cached at the narrower widths (its render caches are keyed by an update count
that measuring does not change), so what is shown depends on timing. Clearing the caches once
measuring is done makes it deterministic.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import DataTable


class SteadyMixin(DataTable[Any]):
    async def _on_idle(self, event: events.Idle) -> None:
        measuring = self._require_update_dimensions
        await super()._on_idle(event)
        if measuring:
            self._clear_caches()
            self.refresh()


class SteadyDataTable(SteadyMixin):
    """A plain DataTable drawn at its measured widths."""
