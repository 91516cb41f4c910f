"""The Excel writer: the 附件1 自评表 as a sheet in the national layout, and the findings beside it.

``score_sheet_xlsx(parts, findings)`` returns the bytes of an .xlsx with two sheets:

- ``自评表``: the form's title and year, then the grid of ``report.form_layout.form_grid`` — the
  same merged cells as the Word table and the paper form. Numbers are stored as numbers
  (a ``Decimal`` becomes an int where whole, else a float, only at the cell) with a display
  format: money and scores ``0.00``, rates ``0.00%`` over the stored fraction, weights General.
  Borders, wrapped text, column widths for Chinese, row heights for the longest text, print
  area, landscape A4 fitted to one page wide, "— N —" in the footer.
- ``检查结果``: one row per finding (严重程度, 代码, 位置, 问题, 建议) under a frozen header row
  with an autofilter, so a reviewer can show only the errors, or one code.

openpyxl is imported inside ``score_sheet_xlsx`` only: importing this module costs nothing. Text
is stripped of what XML cannot carry, a text starting with ``=`` stays text (never a formula),
and a text longer than a cell holds is cut with ``…``. The core properties carry a fixed time
and the zip fixed dates, so the same report always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from report.checks.findings import Finding, Severity
from report.document import DocBlock, DocPart, Figure, FigureKind
from report.form_layout import COLUMNS, FormGrid, form_grid, is_score_sheet
from report.writers.docx import LANDSCAPE_MARGINS_MM
from report.writers.ooxml import DEFAULT_TIMESTAMP, stable_zip, xml_text

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook  # type: ignore[import-untyped]
    from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]

__all__ = [
    "FINDINGS_HEADER",
    "FINDINGS_SHEET",
    "FORM_SHEET",
    "NUMBER_FORMATS",
    "SEVERITY_NAMES",
    "excel_number",
    "score_sheet_xlsx",
]

FORM_SHEET = "自评表"
FINDINGS_SHEET = "检查结果"
FINDINGS_HEADER = ("严重程度", "代码", "位置", "问题", "建议")
SEVERITY_NAMES = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}
"""Each severity as the findings sheet names it."""

NUMBER_FORMATS = {
    FigureKind.MONEY: "0.00",
    FigureKind.RATE: "0.00%",
    FigureKind.SCORE: "0.00",
    FigureKind.WEIGHT: "General",
}
"""The display format of each kind of figure."""

CELL_FONT = "宋体"
CELL_PT = 11
TITLE_FONT = "方正小标宋简体"
TITLE_PT = 18
MAX_CELL_CHARACTERS = 32_767
"""What Excel holds in one cell; longer text is cut."""

_FIRST_GRID_ROW = 4  # after the title, the year and one empty row
_LINE_PT = 14.25  # a line of 11 pt text
_WIDTH_PER_MM = 0.54  # Excel column width units (digits of the default font) per millimetre
_FINDINGS_WIDTHS = (10, 28, 26, 60, 60)
_SHEET_XML = "xl/worksheets/sheet{}.xml"
_SHEET_DATA_RE = re.compile(r"<sheetData\s*/>|<sheetData>.*?</sheetData>", re.DOTALL)
_DIMENSION_RE = re.compile(r"<dimension [^>]*/>")


def excel_number(value: Decimal) -> int | float:
    """A figure's value as a spreadsheet stores it: an int where whole, else the nearest float."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _cell_text(text: str) -> str:
    text = xml_text(text)
    if len(text) > MAX_CELL_CHARACTERS:
        text = text[: MAX_CELL_CHARACTERS - 1] + "…"
    return text


_STYLE_NAMES = {
    "label": "自评表标签",
    "text": "自评表文字",
    FigureKind.MONEY.value: "自评表金额",
    FigureKind.RATE.value: "自评表比率",
    FigureKind.SCORE.value: "自评表得分",
    FigureKind.WEIGHT.value: "自评表分值",
    "title": "自评表标题",
    "note": "自评表年度",
    "head": "检查结果表头",
    "finding": "检查结果",
}
"""Each style the writer uses, by key, with the name Excel lists it under."""


