"""The conversation: the assistant's questions and replies, the user's answers.

One line-API view (as Textual's ``Log``), not a widget per message: a message is wrapped once
into line records and appended, and only the lines on screen are drawn. Adding a widget per
message cost Textual a mount and a layout of the whole screen (~13 ms) on every answer, and
more the longer the session; appending lines costs a wrap of the new message.

Who speaks is shown by a text label with a symbol (助手 ›, 助手 ✗, 助手 ✓, 我 ›, 提示 ·), never by
colour alone; colours come from component classes, so themes, 16 colours and ``NO_COLOR`` work
as elsewhere. Chinese characters are two cells wide and a line may break between any two of
them (not before a closing mark such as ，。）, not after an opening one); Latin words break at
spaces. A listed line ("7. 名称 34.00 万元…", "提示：…", "  → …") wraps with a hanging indent:
its continuation lines start under its text, not at the left edge.

The newest message stays at the bottom unless the user has scrolled up to read earlier ones;
scrolling back to the end follows again. Keys scroll the view when it has the focus, the wheel
where there is a mouse, and text can be selected with the mouse and copied (``get_selection``);
a wrapped line is copied as the one line it was.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import pairwise
from typing import Any, ClassVar, NamedTuple

from rich.cells import cell_len, get_character_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip

MAX_MESSAGES = 1000
"""The oldest messages beyond this many are dropped (``DROP_AT_ONCE`` at a time)."""
DROP_AT_ONCE = 100

ROLE_LABELS = {
    "question": "助手 ›",
    "reply": "助手 ›",
    "error": "助手 ✗",
    "ok": "助手 ✓",
    "user": "我 ›",
    "info": "提示 ·",
}
USER_PADDING = 2
"""The user's own messages are set in by this many cells."""

# style ids stored in line records: role style * 2, +1 for the speaker label
_ROLE_STYLE = {"user": 1, "error": 2, "info": 3}
_STYLE_CLASSES = ("", "conversation--user", "conversation--error", "conversation--info")

_NO_LINE_START = frozenset("，。、；：？！）」』》〉】〕〗”’…·～％,.;:?!)]}")
"""Marks that must not begin a line: the character before them moves down too."""
_NO_LINE_END = frozenset("（「『《〈【〔〖“‘([{")
"""Opening marks that must not end a line."""

# What a listed line starts with; its continuation lines are indented by its width:
# "7. ", "（三）", "- ", "→ ", "✗ ", a short label such as "提示：" or "已记录：".
_MARKER_RE = re.compile(
    r" *(?:\d{1,4}[.、)）] ?|[（(][一二三四五六七八九十\d]{1,3}[)）] ?|[-*·•→✗✓!] |[^\s：:]{1,6}[：:])"
)

LineRecord = tuple[Any, ...]
"""One drawn line: its width in cells, then text and style id pairs."""
_BLANK: LineRecord = (0,)


class Join(NamedTuple):
    """How a drawn line continues the line above it, for copying: indent cells to drop, separator."""

    indent: int
    separator: str


# --- wrapping -----------------------------------------------------------------------------------


def _breakable(before: str, after: str, before_wide: bool, after_wide: bool) -> bool:
    """Whether a line may break between two characters."""
    if after == " " or after in _NO_LINE_START or before in _NO_LINE_END:
        return False
    return before == " " or before_wide or after_wide


def wrap_text(text: str, width: int, first_width: int | None = None) -> list[str]:
    """Cut ``text`` (one line, no newlines) into lines of at most ``width`` cells.

    The first line may have another width (``first_width``: a label or marker stands before it).
    Wide characters break anywhere but before a closing mark or after an opening one; Latin words
    break at spaces (a word longer than a line is split). Spaces at a break are dropped. Always
    returns at least one line.
    """
    width = max(width, 2)
    limit = width if first_width is None else max(first_width, 2)
    if cell_len(text) <= limit:
        return [text]
    lines: list[str] = []
    start = 0  # where the line being built starts in ``text``
    used = 0
    cut = -1  # where the line may break (the next line would start there)
    previous_wide = False
    index = 0
    while index < len(text):
        character = text[index]
        cells = get_character_cell_size(character)
        wide = cells == 2
        if index > start and _breakable(text[index - 1], character, previous_wide, wide):
            cut = index
        if used + cells > limit and index > start:
            if character == " ":
                end = index
            elif cut > start:
                end = cut
            else:
                end = index  # no break opportunity: split the word
            lines.append(text[start:end].rstrip(" "))
            start = end
            while start < len(text) and text[start] == " ":
                start += 1
            limit = width
            cut = -1
            used = cell_len(text[start:index]) if start < index else 0
            if start > index:
                index = start
                previous_wide = False
                continue
            if start == index:
                previous_wide = False
                continue
            previous_wide = get_character_cell_size(text[index - 1]) == 2
        used += cells
        previous_wide = wide
        index += 1
    if start < len(text) or not lines:
        lines.append(text[start:])
    return lines


