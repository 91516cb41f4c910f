"""The Word export, opened with python-docx: what a reviewer checks against the 公文 layout (RULES.md §8)."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree

from benchmarks.synthetic import SIZES, synthetic_report
from prompts.templates import load_template
from report.demo import build_demo_report
from report.document import Heading, Title
from report.model import Report
from report.render import document_parts
from report.writers.docx import report_docx

Document = Any  # python-docx's Document object


def _export(report: Report, template: str = "eight_part") -> bytes:
    return report_docx(document_parts(report, load_template(template).outline))


def _open(data: bytes) -> Document:
    return docx.Document(io.BytesIO(data))


@pytest.fixture(scope="module")
def demo_bytes() -> bytes:
    return _export(build_demo_report())


@pytest.fixture(scope="module")
def demo(demo_bytes: bytes) -> Document:
    return _open(demo_bytes)


def _styles(paragraph: Any) -> Iterator[Any]:
    style = paragraph.style
    while style is not None:
        yield style
        style = style.base_style


def _font_slot(paragraph: Any, slot: str) -> str | None:
    """The font a paragraph's text is drawn in on ``slot`` (eastAsia, ascii): its style's, or a base style's."""
    for run in paragraph.runs:
        assert run.font.name is None  # no direct formatting hides the style
    for style in _styles(paragraph):
        rpr = style.element.rPr
        fonts = None if rpr is None else rpr.rFonts
        if fonts is not None and fonts.get(qn(f"w:{slot}")):
            return str(fonts.get(qn(f"w:{slot}")))
    return None


def _size(paragraph: Any) -> Any:
    return next(style.font.size for style in _styles(paragraph) if style.font.size is not None)


def _format(paragraph: Any, name: str) -> Any:
    """A paragraph property (alignment, first_line_indent …): set on the paragraph, else by its styles."""
    value = getattr(paragraph.paragraph_format, name)
    if value is not None:
        return value
    return next(
        (
            getattr(s.paragraph_format, name)
            for s in _styles(paragraph)
            if getattr(s.paragraph_format, name) is not None
        ),
        None,
    )


def _paragraph(document: Document, text: str) -> Any:
    return next(p for p in document.paragraphs if p.text == text)


def test_page_is_a4_with_the_gbt_9704_margins(demo: Document) -> None:
    section = demo.sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(margin.mm) for margin in margins] == [37, 35, 28, 26]


def test_title_in_xiaobiaosong_22pt_centred_with_the_facts_and_a_blank_line(demo: Document) -> None:
    paragraphs = demo.paragraphs
    title = paragraphs[0]
    assert title.text == "2020年度青岚街道工作经费项目支出绩效自评报告"
    assert _font_slot(title, "eastAsia") == "方正小标宋简体"
    assert _size(title) == Pt(22)
    assert _format(title, "alignment") == WD_ALIGN_PARAGRAPH.CENTER
    facts = paragraphs[1:4]
    assert [p.text for p in facts] == [
        "实施单位：云溪区青岚街道办事处",
        "主管部门：云溪区人民政府",
        "评价年度：2020年",
    ]
    assert all(_font_slot(p, "eastAsia") == "仿宋_GB2312" and _size(p) == Pt(16) for p in facts)
    assert all(_format(p, "alignment") == WD_ALIGN_PARAGRAPH.CENTER for p in facts)
    assert paragraphs[4].text == "" and paragraphs[5].text == "一、基本情况"


@pytest.mark.parametrize(
    ("text", "font", "bold"),
    [
        ("一、基本情况", "黑体", False),
        ("（一）项目概况", "楷体_GB2312", False),
        ("1.项目绩效总目标", "仿宋_GB2312", True),
        ("（1）项目成本（预算）控制情况", "仿宋_GB2312", False),
    ],
)
def test_headings_by_level_in_their_fonts_16pt_indented_like_the_body(
    demo: Document, text: str, font: str, bold: bool
) -> None:
    heading = _paragraph(demo, text)
    assert _font_slot(heading, "eastAsia") == font
    assert _size(heading) == Pt(16)
    assert bool(next(s.font.bold for s in _styles(heading) if s.font.bold is not None)) is bold
    assert _format(heading, "first_line_indent") == Pt(32)
    assert _format(heading, "space_before") == Pt(0) and _format(heading, "space_after") == Pt(0)
    assert _format(heading, "line_spacing") == Pt(28.9)


def test_body_in_fangsong_16pt_exact_22_lines_a_page_indented_two_characters_justified(
    demo: Document,
) -> None:
    body = next(p for p in demo.paragraphs if p.text.startswith("青岚街道工作经费是区财政"))
    assert _font_slot(body, "eastAsia") == "仿宋_GB2312"
    assert _font_slot(body, "ascii") == "Times New Roman"  # digits and Latin letters
    assert _size(body) == Pt(16)
    assert _format(body, "line_spacing_rule") == WD_LINE_SPACING.EXACTLY
    line = _format(body, "line_spacing")
    assert line == Pt(28.9)
    section = demo.sections[0]
    text_height = section.page_height - section.top_margin - section.bottom_margin
    assert int(text_height / line) == 22
    assert _format(body, "first_line_indent") == Pt(32)
    assert _format(body, "alignment") == WD_ALIGN_PARAGRAPH.JUSTIFY
    color = next(s.font.color.rgb for s in _styles(body) if s.font.color.rgb is not None)
    assert str(color) == "000000"


