"""Text laid out for Textual's line API: style ids, compact line records, measuring and wrapping.

Shared by the line-API widgets (the report preview, the conversation). A wrapped line is kept as
a ``LineRecord`` — a plain tuple of ``str`` and ``int`` — rather than as a Rich strip: Python's
garbage collector does not track such tuples, whereas tens of thousands of cached strips (each
holding segments and styles) made full collections take 70 ms on a 200-page report. Strips are
built only for the lines on screen (``to_strip``); the style ids in a record are resolved against
a ``Styles`` table at that point, so a theme change redraws without re-wrapping.

Chinese characters are two cells wide and break anywhere (except before closing and after
opening punctuation); Latin text breaks at spaces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from rich._unicode_data import load as _load_cell_table
from rich.cells import get_character_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

__all__ = [
    "BLANK",
    "BORDER",
    "DEFAULT_STYLES",
    "HEADER",
    "HEADER_STRONG",
    "MARKER",
    "PLAIN",
    "STRONG",
    "STYLE_COUNT",
    "Line",
    "LineRecord",
    "Styles",
    "approximate_width",
    "heading_style",
    "line_record",
    "make_styles",
    "put_run",
    "record_text",
    "screen_text",
    "text_width",
    "to_strip",
    "wrap_runs",
]

# --- styles -------------------------------------------------------------------------------------

PLAIN, STRONG, MARKER, BORDER, HEADER, HEADER_STRONG = range(6)
"""Style ids stored in line records (see ``Styles``)."""
_HEADING_IDS = 6
"""Heading level n (1 to 4; deeper levels share 4) has style id 6 + 2(n - 1), its bold text the next id."""
STYLE_COUNT = _HEADING_IDS + 8

Styles = tuple[Style | None, ...]
"""The Rich style of every style id."""


def heading_style(level: int) -> int:
    """The style id of a heading of ``level`` (its bold parts use the next id)."""
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
"""Styles without colour: what the layout functions use outside a widget."""

# --- line records ---------------------------------------------------------------------------------

LineRecord = tuple[Any, ...]
"""One wrapped line: its width in cells, then text and style id, text and style id, …"""
BLANK: LineRecord = (0,)
"""An empty line."""


def to_strip(record: LineRecord, styles: Styles) -> Strip:
    """The Rich strip of a line record."""
    return Strip(
        [Segment(record[index], styles[record[index + 1]]) for index in range(1, len(record), 2)],
        record[0],
    )


def record_text(record: LineRecord) -> str:
    """The text of a line record, without styles."""
    return "".join(record[1::2])


# --- measuring and cleaning text ----------------------------------------------------------------


def _wide_character_classes() -> tuple[str, str]:
    """Regex character classes of the code points rich measures as two cells wide: (BMP, beyond).

    Kept apart because ``re`` tests a class of BMP characters in one bitmap lookup, but walks
    every range beyond U+FFFF one by one, for every character it tries: a single class of both
    made measuring and wrapping several times slower.
    """
    spans = [(start, end) for start, end, width in _load_cell_table("auto").widths if width == 2]
    bmp = [(start, min(end, 0xFFFF)) for start, end in spans if start <= 0xFFFF]
    astral = [(max(start, 0x10000), end) for start, end in spans if end > 0xFFFF]

    def character_class(ranges: list[tuple[int, int]]) -> str:
        return "[" + "".join(f"\\U{start:08x}-\\U{end:08x}" for start, end in ranges) + "]"

    return character_class(bmp), character_class(astral)


_WIDE_BMP, _WIDE_ASTRAL = _wide_character_classes()
_WIDE_RUN_RE = re.compile(f"{_WIDE_BMP}+")
_WIDE_ASTRAL_RE = re.compile(_WIDE_ASTRAL)
_ASTRAL_RE = re.compile("[\U00010000-\U0010ffff]")
# A run of wide BMP characters (breakable between any two), an ASCII word, spaces, any other
# character (a wide one beyond the BMP is measured on its own).
_TOKEN_RE = re.compile(f"({_WIDE_BMP}+)|([!-~]+)|( +)|(.)", re.S)
# Control characters (line breaks included) become spaces; joiners and emoji selectors are
# dropped, so that the width of a line is exactly the sum of the widths of its characters.
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_JOINER_RE = re.compile("[\u200d\ufe0f]")

_NO_LINE_START = frozenset("，。、；：？！）」』》〉】〕〗”’…·～％")
"""Chinese punctuation that must not begin a line (禁则): the character before it moves down too."""
_NO_LINE_END = frozenset("（「『《〈【〔〖“‘")
"""Opening brackets that must not end a line."""


def screen_text(text: str) -> str:
    """``text`` safe to draw on one line: control characters as spaces, zero-width joiners removed.

    Nothing else changes: a user's ``**``, ``|``, ``#`` or ``<br>`` is shown as typed.
    """
    if text.isprintable():
        return text
    if _CONTROL_RE.search(text):
        text = _CONTROL_RE.sub(" ", text)
    if _JOINER_RE.search(text):
        text = _JOINER_RE.sub("", text)
    return text


def approximate_width(text: str) -> int:
    """The width of ``text`` in cells, roughly and at C speed: 1 per ASCII character, 2 per other.

    (UTF-8 takes 3 bytes for a Chinese character.) Good enough to estimate line counts.
    """
    return (len(text.encode()) + len(text)) // 2


def text_width(text: str) -> int:
    """The width of ``text`` in cells, fast: exact except that zero-width characters count one."""
    if text.isascii():
        return len(text)
    width = len(text) + sum(map(len, _WIDE_RUN_RE.findall(text)))
    if _ASTRAL_RE.search(text):
        width += len(_WIDE_ASTRAL_RE.findall(text))
    return width


# --- wrapping -------------------------------------------------------------------------------------


class Line(NamedTuple):
    """A wrapped line being built: text and style id pairs, and the width in cells."""

    parts: list[Any]
    width: int


def line_record(line: Line) -> LineRecord:
    """The compact record of a wrapped line."""
    return (line.width, *line.parts)


def put_run(parts: list[Any], text: str, style: int) -> None:
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
                    put_run(parts, token[start : start + take], style)
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
                put_run(parts, token, style)
                used += len(token)
            else:
                cells = len(token) if kind == 2 else get_character_cell_size(token)
                if used + cells > width and used and cells <= width:
                    newline()
                if used + cells <= width or kind != 2:
                    put_run(parts, token, style)  # a lone character wider than the line overflows
                    used += cells
                    continue
                while token:  # an ASCII word wider than the line: split it
                    room = width - used
                    if room <= 0:
                        newline()
                        continue
                    put_run(parts, token[:room], style)
                    used += min(room, len(token))
                    token = token[room:]
    if parts or not lines:
        lines.append(Line(parts, used))
    return lines
