"""The live report preview: Markdown sections drawn through Textual's line API.

Textual's stock ``Markdown`` widget builds a widget per block and per table cell on every update,
which takes seconds for a long report and blocks the event loop. This preview keeps the report
as an ordered list of sections and parses each section's Markdown itself (what ``report.render``
emits: ATX headings, paragraphs, ``-``/``1.`` lists, ``**bold**``, backslash escapes, ``<br>``,
pipe tables and thematic breaks). It wraps text to the widget width — Chinese characters are two
cells and break anywhere, Latin text breaks at spaces — and draws only the lines on screen.

A section is cut into *pieces*: one per block, and one per ``TABLE_CHUNK_ROWS`` rows of a table.
A piece caches its wrapped lines for one width. ``update_section`` re-parses one section, keeps
the pieces (and table rows) that did not change and splices in the rest; other sections keep
their lines. A prefix sum over the pieces' line counts locates any line by bisection. A piece
not yet wrapped at the current width has an estimated line count: it is wrapped when it scrolls
into view, and a background task wraps the rest in slices of a few milliseconds, so neither a
200-page load nor a resize blocks the event loop. When a count above the top of the view
changes, the view moves by the difference, so the text on screen stays put.

Wrapped lines are cached as compact records (``LineRecord``: plain tuples of ``str`` and
``int``), not as Rich strips. Python's garbage collector does not track such tuples, whereas
tens of thousands of cached strips (each holding segments and styles) made full collections
take 70 ms on a 200-page report. Strips are built only for the lines on screen, through a small
cache; style ids in the records are resolved against the component-class styles at that point,
so a theme change redraws without re-wrapping.

Structure never relies on colour: level-1 headings are bold and reversed, level-2 bold and
underlined, the others bold; tables have drawn borders. Nothing animates.
"""

from __future__ import annotations

import asyncio
import re
from abc import ABC, abstractmethod
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate, islice
from time import perf_counter
from typing import Any, ClassVar, Literal, NamedTuple

from rich._unicode_data import load as _load_cell_table
from rich.cells import cell_len, get_character_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

# --- styles -------------------------------------------------------------------------------------

PLAIN, STRONG, MARKER, BORDER, HEADER, HEADER_STRONG = range(6)
"""Style ids stored in line records (see ``Styles``)."""
_HEADING_IDS = 6
"""Heading level n (1 to 4; 5 and 6 share 4) has style id 6 + 2(n - 1), its bold text the next id."""
STYLE_COUNT = _HEADING_IDS + 8

Styles = tuple[Style | None, ...]
"""The Rich style of every style id."""


def heading_style(level: int) -> int:
    """The style id of a heading of ``level`` (its ``**bold**`` parts use the next id)."""
    return _HEADING_IDS + 2 * (min(max(level, 1), 4) - 1)


def make_styles(
    strong: Style,
    headings: Sequence[Style],
    marker: Style | None = None,
    border: Style | None = None,
    header: Style | None = None,
) -> Styles:
    """The style table from its parts: ``headings`` for levels 1 to 4."""
    styles: list[Style | None] = [None] * STYLE_COUNT
    styles[STRONG] = strong
    styles[MARKER] = marker
    styles[BORDER] = border
    styles[HEADER] = header
    styles[HEADER_STRONG] = header + strong if header is not None else strong
    for level, style in enumerate(headings, start=1):
        styles[heading_style(level)] = style
        styles[heading_style(level) + 1] = style + strong
    return tuple(styles)


_BOLD = Style(bold=True)
DEFAULT_STYLES = make_styles(
    _BOLD,
    (Style(bold=True, reverse=True), Style(bold=True, underline=True), _BOLD, _BOLD),
    _BOLD,
    None,
    _BOLD,
)
"""Styles without colour: what the layout functions use outside the widget."""

LineRecord = tuple[Any, ...]
"""One wrapped line: its width in cells, then text and style id, text and style id, …"""
_BLANK: LineRecord = (0,)


def to_strip(record: LineRecord, styles: Styles) -> Strip:
    """The Rich strip of a line record."""
    return Strip(
        [Segment(record[index], styles[record[index + 1]]) for index in range(1, len(record), 2)],
        record[0],
    )


def record_text(record: LineRecord) -> str:
    """The text of a line record, without styles."""
    return "".join(record[1::2])


# --- measuring and wrapping text ----------------------------------------------------------------


def _wide_character_class() -> str:
    """A regex character class of every code point rich measures as two cells wide."""
    spans = [(start, end) for start, end, width in _load_cell_table("auto").widths if width == 2]
    return "[" + "".join(f"\\U{start:08x}-\\U{end:08x}" for start, end in spans) + "]"


