"""Scoring by the Ministry of Finance rules (RULES.md §4): 执行率, indicators by direction, total, grade.

Every number the rules fix lives in a named constant below. Choices the rules leave open:

* ``＞`` scores like ``≥`` and ``＜`` like ``≤`` (the finance system has one rule per direction).
* A 定量 row with no operator takes its category's usual direction: ``≤`` for 成本指标 and for
  时效 dates and durations, ``≥`` otherwise (the checks report the missing operator).
* Deadlines: an actual date on or before the target date earns the full weight, a later one 0 —
  a deadline is met or missed, there is no "half late".
* 定性: the evaluator's score is used when it lies inside the band of the grade the actual gives;
  when it is absent, or outside the band (the checks report that as an error), the band's
  default is used: the weight for 达成, the band's lower bound for the other two.
* Money targets and actuals written in 元, 万元 or 亿元 are compared in the report's unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from report.errors import ParseError
from report.model import (
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
from report.money import round_cent
from report.values import ParsedValue, ValueKind, parse_indicator_value

DEFAULT_WEIGHTS: dict[Level1, Decimal] = {
    Level1.OUTPUT: Decimal(50),
    Level1.BENEFIT: Decimal(30),
    Level1.SATISFACTION: Decimal(10),
}
EXECUTION_WEIGHT = Decimal(10)  # 预算执行率
FULL_SCORE = Decimal(100)

RATE_PLACES = Decimal("0.0001")
"""执行率 is kept as a fraction with 4 decimals (99.24%)."""
FULL_RATE = Decimal(1)
"""执行率 above 100% scores as 100%."""
REVERSE_ZERO_FACTOR = Decimal(2)
"""反向: an actual at or above this multiple of the target scores 0."""
OVERACHIEVEMENT_FACTOR = Decimal("1.3")
"""正向: an actual at or above 130% of the target needs a 偏差说明 (target set too low?)."""

QUAL_BANDS: dict[QualGrade, tuple[Decimal, Decimal]] = {
    QualGrade.MET: (Decimal("0.8"), Decimal("1")),
    QualGrade.PARTLY: (Decimal("0.6"), Decimal("0.8")),
    QualGrade.NOT_MET: (Decimal("0"), Decimal("0.6")),
}
"""定性 bands as shares of the weight: 达成 [80%, 100%], 部分达成 [60%, 80%), 未达成 [0, 60%)."""

GRADE_FLOORS: tuple[tuple[Decimal, Grade], ...] = (
    (Decimal(90), Grade.EXCELLENT),
    (Decimal(80), Grade.GOOD),
    (Decimal(60), Grade.FAIR),
    (Decimal(0), Grade.POOR),
)
"""Grades, half-open from below: 优 [90, 100], 良 [80, 90), 中 [60, 80), 差 [0, 60)."""

_MONEY_FACTORS = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}
_REPORT_FACTORS = {MoneyUnit.YUAN: Decimal(1), MoneyUnit.WAN: Decimal(10_000)}
_FORWARD = (Operator.GE, Operator.GT)
_REVERSE = (Operator.LE, Operator.LT)


@dataclass(frozen=True)
class IndicatorScore:
    """The computed score of one indicator row (``index`` into ``report.indicators``)."""

    index: int
    score: Decimal | None  # None when it cannot be computed (no target, no actual, no weight)
    weight: Decimal | None
    met: bool | None  # None when unknown
    reason: str = ""  # why score is None, in Chinese


@dataclass(frozen=True)
class ScoreResult:
    """The computed score sheet of a report."""

    execution_rate: Decimal | None  # a fraction, 4 decimals: 0.9924
    execution_score: Decimal | None  # 2 decimals: 9.92
    indicators: tuple[IndicatorScore, ...]
    by_level: dict[Level1, Decimal]  # Σ computed indicator scores per 一级
    total: Decimal  # Σ indicator scores + execution score, 2 decimals, ≤ 100
    grade: Grade
    max_possible: Decimal  # the best total this report could reach given its 执行率 (99.92 for the sample)
    claimed: Decimal | None


def execution_rate(funds: Funds) -> Decimal | None:
    """全年执行数 ÷ 全年预算数 as a fraction rounded to 4 decimals, or None when either is missing."""
    budget, spent = funds.annual_budget, funds.actual_spent
    if budget is None or spent is None or budget <= 0:
        return None
    return (spent / budget).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def execution_score(rate: Decimal) -> Decimal:
    """min(rate, 1) × 10, two decimals: 0.9924 → 9.92."""
    return round_cent(max(min(rate, FULL_RATE), Decimal(0)) * EXECUTION_WEIGHT)


def grade_for(total: Decimal) -> Grade:
    """优 [90, 100], 良 [80, 90), 中 [60, 80), 差 [0, 60)."""
    for floor, grade in GRADE_FLOORS:
        if total >= floor:
            return grade
    return Grade.POOR


def weights_of(report: Report) -> dict[Level1, Decimal]:
    """The report's 一级 weights: its override, or the default 50/30/10."""
    return dict(report.weights) if report.weights is not None else dict(DEFAULT_WEIGHTS)


