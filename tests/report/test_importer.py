"""Importing reports: the real sample, encodings and line endings, Markdown, our own export, refusals.

The sample is read from ../shared (``sample_path``); its sentences are never copied here: the
tests compare the import with the file itself and with the figures RULES.md states.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prompts.templates import available_templates, load_template
from report.checks import check_report
from report.demo import build_demo_report
from report.errors import ParseError
from report.importer import MAX_IMPORT_BYTES, ImportResult, import_text, title_score
from report.model import (
    LEVEL1_OF,
    BudgetLine,
    Funds,
    Grade,
    Indicator,
    Level1,
    Level2,
    MoneyUnit,
    Nature,
    Operator,
    QualGrade,
    Report,
)
from report.outline import BlockKind, Outline
from report.render import LEVEL1_ORDER, LEVEL2_ORDER, PLACEHOLDER, render_report
from report.scoring import band_default
from tests.strategies import funds, money, optional, scores, titles, unit_names

OUTLINES: dict[str, Outline] = {tid: load_template(tid).outline for tid, _ in available_templates()}


def _import(text: str | bytes) -> ImportResult:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return import_text(data, OUTLINES.values())


def _sample(sample_path: Path) -> bytes:
    return sample_path.read_bytes()


def _prose(report: Report) -> str:
    return "\n".join([report.overall_goal, report.stage_goals, *report.answers.values()])


# --- the real sample ----------------------------------------------------------------------------


def test_sample_budget_figures(sample_path: Path) -> None:
    result = _import(_sample(sample_path))
    report = result.report
    assert report.template_id == "eight_part"
    assert report.money_unit is MoneyUnit.WAN
    assert report.year == 2020
    assert len(report.budget_lines) == 11
    assert sum((line.amount for line in report.budget_lines), Decimal(0)) == Decimal("483.30")
    assert report.budget_lines[0].amount == Decimal(49)
    assert report.budget_lines[1].amount == Decimal("185.03")
    assert all(line.name.endswith(("经费", "购置费")) and line.purpose for line in report.budget_lines)
    assert report.funds.annual_budget == report.funds.initial_budget == Decimal(487)
    assert report.funds.actual_spent == Decimal("483.3")
    assert report.funds.stated_savings == Decimal("3.7")
    assert report.funds.stated_execution_rate is None  # "完成率" speaks of goals, not money
    assert report.claimed_total == Decimal(100)


def test_sample_title_spans_two_lines_and_names_the_unit(sample_path: Path) -> None:
    text = sample_path.read_text(encoding="utf-8")
    first_lines = [line.strip() for line in text.splitlines() if line.strip()][:2]
    report = _import(_sample(sample_path)).report
    assert report.title == "".join(first_lines)
    assert report.unit_name.endswith("街道办事处")
    assert report.title.startswith(report.unit_name)


def test_sample_all_eight_sections_are_found_and_filled(sample_path: Path) -> None:
    result = _import(_sample(sample_path))
    report = result.report
    outline = OUTLINES["eight_part"]
    assert {s.key for s in outline.sections} <= set(result.found_sections)
    assert set(result.found_sections) == {s.key for s in outline.walk()}  # unnumbered ones too
    for key in (
        "overview.background",
        "results.summary",
        "work.purpose",
        "conclusion.text",
        "lessons.problems",
    ):
        assert report.answers[key].strip(), key
    assert report.answers["application"] == "无"
    assert report.answers["other"] == "无"
    assert report.overall_goal and report.stage_goals
    assert result.unplaced == []


def test_sample_nothing_is_dropped(sample_path: Path) -> None:
    """Every sentence of the sample is in some prose field or is one of the budget lines."""
    report = _import(_sample(sample_path)).report
    prose = _prose(report)
    budget = [(line.name, line.amount) for line in report.budget_lines]
    for raw in sample_path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not re.search("[，。；]", line):
            continue  # headings, title lines, "无"
        if line in prose:
            continue
        assert any(name in line and f"{amount}万元" in line for name, amount in budget), line


def test_sample_paragraphs_are_kept_as_lines(sample_path: Path) -> None:
    report = _import(_sample(sample_path)).report
    paragraphs = report.answers["results.summary"].split("\n")
    assert [p.split("：", 1)[0] for p in paragraphs] == [
        "数量指标",
        "质量指标",
        "成本指标",
        "经济效益指标",
        "生态效益指标",
        "社会效益指标",
        "服务对象满意度指标",
    ]


def test_sample_indicator_categories_and_rates(sample_path: Path) -> None:
    result = _import(_sample(sample_path))
    assert Level2.QUANTITY in result.categories and Level2.TIMELINESS not in result.categories
    assert len(result.categories) == 7
    rows = result.report.indicators
    assert result.extracted_indicators == len(rows) > 0
    assert all(row.target == "" and row.operator is None and row.weight is None for row in rows)
    quantity = [row for row in rows if row.level2 is Level2.QUANTITY]
    assert [(row.actual, row.unit) for row in quantity] == [("73.3", "%")]
    assert quantity[0].name.endswith("率")
    cost_units = {row.unit for row in rows if row.level2 is Level2.COST}
    assert cost_units == {"元", "万元"}  # the sample mixes them under 成本指标


def test_sample_summary_lines(sample_path: Path) -> None:
    lines = _import(_sample(sample_path)).summary_lines()
    assert "章节 8/8，小标题 30/30" in lines
    assert "预算明细 11 行，合计 483.30 万元" in lines
    assert "资金：预算 487.00 万元，实际支出 483.30 万元，节约 3.70 万元" in lines
    assert "自评得分：100 分" in lines
    assert any(line.startswith("指标类别 7 类") and "数量指标" in line for line in lines)
    assert "全部正文都已归入对应章节" in lines


def test_sample_checks_give_the_findings_rules_md_lists(sample_path: Path) -> None:
    report = _import(_sample(sample_path)).report
    findings = check_report(report, OUTLINES[report.template_id])
    by_code = {f.code: f for f in findings}
    lines_sum = by_code["budget.lines_sum"]
    assert "483.30" in lines_sum.message and "3.70" in lines_sum.message and "节约" in lines_sum.message
    assert "99.92" in by_code["score.claimed_impossible"].message
    assert "coverage.no_timeliness" in by_code
    mismatch = [f for f in findings if f.code == "indicator.rate_in_quantity"]  # §6 #32: a warning now
    assert [report.indicators[f.where.indicator or 0].level2 for f in mismatch] == [Level2.QUANTITY]
    assert "73.3%" in mismatch[0].message
    assert "indicator.missing_target" in by_code


def _section_text(sample_path: Path, number: str) -> str:
    """The sample's lines between the heading that opens with ``number`` and the next heading."""
    lines = [line.strip() for line in sample_path.read_text(encoding="utf-8").splitlines()]
    start = next(i for i, line in enumerate(lines) if line.startswith(number)) + 1
    end = next(i for i in range(start, len(lines)) if re.match(r"^[一二三四五六七八九十]、", lines[i]))
    return "\n".join(line for line in lines[start:end] if line)


