"""The Word writer: the whole report as a .docx in the 公文 layout (GB/T 9704, RULES.md §8).

``report_docx(parts)`` takes ``report.render.document_parts(report, outline)`` and returns the
file's bytes: A4 portrait, margins 37/35/28/26 mm; the title in 方正小标宋简体 22 pt with the
facts under it; body text in 仿宋_GB2312 16 pt at an exact 28.9 pt line pitch (22 lines a page),
first-line indent of two characters, justified; headings 一、 黑体, （一） 楷体_GB2312, 1. bold
仿宋_GB2312, （1） 仿宋_GB2312; tables as bordered Word tables; page numbers "— N —" in 宋体 14 pt,
odd pages right and even pages left. Every attachment starts a new section; the 附件1 自评表 is
laid out by ``report.form_layout`` as one table with merged cells, on landscape pages.

How it is built: python-docx's documented API sets up what it covers — the styles (fonts,
sizes, spacing, indents), the sections (page size, orientation, margins), the footers, the
odd/even setting and the core properties. Where it has no API (East-Asian font slots, the PAGE
field, the outline level of a heading) its oxml helpers are used. The body itself — thousands
of paragraphs and table cells for a 200-page report — is written as WordprocessingML and
parsed once: python-docx's ``Table.cell`` recomputes the whole grid on every call, so filling
a 2,000-row table through it takes minutes, and ``cell.merge`` is as slow; the XML written
here is what those calls write (``w:gridSpan``, ``w:vMerge``), with every paragraph pointing
at a named style, so a user can still restyle the document in Word.

python-docx is imported inside ``report_docx`` only: importing this module costs nothing.
Text is stripped of what XML cannot carry (``report.writers.ooxml.xml_text``), and the zip is
written with fixed dates (``stable_zip``), so the same report always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal
from xml.sax.saxutils import escape

from report.document import (
    Align,
    Attachment,
    BulletList,
    DocBlock,
    DocPart,
    Figure,
    Heading,
    Merge,
    Paragraph,
    Span,
    Table,
    Title,
    cell_text,
)
from report.form_layout import FormGrid, GridCell, form_grid, is_score_sheet
from report.writers.ooxml import DEFAULT_TIMESTAMP, stable_zip, xml_text

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.section import Section as DocxSection
    from docx.styles.style import ParagraphStyle

__all__ = [
    "BODY_FONT",
    "BODY_PT",
    "CELL_PT",
    "DEFAULT_TIMESTAMP",
    "FIRST_LINE_INDENT_PT",
    "HEADING_FONTS",
    "LATIN_FONT",
    "LINE_PITCH_PT",
    "MARGINS_MM",
    "PAGE_NUMBER_FONT",
    "PAGE_NUMBER_PT",
    "TITLE_FONT",
    "TITLE_PT",
    "report_docx",
]

PAGE_MM = (210, 297)
"""A4 portrait, width × height."""
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
"""GB/T 9704 margins of a portrait page: a 156 × 225 mm text block."""
LANDSCAPE_MARGINS_MM = {"top": 26, "bottom": 28, "left": 37, "right": 35}
"""A landscape page's margins: the portrait ones turned with the page, so the text block is 225 × 156 mm."""
PORTRAIT_MAX_COLUMNS = 6
"""An attachment table wider than this goes on landscape pages."""

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONTS = {1: "黑体", 2: "楷体_GB2312", 3: "仿宋_GB2312", 4: "仿宋_GB2312"}
"""East-Asian font of each heading level: 一、 （一） 1. （1）."""
ATTACHMENT_LABEL_FONT = "黑体"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
"""Digits and Latin letters of body text and table cells."""

BODY_PT = 16.0  # 三号
TITLE_PT = 22.0  # 二号
CELL_PT = 12.0  # 小四
PAGE_NUMBER_PT = 14.0  # 四号
LINE_PITCH_PT = 28.9
"""Exact line spacing: 22 lines fill the 225 mm text block (22 × 28.9 pt = 635.8 pt ≤ 637.8 pt)."""
FIRST_LINE_INDENT_PT = 2 * BODY_PT
"""Two characters of body text."""

