"""Scoring by the Ministry of Finance rules (RULES.md §4): 执行率, indicators by direction, total, grade."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from report.model import Funds, Grade, Indicator, Level1, MoneyUnit, Report

DEFAULT_WEIGHTS: dict[Level1, Decimal] = {
    Level1.OUTPUT: Decimal(50),
    Level1.BENEFIT: Decimal(30),
    Level1.SATISFACTION: Decimal(10),
}
EXECUTION_WEIGHT = Decimal(10)  # 预算执行率
FULL_SCORE = Decimal(100)


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
    raise NotImplementedError


def execution_score(rate: Decimal) -> Decimal:
    """min(rate, 1) × 10, two decimals: 0.9924 → 9.92."""
    raise NotImplementedError


def score_indicator(indicator: Indicator, unit: MoneyUnit) -> IndicatorScore:
    """Score one row by its direction rule (正向, 等于, 反向, 定性 bands); index is 0."""
    raise NotImplementedError


def grade_for(total: Decimal) -> Grade:
    """优 [90, 100], 良 [80, 90), 中 [60, 80), 差 [0, 60)."""
    raise NotImplementedError


def weights_of(report: Report) -> dict[Level1, Decimal]:
    """The report's 一级 weights: its override, or the default 50/30/10."""
    raise NotImplementedError


def score_report(report: Report) -> ScoreResult:
    """Compute the whole score sheet of a report."""
    raise NotImplementedError