def test_strong_spans_are_bold_and_list_items_are_body_paragraphs(demo: Document) -> None:
    category = _paragraph(demo, "数量指标")
    assert [run.bold for run in category.runs] == [True]
    item = next(p for p in demo.paragraphs if p.text.startswith("开展干部职工业务培训"))
    assert item.text == "开展干部职工业务培训：年度指标值 ≥800人次，实际完成值 860人次。"
    assert item.style.name == "Normal" and _format(item, "first_line_indent") == Pt(32)


def test_page_numbers_in_the_footer_odd_right_even_left(demo: Document) -> None:
    assert demo.settings.odd_and_even_pages_header_footer
    section = demo.sections[0]
    odd = section.footer.paragraphs[0]
    even = section.even_page_footer.paragraphs[0]
    for paragraph in (odd, even):
        assert paragraph.text == "— 1 —"  # the PAGE field's placeholder between em dashes
        xml = paragraph._p.xml
        assert 'w:fldCharType="begin"' in xml and "PAGE" in xml and 'w:fldCharType="end"' in xml
        assert _font_slot(paragraph, "eastAsia") == "宋体" and _size(paragraph) == Pt(14)
    assert odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT and odd.paragraph_format.right_indent == Pt(14)
    assert even.alignment == WD_ALIGN_PARAGRAPH.LEFT and even.paragraph_format.left_indent == Pt(14)
    assert demo.sections[1].footer.is_linked_to_previous  # the attachment numbers on


def test_budget_table_is_a_bordered_word_table_with_a_repeated_header(demo: Document) -> None:
    table = demo.tables[0]
    header = table.rows[0]
    assert [cell.text for cell in header.cells] == ["序号", "名称", "金额（万元）", "用途"]
    assert header._tr.trPr is not None and header._tr.trPr.find(qn("w:tblHeader")) is not None
    first = table.rows[1].cells
    assert first[2].text == "49.00" and first[2].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert table.rows[-1].cells[0].text == "合计" and table.rows[-1].cells[2].text == "483.30"
    cell = first[1].paragraphs[0]
    assert _font_slot(cell, "eastAsia") == "仿宋_GB2312" and _size(cell) == Pt(12)
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {child.get(qn("w:val")) for child in borders} == {"single"} and len(borders) == 6


def _form(document: Document) -> Any:
    return document.tables[-1]


def test_score_sheet_on_its_own_landscape_section(demo: Document) -> None:
    section = demo.sections[-1]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    assert section.start_type == 2  # WD_SECTION.NEW_PAGE
    texts = [p.text for p in demo.paragraphs]
    label = texts.index("附件1")
    assert texts[label : label + 3] == ["附件1", "项目支出绩效自评表", "（2020年度）"]
    assert _font_slot(demo.paragraphs[label], "eastAsia") == "黑体" and _size(demo.paragraphs[label]) == Pt(
        16
    )
    title = demo.paragraphs[label + 1]
    assert _font_slot(title, "eastAsia") == "方正小标宋简体" and _size(title) == Pt(22)
    assert len(demo.tables) == 2  # the budget lines, then the whole form as ONE table


def _column(table: Any, column: int) -> list[Any]:
    return [row.cells[column] for row in table.rows]


def _span_rows(table: Any, row: int, column: int) -> int:
    """How many rows the cell at (row, column) spans, read as Word reads vertical merges."""
    cells = _column(table, column)
    anchor = cells[row]._tc
    count = 0
    while row + count < len(cells) and cells[row + count]._tc is anchor:
        count += 1
    return count


def test_score_sheet_merged_label_cells(demo: Document) -> None:
    table = _form(demo)
    labels = [cell.text for cell in _column(table, 0)]
    funds = labels.index("项目资金（万元）")
    assert _span_rows(table, funds, 0) == 5
    goals = labels.index("年度总体目标")
    assert _span_rows(table, goals, 0) == 2
    indicators = labels.index("绩效指标")
    assert _span_rows(table, indicators, 0) == 14  # the header row and 13 indicator rows
    assert table.rows[0].cells[1].grid_span == 8  # the project's name across the grid
    level1 = [cell.text for cell in _column(table, 1)]
    output = level1.index("产出指标")
    assert _span_rows(table, output, 1) == 8 and _span_rows(table, level1.index("效益指标"), 1) == 4
    level2 = [cell.text for cell in _column(table, 2)]
    assert _span_rows(table, level2.index("数量指标"), 2) == 4
    assert _span_rows(table, level2.index("质量指标"), 2) == 3
    total = table.rows[-1].cells
    assert total[0].text == "总分" and total[0].grid_span == 6
    assert [total[6].text, total[7].text, total[8].text] == ["100", "97.45", "评价等级：优"]