def test_sample_lessons_text_describes_problems_and_goes_there(sample_path: Path) -> None:
    result = _import(_sample(sample_path))
    answers = result.report.answers
    text = _section_text(sample_path, "七、")
    assert "不足" in text  # the evidence the split goes by is in the sample itself
    assert answers["lessons.problems"] == text
    assert "lessons.experience" not in answers and "lessons.suggestions" not in answers
    assert "七 的文字按内容分入：存在的问题，请核对" in result.summary_lines()


def test_gb18030_input_gives_the_same_report(sample_path: Path) -> None:
    text = sample_path.read_text(encoding="utf-8")
    assert _import(text.encode("gb18030")).report == _import(text.encode("utf-8")).report


def test_bom_crlf_and_full_width_indentation_are_tolerated(sample_path: Path) -> None:
    text = sample_path.read_text(encoding="utf-8")
    messy = "\ufeff" + "\r\n".join("\u3000\u3000" + line + "  " for line in text.splitlines()) + "\r\n\r\n"
    assert _import(messy.encode("utf-8")).report == _import(text).report


def test_the_imported_sample_exports_and_imports_again(sample_path: Path) -> None:
    report = _import(_sample(sample_path)).report
    again = _import(render_report(report, OUTLINES[report.template_id])).report
    # the text's own 节约 figure is not printed by the export (it prints the computed savings)
    assert (
        dataclasses.replace(again, funds=dataclasses.replace(again.funds, stated_savings=Decimal("3.7")))
        == report
    )


# --- other documents ------------------------------------------------------------------------------

