"""Markdown rendering: what the preview and the export show."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
import wcwidth
from hypothesis import given

from report import render
from report.model import (
    BudgetLine,
    Funds,
    Grade,
    Indicator,
    Level1,
    Level2,
    MoneyUnit,
    Nature,
    Operator,
    Report,
)
from report.outline import Block, BlockKind, Outline, Section
from report.render import (
    PLACEHOLDER,
    SCORE_SHEET_PART,
    TITLE_PART,
    render_budget_table,
    render_parts,
    render_report,
    render_score_sheet,
    render_section,
    render_title,
)
from tests.strategies import reports

GOLDEN = Path(__file__).parent / "golden"

SAMPLE_AMOUNTS = ["49", "185.03", "20", "29.7", "25", "42.57", "34", "31", "30", "21", "16"]
LINE_NAMES = [
    "党建工作",
    "综合办公",
    "经济服务",
    "平安建设",
    "社区建设",
    "社会保障",
    "城市管理",
    "综合执法",
    "文化服务",
    "农业服务",
    "便民服务",
]
PURPOSES = {0: "党员教育培训", 1: "办公设备及耗材"}


def sample_lines() -> list[BudgetLine]:
    """The sample report's eleven amounts under short names of our own."""
    return [
        BudgetLine(name, Decimal(amount), PURPOSES.get(i, ""))
        for i, (name, amount) in enumerate(zip(LINE_NAMES, SAMPLE_AMOUNTS, strict=True))
    ]


def figures_report() -> Report:
    """A small report built on the sample's figures: budget 487, spent 483.3, claimed 100."""
    return Report(
        title="示例街道工作经费项目支出绩效自评报告",
        unit_name="示例街道办事处",
        department="示例区人民政府",
        year=2020,
        funds=Funds(
            initial_budget=Decimal(487),
            annual_budget=Decimal(487),
            actual_spent=Decimal("483.3"),
            received=Decimal(487),
            fiscal_current=Decimal(487),
        ),
        budget_lines=sample_lines(),
        overall_goal="保障街道日常运转，提升为民服务水平。",
        overall_goal_actual="各项工作按计划完成。",
        # deliberately out of the national order: the renderer must sort them
        indicators=[
            Indicator(
                "居民满意度",
                Level2.SATISFACTION,
                operator=Operator.GE,
                target="95",
                unit="%",
                actual="92.5",
                weight=Decimal(10),
                deviation_reason="部分老旧小区改造尚未完工，明年优先推进。",
            ),
            Indicator(
                "居住环境改善",
                Level2.SOCIAL,
                nature=Nature.QUALITATIVE,
                operator=Operator.QUALITATIVE,
                target="达成年度指标",
                actual="达成年度指标",
                weight=Decimal(30),
                score=Decimal(27),
            ),
            Indicator(
                "培训党员干部",
                Level2.QUANTITY,
                operator=Operator.GE,
                target="1000",
                unit="人次",
                actual="1200",
                weight=Decimal(20),
            ),
            Indicator(
                "矛盾纠纷调处成功率",
                Level2.QUALITY,
                operator=Operator.GE,
                target="95",
                unit="%",
                actual="97",
                weight=Decimal(30),
            ),
        ],
        answers={
            "overview.background": "本项目保障街道各办公室和服务中心全年日常运转。\n资金实行专款专用，按季度拨付。"
        },
        claimed_total=Decimal(100),
    )


