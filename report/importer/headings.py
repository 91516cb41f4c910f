"""Headings: whether a line is one (numbered, Markdown, or naming a section), and which title it names.

Titles are compared fuzzily: parentheses dropped, then the particles 项目/的/情况 ignored, then
containment (``title_score``).
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from report.money import fold_width
from report.outline import Section

MAX_HEADING_CHARS = 40
"""A numbered line longer than this (parentheses aside) is body text, not a heading."""

_PAREN_RE = re.compile(r"[（(][^（）()]*[)）]")
_TITLE_NOISE_RE = re.compile(r"[\s*_#：:。.、，,；;“”\"'《》!！?？]")
_PARTICLES = ("项目", "情况", "的")
_SENTENCE_PUNCT = frozenset("，,。；;！!？?")


@functools.lru_cache(maxsize=4096)
def _norm_title(title: str) -> str:
    folded = fold_width(title)
    previous = None
    while previous != folded:  # nested parentheses
        previous, folded = folded, _PAREN_RE.sub("", folded)
    return _TITLE_NOISE_RE.sub("", folded)


def _core(title: str) -> str:
    for particle in _PARTICLES:
        title = title.replace(particle, "")
    return title


@functools.lru_cache(maxsize=8192)
def title_score(found: str, known: str) -> int:
    """How well a heading found in a document names a known section title: 3 exact … 0 not at all.

    3: equal once parentheses, spaces and punctuation are dropped; 2: equal once the particles
    项目/的/情况 are dropped too; 1: one contains most of the other, or they are nearly equal.
    """
    a, b = _norm_title(found), _norm_title(known)
    if not a or not b:
        return 0
    if a == b:
        return 3
    ca, cb = _core(a), _core(b)
    if not ca or not cb:
        return 0
    if ca == cb:
        return 2
    short, long = sorted((ca, cb), key=len)
    if len(short) >= 4 and short in long and len(short) / len(long) >= 0.6:
        return 1
    if difflib.SequenceMatcher(None, ca, cb).ratio() >= 0.85:
        return 1
    return 0


_CN_DIGITS = {ch: n for n, ch in enumerate("〇一二三四五六七八九")}
_NUMBERED: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(r"^(?P<n>[一二三四五六七八九十]{1,3})\s*[、.．]\s*(?P<title>.*)$")),
    (2, re.compile(r"^[（(]\s*(?P<n>[一二三四五六七八九十]{1,3})\s*[)）]\s*[、.．]?\s*(?P<title>.*)$")),
    (4, re.compile(r"^[（(]\s*(?P<n>\d{1,2})\s*[)）]\s*[、.．]?\s*(?P<title>.*)$")),
    (3, re.compile(r"^(?P<n>\d{1,2})\s*(?:[、．]|\.(?!\d))\s*(?P<title>.*)$")),
)
_MARKDOWN_HEADING_RE = re.compile(r"^ {0,3}(?P<hashes>#{1,6})[ \t]+(?P<text>.*?)[ \t]*$")
_BOLD_RE = re.compile(r"^\*\*(?P<text>.+)\*\*$")


def _chinese_number(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    if "十" not in token:
        return _CN_DIGITS.get(token) if len(token) == 1 else None
    tens, _, ones = token.partition("十")
    ten = 1 if not tens else _CN_DIGITS.get(tens)
    one = 0 if not ones else _CN_DIGITS.get(ones)
    return None if ten is None or one is None else ten * 10 + one


@dataclass(frozen=True)
class _Heading:
    """A line that may be a heading: its numbering depth (if numbered), number and title."""

    text: str  # the line as written (for keeping it as text when it matches nothing)
    title: str
    depth: int | None
    number: int | None
    declared: bool  # a Markdown heading, or a numbered 一、/（一） line that looks like a heading
    threshold: int  # the title score needed to accept a match


def _numbering(line: str) -> tuple[int, int | None, str] | None:
    folded = fold_width(line)
    for depth, pattern in _NUMBERED:
        match = pattern.match(folded)
        if match is not None:
            return depth, _chinese_number(match["n"]), match["title"].strip()
    return None


def numbered_heading(line: str) -> tuple[int, int | None, str] | None:
    """(depth, number, title) of a line opening with a 公文 number (一、 （一） 1. （1）), else None."""
    return _numbering(line)


def _heading_like(title: str) -> bool:
    core = _PAREN_RE.sub("", fold_width(title)).rstrip("：:").strip()
    if not 1 <= len(core) <= MAX_HEADING_CHARS:
        return False
    return not any(ch in _SENTENCE_PUNCT or ch in "：:" or ch.isdigit() for ch in core)


def _heading_candidate(line: str, *, markdown: bool) -> _Heading | None:
    """How a line could be a heading, or None when it is surely body text."""
    md = _MARKDOWN_HEADING_RE.match(line)
    if markdown:
        if md is None:
            return None
        text = _unescape_heading(md["text"])
        numbered = _numbering(text)
        if numbered is not None:
            depth, number, title = numbered
            return _Heading(line, title, depth, number, True, 1)
        return _Heading(line, text, len(md["hashes"]) - 1, None, True, 1)
    bold = _BOLD_RE.match(line)
    text = bold["text"].strip() if bold else line
    numbered = _numbering(text)
    if numbered is not None:
        depth, number, title = numbered
        if not _heading_like(title):
            return None
        return _Heading(line, title, depth, number, depth <= 2, 1)
    if _heading_like(text) and len(text) <= MAX_HEADING_CHARS:
        return _Heading(line, text, None, None, False, 2)
    return None


def _unescape_heading(text: str) -> str:
    text = re.sub(r"\s+#+$", "", text) if not re.search(r"\\#+$", text) else text
    return text.replace("\\#", "#")


@dataclass
class _Match:
    index: int
    score: int


def _best_match(walk: Sequence[Section], position: int, heading: _Heading) -> _Match | None:
    best: tuple[int, int, int] | None = None
    found: _Match | None = None
    for index in range(position + 1, len(walk)):
        section = walk[index]
        score = title_score(heading.title, section.title)
        if score < heading.threshold:
            continue
        key = (score, 1 if heading.depth == section.depth else 0, -(index - position))
        if best is None or key > best:
            best, found = key, _Match(index, score)
    return found
