"""Small-cell suppression with complementary suppression.

A table's published cells and its sums form linear equations: each row's partition cells
add up to its ``row_total``; each additive column adds up to the total row. Seen as a
graph (a node per equation, an edge per cell joining its row's and its column's equation;
cells in no equation of one kind hang from a common "ground" node), a hidden cell can be
computed back exactly if and only if its edge is a *bridge* among the hidden edges:
otherwise it lies on a cycle of hidden cells, and adding and subtracting the same amount
around the cycle keeps every published sum. So: hide every count under the threshold
(zeros stay), then, while some hidden cell is a bridge, hide the smallest published cell
that closes a cycle through it.
"""

from __future__ import annotations

from collections import defaultdict

from fieldwelfare.reports.model import COMPLEMENT, PRIMARY, Table

Cell = tuple[int, int]
GROUND = "ground"


def _edges(table: Table) -> dict[Cell, tuple[str, str]]:
    """Every count cell that takes part in a sum, with the two equations it belongs to."""
    counts = [i for i, c in enumerate(table.columns) if c.kind == "count"]
    additive = set(counts if table.additive is None
                   else (table.index(k) for k in table.additive))
    partition = {table.index(k) for k in table.partition}
    row_total = table.index(table.row_total) if table.row_total else None
    in_rows = partition | ({row_total} if row_total is not None else set())
    edges: dict[Cell, tuple[str, str]] = {}
    for r in range(len(table.rows)):
        for c in counts:
            row_node = f"r{r}" if row_total is not None and c in in_rows else GROUND
            col_node = f"c{c}" if table.total_row and c in additive else GROUND
            edges[(r, c)] = (row_node, col_node)
    return edges


def bridges(hidden: list[Cell], edges: dict[Cell, tuple[str, str]]) -> list[Cell]:
    """Hidden cells whose value the published sums give back (Tarjan, iterative)."""
    adjacency: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for index, cell in enumerate(hidden):
        a, b = edges[cell]
        if a == b:
            continue  # a self-loop (a cell in no sum) is never determined
        adjacency[a].append((b, index))
        adjacency[b].append((a, index))
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    found: list[Cell] = []
    for root in sorted(adjacency):
        if root in order:
            continue
        order[root] = low[root] = len(order)
        stack: list[tuple[str, int, int]] = [(root, -1, 0)]
        while stack:
            node, via, pos = stack[-1]
            if pos < len(adjacency[node]):
                stack[-1] = (node, via, pos + 1)
                nxt, edge = adjacency[node][pos]
                if edge == via:
                    continue
                if nxt in order:
                    low[node] = min(low[node], order[nxt])
                else:
                    order[nxt] = low[nxt] = len(order)
                    stack.append((nxt, edge, 0))
                continue
            stack.pop()
            if stack:
                parent = stack[-1][0]
                low[parent] = min(low[parent], low[node])
                if low[node] > order[parent]:
                    found.append(hidden[via])
    return sorted(found)


def _reach(start: str, hidden: list[Cell], edges: dict[Cell, tuple[str, str]],
           skip: Cell) -> set[str]:
    adjacency: dict[str, list[str]] = defaultdict(list)
    for cell in hidden:
        if cell != skip:
            a, b = edges[cell]
            adjacency[a].append(b)
            adjacency[b].append(a)
    seen, todo = {start}, [start]
    while todo:
        for nxt in adjacency[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _cost(table: Table, cell: Cell) -> tuple[bool, int, Cell]:
    """Complements: the smallest non-zero count first (zeros only if nothing else)."""
    value = table.rows[cell[0]][cell[1]]
    return (value == 0, int(value), cell)


def _two_per_line(table: Table, edges: dict[Cell, tuple[str, str]],
                  hidden: dict[Cell, str]) -> None:
    """The classic rule, to a fixpoint: no sum has exactly one hidden cell."""
    lines: dict[str, list[Cell]] = defaultdict(list)
    for cell, (a, b) in edges.items():
        for node in {a, b} - {GROUND}:
            lines[node].append(cell)
    count = {node: sum(1 for c in cells if c in hidden) for node, cells in lines.items()}
    todo = sorted(node for node, n in count.items() if n == 1)
    while todo:
        node = todo.pop()
        if count[node] != 1:
            continue
        choice = min((c for c in lines[node] if c not in hidden),
                     key=lambda c: _cost(table, c), default=None)
        if choice is None:
            continue
        hidden[choice] = COMPLEMENT
        for other in set(edges[choice]) - {GROUND}:
            count[other] += 1
            if count[other] == 1:
                todo.append(other)


def protect(table: Table, threshold: int) -> None:
    """Hide small counts (``PRIMARY``) and their complements (``COMPLEMENT``) in place."""
    edges = _edges(table)
    hidden: dict[Cell, str] = {}
    for r, row in enumerate(table.rows):
        for c, column in enumerate(table.columns):
            if column.kind == "count" and isinstance(row[c], int) and 0 < row[c] < threshold:
                hidden[(r, c)] = PRIMARY
    if not hidden:
        return
    _two_per_line(table, edges, hidden)
    while True:
        open_cells = bridges(sorted(hidden), edges)
        if not open_cells:
            break
        bridge = open_cells[0]
        a, b = edges[bridge]
        side_a = _reach(a, list(hidden), edges, bridge)
        side_b = _reach(b, list(hidden), edges, bridge)
        sides = side_a | side_b
        shown = [cell for cell in edges if cell not in hidden]
        closing = [cell for cell in shown
                   if (edges[cell][0] in side_a and edges[cell][1] in side_b)
                   or (edges[cell][0] in side_b and edges[cell][1] in side_a)]
        growing = [cell for cell in shown
                   if (edges[cell][0] in sides) != (edges[cell][1] in sides)]
        choice = min(closing or growing, key=lambda c: _cost(table, c), default=None)
        if choice is None:  # nothing can hide it: hide every cell of its sums
            for cell in edges:
                hidden.setdefault(cell, COMPLEMENT)
            break
        hidden[choice] = COMPLEMENT
        _two_per_line(table, edges, hidden)
    table.hidden.update(hidden)
