"""Markdown rendering: the whole report in its outline, section by section, plus the 附件1 score sheet.

One renderer serves the live preview and the export. Output is deterministic: the same report
and outline always give the same text. The report is a sequence of *parts* — the title, every
section of the outline (its heading and its own blocks, never its children) and the score
sheet — joined by exactly one blank line, so a caller can re-render one part and splice it in.

Text a user typed cannot break the document: prose lines that would open a heading, quote,
code fence or HTML block are escaped, and table cells escape ``|`` and carry newlines as
``<br>``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cached_property, lru_cache
from typing import assert_never

from report.model import Indicator, Level1, Level2, Operator, Report
from report.money import format_money, normalise_text, round_cent
from report.outline import Block, BlockKind, Outline, Section
from report.pipe_tables import pipe_table
from report.scoring import (
    EXECUTION_WEIGHT,
    FULL_SCORE,
    ScoreResult,
    execution_rate,
    execution_score,
    score_report,
)
from report.values import ValueKind, indicator_actual, indicator_target

PLACEHOLDER = "（待填写）"
"""Shown wherever an answer or a figure is still missing, so the preview shows the gap."""

PART_SEPARATOR = "\n\n"
"""Between two parts of the report (title, sections, score sheet): exactly one blank line."""

SCORE_SHEET_TITLE = "附件1 项目支出绩效自评表"
TITLE_PART = "<title>"
"""The key of the title part in ``render_parts``."""
SCORE_SHEET_PART = "<score_sheet>"
"""The key of the score-sheet part in ``render_parts``."""

LEVEL1_ORDER: tuple[Level1, ...] = tuple(Level1)
"""一级 categories in the order of the national form."""
LEVEL2_ORDER: tuple[Level2, ...] = tuple(Level2)
"""二级 categories in the order of the national form: 数量, 质量, 时效, 成本, 经济效益 … 满意度."""

_MAX_HEADING_LEVEL = 6
_TITLE_SUFFIX_RE = re.compile(r"(?:支出)?绩效(?:自评|（自）评价|\(自\)评价|自评价|评价)报告$")
_SPACE_RE = re.compile(r"[ \t\r\n\f\v]+")
_CJK_GAP_RE = re.compile(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])")
_THEMATIC_BREAK_RE = re.compile(r"^([-*_=+~`])(?:[ \t]*\1){2,}[ \t]*$")
_LIST_MARKER_RE = re.compile(r"^(?:[-*+](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$))")
_CLOSING_HASHES_RE = re.compile(r"(?<= )(#+)$")
_BARE_DATE_RE = re.compile(r"^\d{4}(?:[-/.年]\d{1,2}(?:[-/.月]\d{1,2}日?|月)?|年)$")
_SENTENCE_END = "。；;，,.、 "


# --- text helpers -----------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    """Split on every kind of line break; control characters (tabs, escapes) become spaces."""
    if text.isprintable():
        return [text]
    return [
        line
        if line.isprintable()
        else "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in line)
        for line in text.splitlines()
    ]


def one_line(text: str) -> str:
    """Collapse a text onto one line: white space runs become one space, none between Chinese characters."""
    collapsed = _SPACE_RE.sub(" ", " ".join(_lines(text))).strip()
    return _CJK_GAP_RE.sub("", collapsed)


def _guard_line_start(line: str, *, lists: bool) -> str:
    """Escape a line's first character when it would open a Markdown block the author never meant.

    Headings (``#``), quotes (``>``), HTML blocks (``<``), code fences and thematic breaks are
    escaped always; list markers only where ``lists`` is set (inside a list item's text).
    """
    first = line[:1]
    if first in ("#", ">", "<") or line.startswith(("```", "~~~")) or _THEMATIC_BREAK_RE.match(line):
        return "\\" + line
    if lists and _LIST_MARKER_RE.match(line):
        digits = len(line) - len(line.lstrip("0123456789"))
        return line[:digits] + "\\" + line[digits:]
    return line


def _inline(text: str) -> str:
    """User text placed inside a line of our own (a list item, a sentence): one line, guarded."""
    return _guard_line_start(one_line(text), lists=True)


def prose(text: str) -> str:
    """A user's text as Markdown paragraphs: every non-empty line is a paragraph; empty → PLACEHOLDER.

    Leading ASCII spaces are dropped (they would make a code block); full-width indentation
    (``　　``) is kept. Lines that would open a heading, quote, fence or HTML block are escaped.
    """
    paragraphs = []
    for raw in _lines(text):
        line = raw.strip(" \t")
        if line.strip():
            paragraphs.append(_guard_line_start(line.rstrip(), lists=False))
    return "\n\n".join(paragraphs) if paragraphs else PLACEHOLDER


def markdown_cell(text: str) -> str:
    """A table cell: ``\\`` and ``|`` escaped, line breaks as ``<br>``, blank lines dropped."""
    lines = (line.strip() for line in _lines(text))
    joined = "<br>".join(line for line in lines if line)
    return joined.replace("\\", "\\\\").replace("|", "\\|")


def markdown_table(
    headers: Sequence[str], rows: Iterable[Sequence[str]], colalign: Sequence[str] | None = None
) -> str:
    """A pipe table aligned by display width (``wcwidth``), every cell escaped by ``markdown_cell``."""
    body = [[markdown_cell(cell) for cell in row] for row in rows]
    return pipe_table([markdown_cell(h) for h in headers], body, colalign)


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


def _money_cell(report: Report, amount: Decimal | None) -> str:
    return "" if amount is None else format_money(amount, report.money_unit)


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


def _funds_block(report: Report) -> str:
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


def render_budget_table(report: Report) -> str:
    """The budget lines as a table (序号, 名称, 金额, 用途) with a 合计 row summed exactly.

    Without budget lines, the placeholder.
    """
    if not report.budget_lines:
        return PLACEHOLDER
    rows = [
        [str(number), line.name, format_money(line.amount, report.money_unit), line.purpose]
        for number, line in enumerate(report.budget_lines, start=1)
    ]
    total = sum((line.amount for line in report.budget_lines), Decimal(0))
    rows.append(["合计", "", format_money(total, report.money_unit), ""])
    headers = ["序号", "名称", f"金额（{report.money_unit.value}）", "用途"]
    return markdown_table(headers, rows, ("left", "left", "right", "left"))


def _indicator_line(indicator: Indicator, target: str, actual: str) -> str:
    target = target or PLACEHOLDER
    actual = actual or PLACEHOLDER
    name = _inline(indicator.name) or PLACEHOLDER
    line = f"- {name}：年度指标值 {target}，实际完成值 {actual}"
    reason = one_line(indicator.deviation_reason)
    if reason:
        line += f"；偏差原因：{reason}"
    return _sentence(line)


def _categories(key: str) -> frozenset[Level2]:
    """The 二级 categories an INDICATORS block shows: its key lists them (comma-separated); empty = all."""
    names = {name.strip() for name in key.replace("，", ",").split(",") if name.strip()}
    return frozenset(level2 for level2 in Level2 if level2.value in names) if names else frozenset(Level2)


def _indicators_block(report: Report, figures: _Figures, key: str = "") -> str:
    shown = _categories(key)
    groups: dict[Level2, list[int]] = {}
    for index, indicator in enumerate(report.indicators):
        if indicator.level2 in shown:
            groups.setdefault(indicator.level2, []).append(index)
    if not groups:
        return PLACEHOLDER
    values = figures.values
    parts = []
    for level2 in LEVEL2_ORDER:
        members = groups.get(level2)
        if members:
            parts.append(f"**{level2.value}**")
            parts.append("\n".join(_indicator_line(report.indicators[i], *values[i]) for i in members))
    return "\n\n".join(parts)


def render_indicators(report: Report) -> str:
    """The indicator results grouped by 二级 in the national order, one list item per indicator."""
    return _indicators_block(report, _Figures(report))


def _execution_block(report: Report, figures: _Figures) -> str:
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


def _score_block(report: Report, figures: _Figures) -> str:
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
    if report.claimed_grade is not None:
        agrees = "一致" if report.claimed_grade is result.grade else "不一致"
        text += f"报告自评等级为“{report.claimed_grade.value}”，与计算结果{agrees}。"
    return text


def _render_block(report: Report, block: Block, figures: _Figures) -> str:
    kind = block.kind
    if kind is BlockKind.PROSE:
        return prose(report.answers.get(block.key, ""))
    if kind is BlockKind.FUNDS:
        return _funds_block(report)
    if kind is BlockKind.BUDGET_LINES:
        return render_budget_table(report)
    if kind is BlockKind.OVERALL_GOAL:
        return prose(report.overall_goal)
    if kind is BlockKind.STAGE_GOALS:
        return prose(report.stage_goals)
    if kind is BlockKind.INDICATORS:
        return _indicators_block(report, figures, block.key)
    if kind is BlockKind.EXECUTION:
        return _execution_block(report, figures)
    if kind is BlockKind.SCORE:
        return _score_block(report, figures)
    assert_never(kind)


def render_block(report: Report, block: Block) -> str:
    """One block of a section as Markdown (no heading)."""
    return _render_block(report, block, _Figures(report))


# --- sections and the report ------------------------------------------------------------------


def render_heading(section: Section) -> str:
    """A section's heading line: ``#`` × (depth + 1), the 公文 number and the title."""
    level = min(max(section.depth, 1) + 1, _MAX_HEADING_LEVEL)
    text = _CLOSING_HASHES_RE.sub(r"\\\1", one_line(section.heading))
    return f"{'#' * level} {text}"


def _render_section(report: Report, section: Section, figures: _Figures) -> str:
    pieces = [render_heading(section)]
    pieces.extend(_render_block(report, block, figures) for block in section.blocks)
    return "\n\n".join(pieces)


def render_section(report: Report, section: Section) -> str:
    """One section alone: its heading (``#`` depth + 1) and its own blocks, not its children.

    No trailing newline: ``render_report`` joins the parts with ``PART_SEPARATOR``, so this text
    is exactly the section's slice of the whole report.
    """
    return _render_section(report, section, _Figures(report))


def render_title(report: Report) -> str:
    """The report's title block (title, unit, year) as Markdown."""
    title = _CLOSING_HASHES_RE.sub(r"\\\1", one_line(report.title)) or PLACEHOLDER
    facts = []
    if report.unit_name.strip():
        facts.append(f"实施单位：{one_line(report.unit_name)}")
    if report.department.strip():
        facts.append(f"主管部门：{one_line(report.department)}")
    facts.append(f"评价年度：{report.year}年")
    return f"# {title}\n\n" + _guard_line_start("；".join(facts), lists=True)


def _indicator_rows(report: Report, figures: _Figures) -> list[list[str]]:
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
    rows = []
    previous: tuple[Level1, Level2] | None = None
    for index in order:
        indicator = report.indicators[index]
        level1 = indicator.effective_level1
        # like the merged cells of the paper form: a category label only on its first row
        first_of_level1 = previous is None or previous[0] is not level1
        first_of_level2 = first_of_level1 or (previous is not None and previous[1] is not indicator.level2)
        previous = (level1, indicator.level2)
        score = score_of.get(index)
        rows.append(
            [
                level1.value if first_of_level1 else "",
                indicator.level2.value if first_of_level2 else "",
                indicator.name,
                *values[index],
                "" if indicator.weight is None else _plain_number(indicator.weight),
                "" if score is None else _two_dp(score),
                indicator.deviation_reason,
            ]
        )
    return rows


def _score_sheet(report: Report, figures: _Figures) -> str:
    funds = report.funds
    unit = report.money_unit.value
    result = figures.scores
    rate = figures.rate
    info = markdown_table(
        ["项目名称", "主管部门", "实施单位"], [[project_name(report), report.department, report.unit_name]]
    )
    money_rows = [
        [
            "年度资金总额",
            _money_cell(report, funds.initial_budget),
            _money_cell(report, funds.annual_budget),
            _money_cell(report, funds.actual_spent),
            _plain_number(EXECUTION_WEIGHT),
            "" if rate is None else _percent(rate),
            "" if result.execution_score is None else _two_dp(result.execution_score),
        ],
        ["其中：当年财政拨款", "", _money_cell(report, funds.fiscal_current), "", "", "", ""],
        ["上年结转资金", "", _money_cell(report, funds.carried_over), "", "", "", ""],
        ["其他资金", "", _money_cell(report, funds.other), "", "", "", ""],
    ]
    money = markdown_table(
        [f"项目资金（{unit}）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        money_rows,
        ("left", "right", "right", "right", "right", "right", "right"),
    )
    goals = markdown_table(
        ["年度总体目标（预期目标）", "实际完成情况"], [[report.overall_goal, report.overall_goal_actual]]
    )
    indicator_rows = _indicator_rows(report, figures) or [[PLACEHOLDER, "", "", "", "", "", "", ""]]
    indicators = markdown_table(
        [
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
        ],
        indicator_rows,
        ("left", "left", "left", "left", "left", "right", "right", "left"),
    )
    total = markdown_table(
        ["总分", "自评得分", "评价等级"],
        [[_plain_number(FULL_SCORE), _two_dp(result.total), result.grade.value]],
        ("right", "right", "left"),
    )
    heading = f"## {SCORE_SHEET_TITLE}"
    return "\n\n".join([heading, f"（{report.year}年度）", info, money, goals, indicators, total])


def render_score_sheet(report: Report) -> str:
    """附件1 项目支出绩效自评表: header, funds block, goals, indicator rows, total (computed).

    Several pipe tables under one ``##`` heading; unknown values are empty cells.
    """
    return _score_sheet(report, _Figures(report))


@dataclass(frozen=True)
class Part:
    """One part of the rendered report: ``key`` is a section key, ``TITLE_PART`` or ``SCORE_SHEET_PART``."""

    key: str
    markdown: str


def _iter_parts(report: Report, outline: Outline) -> Iterator[Part]:
    figures = _Figures(report)
    yield Part(TITLE_PART, render_title(report))
    for section in outline.walk():
        yield Part(section.key, _render_section(report, section, figures))
    yield Part(SCORE_SHEET_PART, _score_sheet(report, figures))


def render_parts(report: Report, outline: Outline) -> list[Part]:
    """The report as parts in reading order: title, every section (``outline.walk()``), score sheet.

    ``PART_SEPARATOR.join(p.markdown for p in parts) + "\\n"`` is ``render_report``; a preview
    can keep the parts and replace one with ``render_section`` when its section changes.
    """
    return list(_iter_parts(report, outline))


def render_report(report: Report, outline: Outline) -> str:
    """The whole report: title, every section in order, then the score sheet as 附件1; one final newline."""
    return PART_SEPARATOR.join(part.markdown for part in _iter_parts(report, outline)) + "\n"
