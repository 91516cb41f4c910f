"""Rendering: the whole report in its outline, section by section, plus the 附件1 score sheet.

The report is built as a document (``report.document``): every part — the title, each section
of the outline (its heading and its own blocks, never its children) and the score sheet — is a
tuple of blocks. The writers lay those blocks out: ``report.writers.markdown`` as Markdown (the
``render_*`` functions here return it), Word and Excel as submission files, and the live
preview draws them directly. One builder serves them all, so every format shows the same
figures. Output is deterministic: the same report and outline always give the same blocks.

Parts are joined by exactly one blank line in Markdown, so a caller can re-render one part and
splice it in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cached_property, lru_cache
from typing import assert_never

from report.document import (
    Align,
    Attachment,
    BulletList,
    Cell,
    DocBlock,
    DocPart,
    Figure,
    FigureKind,
    Heading,
    Merge,
    Paragraph,
    Span,
    Table,
    Title,
    plain,
)
from report.model import Indicator, Level1, Level2, Operator, Report
from report.money import format_money, normalise_text, round_cent
from report.outline import Block, BlockKind, Outline, Section
from report.scoring import (
    EXECUTION_WEIGHT,
    FULL_SCORE,
    ScoreResult,
    execution_rate,
    execution_score,
    score_report,
)
from report.text import one_line, split_lines
from report.values import ValueKind, indicator_actual, indicator_target
from report.writers.markdown import BLOCK_SEPARATOR, blocks_markdown

__all__ = [
    "INDICATOR_SHEET_HEADER",
    "LEVEL1_ORDER",
    "LEVEL2_ORDER",
    "PART_SEPARATOR",
    "PLACEHOLDER",
    "SCORE_SHEET_PART",
    "SCORE_SHEET_TITLE",
    "TITLE_PART",
    "Part",
    "actual_display",
    "document_parts",
    "project_name",
    "prose_blocks",
    "render_block",
    "render_budget_table",
    "render_heading",
    "render_indicators",
    "render_parts",
    "render_report",
    "render_score_sheet",
    "render_section",
    "render_title",
    "score_sheet_blocks",
    "section_blocks",
    "target_display",
    "title_blocks",
]

PLACEHOLDER = "（待填写）"
"""Shown wherever an answer or a figure is still missing, so the preview shows the gap."""

PART_SEPARATOR = BLOCK_SEPARATOR
"""Between two parts of the report (title, sections, score sheet) in Markdown: exactly one blank line."""

SCORE_SHEET_LABEL = "附件1"
SCORE_SHEET_NAME = "项目支出绩效自评表"
SCORE_SHEET_TITLE = f"{SCORE_SHEET_LABEL} {SCORE_SHEET_NAME}"
TITLE_PART = "<title>"
"""The key of the title part in ``render_parts``."""
SCORE_SHEET_PART = "<score_sheet>"
"""The key of the score-sheet part in ``render_parts``."""

INDICATOR_SHEET_HEADER = (
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
)
"""The column headings of the 自评表's indicator rows, in the national form's order."""

LEVEL1_ORDER: tuple[Level1, ...] = tuple(Level1)
"""一级 categories in the order of the national form."""
LEVEL2_ORDER: tuple[Level2, ...] = tuple(Level2)
"""二级 categories in the order of the national form: 数量, 质量, 时效, 成本, 经济效益 … 满意度."""

_TITLE_SUFFIX_RE = re.compile(r"(?:支出)?绩效(?:自评|（自）评价|\(自\)评价|自评价|评价)报告$")
_BARE_DATE_RE = re.compile(r"^\d{4}(?:[-/.年]\d{1,2}(?:[-/.月]\d{1,2}日?|月)?|年)$")
_SENTENCE_END = "。；;，,.、 "


# --- text helpers -----------------------------------------------------------------------------


def prose_blocks(text: str) -> tuple[Paragraph, ...]:
    """A user's text as paragraphs: every non-empty line is one; empty text → one PLACEHOLDER paragraph.

    Leading ASCII spaces are dropped (they carry no meaning in any format); full-width
    indentation (``　　``) is kept.
    """
    paragraphs = []
    for raw in split_lines(text):
        line = raw.strip(" \t")
        if line.strip():
            paragraphs.append(plain(line.rstrip()))
    return tuple(paragraphs) if paragraphs else (plain(PLACEHOLDER),)


def _plain_number(value: Decimal) -> str:
    """A weight as people write it: 10, 2.5 (no exponent, no trailing zeros)."""
    if value == value.to_integral_value():
        return f"{value:.0f}"
    return f"{value.normalize():f}"


def _two_dp(value: Decimal) -> str:
    """A score or amount with two decimals, rounded half up."""
    return f"{round_cent(value):.2f}"


def _percent(rate: Decimal) -> str:
    """A fraction as a percentage with two decimals: 0.9924 → 99.24%."""
    return f"{_two_dp(rate * 100)}%"


def _money(report: Report, amount: Decimal | None) -> str:
    """An amount with its unit, ``487.00 万元``, or the placeholder."""
    if amount is None:
        return PLACEHOLDER
    return format_money(amount, report.money_unit, with_unit=True)


def _money_figure(report: Report, amount: Decimal | None) -> Cell:
    """An amount as a table cell: the figure in the report's unit, or empty."""
    if amount is None:
        return ""
    return Figure(amount, format_money(amount, report.money_unit), FigureKind.MONEY)