_EIGHT_PART_DOC = """\
2021年度青山区司法局法律援助经费项目
支出绩效自评报告

一、基本情况
（一）项目概况
全年预算 120万元，主要用于：
1. 法律援助案件补贴 80万元，用于律师办案补贴。
2. 普法宣传经费 40万元，用于宣传资料印制。
（二）项目绩效目标
1．项目绩效总目标
全年办理法律援助案件不少于600件。
二、项目单位绩效报告情况
数量指标：办理案件650件，受援群众满意率达96%。
时效指标：案件均在规定时限内办结。
三、绩效评价工作情况
本节概述评价工作。
（一）绩效评价目的
了解资金使用效益。
（四）其他补充事项
补充说明一。
四、绩效评价指标分析情况
（一）项目资金情况分析
1.项目资金到位情况分析
资金按时到位，实际支出 118.5万元。
五、综合评价情况及评价结论
综合得分95分，评价等级为“优”。
六、绩效评价结果应用建议
用于下年度预算安排。
七、主要经验及做法、存在的问题和建议
个别案件归档不及时。
八、其他需说明的问题
无。
"""


def test_a_plain_report_with_numbering_variants() -> None:
    result = _import(_EIGHT_PART_DOC)
    report = result.report
    assert report.title == "2021年度青山区司法局法律援助经费项目支出绩效自评报告"
    assert (report.year, report.unit_name) == (2021, "青山区司法局")
    assert [(line.name, line.amount) for line in report.budget_lines] == [
        ("法律援助案件补贴", Decimal(80)),
        ("普法宣传经费", Decimal(40)),
    ]
    assert report.funds.annual_budget == Decimal(120) and report.funds.actual_spent == Decimal("118.5")
    assert report.funds.stated_savings is None
    assert report.overall_goal == "全年办理法律援助案件不少于600件。"
    assert (report.claimed_total, report.claimed_grade) == (Decimal(95), Grade.EXCELLENT)
    assert result.categories == [Level2.QUANTITY, Level2.TIMELINESS]
    assert [(row.level2, row.actual, row.unit) for row in report.indicators] == [(Level2.QUANTITY, "96", "%")]


def test_text_that_has_no_place_of_its_own_is_kept_and_listed() -> None:
    result = _import(_EIGHT_PART_DOC)
    report = result.report
    # text right under 三、 (which asks nothing itself) goes to its first sub-section's question
    assert (
        report.answers["work.purpose"]
        == "本节概述评价工作。\n了解资金使用效益。\n（四）其他补充事项\n补充说明一。"
    )
    unplaced = {(item.text, item.placed_in) for item in result.unplaced}
    assert ("本节概述评价工作。", "answers.work.purpose") in unplaced
    assert ("（四）其他补充事项", "answers.work.purpose") in unplaced  # an unknown heading, kept as text
    lines = result.summary_lines()
    assert any(line.startswith("2 段文字无法归入对应的问题") for line in lines)
    assert any("未识别的标题" in line for line in lines)


def test_markdown_headings_of_another_tool() -> None:
    markdown = "\n".join(
        "## " + line
        if re.match(r"^[一二三四五六七八]、", line)
        else ("### " + line if line.startswith("（") else line)
        for line in _EIGHT_PART_DOC.splitlines()
    )
    markdown = markdown.replace("2021年度青山区", "# 2021年度青山区", 1)
    result = _import(markdown)
    assert result.source == "markdown"
    report = result.report
    assert report.title.startswith("2021年度青山区司法局")
    assert report.answers["application"] == "用于下年度预算安排。"
    assert len(report.budget_lines) == 2
    # in Markdown only "#" lines are headings: "1．项目绩效总目标" stays text of （二）
    assert "1．项目绩效总目标" in report.overall_goal


def test_the_2020_outline_is_recognised() -> None:
    document = """\
2020年度城关镇人民政府农村饮水安全维修养护项目绩效评价报告
一、基本情况
（一）项目概况
预算资金 35万元。
（二）项目绩效目标
保障农村供水。
二、绩效评价工作开展情况
（一）绩效评价目的、对象和范围
评价养护资金。
三、综合评价情况及评价结论
综合得分88分。
四、绩效评价指标分析
（一）项目决策情况
立项依据充分。
五、主要经验及做法、存在的问题及原因分析
维修响应较慢，原因是人员不足。
六、有关建议
增加维修人员。
七、其他需要说明的问题
无
"""
    result = _import(document)
    report = result.report
    assert report.template_id == "seven_part_2020"
    assert report.unit_name == "城关镇人民政府"
    assert report.answers["suggestions"] == "增加维修人员。"
    assert report.answers["lessons.problems"] == "维修响应较慢，原因是人员不足。"
    assert "lessons.experience" not in report.answers
    assert report.answers["analysis.decision"] == "立项依据充分。"
    assert report.overall_goal == "保障农村供水。"
    assert report.claimed_total == Decimal(88)
    assert report.funds.annual_budget == Decimal(35)
    assert "章节 7/7" in result.summary_lines()[1]