def small_outline() -> Outline:
    """Two top-level sections with children, covering every kind of block but the goals."""
    return Outline(
        id="test",
        name="测试提纲",
        sections=(
            Section(
                key="overview",
                title="项目基本情况",
                depth=1,
                number="一、",
                blocks=(Block(BlockKind.PROSE, "overview.background"), Block(BlockKind.FUNDS)),
                children=(
                    Section("overview.budget", "预算安排", 2, "（一）", (Block(BlockKind.BUDGET_LINES),)),
                    Section(
                        "overview.results",
                        "绩效目标完成情况",
                        2,
                        "（二）",
                        (Block(BlockKind.INDICATORS),),
                        children=(
                            Section(
                                "overview.results.note",
                                "偏差说明",
                                3,
                                "1.",
                                (Block(BlockKind.PROSE, "note"),),
                            ),
                        ),
                    ),
                ),
            ),
            Section(
                key="conclusion",
                title="综合评价结论",
                depth=1,
                number="二、",
                blocks=(Block(BlockKind.EXECUTION), Block(BlockKind.SCORE)),
            ),
        ),
    )


def tables(markdown: str) -> list[list[str]]:
    """Every pipe table of a Markdown text, as its lines."""
    found: list[list[str]] = []
    current: list[str] = []
    for line in [*markdown.split("\n"), ""]:
        if line.startswith("|"):
            current.append(line)
        elif current:
            found.append(current)
            current = []
    return found


def cells(row: str) -> list[str]:
    """The cells of one table row, split on unescaped pipes (as GFM does)."""
    parts = re.split(r"(?<!\\)\|", re.sub(r"\\\\", "\0", row))
    return [part.strip().replace("\0", "\\\\") for part in parts[1:-1]]


def assert_tables_sound(markdown: str) -> None:
    """Every table: all lines equally wide on screen and with the same number of cells."""
    for table in tables(markdown):
        widths = {wcwidth.wcswidth(line) for line in table}
        assert len(widths) == 1, table
        assert -1 not in widths, table
        assert len({len(cells(line)) for line in table}) == 1, table


# --- golden -----------------------------------------------------------------------------------


def test_golden_report_from_the_sample_figures() -> None:
    expected = (GOLDEN / "sample_figures.md").read_text(encoding="utf-8")
    assert render_report(figures_report(), small_outline()) == expected


# --- budget table -----------------------------------------------------------------------------


def test_budget_table_totals_the_sample_lines_exactly() -> None:
    table = render_budget_table(figures_report())
    total_row = table.splitlines()[-1]
    assert cells(total_row) == ["合计", "", "483.30", ""]
    assert "483.2999" not in table


def test_budget_table_in_yuan_names_the_unit_and_groups_thousands() -> None:
    report = Report(
        title="t", money_unit=MoneyUnit.YUAN, budget_lines=[BudgetLine("办公设备", Decimal(1850300))]
    )
    table = render_budget_table(report)
    assert cells(table.splitlines()[0])[2] == "金额（元）"
    assert cells(table.splitlines()[-1]) == ["合计", "", "1,850,300.00", ""]


def test_budget_table_without_lines_shows_the_placeholder() -> None:
    assert render_budget_table(Report(title="t")) == PLACEHOLDER


# --- escaping ---------------------------------------------------------------------------------


def test_pipes_backslashes_and_newlines_stay_inside_their_cell() -> None:
    report = Report(
        title="t",
        budget_lines=[
            BudgetLine("甲|乙", Decimal(1), "第一行\n第二行"),
            BudgetLine("路径C:\\|x", Decimal(2)),
        ],
    )
    table = render_budget_table(report).splitlines()
    assert cells(table[2]) == ["1", "甲\\|乙", "1.00", "第一行<br>第二行"]
    assert cells(table[3]) == ["2", "路径C:\\\\\\|x", "2.00", ""]
    assert_tables_sound("\n".join(table))


def test_tables_align_on_screen_with_chinese_ascii_and_control_characters() -> None:
    report = figures_report()
    report.budget_lines.append(
        BudgetLine("Wi-Fi 设备\t（二期）", Decimal("0.5"), "emoji 🙂 与全角　空格\x1b[31m")
    )
    report.indicators[0].deviation_reason = "原因一\n原因二 | 三"
    assert_tables_sound(render_budget_table(report))
    assert_tables_sound(render_score_sheet(report))