def _score_figure(score: Decimal | None) -> Cell:
    return "" if score is None else Figure(score, _two_dp(score), FigureKind.SCORE)


def _weight_figure(weight: Decimal | None) -> Cell:
    return "" if weight is None else Figure(weight, _plain_number(weight), FigureKind.WEIGHT)


def _sentence(text: str) -> str:
    """Text with its own trailing punctuation replaced by one 。."""
    return text.rstrip(_SENTENCE_END) + "。"


def project_name(report: Report) -> str:
    """The project's name for the score sheet: the title without ``支出绩效（自）评价报告``."""
    title = one_line(report.title)
    stripped = _TITLE_SUFFIX_RE.sub("", title).strip()
    return stripped or title


# --- indicator values -------------------------------------------------------------------------


def target_display(indicator: Indicator) -> str:
    """The 年度指标值 as printed: operator, value and unit (``≥99%``); "" when not given.

    A target the value parser cannot read is shown as written, after its operator.
    """
    parsed = indicator_target(indicator)
    if parsed is not None:
        return parsed.display()
    written = one_line(indicator.target)
    if not written:
        return ""
    operator = indicator.operator
    prefix = operator.value if operator is not None and operator is not Operator.QUALITATIVE else ""
    return prefix + written


def actual_display(indicator: Indicator) -> str:
    """The 实际完成值 as printed (``99.9%``, ``2020年11月30日``); "" when not given; as written when unreadable."""
    parsed = indicator_actual(indicator)
    if parsed is None:
        return one_line(indicator.actual)
    if parsed.kind is ValueKind.DATE and _BARE_DATE_RE.match(normalise_text(indicator.actual)):
        # the parser gives every date a ≤; an actual completion date written bare is a plain fact
        parsed = replace(parsed, operator=None)
    return parsed.display()


# --- blocks -----------------------------------------------------------------------------------


class _Figures:
    """Derived figures a render needs, computed at most once per render."""

    def __init__(self, report: Report) -> None:
        self.report = report

    @cached_property
    def scores(self) -> ScoreResult:
        return score_report(self.report)

    @cached_property
    def rate(self) -> Decimal | None:
        return execution_rate(self.report.funds)

    @cached_property
    def values(self) -> list[tuple[str, str]]:
        """(年度指标值, 实际完成值) as printed, per indicator: parsed once for the list and the sheet."""
        return [_values_shown(i.target, i.actual, i.unit, i.operator) for i in self.report.indicators]