def _with_lessons(body: str) -> str:
    """The eight-part document with its 七、 text replaced."""
    return _EIGHT_PART_DOC.replace("个别案件归档不及时。\n", body)


def test_a_labelled_three_part_section_goes_to_the_three_answers_without_the_labels() -> None:
    result = _import(
        _with_lessons(
            "全年工作总体顺利。\n"
            "（一）主要经验及做法\n"
            "一是建立月调度；二是按月通报。\n"
            "存在的问题：指标不够具体。\n"
            "问题较多的是归档环节。\n"
            "3.改进建议\n"
            "细化指标。\n"
            "**建议**：加强监控。\n"
        )
    )
    answers = result.report.answers
    # text before the first label stays with the first question; "一是…" and "问题较多…" are text
    assert answers["lessons.experience"] == "全年工作总体顺利。\n一是建立月调度；二是按月通报。"
    assert answers["lessons.problems"] == "指标不够具体。\n问题较多的是归档环节。"
    assert answers["lessons.suggestions"] == "细化指标。\n加强监控。"
    # "（一）主要经验及做法" was a heading the outline does not know; as a label it is not unplaced
    assert [item.text for item in result.unplaced if item.section.startswith("七")] == []
    assert "七 的文字按小标题分入：主要经验及做法、存在的问题、改进建议" in result.summary_lines()


def test_an_unlabelled_mixed_paragraph_is_split_by_sentence_in_order() -> None:
    result = _import(
        _with_lessons(
            "建立了案件月调度机制，办案进度清楚。各科室配合顺畅。由于经验不足，部分指标设置不够具体；"
            "个别案件归档滞后。下一步将细化指标。\n"
            "针对存在的问题，建议加强归档检查。进一步加强资金监管！\n"
            "归档率有待提高。\n"
        )
    )
    answers = result.report.answers
    # a sentence without evidence ("各科室配合顺畅。") follows the one before it
    assert answers["lessons.experience"] == "建立了案件月调度机制，办案进度清楚。各科室配合顺畅。"
    # "经验不足" is a problem, not an experience
    assert answers["lessons.problems"] == (
        "由于经验不足，部分指标设置不够具体；个别案件归档滞后。\n归档率有待提高。"
    )
    assert answers["lessons.suggestions"] == (
        "下一步将细化指标。\n针对存在的问题，建议加强归档检查。进一步加强资金监管！"
    )
    assert "七 的文字按内容分入：主要经验及做法、存在的问题、改进建议，请核对" in result.summary_lines()


def test_an_unlabelled_section_without_evidence_stays_in_the_first_question() -> None:
    result = _import(_with_lessons("全年工作按计划推进。\n各科室配合良好，资料齐全。\n"))
    answers = result.report.answers
    assert answers["lessons.experience"] == "全年工作按计划推进。\n各科室配合良好，资料齐全。"
    assert "lessons.problems" not in answers and "lessons.suggestions" not in answers
    assert not any("分入" in line for line in result.summary_lines())