def is_qualitative(indicator: Indicator) -> bool:
    """True for a 定性 row: marked 定性, or with the 定性 operator."""
    return indicator.nature is Nature.QUALITATIVE or indicator.operator is Operator.QUALITATIVE


def parsed_target(indicator: Indicator) -> ParsedValue | None:
    """The target as a typed value, the row's operator applied; None when missing or unreadable."""
    if not indicator.target.strip():
        return None
    return _target(indicator.target, indicator.unit, indicator.operator)


@lru_cache(maxsize=16_384)
def _target(text: str, unit: str, operator: Operator | None) -> ParsedValue | None:
    # remembered like parse_outcome: most rows carry their own operator, and making the
    # ParsedValue that applies it again for every row was ~2 ms of the first check of 2,000 rows
    outcome = parse_outcome(text, unit)
    if isinstance(outcome, ParseError):
        return None
    if operator is not None and outcome.kind is not ValueKind.QUALITATIVE:
        return ParsedValue(outcome.kind, operator, outcome.number, outcome.unit, outcome.date)
    return outcome


def parsed_actual(indicator: Indicator) -> ParsedValue | None:
    """The actual as a typed value; None when missing or unreadable."""
    return _parse(indicator.actual, indicator.unit)


def _parse(text: str, unit: str) -> ParsedValue | None:
    if not text.strip():
        return None
    outcome = parse_outcome(text, unit)
    return None if isinstance(outcome, ParseError) else outcome


@lru_cache(maxsize=16_384)
def parse_outcome(text: str, unit: str) -> ParsedValue | ParseError:
    """``parse_indicator_value(text, unit)``, or the ``ParseError`` it raised, remembered.

    Checking and scoring read every target and actual several times, and the drafting screen
    checks and scores the whole report after every accepted answer, while almost all rows stay
    as they were: parsing each distinct value once made checking 2,000 rows several times
    faster. Parsing is pure and both results are immutable, so sharing them is safe; the caller
    must not raise the returned error.
    """
    try:
        return parse_indicator_value(text, unit)
    except ParseError as error:
        return error


def effective_operator(indicator: Indicator, target: ParsedValue | None) -> Operator:
    """The operator the row is scored by: its own, the target's, or its category's usual one."""
    if indicator.operator is not None and indicator.operator is not Operator.QUALITATIVE:
        return indicator.operator
    if target is not None and target.operator is not None and target.operator is not Operator.QUALITATIVE:
        return target.operator
    if indicator.level2 is Level2.COST:
        return Operator.LE
    if target is not None and target.kind in (ValueKind.DATE, ValueKind.DURATION):
        return Operator.LE
    return Operator.GE


def qualitative_band(grade: QualGrade, weight: Decimal) -> tuple[Decimal, Decimal]:
    """The (low, high) score limits of a 定性 grade for a weight; high is exclusive except for 达成."""
    low, high = QUAL_BANDS[grade]
    return low * weight, high * weight