def test_prose_cannot_open_headings_fences_or_html_blocks() -> None:
    report = Report(title="t", answers={"p": "# 不是标题\n```\n<!-- 未闭合\n> 引用\n---\n    缩进四格"})
    section = Section("s", "说明", 1, "一、", (Block(BlockKind.PROSE, "p"),))
    body = render_section(report, section).split("\n\n")[1:]
    assert body == ["\\# 不是标题", "\\```", "\\<!-- 未闭合", "\\> 引用", "\\---", "缩进四格"]


def test_indicator_names_cannot_break_the_list() -> None:
    report = Report(
        title="t", indicators=[Indicator("# 1. 名称", Level2.QUANTITY), Indicator("2. 项", Level2.QUANTITY)]
    )
    lines = render.render_indicators(report).splitlines()
    assert lines[2] == f"- \\# 1. 名称：年度指标值 {PLACEHOLDER}，实际完成值 {PLACEHOLDER}。"
    assert lines[3].startswith("- 2\\. 项：")


# --- prose and blocks -------------------------------------------------------------------------


def test_prose_keeps_paragraphs_and_shows_a_placeholder_when_empty() -> None:
    report = Report(title="t", answers={"a": "第一段。\n\n\n　　第二段缩进。  \n第三段。", "b": "  \n "})
    section = Section("s", "情况", 2, "（一）", (Block(BlockKind.PROSE, "a"), Block(BlockKind.PROSE, "b")))
    assert render_section(report, section) == (
        f"### （一）情况\n\n第一段。\n\n　　第二段缩进。\n\n第三段。\n\n{PLACEHOLDER}"
    )
    missing = Section("m", "缺", 1, "一、", (Block(BlockKind.PROSE, "absent"),))
    assert render_section(report, missing) == f"## 一、缺\n\n{PLACEHOLDER}"


def test_heading_level_follows_depth() -> None:
    report = Report(title="t")
    for depth, number in ((1, "三、"), (2, "（三）"), (3, "3."), (4, "（3）")):
        section = Section("k", "标题", depth, number)
        assert render_section(report, section) == "#" * (depth + 1) + f" {number}标题"


def test_funds_sentence_lists_what_is_given_and_marks_what_is_missing() -> None:
    report = Report(title="t", funds=Funds(annual_budget=Decimal(487), carried_over=Decimal("12.5")))
    section = Section("f", "资金", 1, "一、", (Block(BlockKind.FUNDS),))
    assert render_section(report, section).split("\n\n")[1] == (
        f"全年预算数 487.00 万元，全年执行数 {PLACEHOLDER}。资金来源：上年结转资金 12.50 万元。"
    )


def test_goals_blocks_show_the_goal_texts() -> None:
    report = Report(title="t", overall_goal="总目标甲。", stage_goals="阶段一。\n阶段二。")
    section = Section("g", "目标", 2, "（二）", (Block(BlockKind.OVERALL_GOAL), Block(BlockKind.STAGE_GOALS)))
    assert render_section(report, section) == "### （二）目标\n\n总目标甲。\n\n阶段一。\n\n阶段二。"


def test_indicators_are_grouped_in_the_national_order() -> None:
    text = render.render_indicators(figures_report())
    groups = re.findall(r"^\*\*(.+)\*\*$", text, flags=re.M)
    assert groups == ["数量指标", "质量指标", "社会效益指标", "服务对象满意度指标"]


def test_execution_without_figures_says_what_is_missing() -> None:
    section = Section("e", "执行", 1, "一、", (Block(BlockKind.EXECUTION),))
    assert PLACEHOLDER in render_section(Report(title="t"), section)


def test_overspending_is_shown_as_such() -> None:
    report = Report(title="t", funds=Funds(annual_budget=Decimal(100), actual_spent=Decimal("104.5")))
    section = Section("e", "执行", 1, "一、", (Block(BlockKind.EXECUTION),))
    assert "超支 4.50 万元" in render_section(report, section)


# --- score sheet ------------------------------------------------------------------------------


