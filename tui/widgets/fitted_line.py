"""One-line texts that fit the width they are drawn at, measured in terminal cells (汉字 take two).

A one-line ``Static`` or an outline entry wraps a long text wherever the width runs out, often inside
a word ("评价指标体" / "系"), and a one-line widget then shows only the first row, ending in a
separator ("… 警告 1 ·"). These renderables are laid out at the width they are given instead:
``FittedLine`` shortens its middle part with "…" and keeps its head and tail whole; ``FittedItems``
shows as many whole items as fit.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

ELLIPSIS = "…"


def _text(part: str | Text) -> Text:
    return part.copy() if isinstance(part, Text) else Text(part)


def shorten(text: str | Text, width: int) -> Text:
    """``text`` cut to ``width`` cells, ending in "…" when it was cut (never half a wide character)."""
    line = _text(text)
    if cell_len(line.plain) <= width:
        return line
    if width <= 0:
        return Text()
    kept: list[str] = []
    used = 0
    for char in line.plain:
        size = cell_len(char)
        if used + size > width - 1:
            break
        kept.append(char)
        used += size
    shortened = line[: len(kept)]
    shortened.append(ELLIPSIS)
    return shortened


class FittedLine:
    """``head`` + ``middle`` + ``tail`` on one line; the middle is shortened with "…" to fit.

    When fewer than ``min_middle`` cells are left for the middle it is left out altogether (with
    whatever separator it starts with), and the head and tail are shortened as one, if need be.
    """

    def __init__(
        self, head: str | Text = "", middle: str | Text = "", tail: str | Text = "", *, min_middle: int = 4
    ) -> None:
        self.head, self.middle, self.tail = _text(head), _text(middle), _text(tail)
        self.min_middle = min_middle

    @property
    def plain(self) -> str:
        """The whole text, as it reads when there is room for all of it."""
        return self.head.plain + self.middle.plain + self.tail.plain

    def fit(self, width: int) -> Text:
        """The line as shown ``width`` cells wide."""
        whole = Text.assemble(self.head, self.middle, self.tail, no_wrap=True)
        if cell_len(whole.plain) <= width:
            return whole
        room = width - cell_len(self.head.plain) - cell_len(self.tail.plain)
        if room >= self.min_middle:
            return Text.assemble(self.head, shorten(self.middle, room), self.tail, no_wrap=True)
        line = shorten(Text.assemble(self.head, self.tail), width)
        line.no_wrap = True
        return line

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.fit(options.max_width)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(1, cell_len(self.plain))


class FittedItems:
    """Items joined by ``separator`` on one line, as many whole ones as fit (the first always, shortened)."""

    def __init__(self, items: Sequence[str | Text], separator: str = " · ") -> None:
        self.items = [_text(item) for item in items]
        self.separator = separator

    @property
    def plain(self) -> str:
        """All the items, as they read when there is room for all of them."""
        return self.separator.join(item.plain for item in self.items)

    def fit(self, width: int) -> Text:
        """The line as shown ``width`` cells wide."""
        line = Text(no_wrap=True)
        for item in self.items:
            extra = (self.separator if line.plain else "") + item.plain
            if line.plain and cell_len(line.plain) + cell_len(extra) > width:
                break
            if line.plain:
                line.append(self.separator)
            line.append_text(item)
        return shorten(line, width) if cell_len(line.plain) > width else line

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.fit(options.max_width)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(1, cell_len(self.plain))