def _styles(book: Workbook) -> dict[str, int]:
    """Register the named styles; each one's cell format index (``s=`` of a cell) by key."""
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side  # type: ignore[import-untyped]

    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    font = Font(name=CELL_FONT, size=CELL_PT, color="000000")
    boxed: list[tuple[str, str, str, bool]] = [
        ("label", "center", "General", True),
        ("text", "left", "General", True),
        *((kind.value, "right", NUMBER_FORMATS[kind], False) for kind in FigureKind),
    ]
    styles = []
    for key, horizontal, number_format, wrap in boxed:
        style = NamedStyle(name=_STYLE_NAMES[key], font=font, border=border, number_format=number_format)
        style.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=wrap)
        styles.append((key, style))
    for key, name, size in (("title", TITLE_FONT, TITLE_PT), ("note", CELL_FONT, CELL_PT + 1)):
        style = NamedStyle(name=_STYLE_NAMES[key], font=Font(name=name, size=size, color="000000"))
        style.alignment = Alignment(horizontal="center", vertical="center")
        styles.append((key, style))
    head = NamedStyle(name=_STYLE_NAMES["head"], font=Font(name=CELL_FONT, size=CELL_PT, bold=True))
    head.fill = PatternFill("solid", fgColor="D9D9D9")
    head.alignment = Alignment(horizontal="center", vertical="center")
    finding = NamedStyle(name=_STYLE_NAMES["finding"], font=font)
    finding.alignment = Alignment(vertical="top", wrap_text=True)
    styles += [("head", head), ("finding", finding)]
    # each style's format index, read off a cell of a scratch sheet that is then removed
    scratch = book.create_sheet()
    indexes = {}
    for number, (key, style) in enumerate(styles, start=1):
        book.add_named_style(style)
        cell = scratch.cell(row=number, column=1)
        cell.style = style.name
        indexes[key] = cell.style_id
    book.remove(scratch)
    return indexes


def _lines(text: str, width: float) -> int:
    """About how many lines ``text`` wraps to in a cell ``width`` units wide.

    A Chinese character takes two units. Counted from the UTF-8 length (a Chinese character is
    three bytes, ASCII one): exact enough for a row height, and fast for 18,000 cells.
    """
    room = max(width, 2)
    count = 0
    for line in text.split("\n"):
        units = len(line) + (len(line.encode("utf-8", "surrogatepass")) - len(line)) // 2
        count += max(1, math.ceil(units / room))
    return count


_LETTERS = [""] + [chr(ord("A") + n) for n in range(26)]


class _SheetData:
    """A sheet's rows written as SpreadsheetML (``<sheetData>``), put in place of openpyxl's.

    openpyxl takes ~60 µs to style a cell and as long again to write it: 2.5 s for the 18,000
    cells of a 2,000-row form. Written here, the same cells take ~50 ms; openpyxl still writes
    everything around them (styles, merges, print settings, filter, frozen panes).
    """

    def __init__(self, styles: dict[str, int]) -> None:
        self.styles = styles
        self.out: list[str] = []
        self.last_row = 0
        self.last_column = 0

    def row(
        self, number: int, cells: Sequence[tuple[str | int | float | None, str]], height: float = 0
    ) -> None:
        """Row ``number``: (value, style key) per column from A; a positive ``height`` in points."""
        size = f' ht="{height:.2f}" customHeight="1"' if height > 0 else ""
        pieces = [f'<row r="{number}"{size}>']
        for column, (value, key) in enumerate(cells, start=1):
            ref = f"{_LETTERS[column]}{number}"
            style = self.styles[key]
            if value is None or value == "":
                pieces.append(f'<c r="{ref}" s="{style}"/>')
            elif isinstance(value, str):
                # an inline string is text, never a formula, whatever it starts with
                pieces.append(
                    f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">'
                    f"{escape(_cell_text(value))}</t></is></c>"
                )
            else:
                pieces.append(f'<c r="{ref}" s="{style}"><v>{value!r}</v></c>')
        pieces.append("</row>")
        self.out.append("".join(pieces))
        self.last_row = max(self.last_row, number)
        self.last_column = max(self.last_column, len(cells))

    def put_into(self, sheet_xml: bytes) -> bytes:
        """``sheet_xml`` (as openpyxl wrote it) with these rows as its data and its dimension."""
        text = sheet_xml.decode("utf-8")
        data = f"<sheetData>{''.join(self.out)}</sheetData>"
        text = _SHEET_DATA_RE.sub(lambda _: data, text, count=1)
        if self.last_row:
            dimension = f'<dimension ref="A1:{_LETTERS[self.last_column]}{self.last_row}"/>'
            text = _DIMENSION_RE.sub(lambda _: dimension, text, count=1)
        return text.encode("utf-8")


