"""A table that shows a list one page at a time and asks for the next page near its end."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widgets import DataTable

from fieldwelfare.screens.messages import Counted, Page
from fieldwelfare.screens.widgets.steady import SteadyMixin

PAGE_SIZE = 50


class RecordTable(SteadyMixin):
    """Rows are keyed by record id (never shown). The parent loads pages and hands them down
    with :meth:`show_page`; the table posts :class:`MoreWanted` when the cursor nears the end."""

    DEFAULT_CSS = """
    RecordTable { height: 1fr; }
    """

    @dataclass
    class MoreWanted(Message):
        table: RecordTable
        offset: int

        @property
        def control(self) -> RecordTable:
            return self.table

    def __init__(self, columns: list[str], *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._column_labels = columns
        self.total = 0
        self.exact = True
        """False while the list is longer than its count went (see ``Listing``)."""
        self.counting = False
        """True between a first page and its count."""
        self.generation = 0
        self._asked_at = -1
        self._after_paint: list[Callable[[], Any]] = []

    def after_rows_painted(self, callback: Callable[[], Any]) -> None:
        """Call ``callback`` once rows are on screen (at once if there are none to wait
        for): for what may wait until the user sees the list."""
        if self.row_count == 0:
            self.call_after_refresh(callback)
        else:
            self._after_paint.append(callback)

    def render_lines(self, crop: Region) -> list[Strip]:
        lines = super().render_lines(crop)
        if self._after_paint and self.row_count:
            waiting, self._after_paint = self._after_paint, []
            for callback in waiting:
                self.call_later(callback)
        return lines

    def on_mount(self) -> None:
        for label in self._column_labels:
            self.add_column(label)

    @property
    def loaded(self) -> int:
        return self.row_count

    def show_page(self, page: Page) -> bool:
        """Show a page; False (and nothing changes) if it answers an older query."""
        if page.generation != self.generation:
            return False
        if page.offset == 0:
            self.clear()
            self._asked_at = -1
        elif page.offset != self.row_count:
            return False
        self.total, self.exact = page.total, page.exact
        if page.offset == 0:
            self.counting = not page.counted
        for key, cells in page.rows:
            self.add_row(*cells, key=key)
        return True

    def show_count(self, count: Counted) -> bool:
        """Take the count of the shown query; False if it counts an older one."""
        if count.generation != self.generation:
            return False
        self.total, self.exact = max(count.total, self.row_count), count.exact
        self.counting = False
        return True

    def selected_key(self) -> str | None:
        if self.row_count == 0:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return str(row_key.value) if row_key.value is not None else None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        near_end = event.cursor_row >= self.row_count - 5
        if near_end and self.row_count < self.total and self._asked_at != self.row_count:
            self._asked_at = self.row_count
            self.post_message(self.MoreWanted(self, self.row_count))