_TWIPS_PER_MM = 1440 / 25.4
_CELL_MARGIN = 57  # twips left and right inside a cell (1 mm)
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_BORDER = '<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
_TABLE_BORDERS = "".join(
    _BORDER.format(side=side) for side in ("top", "left", "bottom", "right", "insideH", "insideV")
)

_Justify = Literal["left", "center", "right", "both"]


@dataclass(frozen=True)
class _StyleSpec:
    """How one paragraph style looks."""

    east_asia: str
    latin: str
    size: float
    bold: bool = False
    justify: _Justify = "both"
    indent: bool = True  # first-line indent of two characters
    exact: bool = True  # the body's exact line pitch, else single spacing
    outline: int | None = None  # outline level (0 = 一、) so Word's navigation pane lists it


# built-in style names keep Word's navigation pane and table of contents working
_BODY = "Normal"
_TITLE = "Title"
_FACTS = "Subtitle"
_ATTACHMENT = "Attachment Label"
_CELL = "Table Text"
_FOOTER = "Footer"
_STYLES: dict[str, _StyleSpec] = {
    _BODY: _StyleSpec(BODY_FONT, LATIN_FONT, BODY_PT),
    _TITLE: _StyleSpec(TITLE_FONT, TITLE_FONT, TITLE_PT, justify="center", indent=False),
    _FACTS: _StyleSpec(BODY_FONT, LATIN_FONT, BODY_PT, justify="center", indent=False),
    "Heading 1": _StyleSpec(HEADING_FONTS[1], HEADING_FONTS[1], BODY_PT, outline=0),
    "Heading 2": _StyleSpec(HEADING_FONTS[2], HEADING_FONTS[2], BODY_PT, outline=1),
    "Heading 3": _StyleSpec(HEADING_FONTS[3], LATIN_FONT, BODY_PT, bold=True, outline=2),
    "Heading 4": _StyleSpec(HEADING_FONTS[4], LATIN_FONT, BODY_PT, outline=3),
    _ATTACHMENT: _StyleSpec(
        ATTACHMENT_LABEL_FONT, ATTACHMENT_LABEL_FONT, BODY_PT, justify="left", indent=False
    ),
    _CELL: _StyleSpec(BODY_FONT, LATIN_FONT, CELL_PT, justify="left", indent=False, exact=False),
    _FOOTER: _StyleSpec(PAGE_NUMBER_FONT, PAGE_NUMBER_FONT, PAGE_NUMBER_PT, indent=False, exact=False),
}
_HEADING_STYLES = {level: f"Heading {level}" for level in range(1, 5)}


def _twips(mm: float) -> int:
    return round(mm * _TWIPS_PER_MM)


# --- styles, sections, footers: python-docx's API where it has one ---------------------------


def _set_fonts(rpr: object, east_asia: str, latin: str) -> None:
    """Put the fonts on every slot of an ``w:rPr`` (East Asian included), dropping theme fonts."""
    from docx.oxml.ns import qn

    rfonts = rpr.get_or_add_rFonts()  # type: ignore[attr-defined]
    for attribute in list(rfonts.attrib):
        del rfonts.attrib[attribute]
    for slot, name in (("ascii", latin), ("hAnsi", latin), ("eastAsia", east_asia), ("cs", latin)):
        rfonts.set(qn(f"w:{slot}"), name)
    # quotation marks and dashes are shared by both scripts: draw them with the Chinese font
    rfonts.set(qn("w:hint"), "eastAsia")


def _style(document: DocxDocument, name: str) -> ParagraphStyle:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.styles.style import ParagraphStyle

    styles = document.styles
    if name in styles:
        style = styles[name]
    else:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[_BODY]
        style.quick_style = True
    if not isinstance(style, ParagraphStyle):
        raise TypeError(f"{name} is not a paragraph style")
    return style