def test_score_sheet_of_an_empty_report_has_empty_cells_not_none() -> None:
    sheet = render_score_sheet(Report(title="空白项目支出绩效评价报告"))
    assert "None" not in sheet
    assert_tables_sound(sheet)
    first_table = tables(sheet)[0]
    assert cells(first_table[2]) == ["空白项目", "", ""]


def test_score_sheet_puts_cost_as_its_own_level1_between_output_and_benefit() -> None:
    report = figures_report()
    report.indicators.append(
        Indicator(
            "单位成本",
            Level2.COST,
            level1=Level1.COST,
            operator=Operator.LE,
            target="5",
            unit="万元",
            actual="4",
        )
    )
    rows = [cells(row) for row in tables(render_score_sheet(report))[3][2:]]
    assert [row[0] for row in rows if row[0]] == ["产出指标", "成本指标", "效益指标", "满意度指标"]


# --- the whole report -------------------------------------------------------------------------


def test_each_section_renders_to_its_slice_of_the_whole_report() -> None:
    report, outline = figures_report(), small_outline()
    full = render_report(report, outline)
    offset = 0
    pieces = [
        render_title(report),
        *(render_section(report, s) for s in outline.walk()),
        render_score_sheet(report),
    ]
    for piece in pieces:
        assert full[offset : offset + len(piece)] == piece
        offset += len(piece)
        assert full[offset : offset + 2] == "\n\n" or full[offset:] == "\n"
        offset += 2
    parts = render_parts(report, outline)
    assert [p.key for p in parts] == [TITLE_PART, *(s.key for s in outline.walk()), SCORE_SHEET_PART]
    assert [p.markdown for p in parts] == pieces


