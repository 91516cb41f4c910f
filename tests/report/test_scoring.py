"""Scoring (RULES.md §4): 执行率, each direction rule, 定性 bands, totals, grades, max possible."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given

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
from report.scoring import (
    DEFAULT_WEIGHTS,
    directional_score,
    execution_rate,
    execution_score,
    grade_for,
    score_indicator,
    score_report,
    weights_of,
)
from tests.strategies import reports

D = Decimal


def _row(
    operator: Operator | None,
    target: str,
    actual: str,
    *,
    unit: str = "人次",
    weight: str | None = "10",
    level2: Level2 = Level2.QUANTITY,
    score: str | None = None,
    nature: Nature = Nature.QUANTITATIVE,
) -> Indicator:
    return Indicator(
        name="测试指标",
        level2=level2,
        nature=nature,
        operator=operator,
        target=target,
        unit=unit,
        actual=actual,
        weight=None if weight is None else D(weight),
        score=None if score is None else D(score),
    )


def _score(indicator: Indicator, unit: MoneyUnit = MoneyUnit.WAN) -> Decimal | None:
    return score_indicator(indicator, unit).score


# ---- 执行率 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("budget", "spent", "rate", "score"),
    [
        ("487", "483.3", "0.9924", "9.92"),  # the sample
        ("100", "86.18", "0.8618", "8.62"),
        ("100", "45.17", "0.4517", "4.52"),
        ("200", "100", "0.5", "5.00"),
        ("100", "100", "1", "10.00"),
        ("100", "120", "1.2", "10.00"),  # over-spending earns no bonus
        ("3", "2", "0.6667", "6.67"),  # rounded half up at 4 decimals
    ],
)
def test_execution_rate_and_score(budget: str, spent: str, rate: str, score: str) -> None:
    derived = execution_rate(Funds(annual_budget=D(budget), actual_spent=D(spent)))
    assert derived == D(rate)
    assert derived is not None
    assert str(execution_score(derived)) == score


def test_execution_rate_rounds_half_up_at_four_decimals() -> None:
    # 1 ÷ 20000 = 0.00005, exactly half a unit of the 4th decimal
    assert execution_rate(Funds(annual_budget=D(20000), actual_spent=D(1))) == D("0.0001")


@pytest.mark.parametrize(
    "funds",
    [
        Funds(),
        Funds(annual_budget=D(487)),
        Funds(actual_spent=D(1)),
        Funds(annual_budget=D(0), actual_spent=D(0)),
    ],
)
def test_execution_rate_unknown(funds: Funds) -> None:
    assert execution_rate(funds) is None


# ---- 正向 / 等于 / 反向 --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operator", "target", "actual", "expected"),
    [
        (Operator.GE, "1000", "1200", "10.00"),  # over-achieved: no bonus
        (Operator.GE, "1000", "1000", "10.00"),
        (Operator.GE, "1000", "733", "7.33"),
        (Operator.GT, "95", "92.5", "9.74"),
        (Operator.EQ, "100", "80", "8.00"),
        (Operator.EQ, "100", "120", "10.00"),
        (Operator.EQ, "0", "0", "10.00"),  # target 0: nothing happened, as required
        (Operator.EQ, "0", "3", "0.00"),
        (Operator.LE, "30", "25", "10.00"),
        (Operator.LE, "30", "30", "10.00"),
        (Operator.LE, "30", "45", "5.00"),  # (1 − 15/30) × 10
        (Operator.LT, "30", "33", "9.00"),
        (Operator.LE, "30", "60", "0.00"),  # exactly 2 × target
        (Operator.LE, "30", "59.97", "0.01"),
        (Operator.LE, "30", "90", "0.00"),
        (Operator.LE, "0", "0", "10.00"),
        (Operator.LE, "0", "1", "0.00"),
    ],
)
def test_direction_rules(operator: Operator, target: str, actual: str, expected: str) -> None:
    assert str(_score(_row(operator, target, actual))) == expected


def test_negative_actuals_count_as_zero() -> None:
    # the value parser never yields a negative actual, but a computed one (a saving, a change) may be
    assert directional_score(Operator.LE, D(30), D(-10), D(10)) == D("10.00")
    assert directional_score(Operator.GE, D(1000), D(-5), D(10)) == D("0.00")


def test_met_follows_the_direction() -> None:
    assert score_indicator(_row(Operator.GE, "1000", "999"), MoneyUnit.WAN).met is False
    assert score_indicator(_row(Operator.LE, "30", "29"), MoneyUnit.WAN).met is True
    assert score_indicator(_row(Operator.LE, "30", "31"), MoneyUnit.WAN).met is False


def test_missing_operator_takes_the_category_direction() -> None:
    # 成本 is 反向 even without an operator: 4 ≤ 5 → full
    cost = _row(None, "5", "4", unit="万元", level2=Level2.COST)
    assert _score(cost) == D("10.00")
    # 数量 defaults to 正向: 4 of 5 → 8
    assert _score(_row(None, "5", "4")) == D("8.00")


def test_money_is_compared_in_the_report_unit() -> None:
    cost = _row(Operator.LE, "3.5万元", "30000元", unit="万元", level2=Level2.COST)
    assert _score(cost, MoneyUnit.WAN) == D("10.00")
    over = _row(Operator.LE, "3.5万元", "42000元", unit="万元", level2=Level2.COST)
    assert _score(over, MoneyUnit.YUAN) == D("8.00")  # (1 − 7000/35000) × 10


def test_mismatched_units_are_not_scored() -> None:
    result = score_indicator(_row(Operator.GE, "90%", "95人次", unit=""), MoneyUnit.WAN)
    assert result.score is None
    assert "单位" in result.reason


def test_deadlines_are_met_or_missed() -> None:
    on_time = _row(Operator.LE, "2020-12-31", "2020年11月30日", unit="", level2=Level2.TIMELINESS)
    late = _row(Operator.LE, "2020-12-31", "2021-01-05", unit="", level2=Level2.TIMELINESS)
    same_day = _row(None, "2020年12月31日前", "2020-12-31", unit="", level2=Level2.TIMELINESS)
    assert _score(on_time) == D("10.00")
    assert _score(late) == D("0.00")
    assert score_indicator(late, MoneyUnit.WAN).met is False
    assert _score(same_day) == D("10.00")


@pytest.mark.parametrize(
    ("indicator", "reason"),
    [
        (_row(Operator.GE, "", "1000"), "缺少年度指标值"),
        (_row(Operator.GE, "1000", ""), "缺少实际完成值"),
        (_row(Operator.GE, "1000", "900", weight=None), "缺少分值"),
        (_row(Operator.GE, "1000", "***"), "实际完成值无法识别"),
    ],
)
def test_unscorable_rows_say_why(indicator: Indicator, reason: str) -> None:
    result = score_indicator(indicator, MoneyUnit.WAN)
    assert result.score is None
    assert result.reason == reason


# ---- 定性 --------------------------------------------------------------------------------------


def _qual(actual: str, score: str | None, weight: str = "10") -> Indicator:
    return _row(
        Operator.QUALITATIVE,
        QualGrade.MET.value,
        actual,
        unit="",
        weight=weight,
        score=score,
        level2=Level2.SOCIAL,
        nature=Nature.QUALITATIVE,
    )


@pytest.mark.parametrize(
    ("actual", "given", "expected"),
    [
        (QualGrade.MET.value, None, "10.00"),  # absent: the band's top for 达成
        (QualGrade.MET.value, "8", "8.00"),  # 80%: the lower edge of 达成 is inside
        (QualGrade.MET.value, "7.99", "10.00"),  # outside the band: the band's default
        (QualGrade.PARTLY.value, None, "6.00"),  # absent: the band's lower bound
        (QualGrade.PARTLY.value, "6", "6.00"),  # 60% is inside 部分达成
        (QualGrade.PARTLY.value, "7.99", "7.99"),
        (QualGrade.PARTLY.value, "8", "6.00"),  # 80% belongs to 达成, not 部分达成
        (QualGrade.NOT_MET.value, None, "0.00"),
        (QualGrade.NOT_MET.value, "5.99", "5.99"),
        (QualGrade.NOT_MET.value, "6", "0.00"),  # 60% belongs to 部分达成
    ],
)
def test_qualitative_bands(actual: str, given: str | None, expected: str) -> None:
    assert str(_score(_qual(actual, given))) == expected


def test_qualitative_met_and_unreadable_grade() -> None:
    assert score_indicator(_qual(QualGrade.PARTLY.value, None), MoneyUnit.WAN).met is False
    assert score_indicator(_qual("及时", None), MoneyUnit.WAN).met is True
    vague = score_indicator(_qual("工作有序推进", None), MoneyUnit.WAN)
    assert vague.score is None
    assert "定性等级" in vague.reason


# ---- grade, weights, totals ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("100", Grade.EXCELLENT),
        ("90", Grade.EXCELLENT),
        ("89.99", Grade.GOOD),
        ("80", Grade.GOOD),
        ("79.99", Grade.FAIR),
        ("60", Grade.FAIR),
        ("59.99", Grade.POOR),
        ("0", Grade.POOR),
    ],
)
def test_grade_bands_are_half_open(total: str, grade: Grade) -> None:
    assert grade_for(D(total)) is grade


def test_weights_default_and_override() -> None:
    assert weights_of(Report(title="t")) == {
        Level1.OUTPUT: D(50),
        Level1.BENEFIT: D(30),
        Level1.SATISFACTION: D(10),
    }
    custom = {Level1.OUTPUT: D(40), Level1.COST: D(10), Level1.BENEFIT: D(30), Level1.SATISFACTION: D(10)}
    assert weights_of(Report(title="t", weights=custom)) == custom
    assert sum(DEFAULT_WEIGHTS.values()) == D(90)


def _sample_like(indicators: list[Indicator], claimed: str | None = "100") -> Report:
    return Report(
        title="示例街道2020年度工作经费项目支出绩效自评报告",
        funds=Funds(annual_budget=D(487), actual_spent=D("483.3")),
        indicators=indicators,
        claimed_total=None if claimed is None else D(claimed),
    )


def test_sample_maximum_is_99_92_without_weights() -> None:
    result = score_report(_sample_like([_row(None, "", "73.3%", unit="%", weight=None)]))
    assert result.execution_rate == D("0.9924")
    assert result.execution_score == D("9.92")
    assert result.max_possible == D("99.92")
    assert result.total == D("9.92")  # nothing scorable but the 执行率
    assert result.claimed == D("100")


def test_total_by_level_and_grade() -> None:
    report = _sample_like(
        [
            _row(Operator.GE, "1000", "1200", weight="20"),
            _row(Operator.GE, "95", "97", unit="%", weight="30", level2=Level2.QUALITY),
            _qual(QualGrade.MET.value, "27", weight="30"),
            _row(Operator.GE, "95", "92.5", unit="%", weight="10", level2=Level2.SATISFACTION),
        ]
    )
    result = score_report(report)
    assert result.by_level == {
        Level1.OUTPUT: D("50.00"),
        Level1.BENEFIT: D("27.00"),
        Level1.SATISFACTION: D("9.74"),
    }
    assert result.total == D("96.66")  # 50 + 27 + 9.74 + 9.92
    assert result.grade is Grade.EXCELLENT
    assert result.max_possible == D("99.92")  # 90 of weights + 9.92


def test_max_possible_counts_only_given_weights() -> None:
    report = _sample_like(
        [_row(Operator.GE, "10", "10", weight="40"), _row(Operator.GE, "10", "5", weight=None)]
    )
    assert score_report(report).max_possible == D("49.92")


def test_total_is_capped_at_100() -> None:
    report = Report(
        title="t",
        funds=Funds(annual_budget=D(100), actual_spent=D(100)),
        indicators=[_row(Operator.GE, "1", "1", weight="95")],
    )
    result = score_report(report)
    assert result.total == D("100.00")
    assert result.max_possible == D("100.00")


def test_unknown_execution_rate_leaves_room_for_ten_points() -> None:
    result = score_report(Report(title="t"))
    assert result.execution_score is None
    assert result.total == D("0.00")
    assert result.grade is Grade.POOR
    assert result.max_possible == D("100.00")  # 90 of default weights + the 10 still possible


@given(reports())
def test_any_report_scores_within_its_maximum(report: Report) -> None:
    result = score_report(report)
    assert D(0) <= result.total <= result.max_possible <= D(100)
    assert result.grade is grade_for(result.total)
    for item in result.indicators:
        if item.score is not None:
            assert item.weight is not None
            assert D(0) <= item.score <= max(item.weight, D(0))
        else:
            assert item.reason