def in_band(grade: QualGrade, weight: Decimal, score: Decimal) -> bool:
    """True when a 定性 score lies inside its grade's band (达成 includes the full weight)."""
    low, high = qualitative_band(grade, weight)
    if grade is QualGrade.MET or weight <= 0:
        return low <= score <= high
    return low <= score < high


def band_default(grade: QualGrade, weight: Decimal) -> Decimal:
    """The score used when the evaluator gave none: the weight for 达成, the lower bound otherwise."""
    if grade is QualGrade.MET:
        return round_cent(weight)
    return round_cent(qualitative_band(grade, weight)[0])


def to_report_unit(value: ParsedValue, unit: MoneyUnit) -> Decimal | None:
    """A money value's number in the report's unit; other values' numbers unchanged."""
    if value.number is None:
        return None
    if value.kind is ValueKind.MONEY and value.unit in _MONEY_FACTORS:
        return value.number * _MONEY_FACTORS[value.unit] / _REPORT_FACTORS[unit]
    return value.number


def directional_score(operator: Operator, target: Decimal, actual: Decimal, weight: Decimal) -> Decimal:
    """The score of a 定量 row by its direction rule (RULES.md §4), two decimals."""
    if operator in _REVERSE:
        actual = max(actual, Decimal(0))  # negative actuals count as 0
        if actual <= target:
            return round_cent(weight)
        if target <= 0 or actual >= REVERSE_ZERO_FACTOR * target:
            return Decimal("0.00")
        return round_cent((1 - (actual - target) / target) * weight)
    if operator is Operator.EQ and target == 0:
        return round_cent(weight) if actual <= 0 else Decimal("0.00")
    if actual >= target:
        return round_cent(weight)
    if target <= 0:
        return Decimal("0.00")
    return round_cent(max(actual, Decimal(0)) / target * weight)


def is_met(operator: Operator, target: Decimal, actual: Decimal) -> bool:
    """Whether a 定量 actual reaches its target in the row's direction (the full-score condition)."""
    if operator in _REVERSE:
        return max(actual, Decimal(0)) <= target
    if operator is Operator.EQ and target == 0:
        return actual <= 0
    return actual >= target


def _unscored(index: int, weight: Decimal | None, reason: str, met: bool | None = None) -> IndicatorScore:
    return IndicatorScore(index, None, weight, met, reason)


def _score_qualitative(
    index: int, indicator: Indicator, actual: ParsedValue, weight: Decimal | None
) -> IndicatorScore:
    grade = actual.grade
    if grade is None:
        return _unscored(index, weight, f"无法从实际完成值“{indicator.actual.strip()}”判断定性等级")
    met = grade is QualGrade.MET
    if weight is None:
        return _unscored(index, weight, "缺少分值", met)
    given = indicator.score
    score = (
        round_cent(given)
        if given is not None and in_band(grade, weight, given)
        else band_default(grade, weight)
    )
    return IndicatorScore(index, score, weight, met)


def score_indicator(indicator: Indicator, unit: MoneyUnit, index: int = 0) -> IndicatorScore:
    """Score one row by its direction rule (正向, 等于, 反向, 定性 bands); index is 0 unless given."""
    weight = indicator.weight
    actual = parsed_actual(indicator)
    if actual is None:
        reason = "缺少实际完成值" if not indicator.actual.strip() else "实际完成值无法识别"
        return _unscored(index, weight, reason)
    if is_qualitative(indicator) or actual.kind is ValueKind.QUALITATIVE:
        return _score_qualitative(index, indicator, actual, weight)
    target = parsed_target(indicator)
    if target is None:
        reason = "缺少年度指标值" if not indicator.target.strip() else "年度指标值无法识别"
        return _unscored(index, weight, reason)
    operator = effective_operator(indicator, target)
    if target.kind is ValueKind.DATE or actual.kind is ValueKind.DATE:
        if target.date is None or actual.date is None:
            return _unscored(index, weight, "年度指标值与实际完成值一个是日期、一个不是，无法比较")
        met = actual.date <= target.date
        if weight is None:
            return _unscored(index, weight, "缺少分值", met)
        return IndicatorScore(index, round_cent(weight) if met else Decimal("0.00"), weight, met)
    target_number, actual_number = to_report_unit(target, unit), to_report_unit(actual, unit)
    if target_number is None or actual_number is None or target.kind is ValueKind.QUALITATIVE:
        return _unscored(index, weight, "年度指标值不是数值，无法按定量规则计分")
    if not _same_unit(target, actual):
        return _unscored(
            index, weight, f"年度指标值单位“{target.unit}”与实际完成值单位“{actual.unit}”不一致，无法比较"
        )
    met = is_met(operator, target_number, actual_number)
    if weight is None:
        return _unscored(index, weight, "缺少分值", met)
    return IndicatorScore(
        index, directional_score(operator, target_number, actual_number, weight), weight, met
    )


