"""Small-cell suppression: every small count hidden, and no hidden cell computable back
from the published cells and sums (checked by linear algebra, independently of the graph
argument the implementation uses)."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from fieldwelfare.reports.model import COMPLEMENT, PRIMARY, Column, Table
from fieldwelfare.reports.suppress import protect


def make_table(data: list[list[int]], *, row_totals: bool, total_row: bool) -> Table:
    """Data rows of partition counts, with a row-total column and a total row."""
    parts = [f"p{i}" for i in range(len(data[0]))]
    rows = [["g", *row, sum(row)] for row in data] if row_totals else [["g", *row]
                                                                       for row in data]
    columns = [Column("dim", "dim"), *(Column(p) for p in parts)]
    if row_totals:
        columns.append(Column("total"))
    if total_row:
        rows.append([None, *(sum(r[c] for r in rows) for c in range(1, len(columns)))])
    return Table("t", columns, rows, total_row=total_row,
                 partition=tuple(parts) if row_totals else (),
                 row_total="total" if row_totals else None)


def equations(table: Table) -> list[list[tuple[int, int]]]:
    """Each published sum as the cells it adds (the total cell last, with sign -1)."""
    counts = [c for c, col in enumerate(table.columns) if col.kind == "count"]
    eqs: list[list[tuple[int, int]]] = []
    data = range(len(table.rows) - (1 if table.total_row else 0))
    if table.row_total:
        total = table.index(table.row_total)
        parts = [table.index(p) for p in table.partition]
        for r in range(len(table.rows)):
            eqs.append([*((r, c) for c in parts), (r, total)])
    if table.total_row:
        last = len(table.rows) - 1
        for c in counts:
            eqs.append([*((r, c) for r in data), (last, c)])
    return eqs


def determined(table: Table) -> list[tuple[int, int]]:
    """Hidden cells whose value the published cells and sums give back exactly."""
    hidden = sorted(table.hidden)
    index = {cell: i for i, cell in enumerate(hidden)}
    matrix: list[list[Fraction]] = []
    for eq in equations(table):
        row = [Fraction(0)] * len(hidden)
        for k, cell in enumerate(eq):
            if cell in index:
                row[index[cell]] += -1 if k == len(eq) - 1 else 1
        if any(row):
            matrix.append(row)
    base = rank(matrix)
    found = []
    for cell, i in index.items():
        unit = [Fraction(int(j == i)) for j in range(len(hidden))]
        if rank([*matrix, unit]) == base:
            found.append(cell)
    return found


def rank(matrix: list[list[Fraction]]) -> int:
    rows = [r[:] for r in matrix]
    r = 0
    width = len(rows[0]) if rows else 0
    for c in range(width):
        pivot = next((i for i in range(r, len(rows)) if rows[i][c] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        for i in range(len(rows)):
            if i != r and rows[i][c] != 0:
                f = rows[i][c] / rows[r][c]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[r], strict=True)]
        r += 1
    return r


def test_a_small_cell_is_hidden_with_complements_in_its_row_and_column() -> None:
    table = make_table([[10, 2, 30], [12, 8, 40], [20, 9, 15]], row_totals=True,
                       total_row=True)
    protect(table, 5)
    assert table.hidden[(0, 2)] == PRIMARY
    assert table.shown(0, 2, 5) == "<5"
    assert any(k[0] == 0 and v == COMPLEMENT for k, v in table.hidden.items())
    assert any(k[1] == 2 and v == COMPLEMENT for k, v in table.hidden.items())
    assert determined(table) == []


def test_totals_cannot_give_back_a_single_small_row() -> None:
    table = make_table([[3], [40], [25]], row_totals=False, total_row=True)
    protect(table, 5)
    assert (0, 1) in table.hidden
    assert len(table.hidden) >= 2
    assert determined(table) == []


def test_zeros_stay_and_large_tables_stay_mostly_published() -> None:
    table = make_table([[0, 50, 60], [70, 80, 90]], row_totals=True, total_row=True)
    protect(table, 5)
    assert table.hidden == {}


@settings(max_examples=150, deadline=None)
@given(data=st.lists(st.lists(st.integers(0, 12), min_size=3, max_size=3),
                     min_size=1, max_size=6),
       row_totals=st.booleans(), total_row=st.booleans(), threshold=st.integers(3, 6))
def test_no_hidden_cell_can_be_recovered(data: list[list[int]], row_totals: bool,
                                         total_row: bool, threshold: int) -> None:
    table = make_table(data, row_totals=row_totals, total_row=total_row)
    protect(table, threshold)
    for r, row in enumerate(table.rows):
        for c, value in enumerate(row):
            if table.columns[c].kind == "count" and 0 < value < threshold:
                assert table.hidden.get((r, c)) == PRIMARY
    assert determined(table) == []