def _form_sheet(sheet: Worksheet, grid: FormGrid, data: _SheetData) -> None:
    from openpyxl.worksheet.merge import MergedCellRange  # type: ignore[import-untyped]

    widths = [round(mm * _WIDTH_PER_MM, 1) for mm in grid.widths_mm]
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[_LETTERS[column]].width = width
    last_column = _LETTERS[COLUMNS]
    data.row(1, [(grid.title, "title")], TITLE_PT * 1.6)
    data.row(2, [(grid.note, "note")])
    ranges = [f"A1:{last_column}1", f"A2:{last_column}2"]

    merge_at = grid.merge_at
    for row_index, cells in enumerate(grid.rows):
        lines = 1
        values: list[tuple[str | int | float | None, str]] = []
        for column, cell in enumerate(cells):
            # a covered cell is written too, empty with the borders: its edges are the region's
            value = cell.value
            if isinstance(value, Figure):
                values.append((excel_number(value.value), value.kind.value))
                continue
            values.append((value, "label" if cell.label else "text"))
            merge = merge_at.get((row_index, column))
            if value and (merge is None or merge.rows == 1):
                span = merge.columns if merge else 1
                lines = max(lines, _lines(value, sum(widths[column : column + span])))
        data.row(_FIRST_GRID_ROW + row_index, values, lines * _LINE_PT + 4 if lines > 1 else 0)
    for merge in grid.merges:
        first = _FIRST_GRID_ROW + merge.row
        ranges.append(
            f"{_LETTERS[merge.column + 1]}{first}:"
            f"{_LETTERS[merge.column + merge.columns]}{first + merge.rows - 1}"
        )
    for ref in ranges:
        # ranges only: Worksheet.merge_cells re-borders every covered cell, 6 s at 2,000 rows
        sheet.merged_cells.add(MergedCellRange(sheet, ref))
    last_row = _FIRST_GRID_ROW + len(grid.rows) - 1
    sheet.print_area = f"A1:{last_column}{last_row}"
    # the 绩效指标 header repeats on every printed page of a long indicator list
    header = _FIRST_GRID_ROW + grid.indicator_header
    sheet.print_title_rows = f"{header}:{header}"
    _page_setup(sheet)