def _configure_styles(document: DocxDocument) -> dict[str, str]:
    """Set every style the writer uses; their style ids by name."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    aligns = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "both": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }
    _configure_defaults(document)
    ids = {}
    for name, spec in _STYLES.items():
        style = _style(document, name)
        element = style.element
        # start from nothing: the template's theme fonts, colours and spacing are not 公文
        for old in (element.pPr, element.rPr):
            if old is not None:
                element.remove(old)
        font = style.font
        font.size = Pt(spec.size)
        font.bold = spec.bold
        font.italic = False
        font.color.rgb = RGBColor(0, 0, 0)
        _set_fonts(element.get_or_add_rPr(), spec.east_asia, spec.latin)
        paragraph = style.paragraph_format
        paragraph.alignment = aligns[spec.justify]
        paragraph.space_before = Pt(0)
        paragraph.space_after = Pt(0)
        if spec.exact:
            paragraph.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            paragraph.line_spacing = Pt(LINE_PITCH_PT)
        else:
            paragraph.line_spacing_rule = WD_LINE_SPACING.SINGLE
        paragraph.first_line_indent = Pt(FIRST_LINE_INDENT_PT if spec.indent else 0)
        if spec.indent:
            # in characters as well, so the indent follows the font size where Word reads it
            element.pPr.get_or_add_ind().set(qn("w:firstLineChars"), "200")
        if spec.outline is not None:
            paragraph.keep_with_next = True
            level = OxmlElement("w:outlineLvl")
            level.set(qn("w:val"), str(spec.outline))
            element.pPr.append(level)
        ids[name] = style.style_id
    return ids


def _configure_defaults(document: DocxDocument) -> None:
    """Document defaults: Chinese language, body fonts, no spacing after paragraphs."""
    from docx.oxml.ns import qn

    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        return
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if rpr is not None:
        _set_fonts(rpr, BODY_FONT, LATIN_FONT)
        lang = rpr.find(qn("w:lang"))
        if lang is not None:
            lang.set(qn("w:val"), "en-US")
            lang.set(qn("w:eastAsia"), "zh-CN")
    spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
    if spacing is not None:
        for attribute in list(spacing.attrib):
            del spacing.attrib[attribute]
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), "240")
        spacing.set(qn("w:lineRule"), "auto")
    theme_lang = document.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")


def _set_page(section: DocxSection, *, landscape: bool) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    width, height = PAGE_MM
    margins = LANDSCAPE_MARGINS_MM if landscape else MARGINS_MM
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width = Mm(height if landscape else width)
    section.page_height = Mm(width if landscape else height)
    section.top_margin = Mm(margins["top"])
    section.bottom_margin = Mm(margins["bottom"])
    section.left_margin = Mm(margins["left"])
    section.right_margin = Mm(margins["right"])
    section.header_distance = Mm(15)
    # the page number sits about 7 mm below the text block
    section.footer_distance = Mm(margins["bottom"] - 12)
    section.gutter = Mm(0)


def _page_number(paragraph: object, *, odd: bool) -> None:
    """Fill a footer paragraph with "— N —": odd pages right, even pages left, one character in."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt
    from docx.text.paragraph import Paragraph as DocxParagraph

    assert isinstance(paragraph, DocxParagraph)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    indent = paragraph.paragraph_format
    if odd:
        indent.right_indent = Pt(PAGE_NUMBER_PT)
    else:
        indent.left_indent = Pt(PAGE_NUMBER_PT)
    paragraph.add_run("— ")
    for kind, instruction in (("begin", None), (None, " PAGE "), ("separate", None)):
        run = paragraph.add_run()
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        else:
            text = OxmlElement("w:instrText")
            text.set(qn("xml:space"), "preserve")
            text.text = instruction
            run._r.append(text)
    paragraph.add_run("1")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)
    paragraph.add_run(" —")


def _set_footers(document: DocxDocument, section: DocxSection) -> None:
    section.different_first_page_header_footer = False
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], odd=True)
    _page_number(section.even_page_footer.paragraphs[0], odd=False)


def _set_properties(document: DocxDocument, title: str, timestamp: dt.datetime) -> None:
    properties = document.core_properties
    properties.title = title
    properties.subject = "项目支出绩效自评报告"
    properties.author = ""
    properties.last_modified_by = "jixiao"
    properties.comments = ""
    properties.keywords = ""
    properties.category = ""
    properties.revision = 1
    properties.created = timestamp
    properties.modified = timestamp


# --- the body as WordprocessingML --------------------------------------------------------------