@lru_cache(maxsize=16_384)
def _values_shown(target: str, actual: str, unit: str, operator: Operator | None) -> tuple[str, str]:
    """``target_display`` and ``actual_display`` of a row with these fields (all they read), remembered.

    The indicator list and the score sheet print every row's values, the preview renders them
    again whenever an indicator changes, and parsing 4,000 values took ~60 ms at 2,000 rows.
    """
    row = Indicator("", Level2.QUANTITY, operator=operator, target=target, unit=unit, actual=actual)
    return target_display(row), actual_display(row)


def _funds_text(report: Report) -> str:
    funds = report.funds
    figures = []
    if funds.initial_budget is not None:
        figures.append(f"年初预算数 {_money(report, funds.initial_budget)}")
    figures.append(f"全年预算数 {_money(report, funds.annual_budget)}")
    figures.append(f"全年执行数 {_money(report, funds.actual_spent)}")
    if funds.received is not None:
        figures.append(f"到位资金 {_money(report, funds.received)}")
    text = "，".join(figures) + "。"
    sources = [
        (label, amount)
        for label, amount in (
            ("当年财政拨款", funds.fiscal_current),
            ("上年结转资金", funds.carried_over),
            ("其他资金", funds.other),
        )
        if amount is not None
    ]
    if sources:
        text += (
            "资金来源：" + "，".join(f"{label} {_money(report, amount)}" for label, amount in sources) + "。"
        )
    return text


def budget_table(report: Report) -> tuple[DocBlock, ...]:
    """The budget lines as a table (序号, 名称, 金额, 用途) with a 合计 row summed exactly.

    Without budget lines, a PLACEHOLDER paragraph.
    """
    if not report.budget_lines:
        return (plain(PLACEHOLDER),)
    rows: list[tuple[Cell, ...]] = [
        (str(number), line.name, _money_figure(report, line.amount), line.purpose)
        for number, line in enumerate(report.budget_lines, start=1)
    ]
    total = sum((line.amount for line in report.budget_lines), Decimal(0))
    rows.append(("合计", "", _money_figure(report, total), ""))
    header = ("序号", "名称", f"金额（{report.money_unit.value}）", "用途")
    align = (Align.LEFT, Align.LEFT, Align.RIGHT, Align.LEFT)
    return (Table(header, tuple(rows), align, role="budget_lines"),)


def render_budget_table(report: Report) -> str:
    """The budget table (``budget_table``) as Markdown."""
    return blocks_markdown(budget_table(report))


def _indicator_item(indicator: Indicator, target: str, actual: str) -> tuple[Span, ...]:
    target = target or PLACEHOLDER
    actual = actual or PLACEHOLDER
    name = one_line(indicator.name) or PLACEHOLDER
    rest = f"：年度指标值 {target}，实际完成值 {actual}"
    reason = one_line(indicator.deviation_reason)
    if reason:
        rest += f"；偏差原因：{reason}"
    return (Span(name), Span(_sentence(rest)))


def _categories(key: str) -> frozenset[Level2]:
    """The 二级 categories an INDICATORS block shows: its key lists them (comma-separated); empty = all."""
    names = {name.strip() for name in key.replace("，", ",").split(",") if name.strip()}
    return frozenset(level2 for level2 in Level2 if level2.value in names) if names else frozenset(Level2)


def _indicators_blocks(report: Report, figures: _Figures, key: str = "") -> tuple[DocBlock, ...]:
    shown = _categories(key)
    groups: dict[Level2, list[int]] = {}
    for index, indicator in enumerate(report.indicators):
        if indicator.level2 in shown:
            groups.setdefault(indicator.level2, []).append(index)
    if not groups:
        return (plain(PLACEHOLDER),)
    values = figures.values
    blocks: list[DocBlock] = []
    for level2 in LEVEL2_ORDER:
        members = groups.get(level2)
        if members:
            blocks.append(Paragraph((Span(level2.value, strong=True),)))
            blocks.append(
                BulletList(tuple(_indicator_item(report.indicators[i], *values[i]) for i in members))
            )
    return tuple(blocks)


