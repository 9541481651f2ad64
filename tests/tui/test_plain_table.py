"""Tables show text as typed (never as markup), and their fast cell drawing gives exactly
the segments of Textual's own (screens/widgets/steady.py)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from fieldwelfare.screens.widgets.steady import SteadyDataTable

HOSTILE = ["Rossi [/]", "[bold red]Anna", "[@click=app.quit]Mario[/]", "x [link=http://e.vil]y"]

ALPHABET = st.sampled_from([*"abcXYZ  []/@=.,'-àèìòùÇ", "漢", "字", "🙂", "\u0301", "ﬁ"])
CELLS = st.lists(ALPHABET, max_size=24).map("".join)
STYLE = st.sampled_from(["", "green", "dim", "bold red on blue"])


def styled(text: str, style: str, span: str, cut: int) -> Text:
    cell = Text(text, style=style)
    cell.stylize(span, cut)  # and a span from ``cut`` on
    return cell


STYLED = st.builds(styled, CELLS, STYLE, STYLE, st.integers(0, 12))


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield SteadyDataTable(id="t", zebra_stripes=True, cursor_type="row")


async def test_cells_and_labels_are_plain_text_never_markup() -> None:
    app = TableApp()
    async with app.run_test(size=(100, 12)) as pilot:
        table = app.query_one(SteadyDataTable)
        table.add_columns("[b]Nome[/b]", "Note")
        table.add_rows([[name, name] for name in HOSTILE])
        await pilot.pause()
        await pilot.click(SteadyDataTable, offset=(5, 3))  # a click on a "[@click=…]" cell
        await pilot.pause()
        assert app.is_running
        shown = "\n".join(strip.text for strip in table.render_lines(table.region.reset_offset))
        for name in (*HOSTILE, "[b]Nome[/b]"):
            assert name in shown
        assert all(isinstance(c, Text) for c in table.get_row_at(0))


async def test_fast_cells_match_textuals_own_drawing() -> None:
    app = TableApp()
    async with app.run_test(size=(120, 12)) as pilot:
        table = app.query_one(SteadyDataTable)
        table.add_columns("a", "b")
        await pilot.pause()
        styles = [Style(), Style(bold=True, color="red", bgcolor="blue")]

        @settings(max_examples=300, deadline=None, database=None)
        @given(cells=st.lists(st.tuples(CELLS, STYLED), min_size=1, max_size=4),
               width=st.integers(1, 30), flags=st.tuples(st.booleans(), st.booleans()),
               style=st.sampled_from(styles), fixed=st.integers(0, 1))
        def same(cells: list[tuple[str, Text]], width: int, flags: tuple[bool, bool],
                 style: Style, fixed: int) -> None:
            table.clear()
            table.fixed_columns = fixed
            table.add_rows(cells)
            for row in range(len(cells)):
                for column in range(2):
                    fast = table._render_cell(row, column, style, width, *flags)
                    table._cell_render_cache.clear()
                    textual: Any = DataTable._render_cell(table, row, column, style, width,
                                                          *flags)
                    table._cell_render_cache.clear()
                    assert fast == textual, (cells[row][column], width)

        same()