class _Body:
    """One segment of the body (the report, or one attachment) as WordprocessingML text."""

    def __init__(self, style_ids: dict[str, str]) -> None:
        self.ids = style_ids
        self.out: list[str] = []

    def paragraph(self, style: str, runs: str) -> None:
        """A paragraph of ``style`` holding ``runs`` (XML of ``w:r`` elements)."""
        self.out.append(f'<w:p><w:pPr><w:pStyle w:val="{self.ids[style]}"/></w:pPr>{runs}</w:p>')

    def text(self, style: str, text: str) -> None:
        """A paragraph of plain text."""
        self.paragraph(style, _run(text))

    def spans(self, spans: Iterable[Span]) -> None:
        """A body paragraph of spans, bold where a span is strong."""
        self.paragraph(_BODY, "".join(_run(span.text, bold=span.strong) for span in spans))


def _run(text: str, *, bold: bool = False) -> str:
    """A ``w:r`` of ``text``: line breaks as ``w:br``, tabs as ``w:tab``, XML-invalid characters dropped."""
    text = xml_text(text)
    properties = "<w:rPr><w:b/><w:bCs/></w:rPr>" if bold else ""
    if "\n" not in text and "\t" not in text:
        return f'<w:r>{properties}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>' if text else ""
    pieces = []
    for number, line in enumerate(text.split("\n")):
        if number:
            pieces.append("<w:br/>")
        for index, chunk in enumerate(line.split("\t")):
            if index:
                pieces.append("<w:tab/>")
            if chunk:
                pieces.append(f'<w:t xml:space="preserve">{escape(chunk)}</w:t>')
    return f"<w:r>{properties}{''.join(pieces)}</w:r>"


_JUSTIFY: dict[Align, _Justify] = {Align.LEFT: "left", Align.CENTER: "center", Align.RIGHT: "right"}


@dataclass(frozen=True)
class _Grid:
    """A table to write: cells with their alignment, merged regions, column widths, header rows."""

    rows: Sequence[Sequence[GridCell]]
    merges: Sequence[Merge]
    widths: Sequence[int]  # twips
    header_rows: int = 0


def _table(body: _Body, grid: _Grid) -> None:
    """A bordered Word table with merged cells (``w:gridSpan`` across, ``w:vMerge`` down)."""
    widths = grid.widths
    opening = [
        f'<w:tc><w:tcPr>{_span(1, widths, c)}<w:vAlign w:val="center"/></w:tcPr>' for c in range(len(widths))
    ]
    # the cells merges change, by row and column: a region's top-left cell opens with its span;
    # below it, its first column continues it (w:vMerge) and holds no text; the rest is covered
    # by a w:gridSpan and not written at all (None)
    merged: dict[int, dict[int, tuple[str, bool] | None]] = {}
    for merge in grid.merges:
        span = _span(merge.columns, widths, merge.column)
        restart = '<w:vMerge w:val="restart"/>' if merge.rows > 1 else ""
        for down in range(merge.row, merge.row + merge.rows):
            cells = merged.setdefault(down, {})
            for across in range(merge.column + 1, merge.column + merge.columns):
                cells[across] = None
            if down == merge.row:
                cells[merge.column] = (
                    f'<w:tc><w:tcPr>{span}{restart}<w:vAlign w:val="center"/></w:tcPr>',
                    True,
                )
            else:
                cells[merge.column] = (f"<w:tc><w:tcPr>{span}<w:vMerge/></w:tcPr><w:p/></w:tc>", False)
    out = body.out
    grid_columns = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
    out.append(
        f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        f"<w:tblBorders>{_TABLE_BORDERS}</w:tblBorders>"
        f'<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="{_CELL_MARGIN}" w:type="dxa"/>'
        f'<w:right w:w="{_CELL_MARGIN}" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        f"<w:tblGrid>{grid_columns}</w:tblGrid>"
    )
    style = body.ids[_CELL]
    paragraphs = {
        align: f'<w:p><w:pPr><w:pStyle w:val="{style}"/><w:jc w:val="{justify}"/></w:pPr>'
        for align, justify in _JUSTIFY.items()
    }
    for row_index, row in enumerate(grid.rows):
        out.append("<w:tr><w:trPr><w:tblHeader/></w:trPr>" if row_index < grid.header_rows else "<w:tr>")
        changed = merged.get(row_index)
        for column, cell in enumerate(row):
            start, holds_text = opening[column], True
            if changed and column in changed:
                special = changed[column]
                if special is None:
                    continue
                start, holds_text = special
            if holds_text:
                out.append(f"{start}{paragraphs[cell.align]}{_run(cell.text)}</w:p></w:tc>")
            else:
                out.append(start)
        out.append("</w:tr>")
    out.append("</w:tbl>")


