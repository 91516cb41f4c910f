"""Plain-text helpers shared by the renderer and the writers: line splitting and one-line collapsing."""

from __future__ import annotations

import re
import unicodedata

_SPACE_RE = re.compile(r"[ \t\r\n\f\v]+")
_CJK_GAP_RE = re.compile(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])")


def split_lines(text: str) -> list[str]:
    """Split on every kind of line break; control characters (tabs, escapes) become spaces."""
    if text.isprintable():
        return [text]
    return [
        line
        if line.isprintable()
        else "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in line)
        for line in text.splitlines()
    ]


def one_line(text: str) -> str:
    """Collapse a text onto one line: white space runs become one space, none between Chinese characters."""
    collapsed = _SPACE_RE.sub(" ", " ".join(split_lines(text))).strip()
    return _CJK_GAP_RE.sub("", collapsed)
