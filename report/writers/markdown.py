"""The Markdown writer: document blocks as the Markdown jixiao exports and submits.

Text a user typed cannot break the document: a line that would open a heading, quote, code
fence or HTML block is escaped, list markers are escaped where the text starts a list item,
and table cells escape ``|`` and carry line breaks as ``<br>``. Blocks are joined by exactly
one blank line, so a part of the report is exactly its slice of the whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import assert_never

from report.document import (
    Attachment,
    BulletList,
    DocBlock,
    Heading,
    Paragraph,
    Span,
    Table,
    Title,
    cell_text,
)
from report.pipe_tables import pipe_table
from report.text import split_lines

BLOCK_SEPARATOR = "\n\n"
"""Between two blocks, and between two parts of the report: exactly one blank line."""

_MAX_HEADING_LEVEL = 6
_THEMATIC_BREAK_RE = re.compile(r"^([-*_=+~`])(?:[ \t]*\1){2,}[ \t]*$")
_LIST_MARKER_RE = re.compile(r"^(?:[-*+](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$))")
_CLOSING_HASHES_RE = re.compile(r"(?<= )(#+)$")


def guard_line_start(line: str, *, lists: bool) -> str:
    """Escape a line's first character when it would open a Markdown block the author never meant.

    Headings (``#``), quotes (``>``), HTML blocks (``<``), code fences and thematic breaks are
    escaped always; list markers only where ``lists`` is set (inside a list item's text).
    """
    first = line[:1]
    if first in ("#", ">", "<") or line.startswith(("```", "~~~")) or _THEMATIC_BREAK_RE.match(line):
        return "\\" + line
    if lists and _LIST_MARKER_RE.match(line):
        digits = len(line) - len(line.lstrip("0123456789"))
        return line[:digits] + "\\" + line[digits:]
    return line


def heading_text(text: str) -> str:
    """Heading text with closing ``#`` runs escaped, so they stay part of the text."""
    return _CLOSING_HASHES_RE.sub(r"\\\1", text)


def markdown_cell(text: str) -> str:
    """A table cell: ``\\`` and ``|`` escaped, line breaks as ``<br>``, blank lines dropped."""
    lines = (line.strip() for line in split_lines(text))
    joined = "<br>".join(line for line in lines if line)
    return joined.replace("\\", "\\\\").replace("|", "\\|")


def markdown_table(
    headers: Sequence[str], rows: Iterable[Sequence[str]], colalign: Sequence[str] | None = None
) -> str:
    """A pipe table aligned by display width (``wcwidth``), every cell escaped by ``markdown_cell``."""
    body = [[markdown_cell(cell) for cell in row] for row in rows]
    return pipe_table([markdown_cell(h) for h in headers], body, colalign)


def _spans(spans: Sequence[Span], *, lists: bool) -> str:
    """Spans as inline Markdown; the first span's text is guarded where it starts the line."""
    out = []
    for index, span in enumerate(spans):
        text = span.text
        if index == 0 and not span.strong:
            text = guard_line_start(text, lists=lists)
        out.append(f"**{text}**" if span.strong else text)
    return "".join(out)


def block_markdown(block: DocBlock) -> str:
    """One block as Markdown, without a trailing newline."""
    if isinstance(block, Paragraph):
        return _spans(block.spans, lists=False)
    if isinstance(block, BulletList):
        return "\n".join("- " + _spans(item, lists=True) for item in block.items)
    if isinstance(block, Table):
        rows = [[cell_text(cell) for cell in row] for row in block.rows]
        return markdown_table(block.header, rows, block.align)
    if isinstance(block, Heading):
        level = min(max(block.level, 1) + 1, _MAX_HEADING_LEVEL)
        return f"{'#' * level} {heading_text(block.full_text)}"
    if isinstance(block, Title):
        text = f"# {heading_text(block.text)}"
        if block.facts:
            text += BLOCK_SEPARATOR + guard_line_start("；".join(block.facts), lists=True)
        return text
    if isinstance(block, Attachment):
        text = f"## {block.heading}"
        return text + BLOCK_SEPARATOR + block.note if block.note else text
    assert_never(block)


def blocks_markdown(blocks: Iterable[DocBlock]) -> str:
    """Blocks as Markdown, one blank line between them, no trailing newline."""
    return BLOCK_SEPARATOR.join(block_markdown(block) for block in blocks)