def test_score_sheet_figures_right_aligned_with_two_decimals_and_rates_with_percent(demo: Document) -> None:
    table = _form(demo)
    row = next(row for row in table.rows if row.cells[1].text == "年度资金总额")
    cells = row.cells
    figures = [cells[column].text for column in range(3, 9)]
    assert figures == ["487.00", "487.00", "483.30", "10", "99.24%", "9.92"]
    assert all(cells[c].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT for c in range(3, 9))
    assert cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER  # a label of the form
    cell = cells[5].paragraphs[0]
    assert _font_slot(cell, "eastAsia") == "仿宋_GB2312" and _size(cell) == Pt(12)


@pytest.mark.parametrize("template", ["eight_part", "seven_part_2020"])
def test_every_heading_of_either_outline_in_order_then_the_form(template: str) -> None:
    report = replace(build_demo_report(), template_id=template)
    parts = document_parts(report, load_template(template).outline)
    expected = [b.full_text for part in parts for b in part.blocks if isinstance(b, Heading)]
    document = _open(report_docx(parts))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == expected and len(expected) > 10
    levels = {p.style.name for p in document.paragraphs if p.style.name.startswith("Heading")}
    assert {"Heading 1", "Heading 2"} <= levels
    assert _form(document).rows[0].cells[0].text == "项目名称"


def test_two_exports_of_one_report_are_the_same_bytes(demo_bytes: bytes) -> None:
    assert _export(build_demo_report()) == demo_bytes
    with zipfile.ZipFile(io.BytesIO(demo_bytes)) as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    properties = _open(demo_bytes).core_properties
    assert properties.title == "2020年度青岚街道工作经费项目支出绩效自评报告"
    assert properties.created.year == 2000 and properties.modified == properties.created


HOSTILE = (
    "控制\x00字符\x01\x0b\x1f <b>&amp; 'quote\" 😀 \ud800 \ufffe =1+1\t制表\r\n换行 jixiao-body-segment-1"
)


def test_hostile_text_gives_a_valid_document_without_the_characters_xml_cannot_carry() -> None:
    demo = build_demo_report()
    long_reason = "偏差原因很长。" * 20_000
    indicators = [
        replace(demo.indicators[0], name=HOSTILE, deviation_reason=long_reason),
        *demo.indicators[1:],
    ]
    report = replace(
        demo,
        title="标题<script>&" + HOSTILE,
        unit_name=HOSTILE,
        overall_goal=HOSTILE,
        indicators=indicators,
        answers={**demo.answers, "overview.background": HOSTILE + "\n第二段😀"},
    )
    document = _open(_export(report))
    texts = [p.text for p in document.paragraphs]
    assert texts[0].startswith("标题<script>&控制字符") and "😀" in texts[0]
    assert not any(ch in text for text in texts for ch in "\x00\x01\x0b\x1f\ufffe")
    assert "第二段😀" in texts
    assert len(document.tables) == 2 and document.sections[-1].orientation == WD_ORIENT.LANDSCAPE
    # text that spells the writer's own placeholder stays text where it was written
    assert texts[0].endswith("jixiao-body-segment-1") and "jixiao-body-segment-1" not in texts
    cells = [cell.text for row in _form(document).rows for cell in row.cells]
    assert long_reason in cells
    assert any(text.startswith("控制字符") and "😀" in text and "=1+1" in text for text in cells)


def test_a_report_without_title_or_indicators_still_exports() -> None:
    report = Report(title="")
    document = _open(_export(report))
    assert document.paragraphs[0].text == "（待填写）"
    assert _form(document).rows[-1].cells[0].text == "总分"


def test_the_200_page_report_exports_every_indicator_row() -> None:
    size = SIZES[2]
    report = synthetic_report(size)
    parts = document_parts(report, load_template("eight_part").outline)
    data = report_docx(parts)
    # read as XML: python-docx walks a vertical merge cell by cell up to its top (quadratic)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    form = root.findall(f".//{qn('w:tbl')}")[-1]
    first_cells = [row.find(qn("w:tc")) for row in form.findall(qn("w:tr"))]
    merges = [cell.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}") for cell in first_cells]
    starts = [
        n for n, merge in enumerate(merges) if merge is not None and merge.get(qn("w:val")) == "restart"
    ]
    label = starts[-1]  # 绩效指标: the last region of the label column
    texts = "".join(first_cells[label].itertext())
    assert texts == "绩效指标"
    continued = 0
    while (
        merges[label + 1 + continued] is not None and merges[label + 1 + continued].get(qn("w:val")) is None
    ):
        continued += 1
    assert continued == size.indicators  # the header row, then every indicator row under one label
    assert len(first_cells) == label + 1 + size.indicators + 1  # and the 总分 row
    document = _open(data)
    prose = sum(len(p.text) for p in document.paragraphs if p.style.name == "Normal")
    assert prose >= size.pages * 1_500
    title = next(b for part in parts for b in part.blocks if isinstance(b, Title))
    assert document.paragraphs[0].text == title.text


def test_importing_the_writers_loads_neither_python_docx_nor_openpyxl() -> None:
    code = (
        "import sys, report.writers.docx, report.writers.xlsx, report.form_layout;"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'docx', 'openpyxl', 'lxml'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