_WIDE = _wide_character_class()
_WIDE_RE = re.compile(_WIDE)
_WIDE_RUN_RE = re.compile(f"{_WIDE}+")
# A run of wide characters (breakable between any two), an ASCII word, spaces, any other character.
_TOKEN_RE = re.compile(f"({_WIDE}+)|([!-~]+)|( +)|(.)", re.S)
# Control characters become spaces; joiners and emoji selectors are dropped, so that the width
# of a line is exactly the sum of the widths of its characters.
_CONTROL_RE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_JOINER_RE = re.compile("[\u200d\ufe0f]")

_NO_LINE_START = frozenset("，。、；：？！）」』》〉】〕〗”’…·～％")
"""Chinese punctuation that must not begin a line (禁则): the character before it moves down too."""
_NO_LINE_END = frozenset("（「『《〈【〔〖“‘")
"""Opening brackets that must not end a line."""


def approximate_width(text: str) -> int:
    """The width of ``text`` in cells, roughly and at C speed: 1 per ASCII character, 2 per other.

    (UTF-8 takes 3 bytes for a Chinese character.) Good enough to estimate line counts.
    """
    return (len(text.encode()) + len(text)) // 2


def text_width(text: str) -> int:
    """The width of ``text`` in cells, fast: exact except that zero-width characters count one."""
    if text.isascii():
        return len(text)
    return len(text) + sum(map(len, _WIDE_RUN_RE.findall(text)))


class Line(NamedTuple):
    """A wrapped line being built: text and style id pairs, and the width in cells."""

    parts: list[Any]
    width: int


def _put(parts: list[Any], text: str, style: int) -> None:
    """Append text to line parts, merged into the last part when the style is the same."""
    if not text:
        return
    if parts and parts[-1] == style:
        parts[-2] += text
    else:
        parts.append(text)
        parts.append(style)


def wrap_runs(runs: Iterable[tuple[str, int]], width: int) -> list[Line]:
    """Wrap (text, style id) runs to ``width`` cells: wide characters break anywhere, ASCII words at spaces.

    A word longer than the line is split. No line is wider than ``width`` unless the width is
    smaller than one character. Always returns at least one (possibly empty) line.
    """
    width = max(width, 1)
    lines: list[Line] = []
    parts: list[Any] = []
    used = 0

    def newline() -> None:
        nonlocal parts, used
        lines.append(Line(parts, used))
        parts = []
        used = 0

    for text, style in runs:
        for match in _TOKEN_RE.finditer(text):
            kind = match.lastindex
            token = match.group()
            if kind == 1:  # wide characters, two cells each
                start, end = 0, len(token)
                while start < end:
                    room = (width - used) // 2
                    if room <= 0:
                        if used:
                            newline()
                            continue
                        room = 1  # narrower than one character: it overflows and is cropped
                    take = min(room, end - start)
                    if start + take < end and take > 1:
                        if token[start + take] in _NO_LINE_START:
                            take -= 1
                        if take > 1 and token[start + take - 1] in _NO_LINE_END:
                            take -= 1
                    _put(parts, token[start : start + take], style)
                    used += 2 * take
                    start += take
                    if start < end:
                        newline()
            elif kind == 3:  # spaces: a break opportunity, dropped at the start of a wrapped line
                if not used and lines:
                    continue
                if used + len(token) >= width:
                    if used:
                        newline()
                    continue
                _put(parts, token, style)
                used += len(token)
            else:
                cells = len(token) if kind == 2 else get_character_cell_size(token)
                if used + cells > width and used and cells <= width:
                    newline()
                if used + cells <= width or kind != 2:
                    _put(parts, token, style)  # a lone character wider than the line overflows
                    used += cells
                    continue
                while token:  # an ASCII word wider than the line: split it
                    room = width - used
                    if room <= 0:
                        newline()
                        continue
                    _put(parts, token[:room], style)
                    used += min(room, len(token))
                    token = token[room:]
    if parts or not lines:
        lines.append(Line(parts, used))
    return lines


# --- parsing ------------------------------------------------------------------------------------

InlineRun = tuple[str, bool]
"""Text and whether it is bold."""
InlineLines = tuple[tuple[InlineRun, ...], ...]
"""Inline text cut at hard line breaks (``<br>``)."""
Align = Literal["left", "right", "center"]

_INLINE_RE = re.compile(r"\\([!-/:-@\[-`{-~])|(\*\*)|(<br\s*/?>)", re.IGNORECASE)
_BREAK_RE = re.compile(r"<br\s*/?>", re.IGNORECASE)
_NO_TEXT: InlineLines = ((),)


def _has_markup(text: str) -> bool:
    return "\\" in text or "*" in text or "<" in text