def _page_setup(sheet: Worksheet) -> None:
    """Landscape A4, one page wide and as many long as it takes, "— N —" in the footer."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    margins = sheet.page_margins
    margins.top = LANDSCAPE_MARGINS_MM["top"] / 25.4
    margins.bottom = LANDSCAPE_MARGINS_MM["bottom"] / 25.4
    margins.left = LANDSCAPE_MARGINS_MM["left"] / 25.4
    margins.right = LANDSCAPE_MARGINS_MM["right"] / 25.4
    margins.footer = (LANDSCAPE_MARGINS_MM["bottom"] - 12) / 25.4
    sheet.oddFooter.center.text = "— &P —"


def _findings_sheet(sheet: Worksheet, findings: Sequence[Finding], data: _SheetData) -> None:
    for column, width in enumerate(_FINDINGS_WIDTHS, start=1):
        sheet.column_dimensions[_LETTERS[column]].width = width
    data.row(1, [(name, "head") for name in FINDINGS_HEADER])
    for row, finding in enumerate(findings, start=2):
        values = (
            SEVERITY_NAMES.get(finding.severity, str(finding.severity)),
            finding.code,
            finding.where.describe(),
            finding.message,
            finding.hint,
        )
        lines = max(_lines(value, width) for value, width in zip(values, _FINDINGS_WIDTHS, strict=True))
        data.row(row, [(value, "finding") for value in values], lines * _LINE_PT + 2 if lines > 1 else 0)
    last = _LETTERS[len(FINDINGS_HEADER)]
    sheet.auto_filter.ref = f"A1:{last}{len(findings) + 1}"
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    _page_setup(sheet)


def _sheet_blocks(source: Sequence[DocPart] | Sequence[DocBlock]) -> Sequence[DocBlock]:
    """The 自评表's blocks: ``source`` itself, or the part of ``source`` (the whole document) holding them."""
    parts = [item for item in source if isinstance(item, DocPart)]
    if not parts:
        return [item for item in source if not isinstance(item, DocPart)]
    for part in parts:
        if is_score_sheet(part.blocks):
            return part.blocks
    raise ValueError("the document has no score sheet (附件1 项目支出绩效自评表)")


def score_sheet_xlsx(
    source: Sequence[DocPart] | Sequence[DocBlock],
    findings: Sequence[Finding],
    *,
    timestamp: dt.datetime | None = None,
) -> bytes:
    """The 自评表 and the check findings as the bytes of an .xlsx (sheets ``自评表`` and ``检查结果``).

    ``source`` is the whole document (``report.render.document_parts``) or the score sheet's
    blocks (``report.render.score_sheet_blocks``); ``findings`` are
    ``report.checks.check_report(report, outline)``. The properties carry ``timestamp``
    (``DEFAULT_TIMESTAMP`` when None). Raises ``ValueError`` when ``source`` holds no score sheet.
    """
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.writer.excel import ExcelWriter  # type: ignore[import-untyped]

    grid = form_grid(_sheet_blocks(source))
    book = Workbook()
    styles = _styles(book)
    form = book.active
    if form is None:  # a new workbook always has its first sheet
        form = book.create_sheet()
    form.title = FORM_SHEET
    form_data, findings_data = _SheetData(styles), _SheetData(styles)
    _form_sheet(form, grid, form_data)
    _findings_sheet(book.create_sheet(FINDINGS_SHEET), findings, findings_data)

    moment = (timestamp or DEFAULT_TIMESTAMP).astimezone(dt.UTC).replace(tzinfo=None)
    properties = book.properties
    properties.creator = "jixiao"
    properties.lastModifiedBy = "jixiao"
    properties.title = _cell_text(grid.title)
    properties.created = moment
    properties.modified = moment
    out = io.BytesIO()
    # ExcelWriter rather than Workbook.save, which stamps the current time as "modified";
    # stored, not compressed: stable_zip compresses once while fixing the dates
    archive: Any = zipfile.ZipFile(out, "w", zipfile.ZIP_STORED)
    ExcelWriter(book, archive).save()
    package = out.getvalue()
    with zipfile.ZipFile(io.BytesIO(package)) as written:
        sheets = [written.read(_SHEET_XML.format(number)) for number in (1, 2)]
    return stable_zip(
        package,
        {
            _SHEET_XML.format(1): form_data.put_into(sheets[0]),
            _SHEET_XML.format(2): findings_data.put_into(sheets[1]),
        },
    )
