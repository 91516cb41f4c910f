"""Consistency checks (RULES.md §6): each finding has a severity, a stable code, a place, a message, a hint.

Every check the model can express is here; ``CHECKS`` lists them all (code → severity, title,
the §6 rule number) for the CLI and the docs. Messages are Chinese and name the numbers
(amounts with ``format_money``, rates as ``99.24%``); hints say how to fix it. The checks read
whatever is filled in and skip what is not: a brand-new report gives a few "missing" findings.
A field missing on one indicator row is reported on that row; missing on every row (two or
more), it is one summary finding, so a sheet without targets reads as one problem, not twenty.

Not expressible on the model, so not checked: 二级 = Σ 三级 weights (the model keeps no 二级
weight; 一级 = Σ 三级 is checked instead), and headings "present and numbered in order" (the
headings come from the template and the renderer numbers them).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, fields
from decimal import Context, Decimal, getcontext, localcontext
from enum import StrEnum
from functools import cached_property, lru_cache
from operator import attrgetter
from typing import NamedTuple

from report.errors import ParseError
from report.model import Indicator, Level1, Level2, MoneyUnit, Operator, QualGrade, Report
from report.money import fold_width, format_money, parse_money, round_cent
from report.outline import BlockKind, Outline, Section
from report.scoring import (
    DEFAULT_WEIGHTS,
    EXECUTION_WEIGHT,
    FULL_RATE,
    FULL_SCORE,
    OVERACHIEVEMENT_FACTOR,
    QUAL_BANDS,
    ScoreResult,
    effective_operator,
    execution_rate,
    grade_for,
    in_band,
    is_qualitative,
    parse_outcome,
    parsed_actual,
    parsed_target,
    qualitative_band,
    score_report,
    to_report_unit,
)
from report.values import MONEY_UNITS, ParsedValue, ValueKind, fit_problem

MONEY_TOLERANCE = Decimal("0.01")
"""Amounts (in the report's unit) that differ by at most this much agree (RULES.md §6 #1)."""
RATE_TOLERANCE = Decimal("0.01")
"""Percentages that differ by this much or more disagree: 86.19% for 86.18% is a slip (RULES.md §4)."""
SCORE_TOLERANCE = Decimal("0.01")
"""Scores that differ by this much or more disagree (scores carry two decimals)."""
BUDGET_CUT_SHARE = Decimal("0.10")
"""年初预算 "≫" 全年预算: the budget was cut by at least this share of the 年初 figure (RULES.md §6 #25)."""
DECLARED_LIST_MIN = 3
"""A prose answer naming at least this many 二级 categories declares an indicator system (#17)."""
_SPARE_DIGITS = 12
LISTED_NAMES_MAX = 3
"""Messages name at most this many rows or amounts, then say how many more."""
CORE_OUTPUT_CATEGORIES: tuple[tuple[Level2, str], ...] = (
    (Level2.QUANTITY, "coverage.no_quantity"),
    (Level2.QUALITY, "coverage.no_quality"),
    (Level2.TIMELINESS, "coverage.no_timeliness"),
    (Level2.COST, "coverage.no_cost"),
)


class Severity(StrEnum):
    """How bad a finding is."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


SEVERITY_ORDER: dict[Severity, int] = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True)
class CheckSpec:
    """One kind of finding: its stable code, severity, short Chinese title and RULES.md §6 number."""

    code: str
    severity: Severity
    title: str
    rule: int


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO
CHECKS: dict[str, CheckSpec] = {
    spec.code: spec
    for spec in (
        CheckSpec("funds.missing", _E, "缺少全年预算数或全年执行数", 1),
        CheckSpec("budget.lines_missing", _W, "未填写预算明细", 1),
        CheckSpec("budget.lines_sum", _E, "预算明细合计与全年预算数不符", 1),
        CheckSpec("funds.savings", _E, "节约资金与预算数减执行数不符", 2),
        CheckSpec("funds.overspent", _W, "全年执行数超过全年预算数", 2),
        CheckSpec("funds.execution_rate", _E, "所写执行率与计算结果不符", 3),
        CheckSpec("score.execution", _E, "预算执行率得分不符合 min(执行率,100%)×10", 4),
        CheckSpec("score.claimed_missing", _I, "未填写自评得分", 5),
        CheckSpec("score.claimed_over_100", _E, "自评得分超过 100 分", 5),
        CheckSpec("score.claimed_impossible", _E, "自评得分超过可能的最高分", 5),
        CheckSpec("score.total_mismatch", _E, "自评得分与按规则计算的总分不符", 5),
        CheckSpec("score.full_despite_shortfall", _E, "执行率不足或指标未完成却自评满分", 6),
        CheckSpec("grade.missing", _W, "未写评价等级", 7),
        CheckSpec("grade.mismatch", _E, "评价等级与得分不符", 7),
        CheckSpec("weights.sum", _E, "一级指标分值合计不等于 100", 8),
        CheckSpec("weights.custom", _W, "一级指标分值不是通用的 50/30/10/10", 8),
        CheckSpec("indicator.missing_weight", _W, "指标没有分值", 8),
        CheckSpec("weights.level_sum", _E, "一级分值与其下三级分值合计不符", 9),
        CheckSpec("indicator.none", _E, "没有绩效指标", 10),
        CheckSpec("indicator.missing_target", _E, "指标缺少年度指标值", 10),
        CheckSpec("indicator.missing_operator", _W, "定量指标缺少比较符号", 10),
        CheckSpec("indicator.missing_unit", _E, "定量指标缺少单位", 10),
        CheckSpec("indicator.missing_actual", _E, "指标缺少实际完成值", 10),
        CheckSpec("indicator.placeholder", _E, "指标值是占位符", 11),
        CheckSpec("indicator.unreadable", _E, "指标值无法识别", 11),
        CheckSpec("indicator.not_numeric", _E, "定量指标的值不是数值", 11),
        CheckSpec("indicator.score_over_weight", _E, "指标得分超过分值", 12),
        CheckSpec("indicator.score_rule", _E, "指标得分不符合计分规则", 12),
        CheckSpec("indicator.score_band", _E, "定性指标得分不在等级区间内", 12),
        CheckSpec("indicator.missing_reason", _E, "未完成的指标缺少偏差原因", 13),
        CheckSpec("indicator.overachieved", _W, "超额 30% 以上却未说明原因", 13),
        CheckSpec("coverage.no_quantity", _W, "没有数量指标", 14),
        CheckSpec("coverage.no_quality", _W, "没有质量指标", 14),
        CheckSpec("coverage.no_timeliness", _W, "没有时效指标", 14),
        CheckSpec("coverage.no_cost", _W, "没有成本指标", 14),
        CheckSpec("coverage.no_benefit", _W, "没有效益指标", 14),
        CheckSpec("coverage.no_satisfaction", _W, "没有服务对象满意度指标", 14),
        CheckSpec("indicator.type_mismatch", _E, "指标值类型与所在类别不符", 15),
        CheckSpec("indicator.rate_over_100", _E, "比率超过 100%", 15),
        CheckSpec("cost.operator", _E, "成本指标没有用 ≤", 16),
        CheckSpec("cost.unit", _W, "成本指标的金额单位与报告不同", 16),
        CheckSpec("text.declared_categories", _W, "正文声明的指标类别没有填报", 17),
        CheckSpec("text.rate_mismatch", _W, "正文中的比率与计算结果不符", 18),
        CheckSpec("text.amount_mismatch", _W, "正文中的金额与填报数字不符", 18),
        CheckSpec("outline.empty_section", _W, "章节没有内容", 19),
        CheckSpec("outline.nil_section", _I, "章节只写了“无”", 19),
        CheckSpec("score.sheet_missing", _E, "自评了得分却没有评分表", 20),
        CheckSpec("text.money_unit", _W, "正文金额单位与报告单位不一致", 21),
        CheckSpec("indicator.money_unit", _W, "指标金额单位与报告单位不一致", 21),
        CheckSpec("year.title", _E, "标题年度与报告年度不符", 22),
        CheckSpec("year.indicator_date", _W, "指标时限不在评价年度内", 22),
        CheckSpec("funds.received_over_budget", _E, "到位资金超过全年预算数", 23),
        CheckSpec("funds.sources_sum", _E, "资金来源合计与全年预算数不符", 24),
        CheckSpec("funds.budget_cut", _W, "全年预算数调减到恰好等于执行数", 25),
    )
}
"""Every finding code, in the order of RULES.md §6."""


FIELD_NAMES: dict[str, str] = {
    "title": "报告标题",
    "year": "评价年度",
    "money_unit": "金额单位",
    "funds.initial_budget": "年初预算数",
    "funds.annual_budget": "全年预算数",
    "funds.actual_spent": "全年执行数",
    "funds.received": "到位资金",
    "funds.fiscal_current": "当年财政拨款",
    "funds.carried_over": "上年结转资金",
    "funds.other": "其他资金",
    "funds.stated_savings": "节约资金",
    "funds.stated_execution_rate": "执行率",
    "budget_lines": "预算明细",
    "weights": "一级指标分值",
    "indicators": "绩效指标",
    "claimed_total": "自评得分",
    "claimed_grade": "评价等级",
    "answers": "正文",
}
"""The Chinese name of each field a finding can point at."""

_FIELD_RANK: dict[str, int] = {name: rank for rank, name in enumerate(FIELD_NAMES)}


@dataclass(frozen=True)
class Where:
    """Where a finding applies.

    ``field`` names the model field to fix (``funds.annual_budget``, ``budget_lines``,
    ``indicators``, ``claimed_total``, ``claimed_grade``, ``weights``, ``answers.<step id>``);
    ``section`` is an outline section key when known; ``budget_line`` / ``indicator`` are
    0-based indexes into the report's lists; ``label`` is the row's name or the section's
    heading, for people.
    """

    field: str = ""
    section: str = ""
    budget_line: int | None = None
    indicator: int | None = None
    label: str = ""

    def describe(self) -> str:
        """A short Chinese description of the place: ``预算明细第 3 行``, ``指标「按期结案率」``."""
        named = f"「{self.label}」" if self.label else ""
        if self.indicator is not None:
            return f"第 {self.indicator + 1} 项指标{named}"
        if self.budget_line is not None:
            return f"预算明细第 {self.budget_line + 1} 行{named}"
        if self.field.startswith("answers.") or self.section:
            return f"正文{named}" if named else f"正文 {self.section or self.field.removeprefix('answers.')}"
        if self.field:
            return FIELD_NAMES.get(self.field, self.field)
        return "整份报告"


@dataclass(frozen=True)
class Finding:
    """One check result."""

    severity: Severity
    code: str  # stable, e.g. "budget.lines_sum"
    where: Where
    message: str  # Chinese: what is wrong
    hint: str  # Chinese: how to fix it


# ---- shared helpers ------------------------------------------------------------------------------


def _roomy(value: Decimal) -> AbstractContextManager[Context]:
    """A decimal context precise enough to round ``value`` to cents, however large it is."""
    context = getcontext().copy()
    if value.is_finite():
        context.prec = max(context.prec, value.adjusted() + _SPARE_DIGITS)
    return localcontext(context)


def _round(value: Decimal) -> Decimal:
    """``round_cent`` that also copes with absurdly large numbers typed into a value."""
    with _roomy(value):
        return round_cent(value)


def _money_text(amount: Decimal, unit: MoneyUnit, *, with_unit: bool = False) -> str:
    """``format_money`` that also copes with absurdly large amounts."""
    with _roomy(amount):
        return format_money(amount, unit, with_unit=with_unit)


def _pts(value: Decimal) -> str:
    """A score as people write it: ``100``, ``99.92``, ``9.90``."""
    value = _round(value)
    return f"{value:.0f}" if value == value.to_integral_value() else f"{value:.2f}"


def _pct(fraction: Decimal) -> str:
    """A fraction as a percentage with two decimals: 0.9924 → ``99.24%``."""
    with _roomy(fraction * 100):
        return f"{round_cent(fraction * 100):.2f}%"


def _pct_as_written(fraction: Decimal) -> str:
    """A stated fraction as a percentage, keeping decimals beyond the second: ``99.245%``, ``99.25%``."""
    percent = (fraction * 100).normalize()
    exponent = percent.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        return f"{percent:f}%"
    return f"{percent:.2f}%"


def _names(names: list[str]) -> str:
    shown = "、".join(f"「{name}」" for name in names[:LISTED_NAMES_MAX])
    more = len(names) - LISTED_NAMES_MAX
    return f"{shown}等 {len(names)} 项" if more > 0 else shown


_DIRECTION_NAMES = {
    Operator.GE: "正向",
    Operator.GT: "正向",
    Operator.EQ: "等于",
    Operator.LE: "反向",
    Operator.LT: "反向",
}
_PLACEHOLDER_RE = re.compile(
    r"^(?:[≥≤><=＞＜＝]{1,2})?\s*[*＊xX×—–\-_?？…·./／]+\s*(?:%|％|[\u4e00-\u9fff]{1,4})?$"
)
_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)\s*年")
_NUM = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,15}(?:\.\d+)?)"
_MONEY_UNIT = r"(亿元|万元|亿|元|万(?![\u4e00-\u9fff]))"
_MONEY_TOKEN_RE = re.compile(r"(?<![\d.,])" + _NUM + r"\s*" + _MONEY_UNIT)
_LINK = r"\s*(?:为|是|共|共计|合计|总计|总额|约|达|达到|了|:|：)?\s*"
_RATE_CLAIM_RE = re.compile(
    r"(预算执行率|资金执行率|执行率|支出率|完成率|到位率)" + _LINK + r"(?<![\d.])(\d{1,6}(?:\.\d+)?)\s*%"
)
_AMOUNT_CLAIMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "annual_budget",
        re.compile(
            r"(?:全年预算数|全年预算|预算总额|预算资金|预算数|预算)" + _LINK + _NUM + r"\s*" + _MONEY_UNIT
        ),
    ),
    (
        "actual_spent",
        re.compile(
            r"(?:全年执行数|实际支出|实际使用|实际执行|执行数|累计支出|共支出)"
            + _LINK
            + _NUM
            + r"\s*"
            + _MONEY_UNIT
        ),
    ),
    ("savings", re.compile(r"(?:节约资金|节约|结余资金|结余)" + _LINK + _NUM + r"\s*" + _MONEY_UNIT)),
)
_CLAUSE_SPLIT_RE = re.compile(r"[。；;！？!?\n]")
_FUNDS_WORDS = ("预算", "资金", "支出", "经费")
_NIL_ANSWERS = frozenset({"无", "无。", "暂无", "暂无。", "没有", "无其他需说明的问题", "/", "—", "-"})
_CATEGORY_WORDS: tuple[tuple[str, Level2], ...] = (
    *((level2.value, level2) for level2 in Level2),
    ("满意度指标", Level2.SATISFACTION),
)


_FOLD_TABLE = {
    code: fold_width(chr(code))
    for code in (0x3000, *range(0xFF01, 0xFF5F))
    if fold_width(chr(code)) != chr(code)
}
"""``fold_width`` as a translation table: the same result, at C speed."""


_FOLD_RE = re.compile("[" + "".join(re.escape(chr(code)) for code in _FOLD_TABLE) + "]")


@lru_cache(maxsize=1_024)
def _folded(text: str) -> str:
    """``fold_width(text)``, remembered: three prose checks read every answer after every change.

    Most prose has nothing to fold; finding that out is ~20 times faster than translating.
    """
    return text if _FOLD_RE.search(text) is None else text.translate(_FOLD_TABLE)


def _is_placeholder(text: str) -> bool:
    return bool(_PLACEHOLDER_RE.match(_folded(text).strip()))


def _parse_error(text: str, unit: str) -> ParseError | None:
    if not text.strip():
        return None
    outcome = parse_outcome(text, unit)
    return outcome if isinstance(outcome, ParseError) else None


class _Context:
    """The report, its outline, the derived figures, and the findings gathered so far."""

    def __init__(self, report: Report, outline: Outline | None) -> None:
        self.report = report
        self.outline = outline
        self.findings: list[Finding] = []

    @cached_property
    def scores(self) -> ScoreResult:
        return score_report(self.report)

    @cached_property
    def rate(self) -> Decimal | None:
        return execution_rate(self.report.funds)

    @cached_property
    def rows(self) -> list[_Row]:
        """Every indicator row's own findings and gaps (see ``_rows``)."""
        return _rows(self.report)

    @cached_property
    def targets(self) -> list[ParsedValue | None]:
        return [parsed_target(indicator) for indicator in self.report.indicators]

    @cached_property
    def actuals(self) -> list[ParsedValue | None]:
        return [parsed_actual(indicator) for indicator in self.report.indicators]

    @cached_property
    def sections_of_answers(self) -> dict[str, Section]:
        """The outline section each prose answer is shown in."""
        found: dict[str, Section] = {}
        if self.outline is not None:
            for section in self.outline.walk():
                for block in section.blocks:
                    if block.kind is BlockKind.PROSE and block.key:
                        found.setdefault(block.key, section)
        return found

    @cached_property
    def section_rank(self) -> dict[str, int]:
        if self.outline is None:
            return {}
        return {section.key: rank for rank, section in enumerate(self.outline.walk())}

    def money(self, amount: Decimal) -> str:
        """``487.00 万元``."""
        return _money_text(amount, self.report.money_unit, with_unit=True)

    def add(self, code: str, where: Where, message: str, hint: str) -> None:
        self.findings.append(Finding(CHECKS[code].severity, code, where, message, hint))

    def at_indicator(self, index: int) -> Where:
        return Where(field="indicators", indicator=index, label=self.report.indicators[index].name)

    def at_answer(self, key: str) -> Where:
        section = self.sections_of_answers.get(key)
        if section is None:
            return Where(field=f"answers.{key}", label=key)
        return Where(field=f"answers.{key}", section=section.key, label=section.heading)

    def answers(self) -> Iterator[tuple[str, str]]:
        """Non-empty prose answers, in outline order when there is an outline."""
        rank = self.section_rank
        sections = self.sections_of_answers

        def order(key: str) -> tuple[int, str]:
            section = sections.get(key)
            return (rank.get(section.key, len(rank)) if section is not None else len(rank), key)

        for key in sorted(self.report.answers, key=order):
            text = self.report.answers[key]
            if text.strip():
                yield key, text

    def position(self, finding: Finding) -> tuple[int, int, int]:
        where = finding.where
        base = where.field.split(".", 1)[0] if where.field.startswith("answers.") else where.field
        rank = _FIELD_RANK.get(base, len(_FIELD_RANK))
        if where.section or where.field.startswith("answers."):
            rank = _FIELD_RANK["answers"]
        row = where.indicator if where.indicator is not None else where.budget_line
        section = self.section_rank.get(where.section, len(self.section_rank))
        return (rank, section, -1 if row is None else row)


# ---- #1–#4, #23–#25: funds ---------------------------------------------------------------------


def _check_funds_missing(ctx: _Context) -> None:
    funds = ctx.report.funds
    if funds.annual_budget is None:
        ctx.add(
            "funds.missing",
            Where(field="funds.annual_budget"),
            "未填写全年预算数，无法计算执行率和执行率得分",
            f"请填写全年预算数（单位：{ctx.report.money_unit.value}），例如 487",
        )
    if funds.actual_spent is None:
        ctx.add(
            "funds.missing",
            Where(field="funds.actual_spent"),
            "未填写全年执行数，无法计算执行率和节约资金",
            f"请填写全年实际支出（单位：{ctx.report.money_unit.value}），例如 483.3",
        )


def _check_budget_lines(ctx: _Context) -> None:
    report, funds = ctx.report, ctx.report.funds
    lines = report.budget_lines
    if not lines:
        ctx.add(
            "budget.lines_missing",
            Where(field="budget_lines"),
            "未填写预算明细（各项资金的名称、金额和用途）",
            "请逐行填写预算明细，例如“基层党建办公室经费 49万”，各行合计应等于全年预算数",
        )
        return
    budget = funds.annual_budget
    if budget is None:
        return
    total = sum((line.amount for line in lines), Decimal(0))
    gap = budget - total
    if abs(gap) <= MONEY_TOLERANCE:
        return
    spent = funds.actual_spent
    head = f"预算明细 {len(lines)} 行合计 {ctx.money(total)}，与全年预算数 {ctx.money(budget)}相差 {ctx.money(abs(gap))}"
    if spent is not None and gap > 0 and abs(total - spent) <= MONEY_TOLERANCE:
        ctx.add(
            "budget.lines_sum",
            Where(field="budget_lines"),
            f"{head}；这一差额恰好等于节约资金 {ctx.money(budget - spent)}"
            f"（{_money_text(budget, report.money_unit)} − {_money_text(spent, report.money_unit)}），"
            "明细看起来按实际支出填写，而不是按预算",
            f"请按预算批复填写各行的预算金额，使合计等于全年预算数 {ctx.money(budget)}；实际支出填在全年执行数中",
        )
        return
    direction = "少" if gap > 0 else "多"
    ctx.add(
        "budget.lines_sum",
        Where(field="budget_lines"),
        f"{head}（明细比预算{direction} {ctx.money(abs(gap))}）",
        f"请核对各行金额或补齐遗漏的明细，使合计等于全年预算数 {ctx.money(budget)}",
    )


def _check_savings(ctx: _Context) -> None:
    funds, unit = ctx.report.funds, ctx.report.money_unit
    budget, spent = funds.annual_budget, funds.actual_spent
    if budget is None or spent is None:
        return
    derived = budget - spent
    if spent > budget:
        rate = ctx.rate
        shown = f"（执行率 {_pct(rate)}）" if rate is not None else ""
        ctx.add(
            "funds.overspent",
            Where(field="funds.actual_spent"),
            f"全年执行数 {ctx.money(spent)}超过全年预算数 {ctx.money(budget)}，超支 {ctx.money(spent - budget)}{shown}",
            "超预算支出须说明原因；若年中追加了预算，请把全年预算数改为调整后的数",
        )
    stated = funds.stated_savings
    if stated is None or abs(stated - derived) <= MONEY_TOLERANCE:
        return
    ctx.add(
        "funds.savings",
        Where(field="funds.stated_savings"),
        f"节约资金写为 {ctx.money(stated)}，但全年预算数 {_money_text(budget, unit)} − 全年执行数 "
        f"{_money_text(spent, unit)} = {ctx.money(derived)}",
        f"请把节约资金改为 {ctx.money(derived)}，或核对预算数和执行数",
    )


def _check_stated_rate(ctx: _Context) -> None:
    funds, rate = ctx.report.funds, ctx.rate
    stated = funds.stated_execution_rate
    if stated is None or rate is None or funds.annual_budget is None or funds.actual_spent is None:
        return
    if abs(stated - rate) * 100 < RATE_TOLERANCE:
        return
    stated_text = _pct_as_written(stated)
    ctx.add(
        "funds.execution_rate",
        Where(field="funds.stated_execution_rate"),
        f"执行率写为 {stated_text}，但全年执行数 {ctx.money(funds.actual_spent)} ÷ 全年预算数 "
        f"{ctx.money(funds.annual_budget)} = {_pct(rate)}",
        f"请把执行率改为 {_pct(rate)}（保留两位小数，四舍五入）",
    )


def _check_received(ctx: _Context) -> None:
    funds = ctx.report.funds
    budget, received = funds.annual_budget, funds.received
    if budget is None or received is None or received - budget <= MONEY_TOLERANCE:
        return
    rate = f"，到位率 {_pct(received / budget)}" if budget > 0 else ""
    ctx.add(
        "funds.received_over_budget",
        Where(field="funds.received"),
        f"到位资金 {ctx.money(received)}超过全年预算数 {ctx.money(budget)}{rate}，到位率不能超过 100%",
        "请核对到位资金；若年中追加了预算，请把全年预算数改为调整后的数",
    )


def _check_sources(ctx: _Context) -> None:
    funds = ctx.report.funds
    parts = [
        ("当年财政拨款", funds.fiscal_current),
        ("上年结转资金", funds.carried_over),
        ("其他资金", funds.other),
    ]
    given = [(name, amount) for name, amount in parts if amount is not None]
    budget = funds.annual_budget
    if not given or budget is None:
        return
    total = sum((amount for _, amount in given), Decimal(0))
    if abs(total - budget) <= MONEY_TOLERANCE:
        return
    unit = ctx.report.money_unit
    terms = " + ".join(f"{name} {_money_text(amount, unit)}" for name, amount in given)
    ctx.add(
        "funds.sources_sum",
        Where(field="funds.fiscal_current"),
        f"资金来源 {terms} = {ctx.money(total)}，与全年预算数（年度资金总额）{ctx.money(budget)}"
        f"相差 {ctx.money(abs(total - budget))}",
        "年度资金总额 = 当年财政拨款 + 上年结转资金 + 其他资金，请补齐或改正各项来源",
    )


def _check_budget_cut(ctx: _Context) -> None:
    funds = ctx.report.funds
    initial, budget, spent = funds.initial_budget, funds.annual_budget, funds.actual_spent
    if initial is None or budget is None or spent is None or initial <= 0:
        return
    if abs(budget - spent) > MONEY_TOLERANCE or initial - budget < BUDGET_CUT_SHARE * initial:
        return
    ctx.add(
        "funds.budget_cut",
        Where(field="funds.annual_budget"),
        f"年初预算数 {ctx.money(initial)}，全年预算数调减为 {ctx.money(budget)}（调减 "
        f"{_pct((initial - budget) / initial)}），恰好等于全年执行数 {ctx.money(spent)}，执行率因此为 100%",
        "请说明预算调减的依据（预算调整批复）；若只是按支出倒推，请按批复的全年预算数填写",
    )


# ---- #4–#7, #20: scores and grade -------------------------------------------------------------


def _indicator_maximum(report: Report) -> Decimal:
    weighted = [indicator.weight for indicator in report.indicators if indicator.weight is not None]
    if weighted:
        return sum(weighted, Decimal(0))
    weights = report.weights if report.weights is not None else DEFAULT_WEIGHTS
    return sum(weights.values(), Decimal(0))


def _complete_total(ctx: _Context) -> Decimal | None:
    """The computed total when every indicator and the 执行率 could be scored, else None."""
    result = ctx.scores
    if not result.indicators or result.execution_score is None:
        return None
    if any(item.score is None for item in result.indicators):
        return None
    return result.total


def _check_execution_score(ctx: _Context) -> None:
    report, rate = ctx.report, ctx.rate
    claimed, exec_score = report.claimed_total, ctx.scores.execution_score
    if claimed is None or rate is None or exec_score is None:
        return
    given = [indicator.score for indicator in report.indicators]
    how = f"执行率 {_pct(rate)} 只能得 {_pts(exec_score)} 分（min(执行率, 100%) × {_pts(EXECUTION_WEIGHT)}）"
    if report.indicators and all(score is not None for score in given):
        indicator_sum = sum((score for score in given if score is not None), Decimal(0))
        implied = claimed - indicator_sum
        if abs(implied - exec_score) < SCORE_TOLERANCE:
            return
        message = (
            f"自评得分 {_pts(claimed)} 分减去各项指标得分合计 {_pts(indicator_sum)} 分，"
            f"相当于预算执行率得 {_pts(implied)} 分；{how}"
        )
    elif claimed >= FULL_SCORE and exec_score < EXECUTION_WEIGHT:
        message = f"自评 {_pts(claimed)} 分意味着预算执行率得满分 {_pts(EXECUTION_WEIGHT)} 分；{how}"
    else:
        return
    ctx.add(
        "score.execution",
        Where(field="claimed_total"),
        message,
        f"预算执行率得分请按 {_pts(exec_score)} 分计，并重算总分",
    )


def _check_claimed_total(ctx: _Context) -> None:
    report, result = ctx.report, ctx.scores
    claimed = report.claimed_total
    where = Where(field="claimed_total")
    if claimed is None:
        known = _complete_total(ctx)
        computed = (
            f"；按评分规则计算目前为 {_pts(known)} 分（{grade_for(known).value}）"
            if known is not None
            else ""
        )
        ctx.add(
            "score.claimed_missing",
            where,
            f"未填写自评得分{computed}",
            "请在评分表完成后填写自评得分（满分 100 分）",
        )
        return
    if claimed > FULL_SCORE:
        ctx.add(
            "score.claimed_over_100",
            where,
            f"自评得分 {_pts(claimed)} 分超过满分 {_pts(FULL_SCORE)} 分",
            "总分 = 各项指标得分 + 预算执行率得分，不超过 100 分；请重新计算",
        )
        return
    if claimed - result.max_possible >= SCORE_TOLERANCE:
        rate, exec_score = ctx.rate, result.execution_score
        if rate is not None and exec_score is not None:
            parts = f"执行率 {_pct(rate)} 只得 {_pts(exec_score)} 分，各项指标分值合计 {_pts(_indicator_maximum(report))} 分"
        else:
            parts = f"各项指标分值合计 {_pts(_indicator_maximum(report))} 分，加预算执行率 {_pts(EXECUTION_WEIGHT)} 分"
        ctx.add(
            "score.claimed_impossible",
            where,
            f"自评得分 {_pts(claimed)} 分不可能：{parts}，即使每项指标都拿满分，最高也只有 {_pts(result.max_possible)} 分",
            f"请按评分规则逐项计分后重填自评得分（不超过 {_pts(result.max_possible)} 分）",
        )
        return
    known = _complete_total(ctx)
    if known is not None and abs(claimed - known) >= SCORE_TOLERANCE:
        levels = "、".join(f"{level.value} {_pts(value)}" for level, value in result.by_level.items())
        exec_score = result.execution_score or Decimal(0)
        ctx.add(
            "score.total_mismatch",
            where,
            f"自评得分 {_pts(claimed)} 分，但按评分规则计算为 {_pts(known)} 分（{levels}、预算执行率 {_pts(exec_score)}）",
            f"请把自评得分改为 {_pts(known)} 分，或核对各项指标的年度指标值、实际完成值和分值",
        )


def _check_full_score(ctx: _Context) -> None:
    report, result = ctx.report, ctx.scores
    claimed = report.claimed_total
    if claimed is None or claimed < FULL_SCORE:
        return
    reasons = []
    if ctx.rate is not None and ctx.rate < FULL_RATE:
        reasons.append(f"执行率只有 {_pct(ctx.rate)}")
    unmet = [report.indicators[item.index].name for item in result.indicators if item.met is False]
    if unmet:
        reasons.append(f"指标{_names(unmet)}未达到年度指标值")
    if not reasons:
        return
    ctx.add(
        "score.full_despite_shortfall",
        Where(field="claimed_total"),
        f"自评满分 {_pts(claimed)} 分，但{'，'.join(reasons)}",
        "执行率不足 100% 或有指标未完成时不能得满分；请按评分规则逐项扣分",
    )


def _check_grade(ctx: _Context) -> None:
    report = ctx.report
    claimed, grade = report.claimed_total, report.claimed_grade
    if grade is None:
        if claimed is not None:
            ctx.add(
                "grade.missing",
                Where(field="claimed_grade"),
                f"写了自评得分 {_pts(claimed)} 分，但没有写评价等级（该得分对应“{grade_for(claimed).value}”）",
                "请写评价等级：优（90–100 分）、良（80–90 分）、中（60–80 分）、差（60 分以下）",
            )
        return
    reference = claimed if claimed is not None else _complete_total(ctx)
    if reference is None or grade is grade_for(reference):
        return
    source = "自评得分" if claimed is not None else "按评分规则计算的得分"
    expected = grade_for(reference)
    ctx.add(
        "grade.mismatch",
        Where(field="claimed_grade"),
        f"评价等级写为“{grade.value}”，但{source} {_pts(reference)} 分对应“{expected.value}”",
        f"请把评价等级改为“{expected.value}”（优 ≥90，良 80–90，中 60–80，差 <60）",
    )


def _check_sheet(ctx: _Context) -> bool:
    """#20; True when the score sheet is missing (then the weight summary would only repeat it)."""
    report = ctx.report
    if report.claimed_total is None:
        return False
    if any(indicator.weight is not None or indicator.score is not None for indicator in report.indicators):
        return False
    ctx.add(
        "score.sheet_missing",
        Where(field="indicators"),
        f"自评得分 {_pts(report.claimed_total)} 分，但没有一项指标有分值或得分，缺少评分表（项目支出绩效自评表）",
        "请为每项三级指标填写分值和得分（产出、效益、满意度分值分别合计 50、30、10），再汇总自评得分",
    )
    return True


# ---- #8, #9: weights ---------------------------------------------------------------------------


def _weights_text(weights: dict[Level1, Decimal]) -> str:
    return "、".join(f"{level.value.removesuffix('指标')} {_pts(value)}" for level, value in weights.items())


def _check_weights(ctx: _Context, sheet_missing: bool) -> None:
    report = ctx.report
    weights = report.weights
    if weights is not None:
        total = sum(weights.values(), Decimal(0)) + EXECUTION_WEIGHT
        if total != FULL_SCORE:
            terms = " + ".join(
                [f"{level.value.removesuffix('指标')} {_pts(value)}" for level, value in weights.items()]
                + [f"预算执行率 {_pts(EXECUTION_WEIGHT)}"]
            )
            ctx.add(
                "weights.sum",
                Where(field="weights"),
                f"一级指标分值 {terms} = {_pts(total)}，应为 {_pts(FULL_SCORE)}",
                f"请调整一级指标分值，使其合计为 {_pts(FULL_SCORE - EXECUTION_WEIGHT)}（另有预算执行率 {_pts(EXECUTION_WEIGHT)} 分）",
            )
        if weights != DEFAULT_WEIGHTS:
            ctx.add(
                "weights.custom",
                Where(field="weights"),
                f"一级指标分值为 {_weights_text(weights) or '（空）'}，与通用自评表的 {_weights_text(DEFAULT_WEIGHTS)}、"
                f"预算执行率 {_pts(EXECUTION_WEIGHT)} 不同",
                "若本地区的自评表另有规定可保留，并在报告中注明依据；否则请改回通用分值",
            )
    indicators = report.indicators
    unweighted = [index for index, indicator in enumerate(indicators) if indicator.weight is None]
    if unweighted and len(unweighted) == len(indicators):
        if not sheet_missing:
            ctx.add(
                "indicator.missing_weight",
                Where(field="indicators"),
                f"全部 {len(indicators)} 项指标都没有分值，无法计分",
                f"请把一级分值（{_weights_text(weights if weights is not None else DEFAULT_WEIGHTS)}）分配到各三级指标",
            )
    else:
        for index in unweighted:
            ctx.add(
                "indicator.missing_weight",
                ctx.at_indicator(index),
                f"指标「{indicators[index].name}」没有分值，不计入得分",
                "请填写该指标的分值；同一一级指标下各三级指标分值之和应等于一级分值",
            )
    _check_level_sums(ctx)


def _check_level_sums(ctx: _Context) -> None:
    report = ctx.report
    weights = report.weights if report.weights is not None else DEFAULT_WEIGHTS
    by_level: dict[Level1, list[Indicator]] = {}
    for indicator in report.indicators:
        by_level.setdefault(indicator.effective_level1, []).append(indicator)
    for level in Level1:
        rows = by_level.get(level, [])
        if not rows or any(row.weight is None for row in rows):
            continue
        total = sum((row.weight for row in rows if row.weight is not None), Decimal(0))
        expected = weights.get(level)
        if expected is None:
            ctx.add(
                "weights.level_sum",
                Where(field="weights"),
                f"{level.value}下 {len(rows)} 项指标分值合计 {_pts(total)}，但一级指标分值中没有{level.value}",
                f"请在一级指标分值中为{level.value}设定分值（其他一级相应调减），或把这些指标归入已有的一级指标",
            )
        elif total != expected:
            ctx.add(
                "weights.level_sum",
                Where(field="weights"),
                f"{level.value}下 {len(rows)} 项三级指标分值合计 {_pts(total)}，应等于一级分值 {_pts(expected)}",
                f"请调整{level.value}下各三级指标的分值，使合计为 {_pts(expected)}",
            )


# ---- #10–#16: indicator rows -------------------------------------------------------------------


def _check_indicators_present(ctx: _Context) -> bool:
    if ctx.report.indicators:
        return True
    ctx.add(
        "indicator.none",
        Where(field="indicators"),
        "尚未填写任何绩效指标",
        "请按产出（数量、质量、时效、成本）、效益、满意度填写三级指标，例如“数量指标：培训人次 ≥1000人次 实际1200人次 分值10”",
    )
    return False


def _report_missing(
    ctx: _Context, code: str, missing: list[int], applicable: int, what: str, hint: str, why: str
) -> None:
    """One finding per row, or one summary when every applicable row (at least two) lacks it."""
    if not missing:
        return
    if len(missing) == applicable and applicable >= 2:
        ctx.add(code, Where(field="indicators"), f"全部 {applicable} 项指标都没有{what}，{why}", hint)
        return
    for index in missing:
        ctx.add(
            code,
            ctx.at_indicator(index),
            f"指标「{ctx.report.indicators[index].name}」没有{what}，{why}",
            hint,
        )


def _gaps(indicator: Indicator, target: ParsedValue | None, actual: ParsedValue | None) -> _Gaps:
    """What a row lacks, for ``_check_completeness``."""
    quantitative = not is_qualitative(indicator)
    measured = quantitative and target is not None and target.kind is not ValueKind.QUALITATIVE
    return _Gaps(
        quantitative,
        not indicator.target.strip(),
        not indicator.actual.strip(),
        measured and indicator.operator is None and target is not None and target.operator is None,
        measured
        and target is not None
        and target.kind is ValueKind.NUMBER
        and (actual is None or not actual.unit),
    )


def _check_completeness(ctx: _Context) -> None:
    indicators = ctx.report.indicators
    gaps = [row.gaps for row in ctx.rows]
    quantitative = [index for index, gap in enumerate(gaps) if gap.quantitative]
    no_target = [index for index, gap in enumerate(gaps) if gap.no_target]
    no_actual = [index for index, gap in enumerate(gaps) if gap.no_actual]
    no_operator = [index for index, gap in enumerate(gaps) if gap.no_operator]
    no_unit = [index for index, gap in enumerate(gaps) if gap.no_unit]
    _report_missing(
        ctx,
        "indicator.missing_target",
        no_target,
        len(indicators),
        "年度指标值",
        "请为每项指标填写可衡量的年度指标值，例如 ≥1000人次、≥95%、2020年12月31日前；无法量化的写定性目标“达成年度指标”",
        "无法判断是否完成，也无法计分",
    )
    _report_missing(
        ctx,
        "indicator.missing_actual",
        no_actual,
        len(indicators),
        "实际完成值",
        "请填写实际完成值，单位与年度指标值相同，例如 1200人次、97%",
        "无法判断是否完成",
    )
    _report_missing(
        ctx,
        "indicator.missing_operator",
        no_operator,
        len(quantitative),
        "比较符号（≥ ＞ ＝ ＜ ≤）",
        "请在年度指标值前加比较符号：数量、质量、效益用 ≥，成本和时限用 ≤",
        "计分时按该类别的通常方向计算",
    )
    _report_missing(
        ctx,
        "indicator.missing_unit",
        no_unit,
        len(quantitative),
        "单位",
        "定量指标须带单位，例如 人次、个、%、万元、天；只有定性指标可以不写单位",
        "数值含义不清",
    )


def _check_values(ctx: _Context) -> None:
    for index, indicator in enumerate(ctx.report.indicators):
        for label, text, parsed in (
            ("年度指标值", indicator.target, ctx.targets[index]),
            ("实际完成值", indicator.actual, ctx.actuals[index]),
        ):
            if not text.strip():
                continue
            if _is_placeholder(text):
                ctx.add(
                    "indicator.placeholder",
                    ctx.at_indicator(index),
                    f"指标「{indicator.name}」的{label}“{text.strip()}”是占位符，不是数值",
                    "定量指标须填具体数值和单位，例如 ≥1000人次；确实无法量化的请改为定性指标",
                )
                continue
            error = _parse_error(text, indicator.unit)
            if error is not None:
                ctx.add(
                    "indicator.unreadable",
                    ctx.at_indicator(index),
                    f"指标「{indicator.name}」的{label}无法识别：{error.message}",
                    error.hint or "请写成 比较符号+数值+单位，例如 ≥1000人次",
                )
                continue
            if parsed is not None and parsed.kind is ValueKind.QUALITATIVE and not is_qualitative(indicator):
                ctx.add(
                    "indicator.not_numeric",
                    ctx.at_indicator(index),
                    f"定量指标「{indicator.name}」的{label}“{text.strip()}”不是数值，无法衡量",
                    "请写数值和单位，例如 ≥1000人次、≥95%；确实无法量化的请把指标性质改为定性",
                )


def _check_scores(ctx: _Context) -> None:
    report, result = ctx.report, ctx.scores
    for index, indicator in enumerate(report.indicators):
        given, weight = indicator.score, indicator.weight
        if given is None or weight is None:
            continue
        where = ctx.at_indicator(index)
        if given > weight:
            ctx.add(
                "indicator.score_over_weight",
                where,
                f"指标「{indicator.name}」得分 {_pts(given)} 分超过其分值 {_pts(weight)} 分",
                f"单项得分不超过分值，超额完成也只得 {_pts(weight)} 分",
            )
            continue
        actual = ctx.actuals[index]
        grade = actual.grade if actual is not None and actual.kind is ValueKind.QUALITATIVE else None
        if grade is not None:
            if not in_band(grade, weight, given):
                low, high = qualitative_band(grade, weight)
                closing = "]" if grade is QualGrade.MET else ")"
                shares = QUAL_BANDS[grade]
                ctx.add(
                    "indicator.score_band",
                    where,
                    f"定性指标「{indicator.name}」评为“{grade.value}”，得分应在 [{_pts(low)}, {_pts(high)}{closing} 分之间"
                    f"（分值 {_pts(weight)} 的 {_pct(shares[0])}–{_pct(shares[1])}），但写了 {_pts(given)} 分",
                    "请在该等级的区间内打分，或改选与得分相符的等级",
                )
            continue
        computed = result.indicators[index].score
        if computed is None or abs(computed - given) < SCORE_TOLERANCE:
            continue
        target = ctx.targets[index]
        operator = effective_operator(indicator, target)
        rule = (
            "时限"
            if target is not None and target.kind is ValueKind.DATE
            else _DIRECTION_NAMES.get(operator, "")
        )
        values = ""
        if target is not None and actual is not None:
            values = f"年度指标值 {target.display()}、实际完成值 {actual.display()}，"
        ctx.add(
            "indicator.score_rule",
            where,
            f"指标「{indicator.name}」{values}按{rule}指标计分规则应得 {_pts(computed)} 分，但写了 {_pts(given)} 分",
            f"请把得分改为 {_pts(computed)} 分，或核对年度指标值、实际完成值和比较符号",
        )


def _check_reasons(ctx: _Context) -> None:
    report, result = ctx.report, ctx.scores
    for index, indicator in enumerate(report.indicators):
        if indicator.deviation_reason.strip():
            continue
        target, actual = ctx.targets[index], ctx.actuals[index]
        grade = actual.grade if actual is not None and actual.kind is ValueKind.QUALITATIVE else None
        if grade is not None and grade is not QualGrade.MET:
            ctx.add(
                "indicator.missing_reason",
                ctx.at_indicator(index),
                f"定性指标「{indicator.name}」评为“{grade.value}”，但没有写偏差原因",
                "未达成年度指标时须写偏差原因分析及改进措施",
            )
            continue
        if result.indicators[index].met is False and target is not None and actual is not None:
            ctx.add(
                "indicator.missing_reason",
                ctx.at_indicator(index),
                f"指标「{indicator.name}」未完成（年度指标值 {target.display()}，实际完成值 {actual.display()}），但没有写偏差原因",
                "请写明未完成的原因和改进措施",
            )
            continue
        if target is None or actual is None:
            continue
        operator = effective_operator(indicator, target)
        target_number, actual_number = (
            to_report_unit(target, report.money_unit),
            to_report_unit(actual, report.money_unit),
        )
        if (
            operator in (Operator.GE, Operator.GT, Operator.EQ)
            and target_number is not None
            and actual_number is not None
            and target_number > 0
            and actual_number >= OVERACHIEVEMENT_FACTOR * target_number
        ):
            ctx.add(
                "indicator.overachieved",
                ctx.at_indicator(index),
                f"指标「{indicator.name}」实际完成值 {actual.display()} 是年度指标值 {target.display()} 的 "
                f"{_pct(actual_number / target_number)}，超过 {_pct(OVERACHIEVEMENT_FACTOR)} 却没有说明原因",
                "大幅超额完成须写偏差原因：是否年度指标值定得过低，下一年度如何调整",
            )


def _check_coverage(ctx: _Context) -> None:
    indicators = ctx.report.indicators
    present = {indicator.level2 for indicator in indicators}
    for level2, code in CORE_OUTPUT_CATEGORIES:
        if level2 not in present:
            ctx.add(
                code,
                Where(field="indicators"),
                f"产出指标中没有{level2.value}",
                f"产出指标应包括数量、质量、时效、成本四类，请补充{level2.value}"
                + ("，例如“项目完成时间 ≤2020年12月31日”" if level2 is Level2.TIMELINESS else ""),
            )
    if not any(indicator.effective_level1 is Level1.BENEFIT for indicator in indicators):
        ctx.add(
            "coverage.no_benefit",
            Where(field="indicators"),
            "没有效益指标（经济、社会、生态效益或可持续影响）",
            "请至少填写一项效益指标，例如社会效益“群众知晓率 ≥90%”",
        )
    if Level2.SATISFACTION not in present:
        ctx.add(
            "coverage.no_satisfaction",
            Where(field="indicators"),
            "没有服务对象满意度指标",
            "请填写服务对象满意度，例如“群众满意度 ≥90%”（来自问卷调查）",
        )


def _check_fit(ctx: _Context) -> None:
    for index, indicator in enumerate(ctx.report.indicators):
        seen: set[str] = set()
        for value in (ctx.targets[index], ctx.actuals[index]):
            if value is None:
                continue
            if indicator.level2 is Level2.COST and value.operator in (Operator.GE, Operator.GT):
                continue  # #16 reports the operator
            problem = fit_problem(indicator.level2, value, indicator.name)
            if problem is None:
                continue
            over = value.kind is ValueKind.RATE and value.number is not None and value.number > 100
            code = "indicator.rate_over_100" if over else "indicator.type_mismatch"
            if code in seen:
                continue
            seen.add(code)
            ctx.add(code, ctx.at_indicator(index), problem, _fit_hint(indicator.level2, value))


def _fit_hint(level2: Level2, value: ParsedValue) -> str:
    if value.kind is ValueKind.RATE and value.number is not None and value.number > 100:
        return "比率不能超过 100%：请核对数值，或改成数量（例如 人次、件）"
    return f"请把该指标移到合适的类别，或按{level2.value}的要求改写指标值"


def _check_cost(ctx: _Context) -> None:
    report = ctx.report
    for index, indicator in enumerate(report.indicators):
        if indicator.level2 is not Level2.COST:
            continue
        target = ctx.targets[index]
        operator = indicator.operator or (target.operator if target is not None else None)
        if operator in (Operator.GE, Operator.GT):
            ctx.add(
                "cost.operator",
                ctx.at_indicator(index),
                f"成本指标「{indicator.name}」用了“{operator.value}”，成本应是不超过的上限",
                "成本指标请用 ≤，例如“≤3.5万元”",
            )


def _check_money_units(ctx: _Context) -> None:
    report = ctx.report
    unit = report.money_unit
    for index, indicator in enumerate(report.indicators):
        values = [
            v for v in (ctx.targets[index], ctx.actuals[index]) if v is not None and v.kind is ValueKind.MONEY
        ]
        other = next((v for v in values if v.unit in MONEY_UNITS and v.unit != unit.value), None)
        if other is None:
            continue
        converted = to_report_unit(other, unit)
        shown = f"：{other.text()}{other.unit} = {ctx.money(converted)}" if converted is not None else ""
        cost = indicator.level2 is Level2.COST
        ctx.add(
            "cost.unit" if cost else "indicator.money_unit",
            ctx.at_indicator(index),
            f"{'成本' if cost else ''}指标「{indicator.name}」以“{other.unit}”计，报告的金额单位是“{unit.value}”{shown}",
            f"请统一换算为{unit.value}（保留两位小数），与预算和执行数使用同一单位",
        )


def _check_dates(ctx: _Context) -> None:
    year = ctx.report.year
    for index, indicator in enumerate(ctx.report.indicators):
        for label, value in (("年度指标值", ctx.targets[index]), ("实际完成值", ctx.actuals[index])):
            if value is None or value.date is None or value.date.year == year:
                continue
            ctx.add(
                "year.indicator_date",
                ctx.at_indicator(index),
                f"指标「{indicator.name}」的{label} {value.display()} 不在评价年度 {year} 年内",
                f"请核对年份：时效指标的时限一般在 {year} 年内",
            )
            break


def _check_title_year(ctx: _Context) -> None:
    report = ctx.report
    years = sorted({int(match) for match in _YEAR_RE.findall(_folded(report.title))})
    if not years or report.year in years:
        return
    written = "、".join(f"{y} 年" for y in years)
    ctx.add(
        "year.title",
        Where(field="title"),
        f"标题写的是 {written}，报告年度是 {report.year} 年",
        "请核对标题中的年份或报告的评价年度，两者应一致",
    )


# ---- #17–#19, #21: prose -------------------------------------------------------------------------


def _check_declared_categories(ctx: _Context) -> None:
    report = ctx.report
    if not report.indicators:
        return
    reported = {indicator.level2 for indicator in report.indicators}
    for key, text in ctx.answers():
        declared = _declared_categories(text)
        if len(declared) < DECLARED_LIST_MIN:
            continue
        missing = [level2 for level2 in Level2 if level2 in declared and level2 not in reported]
        if not missing:
            continue
        names = "、".join(level2.value for level2 in missing)
        ctx.add(
            "text.declared_categories",
            ctx.at_answer(key),
            f"正文按指标类别列出了{names}，但填报的绩效指标中没有这些类别",
            f"请补充{names}的三级指标，或把正文中的指标体系改成实际使用的类别",
        )


@lru_cache(maxsize=1_024)
def _declared_categories(text: str) -> frozenset[Level2]:
    """The indicator categories a prose answer names (remembered, like ``_scan``)."""
    return frozenset(level2 for word, level2 in _CATEGORY_WORDS if word in text)


class _RateClaim(NamedTuple):
    quoted: str
    word: str
    number: str
    funds_clause: bool  # whether the clause around it speaks of money


class _Scan(NamedTuple):
    """What the prose checks look for in one answer: found once per distinct text."""

    rate_claims: tuple[_RateClaim, ...]
    amount_claims: tuple[tuple[str, str, str, str], ...]  # claim name, quoted, number, unit word
    money_tokens: tuple[tuple[str, str, str], ...]  # quoted, number, unit word


@lru_cache(maxsize=1_024)
def _scan(raw: str) -> _Scan:
    """The rate claims, amount claims and money amounts of a prose answer, in text order.

    The drafting screen checks the whole report after every accepted answer while almost every
    answer stays the same; scanning 200 pages of prose with these expressions took more than
    15 ms each time. The findings still depend on the report's figures and are built anew.
    """
    text = _folded(raw)
    rates = tuple(
        _RateClaim(
            match.group(0),
            match.group(1),
            match.group(2),
            any(w in _clause_around(text, match.start(), match.end()) for w in _FUNDS_WORDS),
        )
        for match in _RATE_CLAIM_RE.finditer(text)
    )
    amounts = tuple(
        (name, match.group(0), match.group(1), match.group(2))
        for name, pattern in _AMOUNT_CLAIMS
        for match in pattern.finditer(text)
    )
    return _Scan(rates, amounts, _money_tokens(text))


_DIGIT_RUN_RE = re.compile(r"\d[\d.,]*")
_NUMBER_CHARACTER_RE = re.compile(r"[\d.,]")


def _money_tokens(text: str) -> tuple[tuple[str, str, str], ...]:
    """``_MONEY_TOKEN_RE.finditer(text)`` as (quoted, number, unit word), about 6 times faster.

    The expression opens with a look-behind, which makes the engine try it at every position
    (12 ms on 200 pages of prose). A match can only start where a run of digits, dots and commas
    starts with a digit, so it is tried only there; matches cannot overlap two runs.
    """
    tokens = []
    for run in _DIGIT_RUN_RE.finditer(text):
        start = run.start()
        if start and _NUMBER_CHARACTER_RE.match(text, start - 1):
            continue
        match = _MONEY_TOKEN_RE.match(text, start)
        if match is not None:
            tokens.append((match.group(0), match.group(1), match.group(2)))
    return tuple(tokens)


def _clause_around(text: str, start: int, end: int) -> str:
    left = max((m.end() for m in _CLAUSE_SPLIT_RE.finditer(text, 0, start)), default=0)
    right = _CLAUSE_SPLIT_RE.search(text, end)
    return text[left : right.start() if right else len(text)]


def _check_rate_claims(ctx: _Context) -> None:
    funds, rate = ctx.report.funds, ctx.rate
    received_rate = None
    if funds.received is not None and funds.annual_budget is not None and funds.annual_budget > 0:
        received_rate = _round(funds.received / funds.annual_budget * 100) / 100
    for key, raw in ctx.answers():
        seen: set[str] = set()
        for claim in _scan(raw).rate_claims:
            word, number = claim.word, Decimal(claim.number)
            if word == "到位率":
                derived, basis = received_rate, "到位资金 ÷ 全年预算数"
                figures = (
                    f"{ctx.money(funds.received)} ÷ {ctx.money(funds.annual_budget)}"
                    if funds.received is not None and funds.annual_budget is not None
                    else ""
                )
            else:
                if word == "完成率" and not claim.funds_clause:
                    continue  # a 完成率 of some task, not of the budget
                derived, basis = rate, "执行率"
                figures = (
                    f"全年执行数 {ctx.money(funds.actual_spent)} ÷ 全年预算数 {ctx.money(funds.annual_budget)}"
                    if funds.actual_spent is not None and funds.annual_budget is not None
                    else ""
                )
            quoted = claim.quoted
            if derived is None or quoted in seen or abs(number - derived * 100) < RATE_TOLERANCE:
                continue
            seen.add(quoted)
            ctx.add(
                "text.rate_mismatch",
                ctx.at_answer(key),
                f"正文写“{quoted}”，但{figures}，{basis}为 {_pct(derived)}",
                f"请把正文中的比率改为 {_pct(derived)}，与填报的资金数字一致",
            )


def _check_amount_claims(ctx: _Context) -> None:
    report, funds = ctx.report, ctx.report.funds
    truth: dict[str, tuple[str, Decimal | None]] = {
        "annual_budget": ("全年预算数", funds.annual_budget),
        "actual_spent": ("全年执行数", funds.actual_spent),
        "savings": (
            "节约资金（预算 − 执行）",
            funds.annual_budget - funds.actual_spent
            if funds.annual_budget is not None and funds.actual_spent is not None
            else None,
        ),
    }
    line_amounts = [line.amount for line in report.budget_lines]
    for key, raw in ctx.answers():
        seen: set[str] = set()
        for name, quoted, number, unit_word in _scan(raw).amount_claims:
            label, expected = truth[name]
            if expected is None:
                continue
            amount = _money_of(number, unit_word, report.money_unit)
            if amount is None or abs(amount - expected) <= MONEY_TOLERANCE:
                continue
            if name == "annual_budget" and any(
                abs(amount - line) <= MONEY_TOLERANCE for line in line_amounts
            ):
                continue  # the budget of one line, not of the project
            if quoted in seen:
                continue
            seen.add(quoted)
            ctx.add(
                "text.amount_mismatch",
                ctx.at_answer(key),
                f"正文写“{quoted}”（{ctx.money(amount)}），但{label}为 {ctx.money(expected)}",
                f"请把正文中的金额改为 {ctx.money(expected)}，或核对填报的资金数字",
            )


def _money_of(number: str, unit_word: str, unit: MoneyUnit) -> Decimal | None:
    try:
        return parse_money(f"{number}{unit_word}", unit)
    except ParseError:
        return None


def _check_prose_units(ctx: _Context) -> None:
    unit = ctx.report.money_unit
    foreign = ("元",) if unit is MoneyUnit.WAN else ("万", "万元", "亿", "亿元")
    for key, raw in ctx.answers():
        examples: list[str] = []
        for quoted, number, unit_word in _scan(raw).money_tokens:
            if unit_word not in foreign:
                continue
            amount = _money_of(number, unit_word, unit)
            shown = f"{quoted}（= {ctx.money(amount)}）" if amount is not None else quoted
            if shown not in examples:
                examples.append(shown)
        if not examples:
            continue
        listed = "、".join(examples[:LISTED_NAMES_MAX]) + (
            f" 等 {len(examples)} 处" if len(examples) > LISTED_NAMES_MAX else ""
        )
        written = "元" if unit is MoneyUnit.WAN else "万元"
        ctx.add(
            "text.money_unit",
            ctx.at_answer(key),
            f"正文用“{written}”写了金额：{listed}，报告的金额单位是“{unit.value}”",
            f"请统一换算为{unit.value}（保留两位小数），全文只用一种金额单位",
        )


def _leaf_prose_sections(outline: Outline) -> Iterable[Section]:
    for section in outline.walk():
        if section.children or not section.blocks:
            continue
        if all(block.kind is BlockKind.PROSE for block in section.blocks):
            yield section


def _check_sections(ctx: _Context) -> None:
    if ctx.outline is None:
        return
    answers = ctx.report.answers
    sections = list(_leaf_prose_sections(ctx.outline))
    texts = {s.key: [answers.get(block.key, "").strip() for block in s.blocks] for s in sections}
    empty = [s for s in sections if not any(texts[s.key])]
    if sections and len(empty) == len(sections) and len(sections) >= 2:
        ctx.add(
            "outline.empty_section",
            Where(field="answers"),
            f"正文尚未填写：{len(sections)} 个小节都没有内容",
            "请按提纲逐节填写，从“基本情况”开始",
        )
        return
    for section in sections:
        filled = [t for t in texts[section.key] if t]
        where = Where(field=f"answers.{section.blocks[0].key}", section=section.key, label=section.heading)
        if not filled:
            ctx.add(
                "outline.empty_section",
                where,
                f"章节「{section.heading}」没有内容",
                "请填写这一节；确实没有内容的，写明原因（例如“本项目无其他需说明的问题”）",
            )
        elif all(t in _NIL_ANSWERS for t in filled):
            ctx.add(
                "outline.nil_section",
                where,
                f"章节「{section.heading}」只写了“{filled[0]}”",
                "请确认这一节确实没有内容；评价结果应用建议、存在的问题等通常应写出具体内容",
            )


# ---- row findings, remembered ----------------------------------------------------------------------


class _Gaps(NamedTuple):
    quantitative: bool
    no_target: bool
    no_actual: bool
    no_operator: bool
    no_unit: bool


class _Row(NamedTuple):
    """One indicator row's findings from each of ``_ROW_CHECKS`` (code, message, hint), and its gaps."""

    found: tuple[tuple[tuple[str, str, str], ...], ...]
    gaps: _Gaps


_ROW_FIELDS = attrgetter(*(f.name for f in fields(Indicator)))
_ROW_CACHE: dict[tuple[object, ...], _Row] = {}
_ROW_CACHE_MAX = 50_000


def _row_key(indicator: Indicator, unit: MoneyUnit, year: int) -> tuple[object, ...]:
    # every field of the row, and the exact text of its decimals: 5 and 5.00 are equal, yet a
    # message may show either
    return (_ROW_FIELDS(indicator), str(indicator.weight), str(indicator.score), unit, year)


def _rows(report: Report) -> list[_Row]:
    """The row-local findings of every indicator, computed only for rows not seen before.

    A row's own findings (unreadable values, scores, reasons, category fit, cost, money units,
    dates) depend only on its fields, the money unit and the year. The drafting screen checks the
    whole report after every accepted answer while nearly every row stays the same: running
    those checks over 2,000 rows took about 10 ms each time. Unseen rows are checked together,
    by the same check functions, on a report holding just them.
    """
    unit, year = report.money_unit, report.year
    keys = [_row_key(indicator, unit, year) for indicator in report.indicators]
    rows: list[_Row | None] = [_ROW_CACHE.get(key) for key in keys]
    missing = [index for index, row in enumerate(rows) if row is None]
    if missing:
        if len(_ROW_CACHE) + len(missing) > _ROW_CACHE_MAX:
            _ROW_CACHE.clear()
        fresh = Report(title="", year=year, money_unit=unit)
        fresh.indicators = [report.indicators[index] for index in missing]
        sub = _Context(fresh, None)
        found: list[list[list[tuple[str, str, str]]]] = [[[] for _ in _ROW_CHECKS] for _ in missing]
        for slot, check in enumerate(_ROW_CHECKS):
            start = len(sub.findings)
            check(sub)
            for finding in sub.findings[start:]:
                assert finding.where.indicator is not None
                found[finding.where.indicator][slot].append((finding.code, finding.message, finding.hint))
        for position, index in enumerate(missing):
            row = _Row(
                tuple(tuple(part) for part in found[position]),
                _gaps(fresh.indicators[position], sub.targets[position], sub.actuals[position]),
            )
            rows[index] = _ROW_CACHE[keys[index]] = row
    return [row for row in rows if row is not None]


def _row_findings(slot: int) -> Callable[[_Context], None]:
    """A check that adds the remembered findings of ``_ROW_CHECKS[slot]``, row by row."""

    def check(ctx: _Context) -> None:
        for index, row in enumerate(ctx.rows):
            if row.found[slot]:
                where = ctx.at_indicator(index)
                for code, message, hint in row.found[slot]:
                    ctx.add(code, where, message, hint)

    return check


_ROW_CHECKS: tuple[Callable[[_Context], None], ...] = (
    _check_values,
    _check_scores,
    _check_reasons,
    _check_fit,
    _check_cost,
    _check_money_units,
    _check_dates,
)
"""The checks that look at one indicator row at a time (through ``ctx.at_indicator`` only)."""


# ---- the entry point -------------------------------------------------------------------------------

_CHECK_ORDER: tuple[Callable[[_Context], None], ...] = (
    _check_title_year,
    _check_funds_missing,
    _check_budget_lines,
    _check_savings,
    _check_stated_rate,
    _check_received,
    _check_sources,
    _check_budget_cut,
    _check_execution_score,
    _check_claimed_total,
    _check_full_score,
    _check_grade,
)
_INDICATOR_CHECKS: tuple[Callable[[_Context], None], ...] = (
    _check_completeness,
    _row_findings(_ROW_CHECKS.index(_check_values)),
    _row_findings(_ROW_CHECKS.index(_check_scores)),
    _row_findings(_ROW_CHECKS.index(_check_reasons)),
    _check_coverage,
    _row_findings(_ROW_CHECKS.index(_check_fit)),
    _row_findings(_ROW_CHECKS.index(_check_cost)),
    _row_findings(_ROW_CHECKS.index(_check_money_units)),
    _row_findings(_ROW_CHECKS.index(_check_dates)),
)
_PROSE_CHECKS: tuple[Callable[[_Context], None], ...] = (
    _check_declared_categories,
    _check_rate_claims,
    _check_amount_claims,
    _check_prose_units,
    _check_sections,
)


def check_report(
    report: Report, outline: Outline | None = None, scores: ScoreResult | None = None
) -> list[Finding]:
    """Run every check on a report; ``outline`` enables the checks on headings and prose.

    With an outline, empty sections are reported (#19) and prose findings name the section they
    are in; the prose checks themselves (#17, #18, #21) read every answer either way. Findings
    come ordered by severity (errors first), then by where they apply in the report: title,
    funds, budget lines, weights, indicators (row by row), score, grade, prose (in outline order).

    ``scores`` is ``score_report(report)`` when the caller has it already (saves computing it twice).
    """
    ctx = _Context(report, outline)
    if scores is not None:
        ctx.scores = scores
    for check in _CHECK_ORDER:
        check(ctx)
    sheet_missing = _check_sheet(ctx)
    _check_weights(ctx, sheet_missing)
    if _check_indicators_present(ctx):
        for check in _INDICATOR_CHECKS:
            check(ctx)
    for check in _PROSE_CHECKS:
        check(ctx)
    return sorted(ctx.findings, key=lambda f: (SEVERITY_ORDER[f.severity], ctx.position(f)))


def codes_by_rule() -> dict[int, list[str]]:
    """The finding codes of each RULES.md §6 check, for the docs and ``jixiao check --codes``."""
    grouped: dict[int, list[str]] = {}
    for spec in CHECKS.values():
        grouped.setdefault(spec.rule, []).append(spec.code)
    return grouped