def test_sub_numbered_labels_share_out_the_2020_outline_sections() -> None:
    document = """\
2020年度城关镇人民政府农村饮水安全维修养护项目绩效评价报告
一、基本情况
（一）项目概况
预算资金 35万元。
（二）项目绩效目标
总体目标：保障农村供水。
阶段性目标：一季度完成排查。
二、绩效评价工作开展情况
（一）绩效评价目的、对象和范围
了解养护资金的效益。
评价对象和范围：全镇供水工程。
（二）绩效评价原则、评价指标体系、评价方法、评价标准
1.绩效评价原则
客观公正。
2. 评价指标体系
按自评表设置。
（3）评价方法
目标比较法。
### 评价标准
计划标准。
三、综合评价情况及评价结论
综合得分88分。
四、绩效评价指标分析
（一）项目决策情况
立项依据充分。
（二）项目过程情况
资金管理情况：足额到位。
组织实施情况：按计划实施。
五、主要经验及做法、存在的问题及原因分析
维修响应及时。
六、有关建议
增加维修人员。
七、其他需要说明的问题
无
"""
    result = _import(document)
    report = result.report
    assert report.template_id == "seven_part_2020"
    assert (report.overall_goal, report.stage_goals) == ("保障农村供水。", "一季度完成排查。")
    assert report.answers["work.purpose"] == "了解养护资金的效益。"
    assert report.answers["work.scope"] == "全镇供水工程。"
    assert [
        report.answers[f"work.basis.{key}"] for key in ("principles", "indicators", "methods", "standards")
    ] == [
        "客观公正。",
        "按自评表设置。",
        "目标比较法。",
        "计划标准。",
    ]
    assert report.answers["analysis.process.funds"] == "足额到位。"
    assert report.answers["analysis.process.organisation"] == "按计划实施。"
    assert (
        "二（二） 的文字按小标题分入：绩效评价原则、评价指标体系、评价方法、评价标准"
        in result.summary_lines()
    )
    assert "评价" not in "".join(report.answers[f"work.basis.{key}"] for key in ("principles", "methods"))


def test_amounts_in_yuan_make_a_yuan_report() -> None:
    document = "一、基本情况\n（一）项目概况\n全年预算 65000元。\n1、办公用品 20000元\n2、培训费 45,000元，用于业务培训\n"
    report = _import(document).report
    assert report.money_unit is MoneyUnit.YUAN
    assert [(line.name, line.amount, line.purpose) for line in report.budget_lines] == [
        ("办公用品", Decimal(20000), ""),
        ("培训费", Decimal(45000), "用于业务培训"),
    ]
    assert report.funds.annual_budget == Decimal(65000)


def test_a_stated_execution_rate_is_kept_as_a_fraction() -> None:
    report = _import("一、基本情况\n预算 100万元，实际支出 98万元，预算执行率为98%。\n").report
    assert report.funds.stated_execution_rate == Decimal("0.98")


@pytest.mark.parametrize(
    ("found", "known", "score"),
    [
        ("项目的效率性分析", "项目效率性分析", 2),
        ("项目成本（预算）控制情况", "项目成本（预算）控制情况", 3),
        ("绩效评价结果应用建议（以后年度预算安排、评价结果公开等）", "绩效评价结果应用建议", 3),
        ("其他需说明的问题", "其他需要说明的问题", 1),
        ("项目管理情况分析", "项目资金到位情况分析", 0),
        ("", "基本情况", 0),
    ],
)
def test_title_score(found: str, known: str, score: int) -> None:
    assert title_score(found, known) == score


# --- refusals ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "空的"),
        (b" \r\n\t\n", "空的"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "docx"),
        (b"\x00\x01\x02binary\x00", "二进制"),
        (b"\xffabc\xfe\x80", "编码"),
        ("一、基本情况\n".encode() + b"\x01\x02\x03\x04" * 20, "控制字符"),
        ("今天天气很好，我们去公园散步。\n晚上看了一场电影。\n".encode(), "章节标题"),
    ],
)
def test_refusals(data: bytes, words: str) -> None:
    with pytest.raises(ParseError) as caught:
        _import(data)
    assert words in str(caught.value)


def test_files_over_20_mb_are_refused() -> None:
    with pytest.raises(ParseError, match="20 MB"):
        _import(b"a" * (MAX_IMPORT_BYTES + 1))


def test_utf16_with_a_bom_is_read() -> None:
    report = _import("一、基本情况\n（一）项目概况\n预算 10万元。\n".encode("utf-16")).report
    assert report.funds.annual_budget == Decimal(10)


# --- our own export, round trip -----------------------------------------------------------------

_ALPHABET = st.one_of(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
    st.sampled_from("，。；：、（）“”《》％—·"),
    st.characters(min_codepoint=0x21, max_codepoint=0x7E),
    st.just(" "),
)
_LINE = (
    st.text(_ALPHABET, min_size=1, max_size=24)
    .map(str.strip)
    .filter(
        lambda line: bool(line) and not line.startswith("\\") and line != PLACEHOLDER and "<br>" not in line
    )
)
_PROSE_KINDS = (BlockKind.PROSE, BlockKind.OVERALL_GOAL, BlockKind.STAGE_GOALS)


