"""Word and Excel imports: the 自评表 in every layout of RULES.md §8, Word's automatic numbering, the sample as .docx.

Every file is built here with python-docx or openpyxl (tests/report/office_files.py); the sample
report is read from ../shared and only its text is put into a Word file.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import docx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from prompts.templates import available_templates, load_template
from report.errors import ParseError
from report.importer import ImportResult, find_forms, import_office
from report.importer.docx_body import body_lines
from report.importer.structure import DocTable, Grid
from report.model import Grade, Level1, Level2, MoneyUnit, Nature, Operator
from storage.office import read_office
from tests.report.office_files import (
    Form,
    add_form_table,
    docx_bytes,
    form_docx,
    form_xlsx,
    national_form,
    older_form,
    report_docx_from_text,
    sichuan_form,
)

OUTLINES = [load_template(template_id).outline for template_id, _name in available_templates()]


def _import(data: bytes) -> list[ImportResult]:
    return import_office(read_office(data), OUTLINES)


def _both(form: Form) -> dict[str, bytes]:
    return {"xlsx": form_xlsx([("自评表", form)]), "docx": form_docx(form)}


# --- the national 2020 layout ---------------------------------------------------------------


@pytest.mark.parametrize("kind", ["xlsx", "docx"])
def test_national_form_gives_every_figure(kind: str) -> None:
    (result,) = _import(_both(national_form())[kind])
    report = result.report
    assert report.title == "2021年度城区路灯维修项目支出绩效自评报告"
    assert (report.year, report.unit_name, report.department) == (
        2021,
        "东湖区路灯管理所",
        "东湖区城市管理局",
    )
    assert report.money_unit is MoneyUnit.WAN
    funds = report.funds
    assert (funds.initial_budget, funds.annual_budget, funds.actual_spent) == (120, 118, Decimal("110.5"))
    assert (funds.fiscal_current, funds.carried_over, funds.other) == (100, 18, None)  # "—" is empty
    assert funds.stated_execution_rate == Decimal("0.9364")
    assert report.overall_goal.startswith("完成城区主干道路灯维修")
    assert report.overall_goal_actual == "全年维修路灯215盏，亮灯率99%"
    assert report.claimed_total == Decimal("97.03") and report.claimed_grade is Grade.EXCELLENT
    assert report.answers == {}  # a form alone: the prose steps stay empty
    rows = report.indicators
    assert len(rows) == 7
    first = rows[0]
    # "维修路灯\n数量": the line break inside the word is gone; 一级/二级 from merged cells
    assert (first.name, first.level2, first.operator, first.target, first.unit, first.actual) == (
        "维修路灯数量", Level2.QUANTITY, Operator.GE, "200", "盏", "215"
    )  # fmt: skip
    assert rows[1].level2 is Level2.QUANTITY  # the merged 二级 cell read into its second row
    assert rows[1].deviation_reason == "两处道路施工，灯杆移至次年"
    assert rows[0].deviation_reason == ""  # "—"
    assert [row.weight for row in rows] == [20, 5, 10, 10, 5, 30, 10]
    assert rows[1].score == Decimal("4.67")
    assert rows[3].target == "2021-11-30" and rows[3].operator is Operator.LE
    assert rows[5].nature is Nature.QUALITATIVE and rows[5].actual == "达成年度指标"
    assert rows[6].level2 is Level2.SATISFACTION and rows[6].unit == "%"
    assert report.weights is None  # 50 / 30 / 10: the default


@pytest.mark.parametrize("kind", ["xlsx", "docx"])
def test_form_summary_says_where_each_part_was(kind: str) -> None:
    (result,) = _import(_both(national_form())[kind])
    lines = result.summary_lines()
    place = "工作表“自评表”" if kind == "xlsx" else "表格 1（第 1 段之后）"
    assert f"自评表：{place}第 1–20 行" in lines
    assert f"绩效指标 7 项：{place}第 12 行起" in lines
    assert "资金：预算 118.00 万元，实际支出 110.50 万元" in lines
    assert "自评得分：97.03 分" in lines
    assert not any(line.startswith("章节") for line in lines)  # no prose, no sections to count


def test_the_money_unit_comes_from_the_label() -> None:
    form = national_form(unit="元", money=(1200000, 1180000, 1105000), sources=(1000000, 180000, 0))
    (result,) = _import(form_xlsx([("表", form)]))
    assert result.report.money_unit is MoneyUnit.YUAN
    assert result.report.funds.annual_budget == 1180000
    assert result.report.funds.other == 0  # "0" is a figure on the funds rows


def test_spaced_and_unspaced_label_read_the_same() -> None:
    spaced = _import(form_xlsx([("表", national_form(spaced_label=True))]))[0].report
    plain = _import(form_xlsx([("表", national_form(spaced_label=False))]))[0].report
    assert spaced.indicators == plain.indicators and len(spaced.indicators) == 7


# --- other layouts ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["xlsx", "docx"])
def test_sichuan_layout_operator_and_unit_columns_yuan_and_ten_plus_ninety(kind: str) -> None:
    (result,) = _import(_both(sichuan_form())[kind])
    report = result.report
    assert report.money_unit is MoneyUnit.YUAN and report.year == 2019
    funds = report.funds
    assert funds.annual_budget == 1329120 and funds.actual_spent == Decimal("1200000.50")
    assert (funds.carried_over, funds.other) == (0, 0)
    assert funds.stated_execution_rate == Decimal("0.9029")
    assert funds.stated_execution_score == Decimal("9.03")
    assert "执行率得分（表中所填）：9.03 分" in result.summary_lines()
    rows = {row.name: row for row in report.indicators}
    assert (rows["维护供水点"].operator, rows["维护供水点"].target, rows["维护供水点"].unit) == (
        Operator.GE, "40", "个"
    )  # fmt: skip
    assert rows["维护总成本"].operator is Operator.LE and rows["维护总成本"].unit == "元"
    assert rows["群众饮水保障"].nature is Nature.QUALITATIVE and rows["群众饮水保障"].score == 18
    assert report.weights == {Level1.OUTPUT: 60, Level1.BENEFIT: 20, Level1.SATISFACTION: 10}
    assert report.claimed_total == Decimal("97.03") and report.claimed_grade is Grade.EXCELLENT


@pytest.mark.parametrize("words", [("年初预算数", "全年执行数"), ("预算数", "执行数")])
@pytest.mark.parametrize("kind", ["xlsx", "docx"])
def test_older_forms_with_only_a_budget_and_what_was_spent(kind: str, words: tuple[str, str]) -> None:
    (result,) = _import(_both(older_form(words))[kind])
    report = result.report
    assert report.year == 2018 and report.title.startswith("老年活动中心运行经费")
    assert report.funds.initial_budget == report.funds.annual_budget == 50
    assert report.funds.actual_spent == 48 and report.funds.stated_execution_rate == Decimal("0.96")
    assert report.funds.fiscal_current == 50 and report.funds.other is None
    assert [(row.level2, row.target, row.unit, row.actual) for row in report.indicators] == [
        (Level2.QUANTITY, "24", "次", "26"),
        (Level2.SOCIAL, "3000", "人次", "3200"),  # "社会效益\n指标"
        (Level2.SATISFACTION, "90", "%", "95"),
    ]
    assert report.overall_goal == "全年开展文体活动不少于24次"
    assert report.claimed_total == Decimal("99.6")


def test_several_forms_in_one_sheet_and_on_several_sheets_give_a_report_each() -> None:
    first, second = national_form(), national_form(name="2021年度社区绿化养护项目", total=88)
    stacked = Form(
        first.rows + second.rows, first.merges + [(r + len(first.rows), *rest) for r, *rest in second.merges]
    )
    results = _import(form_xlsx([("路灯和绿化", stacked), ("水务", sichuan_form())]))
    titles = [result.report.title for result in results]
    assert titles == [
        "2021年度城区路灯维修项目支出绩效自评报告",
        "2021年度社区绿化养护项目支出绩效自评报告",
        "2019年度农村饮水安全维护项目支出绩效自评报告",
    ]
    assert [result.report.claimed_total for result in results] == [Decimal("97.03"), 88, Decimal("97.03")]
    assert "自评表：工作表“路灯和绿化”第 21–40 行" in results[1].summary_lines()
    assert "自评表：工作表“水务”第 1–17 行" in results[2].summary_lines()


def test_a_row_whose_category_is_unknown_is_kept_aside_and_said() -> None:
    form = national_form()
    row = next(i for i, cells in enumerate(form.rows) if cells[3] == "完工时间")
    form.rows[row][2] = "进度指标"
    form.merges = [merge for merge in form.merges if not (merge[0] == row and merge[1] == 2)]
    (result,) = _import(form_xlsx([("表", form)]))
    assert [row.name for row in result.report.indicators if row.name == "完工时间"] == []
    lines = result.summary_lines()
    assert "1 处无法识别，未导入：" in lines
    assert any("完工时间" in line and "进度指标" in line and f"第 {row + 1} 行" in line for line in lines)


def test_a_workbook_without_a_form_is_refused_in_chinese() -> None:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "名单"
    book.active["A1"] = "姓名"
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ParseError, match="没有找到项目支出绩效自评表"):
        _import(out.getvalue())


# --- Word: prose and a form, automatic numbering, the sample ------------------------------------

_PROSE = [
    "东湖区路灯维修项目支出绩效自评报告",
    "一、基本情况",
    "（一）项目概况",
    "本项目全年预算100万元，用于城区主干道路灯的维修和更换。",
    "四、绩效评价指标分析情况",
    "（三）项目绩效情况分析",
    "全年实际支出90万元，节约10万元。",
    "五、综合评价情况及评价结论",
    "综合评分95分，评价等级为良。",
]


def test_a_form_in_the_document_wins_over_the_prose_and_the_differences_are_listed() -> None:
    document = docx.Document()
    for line in _PROSE:
        document.add_paragraph(line)
    document.add_paragraph("附件1")
    add_form_table(document, national_form())
    (result,) = _import(docx_bytes(document))
    report = result.report
    assert report.answers["overview.background"].startswith("本项目全年预算")  # the prose is kept
    assert (report.funds.annual_budget, report.funds.actual_spent) == (118, Decimal("110.5"))
    assert report.claimed_total == Decimal("97.03") and report.claimed_grade is Grade.EXCELLENT
    assert len(report.indicators) == 7
    lines = result.summary_lines()
    assert "正文与自评表不一致之处（已取自评表的数字）：" in lines
    assert "  · 全年预算数：正文 100.00 万元，自评表 118.00 万元" in lines
    assert "  · 全年执行数：正文 90.00 万元，自评表 110.50 万元" in lines
    assert "  · 自评得分：正文 95 分，自评表 97.03 分" in lines
    assert "  · 评价等级：正文 良，自评表 优" in lines
    assert f"自评表：表格 1（第 {len(_PROSE) + 1} 段之后）第 1–20 行" in lines


def test_word_automatic_numbering_is_shown_as_word_shows_it() -> None:
    text = "\n".join(
        ["一、基本情况", "（一）项目概况", "说明文字。", "（二）项目绩效目标", "二、项目单位绩效报告情况"]
    )
    content = read_office(report_docx_from_text(text, headings="automatic"))
    numbered = [(block.number, block.text) for block in content.body if getattr(block, "number", "")]
    assert numbered == [
        ("一、", "基本情况"),
        ("（一）", "项目概况"),
        ("（二）", "项目绩效目标"),
        ("二、", "项目单位绩效报告情况"),
    ]
    assert [getattr(block, "heading_level", None) for block in content.body] == [1, 2, None, 2, 1]


@pytest.mark.parametrize("headings", ["typed", "styled", "automatic", "shifted"])
def test_the_sample_saved_as_word_imports_like_its_text(sample_path: Path, headings: str) -> None:
    data = report_docx_from_text(sample_path.read_text(encoding="utf-8"), headings=headings)
    (result,) = _import(data)
    report = result.report
    assert len(report.budget_lines) == 11
    assert sum((line.amount for line in report.budget_lines), Decimal(0)) == Decimal("483.30")
    assert report.funds.annual_budget == 487 and report.funds.actual_spent == Decimal("483.3")
    assert report.claimed_total == 100
    outline = next(outline for outline in OUTLINES if outline.id == "eight_part")
    assert report.template_id == "eight_part"
    assert {section.key for section in outline.sections} <= set(result.found_sections)
    lines = result.summary_lines()
    assert "章节 8/8，小标题 30/30" in lines
    assert "预算明细 11 行，合计 483.30 万元" in lines
    if headings == "automatic":
        assert any(line.startswith("正文：") and "Word 自动编号的标题 30 个" in line for line in lines)
    if headings == "shifted":  # the title on Heading 1 is the title, not section 一
        assert report.title.startswith(sample_path.read_text(encoding="utf-8").split()[0])
    if headings == "styled":
        assert any(line.startswith("正文：") and "按标题样式补上编号 30 个" in line for line in lines)


_WORDS = [
    "项目名称", "项目资金（万元）", "年度资金总额", "其中：当年财政拨款", "年初预算数", "全年预算数", "全年执行数",
    "执行率", "得分", "分值", "年度总体目标", "预期目标", "实际完成情况", "一级指标", "二级指标", "三级指标",
    "年度指标值", "实际完成值", "指标性质", "度量单位", "数量指标", "产出指标", "总分", "评价等级", "优", "≥",
    "—", "0", "12.5", "99.24%", "≥90%", "达成年度指标", "", "附件1", "2021年度",
]  # fmt: skip


@given(
    st.lists(
        st.lists(st.one_of(st.sampled_from(_WORDS), st.decimals(-1000, 10**9, places=2)), max_size=12),
        max_size=30,
    )
)
def test_any_grid_of_form_words_is_read_without_an_exception(rows: list[list[str | Decimal]]) -> None:
    grid = Grid(tuple(tuple(row) for row in rows))
    for form in find_forms(grid, "表格 1"):
        assert form.where.startswith("表格 1第 ")
        for row in form.indicators:
            assert row.name
    body_lines([DocTable(grid, 1)], set())


def test_a_form_split_over_two_word_tables_is_one_form() -> None:
    form = national_form()
    split = next(i for i, row in enumerate(form.rows) if str(row[0]).replace(" ", "") == "绩效指标")
    head = Form(form.rows[:split], [m for m in form.merges if m[0] < split])
    rest = Form(form.rows[split:], [(m[0] - split, *m[1:]) for m in form.merges if m[0] >= split])
    document = docx.Document()
    document.add_paragraph("附件1")
    add_form_table(document, head)
    document.add_paragraph("")
    add_form_table(document, rest)
    (result,) = _import(docx_bytes(document))
    report = result.report
    assert report.funds.annual_budget == 118 and len(report.indicators) == 7
    assert report.claimed_total == Decimal("97.03")
    assert any("续 表格 2" in line for line in result.summary_lines())


def test_a_funds_row_of_another_kind_is_kept_aside_and_said() -> None:
    form = national_form()
    row = next(i for i, cells in enumerate(form.rows) if cells[1] == "其他资金")
    form.rows[row][1] = "社会捐赠"
    form.rows[row][4] = 5
    (result,) = _import(form_xlsx([("表", form)]))
    assert result.report.funds.other is None
    assert f"  · 工作表“表”第 {row + 1} 行：“社会捐赠”不是资金栏目，未导入" in result.summary_lines()


def test_category_labels_with_their_weights_in_parentheses() -> None:
    form = national_form()
    for cells in form.rows:
        if cells[1] == "产出指标":
            cells[1] = "产出指标（50分）"
        if cells[2] == "数量指标":
            cells[2] = "数量指标\n（25分）"
    (result,) = _import(form_xlsx([("表", form)]))
    assert [row.level2 for row in result.report.indicators[:2]] == [Level2.QUANTITY, Level2.QUANTITY]
    assert len(result.report.indicators) == 7 and result.kept_aside == []
