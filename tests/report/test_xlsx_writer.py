"""The Excel export, opened with openpyxl: the 自评表 as numbers with formats, and a findings sheet to filter."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from typing import Any

import openpyxl
import pytest
from lxml import etree

from benchmarks.synthetic import SIZES, synthetic_report
from prompts.templates import load_template
from report.checks import Finding, Severity, check_report
from report.demo import build_demo_report
from report.model import Report
from report.render import document_parts, score_sheet_blocks
from report.writers.xlsx import FINDINGS_SHEET, FORM_SHEET, MAX_CELL_CHARACTERS, score_sheet_xlsx


def _export(report: Report, template: str = "eight_part") -> bytes:
    outline = load_template(template).outline
    return score_sheet_xlsx(document_parts(report, outline), check_report(report, outline))


def _open(data: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(data))


@pytest.fixture(scope="module")
def demo_bytes() -> bytes:
    return _export(build_demo_report())


@pytest.fixture(scope="module")
def book(demo_bytes: bytes) -> Any:
    return _open(demo_bytes)


def _find(sheet: Any, text: str) -> Any:
    return next(cell for row in sheet.iter_rows() for cell in row if cell.value == text)


def _merged(sheet: Any, cell: Any) -> str:
    """The merged range a cell starts, as ``A6:A10``."""
    return next(
        str(r) for r in sheet.merged_cells.ranges if (r.min_row, r.min_col) == (cell.row, cell.column)
    )


def test_two_sheets_the_form_and_the_findings(book: Any) -> None:
    assert book.sheetnames == [FORM_SHEET, FINDINGS_SHEET] == ["自评表", "检查结果"]
    form = book[FORM_SHEET]
    assert form["A1"].value == "项目支出绩效自评表" and _merged(form, form["A1"]) == "A1:I1"
    assert form["A2"].value == "（2020年度）"


def test_figures_stored_as_numbers_with_display_formats(book: Any) -> None:
    form = book[FORM_SHEET]
    label = _find(form, "年度资金总额")
    row = [form.cell(row=label.row, column=column) for column in range(4, 10)]
    values = [cell.value for cell in row]
    assert values[:5] == [487, 487, 483.3, 10, pytest.approx(0.9924, abs=5e-5)]
    assert values[5] == 9.92
    assert all(isinstance(value, int | float) for value in values)
    assert [cell.number_format for cell in row] == ["0.00", "0.00", "0.00", "General", "0.00%", "0.00"]
    assert all(cell.alignment.horizontal == "right" for cell in row)
    indicator = _find(form, "办理网格化城市管理案件")
    weight, score = (form.cell(row=indicator.row, column=c) for c in (7, 8))
    assert (weight.value, weight.number_format, score.value, score.number_format) == (
        6,
        "General",
        5.83,
        "0.00",
    )
    assert form.cell(row=indicator.row, column=5).value == "≥50000件"  # a target is text as printed
    total = _find(form, "总分")
    assert [form.cell(row=total.row, column=c).value for c in (7, 8, 9)] == [100, 97.45, "评价等级：优"]


def test_merged_cells_as_on_paper(book: Any) -> None:
    form = book[FORM_SHEET]
    funds = _find(form, "项目资金（万元）")
    assert _merged(form, funds) == f"A{funds.row}:A{funds.row + 4}"
    goals = _find(form, "年度总体目标")
    assert _merged(form, goals) == f"A{goals.row}:A{goals.row + 1}"
    assert _merged(form, _find(form, "预期目标")) == f"B{goals.row}:E{goals.row}"
    indicators = _find(form, "绩效指标")
    assert _merged(form, indicators) == f"A{indicators.row}:A{indicators.row + 13}"
    output = _find(form, "产出指标")
    assert _merged(form, output) == f"B{output.row}:B{output.row + 7}"
    assert _merged(form, _find(form, "数量指标")) == f"C{output.row}:C{output.row + 3}"
    assert _merged(form, _find(form, "总分")) == f"A{_find(form, '总分').row}:F{_find(form, '总分').row}"
    assert _merged(form, _find(form, "2020年度青岚街道工作经费项目")) == "B4:I4"


def test_borders_wrap_and_column_widths(book: Any) -> None:
    form = book[FORM_SHEET]
    goal = _find(form, "预期目标")
    text = form.cell(row=goal.row + 1, column=2)
    assert text.value.startswith("保障街道机关") and text.alignment.wrap_text
    assert text.border.left.style == "thin" and text.border.bottom.style == "thin"
    assert form.row_dimensions[text.row].height > 30  # the goal's four lines are not cut off
    assert form.cell(row=goal.row + 1, column=5).border.right.style == "thin"  # a covered cell's edge
    widths = [form.column_dimensions[letter].width for letter in "ABCDEFGHI"]
    assert min(widths) >= 9 and widths[8] == max(widths)  # 偏差原因 the widest


def test_printing_landscape_a4_fit_to_width_with_a_print_area(book: Any) -> None:
    form = book[FORM_SHEET]
    last = _find(form, "总分").row
    assert form.print_area == f"'自评表'!$A$1:$I${last}"
    setup = form.page_setup
    assert (setup.orientation, int(setup.paperSize), setup.fitToWidth, setup.fitToHeight) == (
        "landscape",
        9,
        1,
        0,
    )
    assert form.sheet_properties.pageSetUpPr.fitToPage
    header = _find(form, "一级指标").row
    assert form.print_title_rows == f"${header}:${header}"  # the 绩效指标 header on every page


def test_findings_sheet_lists_every_finding_for_a_reviewer_to_filter(book: Any) -> None:
    sheet = book[FINDINGS_SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("严重程度", "代码", "位置", "问题", "建议")
    report = build_demo_report()
    findings = check_report(report, load_template("eight_part").outline)
    assert len(rows) == len(findings) + 1
    errors = [row for row in rows[1:] if row[0] == "错误"]
    assert len(errors) == sum(f.severity is Severity.ERROR for f in findings) >= 5
    lines_sum = next(row for row in rows if row[1] == "budget.lines_sum")
    assert lines_sum[2] == "预算明细" and "487.00 万元" in lines_sum[3] and lines_sum[4]
    assert sheet.auto_filter.ref == f"A1:E{len(rows)}" and sheet.freeze_panes == "A2"
    assert {row[0] for row in rows[1:]} <= {"错误", "警告", "提示"}


def test_blocks_of_the_score_sheet_alone_and_no_findings() -> None:
    data = score_sheet_xlsx(score_sheet_blocks(build_demo_report()), [])
    book = _open(data)
    assert _find(book[FORM_SHEET], "项目资金（万元）").column == 1
    findings = book[FINDINGS_SHEET]
    assert findings.max_row == 1 and findings.auto_filter.ref == "A1:E1"


def test_a_document_without_a_score_sheet_is_refused() -> None:
    parts = document_parts(build_demo_report(), load_template("eight_part").outline)[:-1]
    with pytest.raises(ValueError, match="自评表"):
        score_sheet_xlsx(parts, [])


def test_two_exports_are_the_same_bytes(demo_bytes: bytes) -> None:
    assert _export(build_demo_report()) == demo_bytes
    with zipfile.ZipFile(io.BytesIO(demo_bytes)) as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert _open(demo_bytes).properties.created.year == 2000


def test_hostile_text_stays_text_and_the_file_stays_valid() -> None:
    demo = build_demo_report()
    hostile = '=HYPERLINK("http://x")\x00\x01\x0b <b>&amp; 😀 \ud800\ufffe'
    long_text = "很长" * 20_000
    first = replace(demo.indicators[0], name=hostile, deviation_reason=long_text)
    report = replace(demo, department="=1+1", overall_goal=hostile, indicators=[first, *demo.indicators[1:]])
    finding = Finding(Severity.WARNING, "x.hostile", check_report(report)[0].where, hostile, "=SUM(A1)")
    book = _open(score_sheet_xlsx(document_parts(report, load_template("eight_part").outline), [finding]))
    form = book[FORM_SHEET]
    assert _find(form, "=1+1").data_type == "s"  # text, never a formula
    shown = '=HYPERLINK("http://x") <b>&amp; 😀 '
    goal, name = (cell for row in form.iter_rows() for cell in row if cell.value == shown)
    assert (goal.column, name.column) == (2, 4)  # 预期目标, and the first indicator's 三级指标
    assert goal.data_type == name.data_type == "s"
    reason = form.cell(row=name.row, column=9).value
    assert len(reason) == MAX_CELL_CHARACTERS and reason.endswith("…")
    row = next(book[FINDINGS_SHEET].iter_rows(min_row=2, values_only=True))
    assert row[3] == '=HYPERLINK("http://x") <b>&amp; 😀 ' and row[4] == "=SUM(A1)"


def test_seven_part_outline_gives_the_same_form() -> None:
    report = replace(build_demo_report(), template_id="seven_part_2020")
    form = _open(_export(report, "seven_part_2020"))[FORM_SHEET]
    assert _find(form, "绩效指标").column == 1 and _find(form, "总分").offset(column=7).value == 97.45


def test_the_200_page_report_exports_every_indicator_row() -> None:
    size = SIZES[2]
    data = score_sheet_xlsx(score_sheet_blocks(synthetic_report(size)), [])
    # read as XML: openpyxl re-borders every merged cell on load, seconds for 2,000 rows
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        sheet = etree.fromstring(package.read("xl/worksheets/sheet1.xml"))
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    merges = [merge.get("ref") for merge in sheet.iterfind(".//m:mergeCell", ns)]
    rows = {ref: [int(end[1:]) for end in ref.split(":")] for ref in merges if ref.startswith("A")}
    label = max(rows, key=lambda ref: rows[ref][1] - rows[ref][0])
    first, last = rows[label]
    assert last - first == size.indicators  # the header row and every indicator row under one label
    cell = sheet.find(f".//m:c[@r='A{first}']", ns)
    assert "".join(cell.itertext()) == "绩效指标"
    scores = sheet.xpath("//m:c[starts-with(@r, 'H') and m:v]", namespaces=ns)
    assert len(scores) == size.indicators + 2  # every indicator row, the 执行率 of the funds and the total
