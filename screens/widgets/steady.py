"""Tables of plain text, drawn at their measured widths and drawn fast.

- **Plain text**: a ``str`` cell is shown as it is. Textual would read it as markup, so a
  name such as ``Rossi [/]`` (typed here or synced from another device) stopped the app, and
  ``[@click=app.quit]…`` made a click run an action. Cells and column labels given as ``str``
  become :class:`rich.text.Text`.
- **Steady widths**: Textual's DataTable measures new rows when idle, but a row drawn between
  ``add_row`` and that moment stays cached at the narrower widths (its render caches are keyed
  by an update count that measuring does not change), so what is shown depended on timing.
  Clearing the caches once measuring is done makes it deterministic.
- **Fast cells**: Textual renders every cell through Rich's padding and styling layers, about
  0.2 ms a cell: 25 ms to draw a page of search results, half of a keystroke's budget. A
  one-line cell of plain text is cut or padded here in one step, with exactly the segments
  Textual's own path gives (``tests/tui/test_plain_table.py`` compares the two).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeGuard

from rich.segment import Segment
from rich.style import Style
from rich.text import Text, TextType
from textual import events
from textual._types import SegmentLines
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets._data_table import CellType, ColumnKey, RowKey

from fieldwelfare.text import visible

_NULL = Style.null()


def plain(cell: Any) -> Any:
    """A ``str`` as plain text (never markup; control characters shown as ``\\x1b``,
    :mod:`fieldwelfare.screens.terminal_safe`); anything else as it is."""
    return Text(visible(cell), end="") if isinstance(cell, str) else cell


def _one_line(cell: object) -> TypeGuard[Text]:
    """A cell the fast path draws exactly as Textual would: plain text on one line."""
    return (isinstance(cell, Text) and not cell.justify and not cell.overflow
            and cell.tab_size is None and "\n" not in cell.plain and "\t" not in cell.plain)


class SteadyMixin(DataTable[Any]):
    def add_column(self, label: TextType, *, width: int | None = None, key: str | None = None,
                   default: CellType | None = None) -> ColumnKey:
        return super().add_column(plain(label), width=width, key=key, default=default)

    def add_row(self, *cells: CellType, height: int | None = 1, key: str | None = None,
                label: TextType | None = None) -> RowKey:
        return super().add_row(*(plain(c) for c in cells), height=height, key=key,
                               label=plain(label))

    def add_rows(self, rows: Iterable[Iterable[CellType]]) -> list[RowKey]:
        return [self.add_row(*row) for row in rows]

    _drawn_unmeasured = False
    """Rows were drawn before their widths were measured (their drawing is stale)."""
    _style: Style | None = None
    """The table's own style while it draws (Textual computes it again for every line)."""

    @property
    def rich_style(self) -> Style:
        return self._style if self._style is not None else super().rich_style

    def render_lines(self, crop: Region) -> list[Strip]:
        self._drawn_unmeasured = self._drawn_unmeasured or self._require_update_dimensions
        self._style = super().rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._style = None

    async def _on_idle(self, event: events.Idle) -> None:
        measuring = self._require_update_dimensions
        await super()._on_idle(event)
        if measuring and self._drawn_unmeasured:
            self._drawn_unmeasured = False
            self._clear_caches()
            self.refresh()

    def _render_cell(self, row_index: int, column_index: int, base_style: Style, width: int,
                     cursor: bool = False, hover: bool = False) -> SegmentLines:
        inner = width - 2 * self.cell_padding
        row_key = self._row_locations.get_key(row_index)  # (None for headers and labels)
        column_key = self._column_locations.get_key(column_index)
        cell = None if row_key is None or column_key is None or inner <= 0 \
            or self.rows[row_key].height != 1 \
            else self._get_row_renderables(row_index).cells[column_index]
        if row_key is None or column_key is None or not _one_line(cell):
            return super()._render_cell(row_index, column_index, base_style, width, cursor,
                                        hover)
        key = (row_key, column_key, base_style, cursor, hover, self._show_hover_cursor,
               self._update_count, self._pseudo_class_state)
        cached = self._cell_render_cache.get(key)
        if cached is not None:
            return cached
        fixed = row_index < self.fixed_rows or column_index < self.fixed_columns
        component_style, post_style = self._get_styles_to_render_cell(
            False, False, fixed, hover, cursor, self.show_cursor, self._show_hover_cursor,
            self.cursor_foreground_priority == "css", self.cursor_background_priority == "css")
        console = self.app.console
        text = list(cell.render(console, end=""))
        if cell.style:  # (Text.render leaves the text's own style to its caller)
            text = list(Segment.apply_style(text, console.get_style(cell.style)))
        line = Segment.adjust_line_length(text, inner, style=_NULL)
        pad = Segment(" " * self.cell_padding, _NULL)
        pre = base_style + Style.from_meta({"row": row_index, "column": column_index})
        lines = [list(Segment.apply_style([pad, *line, pad], style=pre + component_style,
                                          post_style=post_style))]
        self._cell_render_cache[key] = lines
        return lines


class SteadyDataTable(SteadyMixin):
    """A plain DataTable of plain text drawn at its measured widths."""
