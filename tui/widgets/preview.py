"""The live report preview: the document's blocks laid out through Textual's line API.

Textual's stock ``Markdown`` widget builds a widget per block and per table cell on every update,
which takes seconds for a long report and blocks the event loop. This preview keeps the report
as an ordered list of sections, each a tuple of document blocks (``report.document``: title,
heading, paragraph, list, table, attachment) exactly as ``report.render`` builds them for every
writer. Nothing is parsed: blocks carry plain text, so what a user typed — ``**``, ``|``, ``#``,
``<br>`` — is shown as typed. Text is wrapped to the widget width (``text_layout``: Chinese
characters are two cells and break anywhere, Latin text breaks at spaces) and only the lines on
screen are drawn.

A section is cut into *pieces*: one per block, and one per ``TABLE_CHUNK_ROWS`` rows of a table.
A piece caches its wrapped lines for one width. ``update_section`` compares the section's new
blocks with the old ones (they are frozen dataclasses and tuples), keeps the pieces that did not
change and splices in the rest; a changed table keeps the measurements and laid-out lines of the
rows it shares with the old one from its start and from its end. Other sections keep their
lines. A prefix sum over the pieces' line counts locates any line by bisection. A piece not yet
wrapped at the current width has an estimated line count: it is wrapped when it scrolls into
view, and a background task wraps the rest in slices of a few milliseconds, so neither a
200-page load nor a resize blocks the event loop. When a count above the top of the view
changes, the view moves by the difference, so the text on screen stays put.

Wrapped lines are cached as compact records (``LineRecord``), and strips are built only for the
lines on screen, through a small cache (see ``text_layout``).

Structure never relies on colour: the title is bold and reversed, 一、 headings bold and
underlined, deeper ones bold; tables have drawn borders. Nothing animates.
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from itertools import accumulate, islice
from time import perf_counter
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from report.document import (
    Attachment,
    BulletList,
    Cell,
    DocBlock,
    Heading,
    Paragraph,
    Span,
    Table,
    Title,
)
from report.text import split_lines
from tui.widgets.text_layout import (
    BLANK,
    BORDER,
    DEFAULT_STYLES,
    HEADER,
    HEADER_STRONG,
    MARKER,
    PLAIN,
    STRONG,
    STYLE_COUNT,
    Line,
    LineRecord,
    Styles,
    approximate_width,
    heading_style,
    line_record,
    make_styles,
    put_run,
    record_text,
    screen_text,
    text_width,
    to_strip,
    wrap_runs,
)

__all__ = [
    "BORDER",
    "DEFAULT_STYLES",
    "HEADER",
    "HEADER_STRONG",
    "MARKER",
    "PLAIN",
    "STRONG",
    "STYLE_COUNT",
    "TABLE_CHUNK_ROWS",
    "Line",
    "LineRecord",
    "ReportPreview",
    "Section",
    "Styles",
    "TableSource",
    "approximate_width",
    "cell_lines",
    "column_widths",
    "heading_style",
    "layout_block",
    "make_styles",
    "match_rows",
    "record_text",
    "text_width",
    "to_strip",
    "wrap_runs",
]

Section = tuple[str, Sequence[DocBlock]]
"""A section of the preview: its key and its blocks in reading order."""
TextBlock = Title | Heading | Paragraph | BulletList | Attachment
"""A block that is text (every block but a table)."""
Row = tuple[Cell, ...]

# --- text blocks ----------------------------------------------------------------------------------

_LIST_MARKER = "•"
_LIST_HANG = cell_len(_LIST_MARKER) + 1


def _runs(spans: Iterable[Span], plain: int, strong: int) -> list[tuple[str, int]]:
    return [(screen_text(span.text), strong if span.strong else plain) for span in spans]


def _heading_lines(level: int, text: str, width: int) -> list[LineRecord]:
    """A heading shown at ``level`` (1 is the title): level 1 is a full-width bar, visible without colour."""
    style = heading_style(level)
    records = []
    for line in wrap_runs([(screen_text(text), style)], width):
        if level == 1 and line.width < width:
            parts = list(line.parts)
            put_run(parts, " " * (width - line.width), style)
            records.append((width, *parts))
        else:
            records.append(line_record(line))
    return records


def _paragraph_lines(spans: Iterable[Span], width: int) -> list[LineRecord]:
    return [line_record(line) for line in wrap_runs(_runs(spans, PLAIN, STRONG), width)]


def _list_lines(block: BulletList, width: int) -> list[LineRecord]:
    records: list[LineRecord] = []
    hang = _LIST_HANG
    for item in block.items:
        for number, line in enumerate(wrap_runs(_runs(item, PLAIN, STRONG), max(width - hang, 2))):
            lead: tuple[Any, ...] = (" " * hang, PLAIN) if number else (_LIST_MARKER, MARKER, " ", PLAIN)
            parts = list(lead)
            for part in range(0, len(line.parts), 2):
                put_run(parts, line.parts[part], line.parts[part + 1])
            records.append((hang + line.width, *parts))
    return records


def shown_level(block: Title | Heading | Attachment) -> int:
    """The level a heading is drawn at: 1 for the title, 2 for 一、 and for 附件1, 3 for （一）, 4 below."""
    if isinstance(block, Title):
        return 1
    if isinstance(block, Attachment):
        return 2
    return min(block.level + 1, 4)


def facts_text(title: Title) -> str:
    """The facts under the title on one line, joined by ``；``."""
    return "；".join(title.facts)


def layout_block(block: TextBlock, width: int) -> list[LineRecord]:
    """The lines of one text block at ``width``, followed by one blank line.

    A title is its level-1 heading and its facts as a paragraph; an attachment is its heading
    (``附件1 项目支出绩效自评表``) at level 2 and its note as a paragraph.
    """
    if isinstance(block, Paragraph):
        records = _paragraph_lines(block.spans, width)
    elif isinstance(block, Heading):
        records = _heading_lines(shown_level(block), block.full_text, width)
    elif isinstance(block, BulletList):
        records = _list_lines(block, width)
    elif isinstance(block, Title):
        records = _heading_lines(1, block.text, width)
        if block.facts:
            records.append(BLANK)
            records.extend(_paragraph_lines((Span(facts_text(block)),), width))
    else:
        records = _heading_lines(2, block.heading, width)
        if block.note:
            records.append(BLANK)
            records.extend(_paragraph_lines((Span(block.note),), width))
    records.append(BLANK)
    return records


BlockMeasure = tuple[tuple[int, tuple[int, ...]], ...]
"""A block's text measured once for estimates: (hanging indent, widths of its lines) per item;
a width of 0 is a blank line."""


def _spans_width(spans: Iterable[Span]) -> int:
    return approximate_width("".join(span.text for span in spans))


def measure_block(block: TextBlock) -> BlockMeasure:
    """What ``estimate_block`` needs to know about a text block, whatever the width (roughly)."""
    if isinstance(block, Paragraph):
        return ((0, (_spans_width(block.spans),)),)
    if isinstance(block, Heading):
        return ((0, (approximate_width(block.full_text),)),)
    if isinstance(block, BulletList):
        return tuple((_LIST_HANG, (_spans_width(item),)) for item in block.items)
    if isinstance(block, Title):
        lines: tuple[int, ...] = (approximate_width(block.text),)
        if block.facts:
            lines += (0, approximate_width(facts_text(block)))
        return ((0, lines),)
    shown: tuple[int, ...] = (approximate_width(block.heading),)
    if block.note:
        shown += (0, approximate_width(block.note))
    return ((0, shown),)


def _estimate_widths(line_widths: Iterable[int], width: int) -> int:
    return sum(-(-line_width // width) or 1 for line_width in line_widths)


def estimate_block(measure: BlockMeasure, width: int) -> int:
    """How many lines a block measured by ``measure_block`` takes at ``width`` (blank line included)."""
    return 1 + sum(_estimate_widths(widths, max(width - hang, 2)) for hang, widths in measure)


# --- tables -----------------------------------------------------------------------------------------

_BOX_TOP = ("┌", "─", "┬", "┐")
_BOX_HEAD = ("╞", "═", "╪", "╡")
_BOX_ROW = ("├", "─", "┼", "┤")
_BOX_BOTTOM = ("└", "─", "┴", "┘")
_BOX_VERTICAL = "│"
_ALIGNS = frozenset({"left", "right", "center"})

CellLines = tuple[str, ...]
"""What a table cell shows: one string per line."""


def cell_lines(cell: Cell) -> CellLines:
    """The lines a table cell shows: its text cut at line breaks, each stripped, blank ones dropped.

    Nothing else is interpreted: a ``|`` or ``<br>`` in the text is shown as typed.
    """
    text = cell if cell.__class__ is str else cell.text  # type: ignore[union-attr]
    if text.isprintable():
        return (text.strip(),)
    lines = tuple(shown for line in split_lines(text) if (shown := screen_text(line).strip()))
    return lines or ("",)


def _lines_width(lines: CellLines) -> int:
    return text_width(lines[0]) if len(lines) == 1 else max(map(text_width, lines))


def match_rows(old: Sequence[Row], new: Sequence[Row]) -> tuple[int, int]:
    """How many rows ``old`` and ``new`` share from the start, and then from the end.

    One changed, added or removed row leaves every other row matched. Rows are tuples of
    strings and frozen ``Figure`` cells, so ``==`` compares what they show and hold.
    """
    if old is new:
        return len(new), 0
    same = min(len(old), len(new))
    head = 0
    while head < same and old[head] == new[head]:
        head += 1
    tail = 0
    last_old, last_new = len(old) - 1, len(new) - 1
    while tail < same - head and old[last_old - tail] == new[last_new - tail]:
        tail += 1
    return head, tail


def column_widths(natural: Sequence[int], available: int) -> list[int]:
    """Column widths that fit ``available`` cells: narrow columns keep their width, wide ones share.

    A column keeps at least two cells (one Chinese character) where its content is that wide,
    even if the table then overflows (and is cropped at the edge of the view).
    """
    if sum(natural) <= available:
        return list(natural)
    low, high = 0, max(natural)
    while low < high:  # the largest cap at which the capped columns still fit
        cap = (low + high + 1) // 2
        if sum(min(width, cap) for width in natural) <= available:
            low = cap
        else:
            high = cap - 1
    widths = [min(width, low) for width in natural]
    spare = available - sum(widths)
    for column, width in enumerate(natural):
        if spare <= 0:
            break
        if width > widths[column]:
            widths[column] += 1
            spare -= 1
    return [max(width, min(natural[column], 2)) for column, width in enumerate(widths)]


MIN_COLUMN_CELLS = 6
"""A column of text narrower than this (three Chinese characters) makes a table show its rows as
records — one ``表头：值`` line per cell — rather than as an unreadable grid."""


_MEASURE_SLICE_ROWS = 64
"""Rows measured between two looks at the clock."""


class _Measuring:
    """The rows of a table measured so far: the table it replaced (rows taken over from it), the
    next row to measure, the cells, widths and heights so far, and the cells measured by text."""

    __slots__ = ("cells", "heights", "memo", "next", "previous", "widths")

    def __init__(self, previous: TableSource | None, start: int) -> None:
        self.previous = previous
        self.next = start
        self.cells: list[tuple[CellLines, ...]] = []
        self.widths: list[tuple[int, ...]] = []
        self.heights: list[int] = []
        self.memo: dict[str, tuple[CellLines, int]] = {}


class TableSource:
    """A table block, its cells measured once, and its layout at the current width (one per width).

    The rows are measured on first use, not when the section arrives: a 2,000-row table takes
    milliseconds to measure, which a long report's load leaves to the background wrapping unless
    the table is on screen. A table that replaces an earlier one (``previous``, after an edit)
    takes the measurements and laid-out lines of the rows the two share from their start and
    from their end (``match_rows``), so one changed row of 2,000 is the only one measured and
    laid out again.
    """

    __slots__ = (
        "_cells",
        "_frame_as_previous",
        "_heights",
        "_layout",
        "_measuring",
        "_merged",
        "_natural",
        "_previous",
        "_tall",
        "_widths",
        "aligns",
        "block",
        "columns",
        "header",
        "match",
    )
    _previous: TableSource | None
    _cells: list[tuple[CellLines, ...]] | None
    _layout: TableLayout | None

    def __init__(self, block: Table, previous: TableSource | None = None) -> None:
        self.block = block
        self.header: tuple[CellLines, ...] = tuple(cell_lines(cell) for cell in block.header) or (("",),)
        columns = self.columns = len(self.header)
        aligns = [str(align) if str(align) in _ALIGNS else "left" for align in block.align or ()]
        self.aligns: tuple[str, ...] = tuple((aligns + ["left"] * columns)[:columns])
        # keep only a predecessor with something to reuse, so that tables replaced while never
        # laid out (the preview hidden) do not form a chain
        while previous is not None and previous._cells is None and previous._layout is None:
            previous = previous._previous
        if previous is not None:
            previous._previous = None  # it is being replaced: it will never be laid out again
        self._previous = previous
        self.match = (0, 0)
        """Rows shared with ``previous`` from the start and from the end (see ``match_rows``)."""
        self._cells = None
        self._widths: list[tuple[int, ...]] = []
        self._heights: list[int] = []
        self._tall = 0
        """How many rows have a cell of more than one line."""
        self._measuring: _Measuring | None = None
        self._frame_as_previous: bool | None = None
        self._natural: tuple[int, ...] = ()
        self._merged: list[tuple[int, list[int], list[int]]] | None = None
        """Per column with merged regions: the regions' first rows and their ends, in order."""
        self._layout = None

    @property
    def row_count(self) -> int:
        """The number of body rows."""
        return len(self.block.rows)

    @property
    def measured(self) -> bool:
        """Whether the rows have been measured yet."""
        return self._cells is not None

    @property
    def cells(self) -> list[tuple[CellLines, ...]]:
        """The lines of every body cell, row by row."""
        return self._measure()

    @property
    def widths(self) -> list[tuple[int, ...]]:
        """The natural width of every body cell (its widest line)."""
        self._measure()
        return self._widths

    @property
    def natural(self) -> tuple[int, ...]:
        """The widest cell of each column, header included (at least 1)."""
        self._measure()
        return self._natural

    @property
    def breaks(self) -> bool:
        """Whether any body cell has more than one line."""
        self._measure()
        return self._tall > 0

    def _measure(self) -> list[tuple[CellLines, ...]]:
        """Measure the rows, once (reusing the rows matched in ``previous``); the cells."""
        if self._cells is None:
            self.measure_some(float("inf"))
            assert self._cells is not None
        return self._cells

    def measure_some(self, deadline: float) -> bool:
        """Measure rows until ``deadline`` (a ``perf_counter`` time); whether all are measured now.

        The background wrapping measures a long table a slice at a time this way, not in one
        stall of the event loop. Rows matched in ``previous`` are taken over, not measured.
        """
        if self._cells is not None:
            return True
        state = self._measuring
        if state is None:
            state = self._measuring = self._start_measuring()
        stop = self.row_count - self.match[1]
        while state.next < stop:
            self._measure_rows(state, min(state.next + _MEASURE_SLICE_ROWS, stop))
            if state.next < stop and perf_counter() >= deadline:
                return False
        self._finish_measuring(state)
        return True

    def _start_measuring(self) -> _Measuring:
        previous = self._previous
        if previous is None or previous._cells is None or previous.columns != self.columns:
            return _Measuring(None, 0)
        head, _tail = self.match = match_rows(previous.block.rows, self.block.rows)
        state = _Measuring(previous, head)
        state.cells.extend(previous._cells[:head])
        state.widths.extend(previous._widths[:head])
        state.heights.extend(previous._heights[:head])
        return state

    def _measure_rows(self, state: _Measuring, stop: int) -> None:
        """Measure rows ``state.next`` to ``stop``."""
        columns = self.columns
        memo = state.memo
        cells, widths, heights = state.cells, state.widths, state.heights
        for row in islice(self.block.rows, state.next, stop):
            shown: list[CellLines] = []
            row_widths: list[int] = []
            height = 1
            for cell in row[:columns]:
                text = cell if cell.__class__ is str else cell.text  # type: ignore[union-attr]
                measured = memo.get(text)
                if measured is None:
                    lines = cell_lines(text)
                    measured = memo[text] = (lines, _lines_width(lines))
                shown.append(measured[0])
                row_widths.append(measured[1])
                if len(measured[0]) > height:
                    height = len(measured[0])
            while len(shown) < columns:
                shown.append(("",))
                row_widths.append(0)
            cells.append(tuple(shown))
            widths.append(tuple(row_widths))
            heights.append(height)
        state.next = stop

    def _finish_measuring(self, state: _Measuring) -> None:
        """Take over the rows matched at the end, then the widest cells and the tall rows."""
        cells, widths, heights = state.cells, state.widths, state.heights
        previous = state.previous
        head, tail = self.match
        if tail:
            assert previous is not None and previous._cells is not None
            cells.extend(previous._cells[-tail:])
            widths.extend(previous._widths[-tail:])
            heights.extend(previous._heights[-tail:])
        header = [max(_lines_width(lines), 1) for lines in self.header]
        fresh = slice(head, self.row_count - tail)
        if previous is not None and (head or tail) and previous.header == self.header:
            # only the rows in between changed: the widest cells and the tall rows follow from
            # the old table's, unless a replaced row held a column's widest cell
            replaced = slice(head, previous.row_count - tail)
            natural = list(previous._natural)
            stale = {
                column
                for old_widths in previous._widths[replaced]
                for column, width in enumerate(old_widths)
                if width >= natural[column]
            }
            for new_widths in widths[fresh]:
                for column, width in enumerate(new_widths):
                    if width > natural[column]:
                        natural[column] = width
            for column in stale:
                widest = max((row_widths[column] for row_widths in widths), default=0)
                natural[column] = max(header[column], widest)
            tall = previous._tall - sum(height > 1 for height in previous._heights[replaced])
        else:
            natural = header
            if widths:
                natural = [max(column) for column in zip(header, *widths, strict=True)]
            tall = 0
            fresh = slice(0, len(widths))
        tall += sum(height > 1 for height in heights[fresh])
        self._widths, self._heights, self._natural = widths, heights, tuple(natural)
        self._tall = tall
        self._cells = cells
        self._measuring = None

    def merged_above(self, index: int) -> tuple[int, ...]:
        """The columns whose cell in row ``index`` is merged with the one above it."""
        spans = self._merged
        if spans is None:
            by_column: dict[int, list[tuple[int, int]]] = {}
            for merge in self.block.merges:
                for column in range(merge.column, min(merge.column + merge.columns, self.columns)):
                    by_column.setdefault(column, []).append((merge.row, merge.row + merge.rows))
            spans = self._merged = [
                (column, [start for start, _ in runs], [stop for _, stop in runs])
                for column, runs in sorted((column, sorted(runs)) for column, runs in by_column.items())
            ]
        merged = []
        for column, starts, stops in spans:
            at = bisect_right(starts, index - 1) - 1  # the last region starting at or above the row above
            if at >= 0 and stops[at] > index:
                merged.append(column)
        return tuple(merged)

    def draws_rows_as(self, old: TableSource, start: int, stop: int) -> bool:
        """Whether rows ``start`` to ``stop`` of this table draw exactly as in ``old``, the table it replaced.

        True when they are among the rows matched from either end, the table has as many rows
        (so they sit at the same places) and everything else a row's lines depend on is the same:
        header, alignment, column widths, merged regions and whether rows are ruled apart.
        """
        if old is self:
            return True
        if self._previous is not old or old._cells is None or self.row_count != old.row_count:
            return False
        if self._frame_as_previous is None:
            self._measure()
            self._frame_as_previous = (
                self._natural == old._natural
                and self.header == old.header
                and self.aligns == old.aligns
                and (self._tall > 0) == (old._tall > 0)
                and self.block.merges == old.block.merges
            )
        head, tail = self.match
        return self._frame_as_previous and (stop <= head or start >= self.row_count - tail)

    def rough_lines(self, start: int, stop: int, width: int) -> int:
        """A guess at the lines of rows ``start`` to ``stop`` at ``width`` without measuring them."""
        columns = self.columns
        available = max(width - 3 * columns - 1, columns)
        rows = self.block.rows[start:stop]
        texts = [cell if cell.__class__ is str else cell.text for row in rows for cell in row]  # type: ignore[union-attr]
        return max(stop - start, -(-approximate_width("".join(texts)) // available))

    def layout(self, width: int) -> TableLayout:
        """The table laid out at ``width``; rows matched in the table it replaced keep their lines."""
        layout = self._layout
        if layout is None or layout.width != width:
            self._measure()
            layout = TableLayout(self, width)
            previous = self._previous
            if previous is not None and previous._layout is not None:
                layout.inherit(previous._layout, *self.match)
            self._previous = None
            self._layout = layout
        return layout


class TableLayout:
    """A table laid out at one widget width: column widths, border lines, rows as line records.

    As a grid when every column of text gets ``MIN_COLUMN_CELLS`` cells, else as records (a
    narrow preview pane beside the conversation). Rows are cached by position; a table that
    replaced another lays out only its changed rows as long as its column widths stay the same
    (see ``inherit``). Inside a merged region (the 一级/二级 groups of the 自评表) the rule
    between two rows is left out.
    """

    def __init__(self, source: TableSource, width: int) -> None:
        self.source = source
        self.width = width
        natural = source.natural
        columns = len(natural)
        self.pad = 1
        widths = column_widths(natural, width - 3 * columns - 1)
        if sum(widths) + 3 * columns + 1 > width:
            self.pad = 0  # too narrow for padding: drop it before anything is cropped
            widths = column_widths(natural, width - columns - 1)
        self.columns = tuple(widths)
        self.records = any(
            width < min(natural, MIN_COLUMN_CELLS) for natural, width in zip(natural, widths, strict=True)
        )
        """Whether rows show as records, one ``表头：值`` line per cell, rather than as a grid."""
        self.line_width = sum(widths) + (2 * self.pad + 1) * columns + 1
        self.ruled = not self.records and (
            source.breaks or any(natural > width for natural, width in zip(natural, widths, strict=True))
        )
        """Whether grid rows are ruled apart: only when some row may take more than one line."""
        self._separators: dict[tuple[int, ...], LineRecord] = {}
        self.opening: tuple[LineRecord, ...]
        """The lines before the first row: borders and header, or one rule for records."""
        self.closing: tuple[LineRecord, ...]
        """The lines after the last row, the blank line after the table included."""
        self.labels = tuple("".join(lines) for lines in source.header)
        if self.records:
            self.opening = ((width, "─" * width, BORDER),)
            self.closing = (BLANK,)
        else:
            header_widths = tuple(_lines_width(lines) for lines in source.header)
            header = self.row(source.header, header_widths, HEADER)
            self.opening = (self.rule(_BOX_TOP), *header, self.rule(_BOX_HEAD))
            self.closing = (self.rule(_BOX_BOTTOM), BLANK)
        self._rows: list[tuple[LineRecord, ...] | None] = [None] * source.row_count
        """Row lines by position: tuples of tuples of str and int, which the GC leaves alone."""

    def _key(self) -> tuple[Any, ...]:
        return (self.width, self.columns, self.pad, self.records, self.source.aligns, self.labels)

    def inherit(self, previous: TableLayout, head: int, tail: int) -> None:
        """Reuse the rows an earlier layout shares with this one (``head`` from the start, ``tail``
        from the end) if its columns are the same."""
        if previous._key() != self._key():
            return
        old = previous._rows
        rows = self._rows
        rows[:head] = old[:head]
        if tail:
            rows[len(rows) - tail :] = old[len(old) - tail :]

    def rule(self, parts: tuple[str, str, str, str], merged: tuple[int, ...] = ()) -> LineRecord:
        """A border line from its left end, fill, junction and right end; ``merged`` columns stay open."""
        left, fill, junction, right = parts
        if not merged:
            text = left + junction.join(fill * (width + 2 * self.pad) for width in self.columns) + right
            return (len(text), text, BORDER)
        pieces = [_BOX_VERTICAL if 0 in merged else left]
        last = len(self.columns) - 1
        for column, width in enumerate(self.columns):
            inside = column in merged
            pieces.append((" " if inside else fill) * (width + 2 * self.pad))
            if column == last:
                pieces.append(_BOX_VERTICAL if inside else right)
            else:
                after = column + 1 in merged
                pieces.append(
                    _BOX_VERTICAL if inside and after else left if inside else right if after else junction
                )
        text = "".join(pieces)
        return (len(text), text, BORDER)

    def separator(self, index: int) -> LineRecord | None:
        """The rule above body row ``index`` (None when rows are not ruled apart)."""
        if not self.ruled or not index:
            return None
        merged = self.source.merged_above(index)
        record = self._separators.get(merged)
        if record is None:
            record = self._separators[merged] = self.rule(_BOX_ROW, merged)
        return record

    def row(self, cells: Sequence[CellLines], widths: Sequence[int], style: int) -> list[LineRecord]:
        """One row: every cell wrapped to its column, as many lines as its tallest cell.

        A cell's text has one style, so a line is border, cell, border, cell, …: each cell's
        padding and text make one part (this runs for every row of a 2,000-row table).
        """
        columns = self.columns
        wrapped: list[list[tuple[str, int]]] = []
        for column, shown in enumerate(cells):
            width = columns[column]
            if len(shown) == 1 and widths[column] <= width:
                wrapped.append([(shown[0], cell_len(shown[0]))])
            else:
                wrapped.append(
                    [
                        ("".join(line.parts[0::2]), line.width)
                        for text in shown
                        for line in wrap_runs([(text, style)], width)
                    ]
                )
        pad = " " * self.pad
        aligns = self.source.aligns
        blank = ("", 0)
        records = []
        for index in range(max(map(len, wrapped))):
            parts: list[Any] = [_BOX_VERTICAL, BORDER]
            for column, lines in enumerate(wrapped):
                text, used = lines[index] if index < len(lines) else blank
                gap = columns[column] - used
                align = aligns[column]
                before = gap // 2 if align == "center" else gap if align == "right" else 0
                parts += (
                    f"{pad}{' ' * before}{text}{' ' * (gap - before)}{pad}",
                    style,
                    _BOX_VERTICAL,
                    BORDER,
                )
            records.append((self.line_width, *parts))
        return records

    def record(self, cells: Sequence[CellLines]) -> list[LineRecord]:
        """One row as a record: ``表头：值`` per non-empty cell, wrapped under a two-cell indent,
        then a rule."""
        width = self.width
        records: list[LineRecord] = []
        for label, lines in zip(self.labels, cells, strict=True):
            if not lines[0]:
                continue
            for number, text in enumerate(lines):
                runs = (
                    [(f"{label}：", HEADER), (text, PLAIN)] if number == 0 else [("  ", PLAIN), (text, PLAIN)]
                )
                for part, wrapped in enumerate(wrap_runs(runs, max(width - 2, 2))):
                    if part:
                        records.append((wrapped.width + 2, "  ", PLAIN, *wrapped.parts))
                    else:
                        records.append(line_record(wrapped))
        records.append((width, "─" * width, BORDER))
        return records

    def body_row(self, index: int) -> tuple[LineRecord, ...]:
        """The lines of body row ``index`` (cached)."""
        records = self._rows[index]
        if records is None:
            source = self.source
            cells = source.cells[index]
            laid_out = self.record(cells) if self.records else self.row(cells, source.widths[index], PLAIN)
            records = self._rows[index] = tuple(laid_out)
        return records

    def estimate_row(self, index: int) -> int:
        """How many lines body row ``index`` takes: exact if laid out already, else a guess."""
        laid_out = self._rows[index]
        if laid_out is not None:
            return len(laid_out)
        widths = self.source.widths[index]
        if self.records:
            available = max(self.width - 2, 2)
            return 1 + sum(
                -(-(natural + cell_len(label) + 2) // available)
                for label, natural in zip(self.labels, widths, strict=True)
                if natural
            )
        lines = 1
        for natural, width in zip(widths, self.columns, strict=True):
            if natural > width:
                lines = max(lines, -(-natural // width))
        if self.source._heights[index] > 1:
            for cell, width in zip(self.source.cells[index], self.columns, strict=True):
                if len(cell) > 1:
                    lines = max(lines, _estimate_widths(map(text_width, cell), width))
        return lines


# --- pieces: the units of caching -----------------------------------------------------------------

TABLE_CHUNK_ROWS = 8
"""Table rows per piece: wrapping one piece takes a few milliseconds at most."""


class Piece(ABC):
    """A width-independent part of a section whose lines are cached for one width.

    ``count`` is its number of lines: exact when ``width`` is the widget's width, else a guess.
    ``lines`` holds the line records once wrapped at ``width``.
    """

    __slots__ = ("count", "lines", "width")

    def __init__(self) -> None:
        self.count = 0
        self.width = 0
        self.lines: list[LineRecord] = []

    @abstractmethod
    def layout(self, width: int) -> list[LineRecord]:
        """The piece's lines at ``width``."""

    @abstractmethod
    def estimate(self, width: int) -> int:
        """A quick guess at ``len(self.layout(width))``."""

    def same_as(self, other: Piece) -> bool:
        """Whether ``other`` draws exactly the same lines (so its lines can be kept)."""
        return False

    def adopt(self, other: Piece) -> Piece:
        """The piece to keep in place of this one, which draws the same lines as ``other``: ``other``."""
        return other


class BlockPiece(Piece):
    """A text block: title, heading, paragraph, list or attachment."""

    __slots__ = ("_measure", "block")

    def __init__(self, block: TextBlock) -> None:
        super().__init__()
        self.block = block
        self._measure: BlockMeasure | None = None

    def layout(self, width: int) -> list[LineRecord]:
        """The block's lines and the blank line after it."""
        return layout_block(self.block, width)

    def estimate(self, width: int) -> int:
        """See ``estimate_block``."""
        if self._measure is None:
            self._measure = measure_block(self.block)
        return estimate_block(self._measure, width)

    def same_as(self, other: Piece) -> bool:
        """Equal blocks draw equal lines."""
        return isinstance(other, BlockPiece) and other.block == self.block


class TableChunk(Piece):
    """Body rows ``start`` to ``stop`` of a table; the first chunk draws the header, the last the bottom."""

    __slots__ = ("first", "last", "source", "start", "stop")

    def __init__(self, source: TableSource, start: int, stop: int) -> None:
        super().__init__()
        self.source = source
        self.start = start
        self.stop = stop
        self.first = start == 0
        self.last = stop == source.row_count

    def same_as(self, other: Piece) -> bool:
        """The same rows of a table that draws them the same (see ``TableSource.draws_rows_as``)."""
        return (
            isinstance(other, TableChunk)
            and other.start == self.start
            and other.stop == self.stop
            and self.source.draws_rows_as(other.source, self.start, self.stop)
        )

    def adopt(self, other: Piece) -> Piece:
        """This chunk, with the lines of ``other`` (which belongs to the table this one replaced,
        and must not be kept: it holds on to the whole old table)."""
        self.count, self.width, self.lines = other.count, other.width, other.lines
        return self

    def layout(self, width: int) -> list[LineRecord]:
        """Header (first chunk), the rows with the rules between them, bottom border (last chunk)."""
        table = self.source.layout(width)
        records: list[LineRecord] = list(table.opening) if self.first else []
        ruled = table.ruled
        for index in range(self.start, self.stop):
            if ruled and index:
                records.append(table.separator(index))  # type: ignore[arg-type]
            records.extend(table.body_row(index))
        if self.last:
            records.extend(table.closing)
        return records

    def estimate(self, width: int) -> int:
        """Row heights guessed from cell widths (or, before the table is measured, from its
        text), plus separators and borders."""
        if not self.source.measured:
            lines = self.source.rough_lines(self.start, self.stop, width)
            ruled = lines > self.stop - self.start
            opening, closing = 3, 2
        else:
            table = self.source.layout(width)
            lines = sum(table.estimate_row(index) for index in range(self.start, self.stop))
            ruled = table.ruled
            opening, closing = len(table.opening), len(table.closing)
        if ruled:  # a separator above every body row but the first
            lines += self.stop - self.start - (1 if self.first and self.stop else 0)
        if self.first:
            lines += opening
        if self.last:
            lines += closing
        return lines


def make_pieces(blocks: Iterable[DocBlock], previous_tables: Sequence[TableSource] = ()) -> list[Piece]:
    """Cut a section's blocks into pieces; its n-th table may reuse rows of ``previous_tables[n]``."""
    pieces: list[Piece] = []
    tables = 0
    for block in blocks:
        if isinstance(block, Table):
            previous = previous_tables[tables] if tables < len(previous_tables) else None
            source = TableSource(block, previous)
            tables += 1
            rows = source.row_count
            for start in range(0, max(rows, 1), TABLE_CHUNK_ROWS):
                pieces.append(TableChunk(source, start, min(start + TABLE_CHUNK_ROWS, rows)))
        else:
            pieces.append(BlockPiece(block))
    return pieces


def _tables_of(pieces: Iterable[Piece]) -> list[TableSource]:
    return [piece.source for piece in pieces if isinstance(piece, TableChunk) and piece.first]


def _rebuild(old: Sequence[Piece], blocks: Sequence[DocBlock]) -> tuple[list[Piece], int, int]:
    """The pieces of a section's new blocks, reusing what did not change from ``old``.

    Returns the pieces and how many of them at the head and at the tail are ``old``'s own
    (with their wrapped lines); tables reuse their unchanged rows.
    """
    new = make_pieces(blocks, _tables_of(old))
    same = min(len(old), len(new))
    head = 0
    while head < same and new[head].same_as(old[head]):
        new[head] = new[head].adopt(old[head])
        head += 1
    tail = 0
    while tail < same - head and new[-1 - tail].same_as(old[-1 - tail]):
        new[-1 - tail] = new[-1 - tail].adopt(old[-1 - tail])
        tail += 1
    return new, head, tail


# --- the widget -----------------------------------------------------------------------------------

_SLICE_SECONDS = 0.005
"""How long the background wrapping works before it lets the event loop run."""
_RESIZE_EVERY_SECONDS = 0.1
"""How often the background wrapping updates the scroll range (each update costs a screen layout)."""
_EDIT_BUDGET_SECONDS = 0.004
"""How long ``update_section`` may spend wrapping the edited section's off-screen pieces."""


class ReportPreview(ScrollView, can_focus=True):
    """A scrollable, read-only view of the report, section by section, updated one section at a time.

    ``set_sections`` loads the report as ``(key, blocks)`` pairs in reading order;
    ``update_section`` replaces one section's blocks and redraws only what that changes.
    With ``follow`` set, an update scrolls the changed lines into view.
    """

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "preview--h1",
        "preview--h2",
        "preview--h3",
        "preview--h4",
        "preview--strong",
        "preview--list-marker",
        "preview--table-border",
        "preview--table-header",
    }
    DEFAULT_CSS = """
    ReportPreview {
        width: 1fr;
        height: 1fr;
        overflow-x: hidden;
        overflow-y: scroll;
        background: $surface;
        & > .preview--h1 { text-style: bold reverse; }
        & > .preview--h2 { text-style: bold underline; color: $text-primary; }
        & > .preview--h3 { text-style: bold; color: $text-primary; }
        & > .preview--h4 { text-style: bold; }
        & > .preview--strong { text-style: bold; }
        & > .preview--list-marker { text-style: bold; }
        & > .preview--table-border { color: $text-muted; }
        & > .preview--table-header { text-style: bold; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "scroll_up", "上移", show=False, id="preview.scroll_up"),
        Binding("down", "scroll_down", "下移", show=False, id="preview.scroll_down"),
        Binding("pageup", "page_up", "上一页", show=False, id="preview.page_up"),
        Binding("pagedown", "page_down", "下一页", show=False, id="preview.page_down"),
        Binding("home", "scroll_home", "开头", show=False, id="preview.home"),
        Binding("end", "scroll_end", "结尾", show=False, id="preview.end"),
    ]

    def __init__(
        self,
        sections: Iterable[Section] = (),
        *,
        follow: bool = True,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        """Create the preview, optionally with its first sections (see ``set_sections``)."""
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.follow = follow
        """Whether ``update_section`` scrolls the changed lines into view."""
        self._keys: list[str] = []
        self._blocks: list[tuple[DocBlock, ...]] = []
        self._index: dict[str, int] = {}
        self._pieces: list[Piece] = []
        self._first: list[int] = [0]
        """Section ``i`` owns pieces ``_first[i]`` to ``_first[i + 1]``."""
        self._starts: list[int] = [0]
        """``_starts[p]`` is the first line of piece ``p``; the last entry is the line count."""
        self._stale_from: int | None = None
        """The first piece whose count changed since ``_starts`` was brought up to date."""
        self._width = 0
        self._styles: Styles = DEFAULT_STYLES
        self._styles_stale = True
        self._strips: LRUCache[LineRecord, Strip] = LRUCache(1024)
        self._pending_key: str | None = None
        self._fill_generation = 0
        self.set_sections(sections)

    # --- public API ---------------------------------------------------------------------------

    def set_sections(self, sections: Iterable[Section]) -> None:
        """Show these sections, in this order, in place of those shown before.

        A section whose key and blocks did not change keeps its wrapped lines (a changed one
        keeps its unchanged blocks and table rows), so reloading a report that changed a little
        costs little. The view stays on the section at its top if that section is still there;
        otherwise it goes to the top. Raises ``ValueError`` if two sections share a key.
        """
        keys: list[str] = []
        contents: list[tuple[DocBlock, ...]] = []
        index: dict[str, int] = {}
        for key, blocks in sections:
            if key in index:
                raise ValueError(f"duplicate section key {key!r}")
            index[key] = len(keys)
            keys.append(key)
            contents.append(tuple(blocks))
        place: tuple[str, int] | None = None
        if self._width and self._pieces:
            top_key = self.section_at_top()
            if top_key is not None:
                starts = self._offsets()
                top = min(round(self.scroll_y), max(starts[-1] - 1, 0))
                place = (top_key, top - starts[self._first[self._index[top_key]]])
        pieces: list[Piece] = []
        first = [0]
        for key, blocks in zip(keys, contents, strict=True):
            old = self._index.get(key)
            if old is None:
                pieces.extend(make_pieces(blocks))
            else:
                old_pieces = self._pieces[self._first[old] : self._first[old + 1]]
                if self._blocks[old] == blocks:
                    pieces.extend(old_pieces)
                else:
                    pieces.extend(_rebuild(old_pieces, blocks)[0])
            first.append(len(pieces))
        self._keys, self._blocks, self._index = keys, contents, index
        self._pieces, self._first = pieces, first
        self._starts = [0] * (len(pieces) + 1)
        self._stale_from = 0
        if self._pending_key not in index:
            self._pending_key = None
        if self._width:
            self._estimate(range(len(pieces)))
            self._sync_virtual_size()
            line = 0
            if place is not None and place[0] in index:
                section = index[place[0]]
                starts = self._offsets()
                start, stop = starts[first[section]], starts[first[section + 1]]
                line = start + min(place[1], max(stop - start - 1, 0))
            self.scroll_to(y=line, animate=False)
            self._wrap_visible()
            self._sync_virtual_size()
            self._start_fill()
        if self.is_mounted:
            self.refresh()

    def update_section(self, key: str, blocks: Sequence[DocBlock]) -> None:
        """Replace the blocks of section ``key``; only what changed in it is laid out again.

        Raises ``KeyError`` for a key that ``set_sections`` did not give.
        """
        section = self._index.get(key)
        if section is None:
            raise KeyError(f"no section {key!r} in the preview")
        blocks = tuple(blocks)
        if self._blocks[section] == blocks:
            return
        self._blocks[section] = blocks
        first, end = self._first[section], self._first[section + 1]
        old = self._pieces[first:end]
        new, head, tail = _rebuild(old, blocks)

        width = self._width
        shift = len(new) - len(old)
        anchor = None
        if width:
            top, stop, offset = self._anchor()
            if top >= end:
                anchor = (top + shift, stop + shift, offset)
            elif top >= first:  # the top line is in this section: keep its place in the section
                starts = self._offsets()
                anchor = (first, first + len(new), starts[top] - starts[first] + offset)
            else:
                anchor = (top, stop, offset)
        self._pieces[first:end] = new
        self._starts[first + 1 : end + 1] = [0] * len(new)
        self._mark_stale(first)
        for later in range(section + 1, len(self._first)):
            self._first[later] += shift
        if anchor is None:
            return
        changed = range(first + head, first + len(new) - tail)
        # wrap what changed while the budget lasts (table rows mostly come from the old layout's
        # cache, which is as cheap as estimating), estimate the rest, then wrap what is on screen
        deadline = perf_counter() + _EDIT_BUDGET_SECONDS
        for index in changed:
            if perf_counter() > deadline:
                break
            self._wrap(index)
        self._estimate(changed)
        self._restore(anchor)
        self._wrap_visible()
        self._sync_virtual_size()
        if self.follow and changed:
            self._reveal(self._offsets()[changed[0]])
        self.refresh()
        self._start_fill()

    def scroll_to_section(self, key: str, animate: bool = False) -> None:
        """Scroll so that the heading of section ``key`` is the top line (as far as the end allows)."""
        section = self._index.get(key)
        if section is None:
            raise KeyError(f"no section {key!r} in the preview")
        if not self._width:
            self._pending_key = key  # not laid out yet: scroll once the width is known
            return
        self._sync_virtual_size()
        self.scroll_to(y=self._offsets()[self._first[section]], animate=animate)

    def section_at_top(self) -> str | None:
        """The key of the section the top line of the view belongs to, if any."""
        if not self._pieces:
            return self._keys[0] if self._keys else None
        starts = self._offsets()
        line = min(round(self.scroll_y), max(starts[-1] - 1, 0))
        piece = bisect_right(starts, line) - 1
        return self._keys[bisect_right(self._first, piece) - 1]

    @property
    def section_keys(self) -> list[str]:
        """The keys of the sections, in reading order."""
        return list(self._keys)

    @property
    def line_count(self) -> int:
        """The number of lines of the whole report (partly estimated while ``pending``)."""
        return self._offsets()[-1]

    @property
    def pending(self) -> int:
        """How many pieces still await wrapping at the current width; 0 once the background pass is done."""
        width = self._width
        return sum(1 for piece in self._pieces if piece.width != width) if width else 0

    def cached_lines(self, key: str) -> list[LineRecord] | None:
        """The cached lines of section ``key`` at the current width, or ``None`` if not all wrapped.

        The records are the cache itself: an update of another section leaves them the same objects.
        """
        section = self._index[key]
        records: list[LineRecord] = []
        for piece in self._pieces[self._first[section] : self._first[section + 1]]:
            if piece.width != self._width or not self._width:
                return None
            records.extend(piece.lines)
        return records

    def section_text(self, key: str) -> list[str]:
        """The text of section ``key`` as drawn at the current width, line by line (wraps it if needed)."""
        section = self._index[key]
        anchor = self._anchor() if self._width else None
        lines: list[str] = []
        for index in range(self._first[section], self._first[section + 1]):
            lines.extend(record_text(record) for record in self._wrap(index))
        if anchor is not None:
            self._restore(anchor)
            self._sync_virtual_size()
        return lines

    # --- line API -----------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """Draw line ``y`` of the view: wrap its piece if needed, crop it to the view."""
        self._check_styles()
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base = self.rich_style
        record = self._record_at(scroll_y + y)
        if record is None:
            return Strip.blank(width, base)
        strip = self._strips.get(record)
        if strip is None:
            strip = to_strip(record, self._styles)
            self._strips[record] = strip
        return strip.apply_style(base).crop_extend(scroll_x, scroll_x + width, base)

    def _record_at(self, line: int) -> LineRecord | None:
        if not self._width or line < 0:
            return None
        starts = self._offsets()
        if line >= starts[-1]:
            return None
        piece = bisect_right(starts, line) - 1
        estimated = self._pieces[piece].width != self._width
        records = self._wrap(piece)
        if estimated and self._stale_from is not None:
            # an estimate was off: the lines below moved; fix the scroll range after this frame
            self.call_after_refresh(self._after_late_wrap)
        offset = line - starts[piece]
        return records[offset] if offset < len(records) else None

    def _after_late_wrap(self) -> None:
        self._sync_virtual_size()
        self.refresh()

    # --- events and actions -------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        """Re-wrap for a new width: what is on screen now, the rest in the background."""
        width = self.scrollable_content_region.width
        if width and width != self._width:  # a hidden preview (width 0) keeps its layout and place
            self._relayout(width)
        else:
            self._wrap_visible()
            self._sync_virtual_size()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Wrap what scrolled into view before it is drawn."""
        self._wrap_visible()
        super().watch_scroll_y(old_value, new_value)
        if self._stale_from is not None:
            self._sync_virtual_size()

    def notify_style_update(self) -> None:
        """Resolve the styles again on the next draw (a theme or CSS change); the wrapping stays."""
        super().notify_style_update()
        self._styles_stale = True

    def action_scroll_up(self) -> None:
        """One line up, without animation."""
        self.scroll_to(y=self.scroll_y - 1, animate=False)

    def action_scroll_down(self) -> None:
        """One line down, without animation."""
        self.scroll_to(y=self.scroll_y + 1, animate=False)

    def action_page_up(self) -> None:
        """One screen up, without animation."""
        self.scroll_to(y=self.scroll_y - self.scrollable_content_region.height, animate=False)

    def action_page_down(self) -> None:
        """One screen down, without animation."""
        self.scroll_to(y=self.scroll_y + self.scrollable_content_region.height, animate=False)

    def action_scroll_home(self) -> None:
        """To the title, without animation."""
        self.scroll_to(y=0, animate=False)

    def action_scroll_end(self) -> None:
        """To the end, without animation."""
        self.scroll_to(y=self.max_scroll_y, animate=False)

    # --- internals ----------------------------------------------------------------------------

    def _check_styles(self) -> None:
        if not self._styles_stale or not self.is_mounted:
            return
        self._styles_stale = False

        def style(name: str) -> Style:
            return self.get_component_rich_style(name, partial=True)

        styles = make_styles(
            style("preview--strong"),
            [style(f"preview--h{level}") for level in range(1, 5)],
            style("preview--list-marker"),
            style("preview--table-border"),
            style("preview--table-header"),
        )
        if styles != self._styles:
            self._styles = styles
            self._strips.clear()

    def _mark_stale(self, piece: int) -> None:
        if self._stale_from is None or piece < self._stale_from:
            self._stale_from = piece

    def _offsets(self) -> list[int]:
        """The first line of every piece, brought up to date from the first changed piece."""
        stale = self._stale_from
        if stale is not None:
            starts = self._starts
            totals = accumulate((piece.count for piece in self._pieces[stale:]), initial=starts[stale])
            starts[stale + 1 :] = islice(totals, 1, None)
            self._stale_from = None
        return self._starts

    def _wrap(self, index: int) -> list[LineRecord]:
        """The lines of piece ``index`` at the current width, wrapping it if needed."""
        piece = self._pieces[index]
        if piece.width == self._width:
            return piece.lines
        lines = piece.layout(self._width)
        piece.lines = lines
        piece.width = self._width
        if piece.count != len(lines):
            piece.count = len(lines)
            self._mark_stale(index)
        return lines

    def _estimate(self, indices: Iterable[int]) -> None:
        width = self._width
        for index in indices:
            piece = self._pieces[index]
            if piece.width != width:
                piece.count = piece.estimate(width)
                self._mark_stale(index)

    def _visible_pieces(self) -> range:
        if not self._pieces or not self._width:
            return range(0)
        starts = self._offsets()
        last_line = max(starts[-1] - 1, 0)
        top = min(round(self.scroll_y), last_line)
        bottom = min(top + max(self.scrollable_content_region.height, 1) - 1, last_line)
        return range(bisect_right(starts, top) - 1, bisect_right(starts, bottom))

    def _wrap_visible(self) -> None:
        """Wrap the pieces on screen, top down (which moves nothing above the top line)."""
        if not self._pieces or not self._width:
            return
        bottom = round(self.scroll_y) + max(self.scrollable_content_region.height, 1)
        index = self._visible_pieces().start
        while index < len(self._pieces) and self._offsets()[index] < bottom:
            self._wrap(index)
            index += 1

    def _anchor(self) -> tuple[int, int, int]:
        """Where the top line is: pieces ``start`` to ``stop`` and the line's offset from ``start``."""
        starts = self._offsets()
        top = min(round(self.scroll_y), max(starts[-1] - 1, 0))
        piece = max(bisect_right(starts, top) - 1, 0)
        return piece, piece + 1, top - starts[piece]

    def _restore(self, anchor: tuple[int, int, int], proportion: float | None = None) -> None:
        """Scroll so the anchored line is on top again after line counts changed above or in it.

        The offset stays within the anchor's pieces; ``proportion`` instead places it at that
        fraction of them (after a resize, where every count changed).
        """
        start, stop, offset = anchor
        if start >= len(self._pieces):
            return
        starts = self._offsets()
        count = starts[stop] - starts[start]
        if proportion is not None:
            offset = round(proportion * count)
        line = starts[start] + min(offset, max(count - 1, 0))
        if line != round(self.scroll_y):
            if line > self.max_scroll_y:
                self._sync_virtual_size()
            self.scroll_to(y=line, animate=False)

    def _reveal(self, line: int) -> None:
        """Scroll the least needed so that ``line`` is on screen, with a little context above it."""
        height = max(self.scrollable_content_region.height, 1)
        top = round(self.scroll_y)
        if top <= line < top + height:
            return
        self.scroll_to(y=max(line - height // 3, 0), animate=False)

    def _sync_virtual_size(self) -> None:
        size = Size(self._width, self._offsets()[-1])
        if self.virtual_size != size:
            self.virtual_size = size

    def _relayout(self, width: int) -> None:
        """Switch to a new width: estimate every piece, keep the top line's place, wrap what shows."""
        proportion = None
        anchor = None
        if self._width and self._pieces:
            anchor = self._anchor()
            count = self._pieces[anchor[0]].count
            proportion = anchor[2] / count if count else 0.0
        self._width = width
        if not width:
            return
        self._estimate(range(len(self._pieces)))
        self._sync_virtual_size()
        if self._pending_key is not None:
            key, self._pending_key = self._pending_key, None
            self.scroll_to_section(key)
        elif anchor is not None:
            self._restore(anchor, proportion)
        self._wrap_visible()
        self._sync_virtual_size()
        self.refresh()
        self._start_fill()

    def _start_fill(self) -> None:
        """Wrap the remaining pieces in the background, those nearest the view first."""
        self._fill_generation += 1
        if self.is_mounted and self.pending:
            self.run_worker(
                self._fill(self._fill_generation), name="preview-wrap", group="preview-wrap", exclusive=True
            )

    async def _fill(self, generation: int) -> None:
        synced = perf_counter()
        while generation == self._fill_generation and self._width:
            width = self._width
            pieces = self._pieces
            anchor = self._anchor()
            top = anchor[0]
            order = [index for index in range(top, len(pieces)) if pieces[index].width != width]
            order.extend(index for index in range(top - 1, -1, -1) if pieces[index].width != width)
            if not order:
                self._sync_virtual_size()
                return
            deadline = perf_counter() + _SLICE_SECONDS
            for index in order:
                piece = pieces[index]
                if isinstance(piece, TableChunk) and not piece.source.measure_some(deadline):
                    break  # a long table: measured over several slices before it is laid out
                self._wrap(index)
                if perf_counter() >= deadline:
                    break
            self._restore(anchor)
            if perf_counter() - synced >= _RESIZE_EVERY_SECONDS:
                self._sync_virtual_size()
                synced = perf_counter()
            await asyncio.sleep(0)
