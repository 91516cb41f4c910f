"""Pipe tables for the report, aligned by display width, the way ``tabulate`` lays them out.

``pipe_table`` writes exactly what ``tabulate(rows, headers, tablefmt="pipe", colalign=…,
disable_numparse=True)`` writes (a property test compares the two), without tabulate's per-cell
type inference: for the 191-line budget table of a big report tabulate took ~10 ms each time a
line was added, this takes ~1 ms. Tables it cannot measure (a control character, whose display
width wcwidth leaves undefined) are handed to tabulate itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from wcwidth import wcswidth

_MIN_PADDING = 2  # tabulate makes a column at least this much wider than its header


def pipe_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], colalign: Sequence[str] | None = None
) -> str:
    """A Markdown pipe table: cells stripped, padded to the column's display width, aligned per ``colalign``.

    ``colalign`` holds ``"left"``, ``"right"`` or ``"center"`` per column (all left when None).
    """
    head = list(headers)  # tabulate strips body cells only
    body = [[cell.strip() for cell in row] for row in rows]
    columns = len(head)
    if any(len(row) != columns for row in body):
        return _tabulate(headers, rows, colalign)
    if not body or (colalign is None and not all(any(row[i] for row in body) for i in range(columns))):
        return _tabulate(headers, rows, colalign)  # tabulate's own rules for no rows, an empty column
    aligns = list(colalign) if colalign is not None else ["left"] * columns
    head_widths = [wcswidth(cell) for cell in head]
    body_widths = [[wcswidth(cell) for cell in row] for row in body]
    if len(aligns) != columns or any(a not in _SEPARATORS for a in aligns):
        return _tabulate(headers, rows, colalign)
    if min(head_widths, default=0) < 0 or any(min(row, default=0) < 0 for row in body_widths):
        return _tabulate(headers, rows, colalign)
    widths = [max([head_widths[i] + _MIN_PADDING, *(row[i] for row in body_widths)]) for i in range(columns)]
    lines = [_line(head, head_widths, widths, aligns)]
    lines.append("|" + "|".join(_SEPARATORS[a](w + 2) for a, w in zip(aligns, widths, strict=True)) + "|")
    lines.extend(
        _line(row, row_widths, widths, aligns) for row, row_widths in zip(body, body_widths, strict=True)
    )
    return "\n".join(lines)


def _line(
    cells: Sequence[str], cell_widths: Sequence[int], widths: Sequence[int], aligns: Sequence[str]
) -> str:
    parts = []
    for cell, shown, width, align in zip(cells, cell_widths, widths, aligns, strict=True):
        gap = width - shown
        if align == "right":
            parts.append(f" {' ' * gap}{cell} ")
        elif align == "center":
            left = gap // 2
            parts.append(f" {' ' * left}{cell}{' ' * (gap - left)} ")
        else:
            parts.append(f" {cell}{' ' * gap} ")
    return "|" + "|".join(parts) + "|"


_SEPARATORS = {
    "left": lambda width: ":" + "-" * (width - 1),
    "right": lambda width: "-" * (width - 1) + ":",
    "center": lambda width: ":" + "-" * (width - 2) + ":",
}


def _tabulate(headers: Sequence[str], rows: Sequence[Sequence[str]], colalign: Sequence[str] | None) -> str:
    # imported here: tabulate loads importlib.metadata (~15 ms) and is rarely needed
    from tabulate import tabulate

    return tabulate(
        [list(row) for row in rows],
        headers=list(headers),
        tablefmt="pipe",
        colalign=tuple(colalign) if colalign is not None else None,
        disable_numparse=True,
    )