def parse_inline(text: str) -> InlineLines:
    """Split inline Markdown into lines of (text, bold) runs: ``**bold**``, ``\\`` escapes, ``<br>``.

    An unpaired ``**`` is shown as written.
    """
    if not _has_markup(text):
        return (((text, False),),) if text else _NO_TEXT
    tokens: list[tuple[int, str]] = []  # 0 text, 1 strong mark, 2 line break
    position = 0
    for match in _INLINE_RE.finditer(text):
        if match.start() > position:
            tokens.append((0, text[position : match.start()]))
        if match.group(1) is not None:
            tokens.append((0, match.group(1)))
        elif match.group(2):
            tokens.append((1, "**"))
        else:
            tokens.append((2, ""))
        position = match.end()
    if position < len(text):
        tokens.append((0, text[position:]))
    marks = sum(1 for kind, _ in tokens if kind == 1)
    pairable = marks - marks % 2
    lines: list[list[InlineRun]] = [[]]
    bold = False
    seen = 0
    for kind, value in tokens:
        if kind == 1 and seen < pairable:
            bold = not bold
            seen += 1
            continue
        if kind == 2:
            lines.append([])
            continue
        line = lines[-1]
        if line and line[-1][1] == bold:
            line[-1] = (line[-1][0] + value, bold)
        else:
            line.append((value, bold))
    return tuple(tuple(line) for line in lines)


def _line_widths(text: InlineLines) -> tuple[int, ...]:
    return tuple(sum(text_width(run) for run, _ in line) for line in text)


def cell_width(raw: str) -> int:
    """The natural width of a table cell's Markdown: its widest line as shown."""
    if not _has_markup(raw):
        return text_width(raw)
    return max(_line_widths(parse_inline(raw)))