def _span(columns: int, widths: Sequence[int], column: int) -> str:
    """A cell's width (``w:tcW``) and, when it spans columns, its ``w:gridSpan``."""
    width = sum(widths[column : column + columns])
    gridspan = f'<w:gridSpan w:val="{columns}"/>' if columns > 1 else ""
    return f'<w:tcW w:w="{width}" w:type="dxa"/>{gridspan}'


def _display_width(text: str) -> int:
    """Columns a line takes: two for a wide (Chinese) character, one otherwise."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _column_widths(table: Table, total: int) -> list[int]:
    """Column widths in twips summing to ``total``: each column's longest line where they fit.

    Where they do not, a column keeps at least its header's first four characters and its
    longest figure (numbers never wrap), and the text columns share the rest by their length.
    """
    unit = round(CELL_PT / 2 * 20)  # twips per half-width character of a cell
    padding = 2 * _CELL_MARGIN + unit
    naturals: list[int] = []
    minimums: list[int] = []
    for column, header in enumerate(table.header):
        cells = [row[column] for row in table.rows if column < len(row)]
        lines = [line for cell in cells for line in cell_text(cell).split("\n")]
        longest = max((_display_width(line) for line in [*header.split("\n"), *lines]), default=0)
        figures = max((_display_width(cell.text) for cell in cells if isinstance(cell, Figure)), default=0)
        naturals.append(longest * unit + padding)
        minimums.append(min(longest, max(figures, min(_display_width(header), 8))) * unit + padding)
    wants = [natural - minimum for natural, minimum in zip(naturals, minimums, strict=True)]
    spare = total - sum(minimums)
    if sum(naturals) > total and spare > 0:
        widths = [
            minimum + int(spare * want / sum(wants)) for minimum, want in zip(minimums, wants, strict=True)
        ]
    else:  # everything fits (spread the room), or not even the minimums do (shrink them alike)
        basis = naturals if sum(naturals) <= total else minimums
        widths = [int(width * total / sum(basis)) for width in basis]
    widths[-1] += total - sum(widths)
    return widths


def _document_table(body: _Body, table: Table, total: int) -> None:
    """A table of the document: the header row (repeated on every page), then the body rows."""
    columns = len(table.header)
    if not columns:
        return
    align = table.align or (Align.LEFT,) * columns
    rows: list[list[GridCell]] = [[GridCell(text, label=True) for text in table.header]]
    for row in table.rows:
        cells = list(row[:columns]) + [""] * (columns - len(row))
        rows.append(
            [
                GridCell(cell) if isinstance(cell, Figure) or align[index] is not Align.CENTER
                else GridCell(cell, label=True)
                for index, cell in enumerate(cells)
            ]
        )  # fmt: skip
    merges = [Merge(m.row + 1, m.column, m.rows, m.columns) for m in table.merges]
    _table(body, _Grid(rows, merges, _column_widths(table, total), header_rows=1))


def _text_width(*, landscape: bool) -> int:
    width, height = PAGE_MM
    margins = LANDSCAPE_MARGINS_MM if landscape else MARGINS_MM
    return _twips((height if landscape else width) - margins["left"] - margins["right"])


def _blocks(body: _Body, blocks: Iterable[DocBlock], *, landscape: bool = False) -> None:
    for block in blocks:
        if isinstance(block, Paragraph):
            body.spans(block.spans)
        elif isinstance(block, Heading):
            level = min(max(block.level, 1), 4)
            body.text(_HEADING_STYLES[level], block.full_text)
        elif isinstance(block, BulletList):
            for item in block.items:
                body.spans(item)
        elif isinstance(block, Table):
            _document_table(body, block, _text_width(landscape=landscape))
        elif isinstance(block, Title):
            body.text(_TITLE, block.text)
            for fact in block.facts:
                body.text(_FACTS, fact)
            body.text(_BODY, "")  # one blank line before the body
        else:  # an Attachment inside a run of blocks: its heading lines
            _attachment_heading(body, block)


def _attachment_heading(body: _Body, attachment: Attachment) -> None:
    body.text(_ATTACHMENT, attachment.label)
    body.text(_TITLE, attachment.title)
    if attachment.note:
        body.text(_FACTS, attachment.note)


def _form(body: _Body, grid: FormGrid) -> None:
    """附件1: its label, the form's title and year, then the grid as one table."""
    body.text(_ATTACHMENT, grid.label)
    body.text(_TITLE, grid.title)
    if grid.note:
        body.text(_FACTS, grid.note)
    total = _text_width(landscape=True)
    scale = total / sum(grid.widths_mm)
    widths = [int(mm * scale) for mm in grid.widths_mm]
    widths[-1] += total - sum(widths)
    _table(body, _Grid(grid.rows, grid.merges, widths))