def _prose_slots(outline: Outline) -> dict[str, bool]:
    """Each prose field the outline shows → whether it shares its section with another prose block."""
    slots: dict[str, bool] = {}
    for section in outline.walk():
        prose = [block for block in section.blocks if block.kind in _PROSE_KINDS]
        for block in prose:
            path = {BlockKind.OVERALL_GOAL: "overall_goal", BlockKind.STAGE_GOALS: "stage_goals"}.get(
                block.kind, f"answers.{block.key}"
            )
            slots[path] = len(prose) > 1
    return slots


@st.composite
def _prose_fields(draw: st.DrawFn, outline: Outline) -> dict[str, str]:
    chosen: dict[str, str] = {}
    for path, shared in _prose_slots(outline).items():
        if draw(st.booleans()):
            lines = draw(st.lists(_LINE, min_size=1, max_size=1 if shared else 3))
            chosen[path] = "\n".join(lines)
    return chosen


_QUANT_UNITS = ["%", "人次", "个", "件", "场", "万元", "元", "天", "平方米", ""]
_DIRECTIONS = [Operator.GE, Operator.GT, Operator.EQ, Operator.LT, Operator.LE]
# "1000.1" reads as the date 1000-01 in report.values (a known ambiguity of the value parser), so
# numbers of the form dddd.d(d) are left out
_NUMBER_TEXT = (
    money(100_000).map(lambda value: f"{value:f}").filter(lambda t: not re.fullmatch(r"\d{4}\.\d{1,2}", t))
)


@st.composite
def _indicator(draw: st.DrawFn) -> Indicator:
    level2 = draw(st.sampled_from(Level2))
    others = [level for level in Level1 if level is not LEVEL1_OF[level2]]
    level1 = draw(st.one_of(st.none(), st.sampled_from(others)))
    name = draw(_LINE)
    weight = draw(optional(scores()))
    reason = draw(st.one_of(st.just(""), _LINE))
    kind = draw(st.sampled_from(["number", "date", "qualitative"]))
    if kind == "qualitative":
        grades = st.sampled_from([grade.value for grade in QualGrade])
        target = draw(st.one_of(st.just(""), grades))
        actual = draw(grades if not target else st.one_of(st.just(""), grades))
        score = band_default(QualGrade(actual), weight) if actual and weight is not None else None
        return Indicator(
            name,
            level2,
            level1,
            Nature.QUALITATIVE,
            Operator.QUALITATIVE,
            target,
            "",
            actual,
            weight,
            score,
            reason,
        )
    if kind == "date":
        target = draw(st.sampled_from(["", "2020-12-31", "2021-06-30"]))
        actual = draw(st.sampled_from(["", "2020-12-20"]))
        unit = ""
    else:
        target = draw(st.one_of(st.just(""), _NUMBER_TEXT))
        actual = draw(st.one_of(st.just(""), _NUMBER_TEXT))
        unit = draw(st.sampled_from(_QUANT_UNITS)) if target or actual else ""
    operator = (
        draw(st.sampled_from(_DIRECTIONS if kind == "date" else [None, *_DIRECTIONS])) if target else None
    )
    return Indicator(
        name, level2, level1, Nature.QUANTITATIVE, operator, target, unit, actual, weight, None, reason
    )


def _sheet_order(rows: list[Indicator]) -> list[Indicator]:
    level1_rank = {level: rank for rank, level in enumerate(LEVEL1_ORDER)}
    level2_rank = {level: rank for rank, level in enumerate(LEVEL2_ORDER)}
    return sorted(rows, key=lambda row: (level1_rank[row.effective_level1], level2_rank[row.level2]))