def render_indicators(report: Report) -> str:
    """The indicator results grouped by 二级 in the national order, one list item per indicator, as Markdown."""
    return blocks_markdown(_indicators_blocks(report, _Figures(report)))


def _execution_text(report: Report, figures: _Figures) -> str:
    funds = report.funds
    rate = figures.rate
    if rate is None or funds.annual_budget is None or funds.actual_spent is None:
        return f"预算执行率{PLACEHOLDER}：需要全年预算数和全年执行数。"
    score = execution_score(rate)
    text = (
        f"预算执行率 {_percent(rate)}（全年执行数 {_money(report, funds.actual_spent)} ÷ "
        f"全年预算数 {_money(report, funds.annual_budget)}），"
        f"得分 {_two_dp(score)} 分（分值 {_plain_number(EXECUTION_WEIGHT)} 分）；"
    )
    savings = funds.annual_budget - funds.actual_spent
    if savings >= 0:
        return text + f"节约资金 {_money(report, savings)}。"
    return text + f"超支 {_money(report, -savings)}。"


def _score_text(report: Report, figures: _Figures) -> str:
    result = figures.scores
    text = f"按评分规则计算，综合得分 {_two_dp(result.total)} 分，评价等级为“{result.grade.value}”。"
    unscored = sum(1 for item in result.indicators if item.score is None)
    if unscored:
        text += f"另有 {unscored} 项指标缺少年度指标值、实际完成值或分值，未计入得分。"
    # the claim is always stated (agreeing or not), so an exported report imports with it
    claimed = report.claimed_total
    if claimed is not None:
        agrees = "一致" if round_cent(claimed) == round_cent(result.total) else "不一致"
        text += f"报告自评得分为 {_two_dp(claimed)} 分，与计算结果{agrees}。"
    stated = report.funds.stated_execution_score
    if stated is not None and result.execution_score is not None:
        agrees = "一致" if round_cent(stated) == round_cent(result.execution_score) else "不一致"
        text += f"报告填报的预算执行率得分为 {_two_dp(stated)} 分，与计算结果 {_two_dp(result.execution_score)} 分{agrees}。"
    elif stated is not None:
        text += f"报告填报的预算执行率得分为 {_two_dp(stated)} 分。"
    if report.claimed_grade is not None:
        agrees = "一致" if report.claimed_grade is result.grade else "不一致"
        text += f"报告自评等级为“{report.claimed_grade.value}”，与计算结果{agrees}。"
    return text


def _blocks_of(report: Report, block: Block, figures: _Figures) -> tuple[DocBlock, ...]:
    kind = block.kind
    if kind is BlockKind.PROSE:
        return prose_blocks(report.answers.get(block.key, ""))
    if kind is BlockKind.FUNDS:
        return (plain(_funds_text(report)),)
    if kind is BlockKind.BUDGET_LINES:
        return budget_table(report)
    if kind is BlockKind.OVERALL_GOAL:
        return prose_blocks(report.overall_goal)
    if kind is BlockKind.STAGE_GOALS:
        return prose_blocks(report.stage_goals)
    if kind is BlockKind.INDICATORS:
        return _indicators_blocks(report, figures, block.key)
    if kind is BlockKind.EXECUTION:
        return (plain(_execution_text(report, figures)),)
    if kind is BlockKind.SCORE:
        return (plain(_score_text(report, figures)),)
    assert_never(kind)


def render_block(report: Report, block: Block) -> str:
    """One outline block of a section as Markdown (no heading)."""
    return blocks_markdown(_blocks_of(report, block, _Figures(report)))


# --- sections and the report ------------------------------------------------------------------


def heading_block(section: Section) -> Heading:
    """A section's heading: its depth, its 公文 number and its title."""
    text = one_line(section.heading)
    number = section.number if text.startswith(section.number) else ""
    return Heading(section.depth, number, text[len(number) :])