@dataclass(frozen=True, slots=True)
class Heading:
    """An ATX heading, ``#`` (1) to ``######`` (6)."""

    level: int
    text: InlineLines


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph: its source lines joined, cut at ``<br>``."""

    text: InlineLines


@dataclass(frozen=True, slots=True)
class ListItem:
    """One list item: its indentation, its marker as shown (``•`` or ``1.``) and its text."""

    indent: int
    marker: str
    text: InlineLines


@dataclass(frozen=True, slots=True)
class ListBlock:
    """Consecutive list items (no blank line between them)."""

    items: tuple[ListItem, ...]


@dataclass(frozen=True, slots=True)
class Rule:
    """A thematic break (``---``)."""


KnownRow = tuple[tuple[str, ...], tuple[int, ...]]
"""A parsed row (cells and their widths), by its source line, from an earlier parse."""


class Table:
    """A pipe table. Its rows are split and measured on first use, not when the section is parsed.

    (A 2,000-row table takes ~10 ms to measure: loading a long report leaves that to the
    background wrapping unless the table is on screen.) Every row has as many cells as the
    header; cells stay Markdown until their row is laid out. ``sources`` are the rows' lines.
    """

    __slots__ = ("_breaks", "_known", "_natural", "_rows", "_widths", "aligns", "header", "sources")

    def __init__(
        self, header: str, delimiter: str, sources: Sequence[str], known: Mapping[str, KnownRow] | None = None
    ) -> None:
        self.header = tuple(split_row(header))
        columns = len(self.header)
        aligns = [_alignment(cell) for cell in split_row(delimiter)]
        self.aligns: tuple[Align, ...] = tuple((aligns + ["left"] * columns)[:columns])
        self.sources = tuple(line.strip() for line in sources)
        self._known = known
        self._rows: tuple[tuple[str, ...], ...] | None = None
        self._widths: tuple[tuple[int, ...], ...] = ()
        self._natural: tuple[int, ...] = ()
        self._breaks = False

    @property
    def measured(self) -> bool:
        """Whether the rows have been split and measured yet."""
        return self._rows is not None

    @property
    def rows(self) -> tuple[tuple[str, ...], ...]:
        """The body rows' cells, as Markdown."""
        return self._measure()

    @property
    def widths(self) -> tuple[tuple[int, ...], ...]:
        """The natural width of every body cell."""
        self._measure()
        return self._widths

    @property
    def natural(self) -> tuple[int, ...]:
        """The widest cell of each column, header included (at least 1)."""
        self._measure()
        return self._natural

    @property
    def breaks(self) -> bool:
        """Whether any cell has a ``<br>``."""
        self._measure()
        return self._breaks

    def _measure(self) -> tuple[tuple[str, ...], ...]:
        """Split and measure the rows, once; the rows."""
        if self._rows is not None:
            return self._rows
        known = self._known or {}
        self._known = None
        columns = len(self.header)
        memo: dict[str, int] = {}
        rows: list[tuple[str, ...]] = []
        widths: list[tuple[int, ...]] = []
        breaks = any(_BREAK_RE.search(cell) for cell in self.header)
        for source in self.sources:
            row = known.get(source)
            if row is None or len(row[0]) != columns:
                cells = split_row(source)[:columns]
                cells.extend([""] * (columns - len(cells)))
                cell_widths = []
                for cell in cells:
                    width = memo.get(cell)
                    if width is None:
                        width = memo[cell] = cell_width(cell)
                    cell_widths.append(width)
                row = (tuple(cells), tuple(cell_widths))
            rows.append(row[0])
            widths.append(row[1])
            if not breaks and "<" in source:
                breaks = bool(_BREAK_RE.search(source))
        natural = [max(cell_width(cell), 1) for cell in self.header]
        if widths:
            natural = [max(column) for column in zip(natural, *widths, strict=True)]
        self._widths, self._natural, self._breaks = tuple(widths), tuple(natural), breaks
        self._rows = tuple(rows)
        return self._rows

    def rough_lines(self, start: int, stop: int, width: int) -> int:
        """A guess at the lines of rows ``start`` to ``stop`` at ``width`` without measuring them."""
        columns = len(self.header)
        available = max(width - 3 * columns - 1, columns)
        text = "".join(self.sources[start:stop])
        cells = approximate_width(text) - text.count(" ") - (columns + 1) * (stop - start)
        return max(stop - start, -(-cells // available))


Block = Heading | Paragraph | ListBlock | Rule | Table

_HEADING_RE = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_LIST_RE = re.compile(r"( {0,12})([-*+]|\d{1,9}[.)])(?:[ \t]+(.*))?$")
_RULE_RE = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_TABLE_DELIMITER_RE = re.compile(r" {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_ESCAPE_OR_PIPE_RE = re.compile(r"\\.|\|")


def split_row(line: str) -> list[str]:
    """The cells of a table row, stripped: cut at every unescaped ``|``, the outer pipes dropped."""
    row = line.strip()
    if "\\" not in row:
        if row.startswith("|"):
            row = row[1:]
        if row.endswith("|"):
            row = row[:-1]
        return [cell.strip() for cell in row.split("|")]
    cells: list[str] = []
    start = 0
    for match in _ESCAPE_OR_PIPE_RE.finditer(row):
        if match.group() == "|":
            cells.append(row[start : match.start()].strip())
            start = match.end()
    cells.append(row[start:].strip())
    if row.startswith("|") and len(cells) > 1:
        cells.pop(0)
    if start == len(row) and len(cells) > 1:
        cells.pop()
    return cells


def _alignment(delimiter: str) -> Align:
    if delimiter.endswith(":"):
        return "center" if delimiter.startswith(":") else "right"
    return "left"


def _opens_block(line: str, following: str | None) -> bool:
    """Whether ``line`` opens a block of its own (and so ends a paragraph or a list item)."""
    first = line.lstrip(" ")[:1]
    if first == "#" and _HEADING_RE.match(line):
        return True
    if first and first in "-*+_0123456789" and (_RULE_RE.match(line) or _LIST_RE.match(line)):
        return True
    return first == "|" and following is not None and bool(_TABLE_DELIMITER_RE.match(following))


def _join_soft(text: str, more: str) -> str:
    """Join two source lines of one paragraph: no space next to a Chinese character."""
    if not text or not more:
        return text + more
    if _WIDE_RE.match(text[-1]) or _WIDE_RE.match(more[0]):
        return text + more
    return f"{text} {more}"


def clean_text(markdown: str) -> str:
    """The Markdown with control characters as spaces and zero-width joiners removed."""
    if "\r" in markdown:
        markdown = markdown.replace("\r\n", "\n")
    if _CONTROL_RE.search(markdown):
        markdown = _CONTROL_RE.sub(" ", markdown)
    if _JOINER_RE.search(markdown):
        markdown = _JOINER_RE.sub("", markdown)
    return markdown


def parse_markdown(markdown: str, known_rows: Mapping[str, KnownRow] | None = None) -> list[Block]:
    """Parse the Markdown of one report section into blocks.

    ``known_rows`` holds table rows from an earlier parse, by source line; they are reused
    rather than parsed again.
    """
    known = known_rows or {}
    lines = clean_text(markdown).split("\n")
    blocks: list[Block] = []
    count = len(lines)
    index = 0

    def continues(position: int) -> bool:
        return bool(lines[position].strip()) and not _opens_block(
            lines[position], lines[position + 1] if position + 1 < count else None
        )

    while index < count:
        line = lines[index]
        stripped = line.strip()
        index += 1
        if not stripped:
            continue
        first = stripped[0]
        if first == "#" and (heading := _HEADING_RE.match(line)):
            blocks.append(Heading(len(heading.group(1)), parse_inline(heading.group(2) or "")))
        elif first == "|" and index < count and _TABLE_DELIMITER_RE.match(lines[index]):
            end = index + 1
            while end < count and (lines[end][:1] == "|" or lines[end].lstrip().startswith("|")):
                end += 1
            blocks.append(Table(lines[index - 1], lines[index], lines[index + 1 : end], known))
            index = end
        elif _RULE_RE.match(line):
            blocks.append(Rule())
        elif item := _LIST_RE.match(line):
            items = []
            while item is not None:
                text = item.group(3) or ""
                while index < count and continues(index):
                    text = _join_soft(text, lines[index].strip())
                    index += 1
                marker = item.group(2)
                shown = "•" if marker in "-*+" else marker
                items.append(ListItem(len(item.group(1)), shown, parse_inline(text.strip())))
                item = _LIST_RE.match(lines[index]) if index < count else None
                if item is not None:
                    index += 1
            blocks.append(ListBlock(tuple(items)))
        else:
            text = stripped
            while index < count and continues(index):
                text = _join_soft(text, lines[index].strip())
                index += 1
            blocks.append(Paragraph(parse_inline(text)))
    return blocks


# --- layout -------------------------------------------------------------------------------------

_BOX_TOP = ("┌", "─", "┬", "┐")
_BOX_HEAD = ("╞", "═", "╪", "╡")
_BOX_ROW = ("├", "─", "┼", "┤")
_BOX_BOTTOM = ("└", "─", "┴", "┘")
_BOX_VERTICAL = "│"


def _wrap_text(text: InlineLines, width: int, plain: int, strong: int) -> list[Line]:
    wrapped: list[Line] = []
    for line in text:
        wrapped.extend(wrap_runs([(run, strong if bold else plain) for run, bold in line], width))
    return wrapped


def _record(line: Line) -> LineRecord:
    return (line.width, *line.parts)


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


class TableLayout:
    """A table laid out at one widget width: column widths, border lines, rows as line records.

    As a grid when every column of text gets ``MIN_COLUMN_CELLS`` cells, else as records (a
    narrow preview pane beside the conversation). Rows are cached by their source line; a table
    re-parsed after an edit lays out only its changed rows as long as its column widths stay the
    same (see ``inherit``).
    """

    def __init__(self, table: Table, width: int) -> None:
        self.table = table
        self.width = width
        columns = len(table.natural)
        self.pad = 1
        widths = column_widths(table.natural, width - 3 * columns - 1)
        if sum(widths) + 3 * columns + 1 > width:
            self.pad = 0  # too narrow for padding: drop it before anything is cropped
            widths = column_widths(table.natural, width - columns - 1)
        self.columns = tuple(widths)
        self.records = any(
            width < min(natural, MIN_COLUMN_CELLS)
            for natural, width in zip(table.natural, widths, strict=True)
        )
        """Whether rows show as records, one ``表头：值`` line per cell, rather than as a grid."""
        self.line_width = sum(widths) + (2 * self.pad + 1) * columns + 1
        self.ruled = not self.records and (
            table.breaks or any(natural > width for natural, width in zip(table.natural, widths, strict=True))
        )
        """Whether grid rows are ruled apart: only when some row may take more than one line."""
        self.separator = self.rule(_BOX_ROW) if self.ruled else None
        self.opening: tuple[LineRecord, ...]
        """The lines before the first row: borders and header, or one rule for records."""
        self.closing: tuple[LineRecord, ...]
        """The lines after the last row, the blank line after the table included."""
        if self.records:
            self.labels = tuple(
                "".join(run for line in parse_inline(cell) for run, _ in line) for cell in table.header
            )
            self.opening = ((width, "─" * width, BORDER),)
            self.closing = (_BLANK,)
        else:
            header = self.row(table.header, HEADER, HEADER_STRONG)
            self.opening = (self.rule(_BOX_TOP), *header, self.rule(_BOX_HEAD))
            self.closing = (self.rule(_BOX_BOTTOM), _BLANK)
        self._rows: dict[str, tuple[LineRecord, ...]] = {}
        """Row lines by source line: tuples of tuples of str and int, which the GC leaves alone."""

    def inherit(self, previous: TableLayout) -> None:
        """Reuse the rows of an earlier layout of this table if its columns are the same."""
        if (previous.width, previous.columns, previous.pad, previous.records) == (
            self.width,
            self.columns,
            self.pad,
            self.records,
        ):
            cache = previous._rows
            self._rows = {source: cache[source] for source in self.table.sources if source in cache}

    def rule(self, parts: tuple[str, str, str, str]) -> LineRecord:
        """A border line from its left end, fill, junction and right end."""
        left, fill, junction, right = parts
        text = left + junction.join(fill * (width + 2 * self.pad) for width in self.columns) + right
        return (len(text), text, BORDER)

    def row(self, cells: Sequence[str], plain: int, strong: int) -> list[LineRecord]:
        """One row: every cell wrapped to its column, as many lines as its tallest cell."""
        wrapped = []
        for column, raw in enumerate(cells):
            width = self.columns[column]
            text = parse_inline(raw)
            if len(text) == 1 and (shown := sum(cell_len(run) for run, _ in text[0])) <= width:
                parts: list[Any] = []
                for run, bold in text[0]:
                    if run:
                        _put(parts, run, strong if bold else plain)
                wrapped.append([Line(parts, shown)])
            else:
                wrapped.append(_wrap_text(text, width, plain, strong))
        pad = " " * self.pad
        aligns = self.table.aligns
        records = []
        for index in range(max(len(lines) for lines in wrapped)):
            parts = [_BOX_VERTICAL, BORDER]
            for column, lines in enumerate(wrapped):
                gap = self.columns[column]
                cell_parts: list[Any] = []
                if index < len(lines):
                    cell_parts, used = lines[index]
                    gap -= used
                align = aligns[column]
                before = gap // 2 if align == "center" else gap if align == "right" else 0
                _put(parts, pad + " " * before, PLAIN)
                for part in range(0, len(cell_parts), 2):
                    _put(parts, cell_parts[part], cell_parts[part + 1])
                _put(parts, " " * (gap - before) + pad, PLAIN)
                _put(parts, _BOX_VERTICAL, BORDER)
            records.append((self.line_width, *parts))
        return records

    def record(self, cells: Sequence[str]) -> list[LineRecord]:
        """One row as a record: ``表头：值`` per non-empty cell, wrapped under a two-cell indent,
        then a rule."""
        width = self.width
        records: list[LineRecord] = []
        for label, raw in zip(self.labels, cells, strict=True):
            if not raw:
                continue
            for number, line in enumerate(parse_inline(raw)):
                runs: list[tuple[str, int]] = [(f"{label}：", HEADER)] if number == 0 else [("  ", PLAIN)]
                runs.extend((run, STRONG if bold else PLAIN) for run, bold in line)
                for part, wrapped in enumerate(wrap_runs(runs, max(width - 2, 2))):
                    if part:
                        records.append((wrapped.width + 2, "  ", PLAIN, *wrapped.parts))
                    else:
                        records.append(_record(wrapped))
        records.append((width, "─" * width, BORDER))
        return records

    def body_row(self, index: int) -> tuple[LineRecord, ...]:
        """The lines of body row ``index`` (cached by its source line)."""
        source = self.table.sources[index]
        records = self._rows.get(source)
        if records is None:
            cells = self.table.rows[index]
            records = tuple(self.record(cells) if self.records else self.row(cells, PLAIN, STRONG))
            self._rows[source] = records
        return records

    def estimate_row(self, index: int) -> int:
        """How many lines body row ``index`` takes: exact if laid out already, else a guess."""
        laid_out = self._rows.get(self.table.sources[index])
        if laid_out is not None:
            return len(laid_out)
        if self.records:
            available = max(self.width - 2, 2)
            return 1 + sum(
                -(-(natural + cell_len(label) + 2) // available)
                for label, natural in zip(self.labels, self.table.widths[index], strict=True)
                if natural
            )
        lines = 1
        for natural, width in zip(self.table.widths[index], self.columns, strict=True):
            if natural > width:
                lines = max(lines, -(-natural // width))
        if self.table.breaks:
            for cell, width in zip(self.table.rows[index], self.columns, strict=True):
                if "<" in cell:
                    lines = max(lines, _estimate_text(parse_inline(cell), width))
        return lines


def _estimate_text(text: InlineLines, width: int) -> int:
    return _estimate_widths(_line_widths(text), width)


def _estimate_widths(line_widths: Iterable[int], width: int) -> int:
    return sum(-(-line_width // width) or 1 for line_width in line_widths)


def _heading_lines(block: Heading, width: int) -> list[LineRecord]:
    style = heading_style(block.level)
    records = []
    for line in _wrap_text(block.text, width, style, style + 1):
        if block.level == 1 and line.width < width:  # a full-width bar: visible without colour
            parts = list(line.parts)
            _put(parts, " " * (width - line.width), style)
            records.append((width, *parts))
        else:
            records.append(_record(line))
    return records


def _list_lines(block: ListBlock, width: int) -> list[LineRecord]:
    records: list[LineRecord] = []
    for item in block.items:
        hang = item.indent + cell_len(item.marker) + 1
        for number, line in enumerate(_wrap_text(item.text, max(width - hang, 2), PLAIN, STRONG)):
            if number:
                lead: tuple[Any, ...] = (" " * hang, PLAIN)
            else:
                lead = (" " * item.indent + item.marker, MARKER, " ", PLAIN)
            parts = list(lead)
            for part in range(0, len(line.parts), 2):
                _put(parts, line.parts[part], line.parts[part + 1])
            records.append((hang + line.width, *parts))
    return records


def layout_block(block: Heading | Paragraph | ListBlock | Rule, width: int) -> list[LineRecord]:
    """The lines of one block at ``width``, followed by one blank line."""
    if isinstance(block, Heading):
        records = _heading_lines(block, width)
    elif isinstance(block, Paragraph):
        records = [_record(line) for line in _wrap_text(block.text, width, PLAIN, STRONG)]
    elif isinstance(block, ListBlock):
        records = _list_lines(block, width)
    else:
        records = [(width, "─" * width, BORDER)]
    records.append(_BLANK)
    return records


BlockMeasure = tuple[tuple[int, tuple[int, ...]], ...]
"""A block's text measured once for estimates: (hanging indent, widths of its lines) per item."""


def _approximate_widths(text: InlineLines) -> tuple[int, ...]:
    return tuple(approximate_width("".join(run for run, _ in line)) for line in text)


def measure_block(block: Heading | Paragraph | ListBlock | Rule) -> BlockMeasure:
    """What ``estimate_block`` needs to know about a block, whatever the width (roughly)."""
    if isinstance(block, Heading | Paragraph):
        return ((0, _approximate_widths(block.text)),)
    if isinstance(block, ListBlock):
        return tuple(
            (item.indent + cell_len(item.marker) + 1, _approximate_widths(item.text)) for item in block.items
        )
    return ()


def estimate_block(measure: BlockMeasure, width: int) -> int:
    """How many lines a block measured by ``measure_block`` takes at ``width`` (blank line included)."""
    if not measure:
        return 2  # a rule
    return 1 + sum(_estimate_widths(widths, max(width - hang, 2)) for hang, widths in measure)


# --- pieces: the units of caching -----------------------------------------------------------------

TABLE_CHUNK_ROWS = 8
"""Table rows per piece: wrapping one piece takes a few milliseconds at most."""


class TableSource:
    """A parsed table and its layout at the current width (made once per width)."""

    def __init__(self, table: Table, previous: TableSource | None = None) -> None:
        self.table = table
        self._previous = previous
        self._layout: TableLayout | None = None

    def layout(self, width: int) -> TableLayout:
        """The table laid out at ``width``; rows of the table it replaced are reused if they fit."""
        layout = self._layout
        if layout is None or layout.width != width:
            layout = TableLayout(self.table, width)
            previous = self._previous._layout if self._previous is not None else None
            if previous is not None:
                layout.inherit(previous)
            self._previous = None
            self._layout = layout
        return layout


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


class BlockPiece(Piece):
    """A heading, paragraph, list or rule."""

    __slots__ = ("_measure", "block")

    def __init__(self, block: Heading | Paragraph | ListBlock | Rule) -> None:
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
        self.last = stop == len(source.table.sources)

    def layout(self, width: int) -> list[LineRecord]:
        """Header (first chunk), the rows with their separators, bottom border (last chunk)."""
        table = self.source.layout(width)
        records: list[LineRecord] = list(table.opening) if self.first else []
        separator = table.separator
        for index in range(self.start, self.stop):
            if separator is not None and index:
                records.append(separator)
            records.extend(table.body_row(index))
        if self.last:
            records.extend(table.closing)
        return records

    def estimate(self, width: int) -> int:
        """Row heights guessed from cell widths (or, before the table is measured, from its
        source lines), plus separators and borders."""
        if not self.source.table.measured:
            lines = self.source.table.rough_lines(self.start, self.stop, width)
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


def make_pieces(blocks: Iterable[Block], previous_tables: Sequence[TableSource] = ()) -> list[Piece]:
    """Cut a section's blocks into pieces; its n-th table may reuse rows of ``previous_tables[n]``."""
    pieces: list[Piece] = []
    tables = 0
    for block in blocks:
        if isinstance(block, Table):
            previous = previous_tables[tables] if tables < len(previous_tables) else None
            source = TableSource(block, previous)
            tables += 1
            rows = len(block.sources)
            for start in range(0, max(rows, 1), TABLE_CHUNK_ROWS):
                pieces.append(TableChunk(source, start, min(start + TABLE_CHUNK_ROWS, rows)))
        else:
            pieces.append(BlockPiece(block))
    return pieces


def _tables_of(pieces: Iterable[Piece]) -> list[TableSource]:
    return [piece.source for piece in pieces if isinstance(piece, TableChunk) and piece.first]


def _reparse(old: Sequence[Piece], markdown: str) -> tuple[list[Piece], int, int]:
    """The pieces of a section's new Markdown, reusing what did not change from ``old``.

    Returns the pieces and how many of them at the head and at the tail are ``old``'s own
    (with their wrapped lines); tables reuse their unchanged rows.
    """
    old_tables = _tables_of(old)
    new = make_pieces(parse_markdown(markdown, _known_rows(old_tables)), old_tables)
    same = min(len(old), len(new))
    head = 0
    while head < same and new[head].same_as(old[head]):
        new[head] = old[head]
        head += 1
    tail = 0
    while tail < same - head and new[-1 - tail].same_as(old[-1 - tail]):
        new[-1 - tail] = old[-1 - tail]
        tail += 1
    return new, head, tail


def _known_rows(sources: Iterable[TableSource]) -> dict[str, KnownRow]:
    known: dict[str, KnownRow] = {}
    for source in sources:
        table = source.table
        if table.measured:
            known.update(zip(table.sources, zip(table.rows, table.widths, strict=True), strict=True))
    return known


# --- the widget -----------------------------------------------------------------------------------

_SLICE_SECONDS = 0.005
"""How long the background wrapping works before it lets the event loop run."""
_RESIZE_EVERY_SECONDS = 0.1
"""How often the background wrapping updates the scroll range (each update costs a screen layout)."""
_EDIT_BUDGET_SECONDS = 0.004
"""How long ``update_section`` may spend wrapping the edited section's off-screen pieces."""


class ReportPreview(ScrollView, can_focus=True):
    """A scrollable, read-only view of the report, section by section, updated one section at a time.

    ``set_sections`` loads the report as ``(key, markdown)`` pairs in reading order;
    ``update_section`` replaces one section's Markdown and redraws only what that changes.
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
        sections: Iterable[tuple[str, str]] = (),
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
        self._markdown: list[str] = []
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

    def set_sections(self, sections: Iterable[tuple[str, str]]) -> None:
        """Show these sections, in this order, in place of those shown before.

        A section whose key and Markdown did not change keeps its wrapped lines (a changed one
        keeps its unchanged blocks and table rows), so reloading a report that changed a little
        costs little. The view stays on the section at its top if that section is still there;
        otherwise it goes to the top. Raises ``ValueError`` if two sections share a key.
        """
        keys: list[str] = []
        texts: list[str] = []
        index: dict[str, int] = {}
        for key, markdown in sections:
            if key in index:
                raise ValueError(f"duplicate section key {key!r}")
            index[key] = len(keys)
            keys.append(key)
            texts.append(markdown)
        place: tuple[str, int] | None = None
        if self._width and self._pieces:
            top_key = self.section_at_top()
            if top_key is not None:
                starts = self._offsets()
                top = min(round(self.scroll_y), max(starts[-1] - 1, 0))
                place = (top_key, top - starts[self._first[self._index[top_key]]])
        pieces: list[Piece] = []
        first = [0]
        for key, markdown in zip(keys, texts, strict=True):
            old = self._index.get(key)
            if old is None:
                pieces.extend(make_pieces(parse_markdown(markdown)))
            else:
                old_pieces = self._pieces[self._first[old] : self._first[old + 1]]
                if self._markdown[old] == markdown:
                    pieces.extend(old_pieces)
                else:
                    pieces.extend(_reparse(old_pieces, markdown)[0])
            first.append(len(pieces))
        self._keys, self._markdown, self._index = keys, texts, index
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

    def update_section(self, key: str, markdown: str) -> None:
        """Replace the Markdown of section ``key``; only that section is parsed and wrapped again.

        Raises ``KeyError`` for a key that ``set_sections`` did not give.
        """
        section = self._index.get(key)
        if section is None:
            raise KeyError(f"no section {key!r} in the preview")
        if self._markdown[section] == markdown:
            return
        self._markdown[section] = markdown
        first, end = self._first[section], self._first[section + 1]
        old = self._pieces[first:end]
        new, head, tail = _reparse(old, markdown)

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
                self._wrap(index)
                if perf_counter() >= deadline:
                    break
            self._restore(anchor)
            if perf_counter() - synced >= _RESIZE_EVERY_SECONDS:
                self._sync_virtual_size()
                synced = perf_counter()
            await asyncio.sleep(0)