def _segments(parts: Sequence[DocPart]) -> Iterator[list[DocBlock]]:
    """The blocks split before every ``Attachment``: the report, then each attachment."""
    current: list[DocBlock] = []
    for part in parts:
        for block in part.blocks:
            if isinstance(block, Attachment) and current:
                yield current
                current = []
            current.append(block)
    if current:
        yield current


_MARKER = "jixiao-body-segment-{}"
_DOCUMENT_XML = "word/document.xml"


def _with_segments(document_xml: bytes, segments: Sequence[str]) -> bytes:
    """``word/document.xml`` with each marker paragraph replaced by its segment's XML."""
    text = document_xml.decode("utf-8")
    position = 0
    for number, segment in enumerate(segments):
        # searched after the segments already in: a user's text may spell a later marker
        marker = text.index(_MARKER.format(number), position)
        start = text.rindex("<w:p>", position, marker)
        end = text.index("</w:p>", marker) + len("</w:p>")
        text = text[:start] + segment + text[end:]
        position = start + len(segment)
    return text.encode("utf-8")


def report_docx(parts: Sequence[DocPart], *, timestamp: dt.datetime | None = None) -> bytes:
    """The report (``report.render.document_parts``) as the bytes of a .docx in the 公文 layout.

    Each ``Attachment`` starts a new section on a new page; the 自评表's blocks become the
    national form (``report.form_layout.form_grid``) as one table on landscape pages. The core
    properties carry ``timestamp`` (``DEFAULT_TIMESTAMP`` when None) and the zip fixed dates, so
    the same parts give the same bytes.
    """
    from docx import Document
    from docx.enum.section import WD_SECTION

    document = Document()
    style_ids = _configure_styles(document)
    first = document.sections[0]
    _set_page(first, landscape=False)
    _set_footers(document, first)
    title = next((b.text for part in parts for b in part.blocks if isinstance(b, Title)), "")
    _set_properties(document, xml_text(title), timestamp or DEFAULT_TIMESTAMP)
    # the template's body is one empty paragraph: drop it, so the title is the first line
    for paragraph in document.element.body.findall(f"{{{_W_NS}}}p"):
        document.element.body.remove(paragraph)

    # python-docx sets up the sections; each segment's content goes in as XML text in place of a
    # marker paragraph when the package is rewritten (moving a parsed 2,000-row table into the
    # document through lxml takes tens of seconds)
    segments: list[str] = []
    for number, segment in enumerate(_segments(parts)):
        body = _Body(style_ids)
        if number and isinstance(segment[0], Attachment):
            grid = form_grid(segment) if is_score_sheet(segment) else None
            landscape = grid is not None and len(grid.widths_mm) > PORTRAIT_MAX_COLUMNS
            _set_page(document.add_section(WD_SECTION.NEW_PAGE), landscape=landscape)
            if grid is not None:
                _form(body, grid)
            else:
                _blocks(body, segment)
        else:
            _blocks(body, segment)
        document.add_paragraph(_MARKER.format(number))
        segments.append("".join(body.out))

    out = io.BytesIO()
    document.save(out)
    package = out.getvalue()
    with zipfile.ZipFile(io.BytesIO(package)) as written:
        document_xml = written.read(_DOCUMENT_XML)
    return stable_zip(package, {_DOCUMENT_XML: _with_segments(document_xml, segments)})