def render_heading(section: Section) -> str:
    """A section's heading line in Markdown: ``#`` × (depth + 1), the 公文 number and the title."""
    return blocks_markdown((heading_block(section),))


def _section_blocks(report: Report, section: Section, figures: _Figures) -> tuple[DocBlock, ...]:
    blocks: list[DocBlock] = [heading_block(section)]
    for block in section.blocks:
        blocks.extend(_blocks_of(report, block, figures))
    return tuple(blocks)


def section_blocks(report: Report, section: Section) -> tuple[DocBlock, ...]:
    """One section alone: its heading and its own blocks, not its children."""
    return _section_blocks(report, section, _Figures(report))


def render_section(report: Report, section: Section) -> str:
    """One section alone as Markdown (``section_blocks``).

    No trailing newline: ``render_report`` joins the parts with ``PART_SEPARATOR``, so this text
    is exactly the section's slice of the whole report.
    """
    return blocks_markdown(section_blocks(report, section))


def title_blocks(report: Report) -> tuple[DocBlock, ...]:
    """The report's title with the unit, the department and the year under it."""
    facts = []
    if report.unit_name.strip():
        facts.append(f"实施单位：{one_line(report.unit_name)}")
    if report.department.strip():
        facts.append(f"主管部门：{one_line(report.department)}")
    facts.append(f"评价年度：{report.year}年")
    return (Title(one_line(report.title) or PLACEHOLDER, tuple(facts)),)


def render_title(report: Report) -> str:
    """The report's title block (title, unit, year) as Markdown."""
    return blocks_markdown(title_blocks(report))


def _indicator_sheet(report: Report, figures: _Figures) -> Table:
    result = figures.scores
    values = figures.values
    score_of = {item.index: item.score for item in result.indicators}
    level1_rank = {level: rank for rank, level in enumerate(LEVEL1_ORDER)}
    level2_rank = {level: rank for rank, level in enumerate(LEVEL2_ORDER)}
    order = sorted(
        range(len(report.indicators)),
        key=lambda i: (
            level1_rank[report.indicators[i].effective_level1],
            level2_rank[report.indicators[i].level2],
            i,
        ),
    )
    rows: list[tuple[Cell, ...]] = []
    merges: list[Merge] = []
    level1_start = level2_start = 0
    previous: tuple[Level1, Level2] | None = None
    for row_number, index in enumerate(order):
        indicator = report.indicators[index]
        level1 = indicator.effective_level1
        # like the merged cells of the paper form: a category label only on its first row
        first_of_level1 = previous is None or previous[0] is not level1
        first_of_level2 = first_of_level1 or (previous is not None and previous[1] is not indicator.level2)
        if first_of_level1 and row_number:
            merges.append(Merge(level1_start, 0, row_number - level1_start))
            level1_start = row_number
        if first_of_level2 and row_number:
            merges.append(Merge(level2_start, 1, row_number - level2_start))
            level2_start = row_number
        previous = (level1, indicator.level2)
        rows.append(
            (
                level1.value if first_of_level1 else "",
                indicator.level2.value if first_of_level2 else "",
                indicator.name,
                *values[index],
                _weight_figure(indicator.weight),
                _score_figure(score_of.get(index)),
                indicator.deviation_reason,
            )
        )
    if rows:
        merges.append(Merge(level1_start, 0, len(rows) - level1_start))
        merges.append(Merge(level2_start, 1, len(rows) - level2_start))
    else:
        rows.append((PLACEHOLDER, "", "", "", "", "", "", ""))
    left, right = Align.LEFT, Align.RIGHT
    return Table(
        INDICATOR_SHEET_HEADER,
        tuple(rows),
        (left, left, left, left, left, right, right, left),
        tuple(merge for merge in merges if merge.rows > 1),
        role="sheet.indicators",
    )