def _same_unit(target: ParsedValue, actual: ParsedValue) -> bool:
    if not target.unit or not actual.unit or target.unit == actual.unit:
        return True
    return target.kind is ValueKind.MONEY and actual.kind is ValueKind.MONEY


def _scored(index: int, indicator: Indicator, unit: MoneyUnit) -> IndicatorScore:
    score, met, reason = _row_score(
        indicator.level2,
        indicator.nature,
        indicator.operator,
        indicator.target,
        indicator.unit,
        indicator.actual,
        None if indicator.weight is None else str(indicator.weight),
        None if indicator.score is None else str(indicator.score),
        unit,
    )
    return IndicatorScore(index, score, indicator.weight, met, reason)


@lru_cache(maxsize=16_384)
def _row_score(
    level2: Level2,
    nature: Nature,
    operator: Operator | None,
    target: str,
    unit_text: str,
    actual: str,
    weight: str | None,
    given: str | None,
    unit: MoneyUnit,
) -> tuple[Decimal | None, bool | None, str]:
    """``score_indicator`` of a row with these fields (all it reads), remembered.

    The drafting screen scores the whole report after every accepted answer, and nearly every
    row is unchanged; scoring 2,000 rows again took about 8 ms. The decimals come as their
    exact text (5, 5.00 and -0 are equal numbers but may round differently). Keep the key in step
    with what ``score_indicator`` reads.
    """
    row = Indicator(
        "", level2, nature=nature, operator=operator, target=target, unit=unit_text, actual=actual,
        weight=None if weight is None else Decimal(weight), score=None if given is None else Decimal(given),
    )  # fmt: skip
    scored = score_indicator(row, unit)
    return scored.score, scored.met, scored.reason


def score_report(report: Report) -> ScoreResult:
    """Compute the whole score sheet of a report."""
    rate = execution_rate(report.funds)
    exec_score = execution_score(rate) if rate is not None else None
    unit = report.money_unit
    items = tuple(_scored(index, indicator, unit) for index, indicator in enumerate(report.indicators))
    by_level: dict[Level1, Decimal] = dict.fromkeys(weights_of(report), Decimal("0.00"))
    for indicator, item in zip(report.indicators, items, strict=True):
        level = indicator.effective_level1
        by_level[level] = by_level.get(level, Decimal("0.00")) + (item.score or Decimal(0))
    total = round_cent(min(sum(by_level.values(), Decimal(0)) + (exec_score or Decimal(0)), FULL_SCORE))
    weighted = [indicator.weight for indicator in report.indicators if indicator.weight is not None]
    indicator_max = sum(weighted, Decimal(0)) if weighted else sum(weights_of(report).values(), Decimal(0))
    best = indicator_max + (exec_score if exec_score is not None else EXECUTION_WEIGHT)
    return ScoreResult(
        execution_rate=rate,
        execution_score=exec_score,
        indicators=items,
        by_level={level: round_cent(value) for level, value in by_level.items()},
        total=total,
        grade=grade_for(total),
        max_possible=round_cent(min(best, FULL_SCORE)),
        claimed=report.claimed_total,
    )