def hanging_indent(line: str) -> str:
    """The start of a listed line whose width the continuation lines are indented by ("" if none)."""
    match = _MARKER_RE.match(line)
    if match is not None:
        return match.group()
    stripped = len(line) - len(line.lstrip(" "))
    return line[:stripped]


def layout_message(
    role: str, body: str, width: int, separated: bool
) -> tuple[list[LineRecord], list[Join | None]]:
    """The drawn lines of one message at ``width`` cells, and how each continues the one above.

    The label and the first line share a row; every line of the body wraps with the hanging
    indent of its own marker (under the label's width too on the first row, when that row is a
    listed line). ``separated`` puts a blank line above the message.
    """
    base = _ROLE_STYLE.get(role, 0) * 2
    pad = " " * USER_PADDING if role == "user" else ""
    label = f"{pad}{ROLE_LABELS.get(role, '助手 ›')} "
    records: list[LineRecord] = []
    joins: list[Join | None] = []
    if separated:
        records.append(_BLANK)
        joins.append(None)
    for number, line in enumerate(body.split("\n")):
        line = line.replace("\t", "    ")
        lead = label if number == 0 else pad
        marker = hanging_indent(line)
        lead_cells = cell_len(lead)
        marker_cells = cell_len(marker)
        if lead_cells + marker_cells + 2 > width:  # too narrow to hang: the marker wraps as text
            marker, marker_cells = "", 0
        hang = lead_cells + marker_cells if marker else len(pad)
        if hang > width // 2:
            hang = len(pad)
        pieces = wrap_text(line[len(marker) :], width - hang, width - lead_cells - marker_cells)
        first = pieces[0]
        cells = lead_cells + marker_cells + cell_len(first)
        if number == 0:
            records.append((cells, label, base + 1, marker + first, base))
        else:
            records.append((cells, pad + marker + first, base))
        joins.append(None)
        for previous, piece in pairwise(pieces):
            latin = previous[-1:].isascii() and previous[-1:].isalnum() and piece[:1].isascii()
            records.append((hang + cell_len(piece), " " * hang + piece, base))
            joins.append(Join(hang, " " if latin else ""))
    return records, joins


# --- the view -----------------------------------------------------------------------------------


class _Message:
    """One message and its lines at the width it was last laid out for."""

    __slots__ = ("body", "joins", "records", "role", "width")

    def __init__(self, role: str, body: str) -> None:
        self.role = role
        self.body = body
        self.width = 0
        self.records: list[LineRecord] = []
        self.joins: list[Join | None] = []