@st.composite
def exportable_reports(draw: st.DrawFn) -> Report:
    """Reports whose every field the Markdown export shows, in a form that reads back unambiguously.

    Restrictions, each because the export cannot carry the difference:
    * the template is one of the real outlines (the export names no template; headings tell it);
    * prose fields (``answers`` of the outline's prose steps, goals) are lines without leading or
      trailing white space, no blank lines, none starting with a backslash or reading
      ``（待填写）``; where a section shows several prose answers, each is one line (the
      Markdown does not mark where one answer ends); answers of steps the outline does not show
      (choices such as ``funds.has_other``) are absent;
    * table cells (budget names and purposes, indicator names and reasons) are one such line;
    * ``stated_savings`` and ``stated_execution_rate`` are None (the export prints the computed
      savings and rate instead);
    * indicators are in score-sheet order, and consistent: quantitative rows carry a direction
      operator only with a target, a unit only with a value, and no score of their own (the sheet
      shows the computed one); 定性 rows use the 定性 operator, no unit, a grade, and the score the
      rules give (the sheet cannot tell a missing score from the band default); an explicit 一级
      only when it differs from the category's default; ``weights`` are not compared (not shown).
    """
    template_id = draw(st.sampled_from(sorted(OUTLINES)))
    outline = OUTLINES[template_id]
    prose = draw(_prose_fields(outline))
    cell = st.one_of(st.just(""), _LINE)
    report = Report(
        title=draw(titles()),
        unit_name=draw(st.one_of(st.just(""), unit_names())),
        department=draw(st.sampled_from(["", "司法局", "教育局", "区人民政府"])),
        year=draw(st.integers(2015, 2030)),
        template_id=template_id,
        money_unit=draw(st.sampled_from(MoneyUnit)),
        funds=dataclasses.replace(draw(funds()), stated_savings=None, stated_execution_rate=None),
        budget_lines=draw(
            st.lists(st.builds(BudgetLine, name=_LINE, amount=money(), purpose=cell), max_size=4)
        ),
        overall_goal=prose.pop("overall_goal", ""),
        overall_goal_actual=draw(st.lists(_LINE, max_size=2).map("\n".join)),
        stage_goals=prose.pop("stage_goals", ""),
        indicators=_sheet_order(draw(st.lists(_indicator(), max_size=6))),
        answers={path.removeprefix("answers."): text for path, text in prose.items()},
        claimed_total=draw(optional(scores())),
        claimed_grade=draw(st.one_of(st.none(), st.sampled_from(Grade))),
    )
    return report


_CARRIED = (
    "title",
    "unit_name",
    "department",
    "year",
    "template_id",
    "money_unit",
    "funds",
    "budget_lines",
    "overall_goal",
    "overall_goal_actual",
    "stage_goals",
    "indicators",
    "answers",
    "claimed_total",
    "claimed_grade",
)


@given(exportable_reports())
def test_our_markdown_export_imports_as_the_same_report(report: Report) -> None:
    markdown = render_report(report, OUTLINES[report.template_id])
    result = _import(markdown)
    assert result.source == "export"
    back = result.report
    for name in _CARRIED:
        assert getattr(back, name) == getattr(report, name), name
    assert result.unplaced == []


def test_the_demo_report_round_trips_except_unshown_choices() -> None:
    report = build_demo_report()
    back = _import(render_report(report, OUTLINES[report.template_id])).report
    shown = {key: text for key, text in report.answers.items() if not key.startswith("funds.has_")}
    assert back == dataclasses.replace(report, answers=shown)


def test_several_multi_line_answers_in_one_section_go_to_the_first_and_are_listed() -> None:
    outline = OUTLINES["eight_part"]
    report = Report(
        title="测试项目支出绩效自评报告",
        answers={
            "lessons.experience": "做法一\n做法二",
            "lessons.problems": "问题一",
            "lessons.suggestions": "建议一",
        },
    )
    result = _import(render_report(report, outline))
    assert result.report.answers["lessons.experience"] == "做法一\n做法二\n问题一\n建议一"
    assert "lessons.problems" not in result.report.answers
    assert [item.placed_in for item in result.unplaced] == ["answers.lessons.experience"]


def test_an_empty_report_exports_and_imports_empty() -> None:
    report = Report(title="空白项目支出绩效自评报告", funds=Funds())
    back = _import(render_report(report, OUTLINES["eight_part"])).report
    assert back == report


def test_a_claim_that_agrees_with_the_computed_total_is_exported_and_read_back() -> None:
    report = Report(title="测试项目支出绩效自评报告", claimed_total=Decimal(0), claimed_grade=Grade.POOR)
    markdown = render_report(report, OUTLINES["eight_part"])
    assert "报告自评得分为 0.00 分，与计算结果一致。" in markdown
    assert "报告自评等级为“差”，与计算结果一致。" in markdown
    back = _import(markdown).report
    assert (back.claimed_total, back.claimed_grade) == (Decimal(0), Grade.POOR)
