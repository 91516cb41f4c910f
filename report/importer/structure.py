"""What an Office file holds, as plain data: the body of a Word document, the sheets of a workbook.

``storage.office`` reads .docx and .xlsx files into these objects (no python-docx or openpyxl
object ever leaves it); the recognisers of ``report.importer`` read them. Everything here is
text or ``Decimal``: a merged region's value is copied into every cell it covers, and
``Grid.copies`` says which cells hold such a copy, so a reader can tell the two apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

GridCell = str | Decimal
"""A cell of a table or sheet: text (stripped; "" when empty) or a number read from the cell."""


@dataclass(frozen=True)
class Grid:
    """A table or a sheet as rows of cells, merged regions resolved.

    Every cell a merged region covers holds the region's value; ``copies`` lists the
    (row, column) of every cell that is such a copy rather than the region's first cell.
    """

    rows: tuple[tuple[GridCell, ...], ...]
    copies: frozenset[tuple[int, int]] = frozenset()

    def text(self, row: int, column: int) -> str:
        """The cell at (row, column) as text ("" outside the grid); numbers in plain digits."""
        if not 0 <= row < len(self.rows) or not 0 <= column < len(self.rows[row]):
            return ""
        return cell_text(self.rows[row][column])


def cell_text(cell: GridCell) -> str:
    """A cell as text: numbers in plain digits (``483.3``, never ``4.833E+2``)."""
    return f"{cell:f}" if isinstance(cell, Decimal) else cell


@dataclass(frozen=True)
class DocParagraph:
    """A paragraph of a Word document's body, in document order.

    ``index`` counts the body's paragraphs from 1 (tables not counted). ``heading_level`` is 1–9
    when the paragraph is a heading by its style (``Heading 2``/``标题 2``) or its outline level.
    ``list_level`` is the automatic-numbering level (0 = first) when Word numbers the paragraph,
    and ``number`` the number Word shows before the text (``一、``, ``（1）``), "" when unknown.
    """

    text: str
    index: int
    style: str = ""
    heading_level: int | None = None
    list_level: int | None = None
    number: str = ""


@dataclass(frozen=True)
class DocTable:
    """A table of a Word document's body: ``index`` counts the body's tables from 1.

    ``after_paragraph`` is the index of the last paragraph before it (0 at the very start).
    """

    grid: Grid
    index: int
    after_paragraph: int = 0


@dataclass(frozen=True)
class Sheet:
    """One worksheet of a workbook, by its tab name."""

    name: str
    grid: Grid


@dataclass(frozen=True)
class OfficeContent:
    """A .docx (``body``) or an .xlsx (``sheets``), and what was deliberately not read (``ignored``).

    ``ignored`` holds Chinese lines for the import summary (embedded objects, external links).
    """

    kind: Literal["docx", "xlsx"]
    body: tuple[DocParagraph | DocTable, ...] = ()
    sheets: tuple[Sheet, ...] = ()
    ignored: tuple[str, ...] = ()
