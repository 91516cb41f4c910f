"""The document model: what a rendered report is made of, before any file format.

``report.render`` turns a report and its outline into *blocks*; the writers lay the blocks out
as Markdown (``report.writers.markdown``), Word and Excel, and the live preview draws them on
screen. Nothing parses text back into structure: every writer reads these objects.

A block holds the text exactly as the reader should see it, with no escaping for any format:
each writer escapes for its own. Numbers in tables are ``Figure`` cells that carry the exact
value beside the text printed for it, so a spreadsheet can store the number and a page can
print the text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Align(StrEnum):
    """How a table column is aligned."""

    LEFT = "left"
    RIGHT = "right"
    CENTER = "center"


class FigureKind(StrEnum):
    """What a number in a table is, which decides its display format."""

    MONEY = "money"  # an amount in the report's money unit, two decimals
    RATE = "rate"  # a fraction printed as a percentage with two decimals (0.9924 → 99.24%)
    SCORE = "score"  # points, two decimals
    WEIGHT = "weight"  # points as people write them (10, 2.5)


@dataclass(frozen=True, slots=True)
class Figure:
    """A number in a table cell: its exact ``value`` and the ``text`` printed for it."""

    value: Decimal
    text: str
    kind: FigureKind

    def __str__(self) -> str:
        return self.text


Cell = str | Figure
"""A table cell: plain text, or a number with its printed text."""


def cell_text(cell: Cell) -> str:
    """The text a cell shows."""
    return cell.text if isinstance(cell, Figure) else cell


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text inside a paragraph or a list item; ``strong`` is bold."""

    text: str
    strong: bool = False


@dataclass(frozen=True, slots=True)
class Title:
    """The report's title and the facts printed under it (``实施单位：…``, ``评价年度：2020年``)."""

    text: str
    facts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Heading:
    """A numbered heading of the outline.

    ``level`` is the outline depth: 1 for ``一、``, 2 for ``（一）``, 3 for ``1.``, 4 for ``（1）``;
    ``number`` is the label as printed and ``text`` the title after it.
    """

    level: int
    number: str
    text: str

    @property
    def full_text(self) -> str:
        """Number and title as printed: ``一、基本情况``."""
        return self.number + self.text


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of one line of text (it wraps, but has no line breaks of its own)."""

    spans: tuple[Span, ...]

    @property
    def text(self) -> str:
        """The paragraph's text without styles."""
        return "".join(span.text for span in self.spans)


@dataclass(frozen=True, slots=True)
class BulletList:
    """An unordered list; each item is a run of spans on one line."""

    items: tuple[tuple[Span, ...], ...]


@dataclass(frozen=True, slots=True)
class Merge:
    """A merged region of a table's body: ``rows`` × ``columns`` cells from (``row``, ``column``).

    Coordinates count body rows from 0 (the header row is not counted). The region's text is in
    its top-left cell; the other cells of the region are empty.
    """

    row: int
    column: int
    rows: int = 1
    columns: int = 1


@dataclass(frozen=True, slots=True)
class Table:
    """A table: a header row, body rows of cells, per-column alignment and merged regions.

    ``align`` None leaves every column to the writer's default (left). ``role`` names what the
    table is (``budget_lines``, or ``sheet.info``, ``sheet.funds``, ``sheet.goals``,
    ``sheet.indicators``, ``sheet.total`` for the parts of the 自评表), so a writer can lay a
    known table out in a layout of its own.
    """

    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    align: tuple[Align, ...] | None = None
    merges: tuple[Merge, ...] = ()
    role: str = ""


@dataclass(frozen=True, slots=True)
class Attachment:
    """The start of an attachment, on a new page: ``附件1``, its title, and a note under it."""

    label: str
    title: str
    note: str = ""

    @property
    def heading(self) -> str:
        """Label and title on one line: ``附件1 项目支出绩效自评表``."""
        return f"{self.label} {self.title}"


DocBlock = Title | Heading | Paragraph | BulletList | Table | Attachment
"""Any block of the document."""


@dataclass(frozen=True, slots=True)
class DocPart:
    """One part of the document: the title, one outline section (its heading and own blocks), or the 自评表.

    ``key`` is the section key, or ``report.render.TITLE_PART`` / ``SCORE_SHEET_PART``.
    """

    key: str
    blocks: tuple[DocBlock, ...]


def plain(text: str) -> Paragraph:
    """A paragraph of plain text."""
    return Paragraph((Span(text),))


def tables_of(blocks: Iterable[DocBlock], role_prefix: str = "") -> Iterator[Table]:
    """The tables among ``blocks`` whose role starts with ``role_prefix``."""
    for block in blocks:
        if isinstance(block, Table) and block.role.startswith(role_prefix):
            yield block