class _WatchedAnswers(dict[str, str]):
    """Answers that remember which keys were read."""

    def __init__(self, answers: dict[str, str]) -> None:
        super().__init__(answers)
        self.read: set[str] = set()

    def get(self, key: str, default: str = "") -> str:  # type: ignore[override]
        self.read.add(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> str:
        self.read.add(key)
        return super().__getitem__(key)


def test_rendering_one_section_reads_only_its_own_answers_and_scores_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    report = figures_report()
    report.answers = _WatchedAnswers({"overview.background": "甲", "note": "乙", "other": "丙"})

    def no_scoring(_: Report) -> None:
        raise AssertionError("a prose section must not score the report")

    monkeypatch.setattr(render, "score_report", no_scoring)
    note = small_outline().find("overview.results.note")
    assert note is not None
    assert render_section(report, note).endswith("乙")
    assert report.answers.read == {"note"}


def typed_text(report: Report) -> str:
    """Everything a user typed into a report, in one string."""
    texts = [
        report.title,
        report.unit_name,
        report.department,
        report.overall_goal,
        report.overall_goal_actual,
    ]
    texts += [report.stage_goals, *report.answers.values()]
    texts += [f"{line.name}{line.purpose}" for line in report.budget_lines]
    texts += [f"{i.name}{i.target}{i.unit}{i.actual}{i.deviation_reason}" for i in report.indicators]
    return "\n".join(texts)


@given(reports())
def test_rendering_is_deterministic_and_well_formed(report: Report) -> None:
    every_kind = Section("all", "全部", 1, "三、", tuple(Block(kind, "x") for kind in BlockKind))
    answers = tuple(
        Section(key, "说明", 2, "（一）", (Block(BlockKind.PROSE, key),)) for key in sorted(report.answers)
    )
    outline = Outline("p", "p", (*small_outline().sections, every_kind, *answers))
    first = render_report(report, outline)
    assert render_report(report, outline) == first
    assert first.endswith("\n") and not first.endswith("\n\n")
    assert "\n\n\n" not in first
    if "None" not in typed_text(report):
        assert "None" not in first
    assert_tables_sound(first)
    headings = [line for line in first.splitlines() if line.startswith("#")]
    assert len(headings) == 1 + len(list(outline.walk())) + 1
    # nothing a user typed opens a fence, a quote or an HTML block that would swallow the rest
    assert not [line for line in first.splitlines() if line.startswith(("```", "~~~", ">", "<"))]


def big_report() -> tuple[Report, Outline]:
    """About 200 pages: 64 prose sections (≈ 300k characters) and 2,000 indicators."""
    paragraph = "本段落说明项目实施情况、资金使用情况以及绩效目标完成情况，用于测试渲染速度。" * 5
    steps = [f"step{i}" for i in range(64)]
    report = figures_report()
    report.answers = {step: "\n".join([paragraph] * 25) for step in steps}
    report.indicators = [
        Indicator(
            f"指标{i}",
            list(Level2)[i % 9],
            operator=Operator.GE,
            target="90",
            unit="%",
            actual="95",
            weight=Decimal(1),
            deviation_reason="无",
        )
        for i in range(2000)
    ]
    prose_sections = (
        Section(s, f"第{i}节", 2, "（一）", (Block(BlockKind.PROSE, s),)) for i, s in enumerate(steps)
    )
    results = Section("results", "指标", 1, "二、", (Block(BlockKind.INDICATORS), Block(BlockKind.SCORE)))
    return report, Outline("big", "大", (*prose_sections, results))


def test_a_200_page_report_renders_whole_and_by_section() -> None:
    """Correctness at size only; speed is measured in benchmarks/, never asserted here."""
    report, outline = big_report()
    assert sum(len(text) for text in report.answers.values()) > 300_000
    first = render_section(report, outline.sections[0])
    full = render_report(report, outline)
    assert len(full) > 300_000
    assert first in full
    assert full.count("\n- ") >= 2000 or full.count("|") > 2000 * 5


def test_indicator_values_print_dates_in_chinese_and_placeholders_as_written() -> None:
    deadline = Indicator(
        "完成时间", Level2.TIMELINESS, operator=Operator.LE, target="2020-12-31", actual="2020-11-30"
    )
    placeholder = Indicator(
        "宣传场次", Level2.QUANTITY, operator=Operator.GE, target="XX", unit="场", actual=""
    )
    assert render.target_display(deadline) == "≤2020年12月31日"
    assert render.actual_display(deadline) == "2020年11月30日"
    assert render.target_display(placeholder) == "≥XX"
    assert render.actual_display(placeholder) == ""


def test_score_block_counts_unscored_rows_and_flags_a_wrong_claimed_grade() -> None:
    report = figures_report()
    report.indicators.append(Indicator("未填指标", Level2.QUANTITY, weight=Decimal(5)))
    report.claimed_grade = Grade.GOOD
    section = Section("c", "结论", 1, "二、", (Block(BlockKind.SCORE),))
    text = render_section(report, section)
    assert "综合得分 96.66 分，评价等级为“优”" in text
    assert "另有 1 项指标" in text
    assert "报告自评等级为“良”，与计算结果不一致" in text


def test_an_indicators_block_shows_only_the_categories_its_key_names() -> None:
    report = Report(
        title="分类测试",
        indicators=[
            Indicator(
                "培训人次", Level2.QUANTITY, operator=Operator.GE, target="100", unit="人次", actual="120"
            ),
            Indicator(
                "群众满意度", Level2.SATISFACTION, operator=Operator.GE, target="90", unit="%", actual="95"
            ),
        ],
    )
    outputs = Section(
        "outputs", "项目产出情况", 2, "（三）", (Block(BlockKind.INDICATORS, "数量指标,质量指标"),)
    )
    benefits = Section(
        "benefits", "项目效益情况", 2, "（四）", (Block(BlockKind.INDICATORS, "服务对象满意度指标"),)
    )
    assert "培训人次" in render_section(report, outputs) and "群众满意度" not in render_section(
        report, outputs
    )
    assert "群众满意度" in render_section(report, benefits) and "培训人次" not in render_section(
        report, benefits
    )