def _score_sheet(report: Report, figures: _Figures) -> tuple[DocBlock, ...]:
    funds = report.funds
    unit = report.money_unit.value
    result = figures.scores
    rate = figures.rate
    info = Table(
        ("项目名称", "主管部门", "实施单位"),
        ((project_name(report), report.department, report.unit_name),),
        role="sheet.info",
    )
    money_rows: tuple[tuple[Cell, ...], ...] = (
        (
            "年度资金总额",
            _money_figure(report, funds.initial_budget),
            _money_figure(report, funds.annual_budget),
            _money_figure(report, funds.actual_spent),
            _weight_figure(EXECUTION_WEIGHT),
            "" if rate is None else Figure(rate, _percent(rate), FigureKind.RATE),
            _score_figure(result.execution_score),
        ),
        ("其中：当年财政拨款", "", _money_figure(report, funds.fiscal_current), "", "", "", ""),
        ("上年结转资金", "", _money_figure(report, funds.carried_over), "", "", "", ""),
        ("其他资金", "", _money_figure(report, funds.other), "", "", "", ""),
    )
    right = Align.RIGHT
    money = Table(
        (f"项目资金（{unit}）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"),
        money_rows,
        (Align.LEFT, right, right, right, right, right, right),
        role="sheet.funds",
    )
    goals = Table(
        ("年度总体目标（预期目标）", "实际完成情况"),
        ((report.overall_goal, report.overall_goal_actual),),
        role="sheet.goals",
    )
    total = Table(
        ("总分", "自评得分", "评价等级"),
        ((_weight_figure(FULL_SCORE), _score_figure(result.total), result.grade.value),),
        (right, right, Align.LEFT),
        role="sheet.total",
    )
    attachment = Attachment(SCORE_SHEET_LABEL, SCORE_SHEET_NAME, f"（{report.year}年度）")
    return (attachment, info, money, goals, _indicator_sheet(report, figures), total)


def score_sheet_blocks(report: Report) -> tuple[DocBlock, ...]:
    """附件1 项目支出绩效自评表: the attachment heading, then its tables — header (``sheet.info``),
    funds (``sheet.funds``), goals (``sheet.goals``), indicator rows with their 一级/二级 groups
    merged (``sheet.indicators``) and the total (``sheet.total``). Scores are computed; unknown
    values are empty cells.
    """
    return _score_sheet(report, _Figures(report))


def render_score_sheet(report: Report) -> str:
    """The score sheet (``score_sheet_blocks``) as Markdown: several pipe tables under one ``##`` heading."""
    return blocks_markdown(score_sheet_blocks(report))


@dataclass(frozen=True)
class Part:
    """One part of the rendered report as Markdown: ``key`` is a section key, ``TITLE_PART`` or ``SCORE_SHEET_PART``."""

    key: str
    markdown: str


def _iter_doc_parts(report: Report, outline: Outline) -> Iterator[DocPart]:
    figures = _Figures(report)
    yield DocPart(TITLE_PART, title_blocks(report))
    for section in outline.walk():
        yield DocPart(section.key, _section_blocks(report, section, figures))
    yield DocPart(SCORE_SHEET_PART, _score_sheet(report, figures))


def document_parts(report: Report, outline: Outline) -> list[DocPart]:
    """The whole report as a document, in reading order: title, every section (``outline.walk()``), score sheet.

    Every writer (Markdown, Word, Excel) and the live preview read this.
    """
    return list(_iter_doc_parts(report, outline))


def render_parts(report: Report, outline: Outline) -> list[Part]:
    """The report as Markdown parts in reading order: title, every section, score sheet.

    ``PART_SEPARATOR.join(p.markdown for p in parts) + "\\n"`` is ``render_report``.
    """
    return [Part(part.key, blocks_markdown(part.blocks)) for part in _iter_doc_parts(report, outline)]


def render_report(report: Report, outline: Outline) -> str:
    """The whole report as Markdown: title, every section in order, then the score sheet as 附件1; one final newline."""
    return (
        PART_SEPARATOR.join(blocks_markdown(part.blocks) for part in _iter_doc_parts(report, outline)) + "\n"
    )