class Conversation(ScrollView, can_focus=True):
    """The messages of a drafting session, newest at the bottom, drawn line by line."""

    ALLOW_SELECT = True
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "conversation--label",
        "conversation--user",
        "conversation--error",
        "conversation--info",
    }
    DEFAULT_CSS = """
    Conversation {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: scroll;
        &:focus { background-tint: $foreground 5%; }
        & > .conversation--label { text-style: bold; }
        & > .conversation--user { text-style: italic; }
        & > .conversation--error { color: $error; }
        & > .conversation--info { color: $text-muted; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "scroll_up", "上移", show=False, id="conversation.scroll_up"),
        Binding("down", "scroll_down", "下移", show=False, id="conversation.scroll_down"),
        Binding("pageup", "page_up", "上一页", show=False, id="conversation.page_up"),
        Binding("pagedown", "page_down", "下一页", show=False, id="conversation.page_down"),
        Binding("home", "scroll_home", "开头", show=False, id="conversation.home"),
        Binding("end", "scroll_end", "结尾", show=False, id="conversation.end"),
    ]

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        """An empty conversation."""
        super().__init__(name=name, id=id, classes=classes)
        self._messages: list[_Message] = []
        self._starts: list[int] = [0]
        """``_starts[i]`` is the first line of message ``i``; the last entry is the line count."""
        self._width = 0
        self._following = True
        self._styles: tuple[Style, ...] | None = None
        self._strips: LRUCache[tuple[object, ...], Strip] = LRUCache(512)
        """Drawn lines by (record, line, scroll x, width, base style)."""
        self._frame: tuple[Style, int, Selection | None] | None = None

    @property
    def allow_select(self) -> bool:
        """Text can be selected (a line-API view is not a container of selectable widgets)."""
        return True

    # --- public API ---------------------------------------------------------------------------

    def add(self, role: str, body: str) -> None:
        """Append a message; the view follows it unless the user scrolled up."""
        if len(self._messages) >= MAX_MESSAGES:
            self._drop(DROP_AT_ONCE)
        message = _Message(role, body)
        self._messages.append(message)
        if role == "user":
            self._following = True  # what the user sends brings the newest messages back into view
        if not self._width:
            return  # laid out at the first draw, when the width is known
        self._layout(message, len(self._messages) - 1)
        first = self._starts[-1]
        self._starts.append(first + len(message.records))
        self._sync_size()
        if self._following:
            self.scroll_to(y=self.max_scroll_y, animate=False)
        else:
            self.refresh_lines(first, len(message.records))

    @property
    def messages(self) -> list[tuple[str, str]]:
        """Every message kept, oldest first, as (role, text)."""
        return [(message.role, message.body) for message in self._messages]

    def transcript(self) -> list[str]:
        """The messages as plain text, oldest first (for tests and copying)."""
        return [f"{ROLE_LABELS.get(m.role, '')} {m.body}" for m in self._messages]

    @property
    def line_count(self) -> int:
        """How many lines the messages take at the current width."""
        return self._starts[-1] if self._width else 0

    def visible_lines(self) -> list[str]:
        """The text of the lines on screen, top to bottom, trailing spaces removed."""
        self._ensure_layout()
        top = round(self.scroll_y)
        height = self.scrollable_content_region.height
        return [self._line_text(line).rstrip() for line in range(top, min(top + height, self.line_count))]

    # --- line API -----------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        """Draw the lines in ``crop``, resolving what every line shares once."""
        self._ensure_layout()
        self._frame = (self.rich_style, self.scrollable_content_region.width, self.text_selection)
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    def render_line(self, y: int) -> Strip:
        """Draw line ``y`` of the view (laying the messages out first if the width changed)."""
        if self._frame is None:
            self._ensure_layout()
            base, width, selection = (
                self.rich_style,
                self.scrollable_content_region.width,
                self.text_selection,
            )
        else:
            base, width, selection = self._frame
        scroll_x, scroll_y = self.scroll_offset
        line = scroll_y + y
        record = self._record(line)
        if record is None:
            return Strip.blank(width, base)
        key = (record, line, scroll_x, width, base)
        if selection is None:
            drawn = self._strips.get(key)
            if drawn is not None:
                return drawn
        styles = self._resolved_styles()
        strip = Strip(
            [Segment(record[i], styles[record[i + 1]]) for i in range(1, len(record), 2)], record[0]
        ).apply_style(base)
        if selection is not None:
            strip = self._select(strip, line, selection)
        # the offsets tell Textual's selection which character is under the pointer
        drawn = strip.crop_extend(scroll_x, scroll_x + width, base).apply_offsets(scroll_x, line)
        if selection is None:
            self._strips[key] = drawn
        return drawn

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The selected text: a wrapped line comes back as one line, without its indent."""
        self._ensure_layout()
        count = self.line_count
        if not count:
            return None
        first = 0 if selection.start is None else selection.start.y
        last = count - 1 if selection.end is None else min(selection.end.y, count - 1)
        parts: list[str] = []
        for line in range(first, last + 1):
            span = selection.get_span(line)
            if span is None:
                continue
            text = self._line_text(line)
            start, end = span
            piece = text[start:] if end == -1 else text[start:end]
            join = self._join(line)
            if join is None or not parts:
                if parts:
                    parts.append("\n")
                parts.append(piece if join is None else piece[max(join.indent - start, 0) :])
            else:
                parts.append(join.separator + piece[max(join.indent - start, 0) :])
        return "".join(parts), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        """Redraw with the selection highlighted."""
        self.refresh()

    # --- events and actions -------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        """Wrap again for a new width, keeping the bottom (or the top line's message) in view."""
        self._ensure_layout()

    def notify_style_update(self) -> None:
        """Resolve the role styles again on the next draw (a theme or CSS change)."""
        super().notify_style_update()
        self._styles = None
        self._strips.clear()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Follow new messages again once the user is back at the end."""
        super().watch_scroll_y(old_value, new_value)
        self._following = round(new_value) >= self.max_scroll_y

    def action_scroll_up(self) -> None:
        """One line up."""
        self.scroll_to(y=self.scroll_y - 1, animate=False)

    def action_scroll_down(self) -> None:
        """One line down."""
        self.scroll_to(y=self.scroll_y + 1, animate=False)

    def action_page_up(self) -> None:
        """One screen up."""
        self.scroll_to(y=self.scroll_y - max(self.scrollable_content_region.height - 1, 1), animate=False)

    def action_page_down(self) -> None:
        """One screen down."""
        self.scroll_to(y=self.scroll_y + max(self.scrollable_content_region.height - 1, 1), animate=False)

    def action_scroll_home(self) -> None:
        """To the first message."""
        self.scroll_to(y=0, animate=False)

    def action_scroll_end(self) -> None:
        """To the newest message (which it then follows)."""
        self.scroll_to(y=self.max_scroll_y, animate=False)

    # --- internals ----------------------------------------------------------------------------

    def _resolved_styles(self) -> tuple[Style, ...]:
        if self._styles is None:
            label = self.get_component_rich_style("conversation--label", partial=True)
            styles: list[Style] = []
            for name in _STYLE_CLASSES:
                body = self.get_component_rich_style(name, partial=True) if name else Style()
                styles.extend((body, body + label))
            self._styles = tuple(styles)
        return self._styles

    def _select(self, strip: Strip, line: int, selection: Selection) -> Strip:
        span = selection.get_span(line)
        if span is None:
            return strip
        text = self._line_text(line)
        start, end = span
        start_cell = cell_len(text[:start])
        end_cell = strip.cell_length if end == -1 else cell_len(text[:end])
        if end_cell <= start_cell:
            return strip
        before, chosen, after = strip.divide([start_cell, end_cell, strip.cell_length])
        return Strip.join([before, chosen.apply_style(self.selection_style), after])

    def _layout(self, message: _Message, index: int) -> None:
        message.records, message.joins = layout_message(message.role, message.body, self._width, index > 0)
        message.width = self._width

    def _ensure_layout(self) -> None:
        """Lay every message out again if the width changed; keep the reader's place."""
        width = self.scrollable_content_region.width
        if not width or width == self._width:
            return
        place = None if self._following or not self._width else self._place()
        self._width = width
        starts = [0]
        for index, message in enumerate(self._messages):
            self._layout(message, index)
            starts.append(starts[-1] + len(message.records))
        self._starts = starts
        self._strips.clear()
        self._sync_size()
        if place is None:
            self.scroll_to(y=self.max_scroll_y, animate=False)
            self._following = True
        else:
            index, offset = place
            self.scroll_to(
                y=self._starts[index] + min(offset, len(self._messages[index].records) - 1), animate=False
            )
        self.refresh()

    def _place(self) -> tuple[int, int]:
        """The message at the top of the view and the line of it shown there."""
        top = round(self.scroll_y)
        index = max(bisect_right(self._starts, top) - 1, 0)
        index = min(index, max(len(self._messages) - 1, 0))
        return index, top - self._starts[index]

    def _sync_size(self) -> None:
        size = Size(self._width, self._starts[-1])
        if self.virtual_size != size:
            self.virtual_size = size

    def _drop(self, count: int) -> None:
        """Forget the oldest ``count`` messages; what is on screen stays put."""
        removed = self._starts[count] if self._width and len(self._starts) > count else 0
        del self._messages[:count]
        if self._messages and self._width:
            self._layout(self._messages[0], 0)  # the new first message has no blank line above it
        starts = [0]
        for message in self._messages:
            starts.append(starts[-1] + len(message.records))
        self._starts = starts if self._width else [0]
        if self._width and not self._following:
            self._sync_size()
            self.scroll_to(y=max(self.scroll_y - removed, 0), animate=False)

    def _locate(self, line: int) -> tuple[_Message, int] | None:
        if line < 0 or line >= self.line_count:
            return None
        index = bisect_right(self._starts, line) - 1
        if index >= len(self._messages):
            return None
        return self._messages[index], line - self._starts[index]

    def _record(self, line: int) -> LineRecord | None:
        found = self._locate(line)
        if found is None:
            return None
        message, offset = found
        return message.records[offset] if offset < len(message.records) else None

    def _join(self, line: int) -> Join | None:
        found = self._locate(line)
        if found is None:
            return None
        message, offset = found
        return message.joins[offset] if offset < len(message.joins) else None

    def _line_text(self, line: int) -> str:
        record = self._record(line)
        return "" if record is None else "".join(record[1::2])
