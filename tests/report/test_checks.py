"""Consistency checks (RULES.md §6): the sample's failures, each check firing and staying quiet, no crashes."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from report.checks import CHECKS, SEVERITY_ORDER, Finding, Severity, Where, check_report, codes_by_rule
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
    QualGrade,
    Report,
)
from report.outline import Block, BlockKind, Outline, Section
from tests.strategies import chinese_text, reports

D = Decimal
SAMPLE_LINES = ["49", "185.03", "20", "29.7", "25", "42.57", "34", "31", "30", "21", "16"]

# ---- builders ------------------------------------------------------------------------------------


def _ind(
    name: str,
    level2: Level2,
    target: str,
    actual: str,
    *,
    unit: str = "",
    operator: Operator | None = Operator.GE,
    weight: str | None = None,
    score: str | None = None,
    nature: Nature = Nature.QUANTITATIVE,
    reason: str = "",
    level1: Level1 | None = None,
) -> Indicator:
    return Indicator(
        name=name,
        level2=level2,
        level1=level1,
        nature=nature,
        operator=operator,
        target=target,
        unit=unit,
        actual=actual,
        weight=None if weight is None else D(weight),
        score=None if score is None else D(score),
        deviation_reason=reason,
    )


def _good_indicators() -> list[Indicator]:
    return [
        _ind("培训人次", Level2.QUANTITY, "1000", "1200", unit="人次", weight="15", score="15"),
        _ind("调解成功率", Level2.QUALITY, "95", "97", unit="%", weight="15", score="15"),
        _ind(
            "完成时间",
            Level2.TIMELINESS,
            "2020-12-31",
            "2020-11-30",
            operator=Operator.LE,
            weight="10",
            score="10",
        ),
        _ind("培训成本", Level2.COST, "30", "28", unit="万元", operator=Operator.LE, weight="10", score="10"),
        _ind(
            "群众安全感",
            Level2.SOCIAL,
            QualGrade.MET.value,
            QualGrade.MET.value,
            operator=Operator.QUALITATIVE,
            nature=Nature.QUALITATIVE,
            weight="30",
            score="30",
        ),
        _ind("群众满意度", Level2.SATISFACTION, "90", "95", unit="%", weight="10", score="10"),
    ]


OUTLINE = Outline(
    id="mini",
    name="测试提纲",
    sections=(
        Section(
            "basic",
            "基本情况",
            1,
            "一、",
            children=(
                Section(
                    "basic.overview",
                    "项目概况",
                    2,
                    "（一）",
                    (Block(BlockKind.PROSE, "overview"), Block(BlockKind.FUNDS)),
                ),
                Section("basic.system", "评价指标体系", 2, "（二）", (Block(BlockKind.PROSE, "system"),)),
            ),
        ),
        Section("effect", "项目效益", 1, "二、", (Block(BlockKind.PROSE, "effect"),)),
        Section("suggestions", "结果应用建议", 1, "三、", (Block(BlockKind.PROSE, "suggestions"),)),
        Section("other", "其他需说明的问题", 1, "四、", (Block(BlockKind.PROSE, "other"),)),
    ),
)


def _good_report() -> Report:
    """A report every check accepts: the sample's money with a correct score sheet."""
    lines = [*SAMPLE_LINES[:-1], "19.7"]  # sums to 487.00
    return Report(
        title="示例区司法局2020年度人民调解专项经费项目支出绩效自评报告",
        year=2020,
        money_unit=MoneyUnit.WAN,
        funds=Funds(
            initial_budget=D(487),
            annual_budget=D(487),
            actual_spent=D("483.3"),
            received=D(487),
            fiscal_current=D(487),
            stated_savings=D("3.7"),
            stated_execution_rate=D("0.9924"),
        ),
        budget_lines=[BudgetLine(f"第{i + 1}项经费", D(amount)) for i, amount in enumerate(lines)],
        indicators=_good_indicators(),
        answers={
            "overview": "项目全年预算487万元，实际支出483.3万元，节约3.7万元，执行率99.24%；"
            "节约主要是培训场地由司法所免费提供，低于预算。",
            "system": "从产出、效益和满意度三个方面设置指标。",
            "effect": "调解工作有序开展，群众安全感明显提升。",
            "suggestions": "评价结果作为下年度预算安排的参考。",
            "other": "本项目无其他需说明的问题。",
        },
        claimed_total=D("99.92"),
        claimed_grade=Grade.EXCELLENT,
    )


def _sample_report() -> Report:
    """The sample report's figures: lines that add to the spending, no targets, no weights, 100 claimed."""
    return Report(
        title="示例街道办事处2020年工作经费项目支出绩效评价报告",
        year=2020,
        funds=Funds(annual_budget=D(487), actual_spent=D("483.3"), received=D(487), stated_savings=D("3.7")),
        budget_lines=[BudgetLine(f"第{i + 1}项经费", D(amount)) for i, amount in enumerate(SAMPLE_LINES)],
        indicators=[
            _ind("开展教育培训", Level2.QUANTITY, "", "1000", unit="人次", operator=None),
            _ind("意见建议解决率", Level2.QUANTITY, "", "73.3", unit="%", operator=None),
            _ind("按期结案率", Level2.QUALITY, "", "99.9", unit="%", operator=None),
            _ind("防汛应急物资", Level2.COST, "", "3.5", unit="万元", operator=None),
            _ind("企业防疫补助", Level2.ECONOMIC, "", "4", unit="万元", operator=None),
            _ind("群众满意率", Level2.SATISFACTION, "", "100", unit="%", operator=None),
        ],
        claimed_total=D(100),
    )


def _codes(findings: list[Finding]) -> list[str]:
    return [finding.code for finding in findings]


def _only(findings: list[Finding], code: str) -> Finding:
    matching = [finding for finding in findings if finding.code == code]
    assert len(matching) == 1, f"{code}: {[f.message for f in findings]}"
    return matching[0]


def _changed(**changes: object) -> Report:
    return dataclasses.replace(_good_report(), **changes)  # type: ignore[arg-type]


def _with_funds(**changes: object) -> Report:
    report = _good_report()
    report.funds = dataclasses.replace(report.funds, **changes)  # type: ignore[arg-type]
    return report


def _with_indicator(index: int, **changes: object) -> Report:
    report = _good_report()
    report.indicators[index] = dataclasses.replace(report.indicators[index], **changes)  # type: ignore[arg-type]
    return report


# ---- the good report and the sample ---------------------------------------------------------------


def test_a_consistent_report_has_no_findings() -> None:
    assert check_report(_good_report(), OUTLINE) == []
    assert check_report(_good_report()) == []


def test_the_sample_figures_fail_where_a_reviewer_would_say() -> None:
    findings = check_report(_sample_report())
    codes = _codes(findings)

    lines = _only(findings, "budget.lines_sum")
    assert "483.30" in lines.message
    assert "487.00" in lines.message
    assert "3.70" in lines.message
    assert "节约" in lines.message and "实际支出" in lines.message
    assert lines.where.field == "budget_lines"

    impossible = _only(findings, "score.claimed_impossible")
    assert "100" in impossible.message
    assert "99.24%" in impossible.message
    assert "9.92" in impossible.message
    assert "最高也只有 99.92 分" in impossible.message

    execution = _only(findings, "score.execution")
    assert "99.24%" in execution.message and "9.92" in execution.message

    assert "coverage.no_timeliness" in codes
    # RULES.md §6 #32: a rate under 数量指标 is a warning advising 质量指标, not an error
    mismatch = _only(findings, "indicator.rate_in_quantity")
    assert mismatch.severity is Severity.WARNING
    assert "73.3%" in mismatch.message
    assert "比率" in mismatch.message and "质量指标" in mismatch.message
    assert mismatch.where.indicator == 1
    assert mismatch.where.describe() == "第 2 项指标「意见建议解决率」"
    assert mismatch.fix is not None and mismatch.fix.label == "把第 2 项指标移到质量指标"

    targets = _only(findings, "indicator.missing_target")
    assert "全部 6 项指标" in targets.message
    assert "score.full_despite_shortfall" in codes
    assert "score.sheet_missing" in codes
    assert "grade.missing" in codes
    # what the sample gets right stays quiet
    assert "funds.savings" not in codes
    assert "funds.received_over_budget" not in codes
    assert "year.title" not in codes


def test_findings_are_ordered_by_severity_then_position() -> None:
    findings = check_report(_sample_report())
    ranks = [SEVERITY_ORDER[finding.severity] for finding in findings]
    assert ranks == sorted(ranks)
    errors = [f.code for f in findings if f.severity is Severity.ERROR]
    assert errors.index("budget.lines_sum") < errors.index("indicator.missing_target")
    assert errors.index("indicator.missing_target") < errors.index("score.claimed_impossible")


def test_a_new_report_gives_a_few_missing_findings() -> None:
    findings = check_report(Report(title="新报告"), OUTLINE)
    assert sorted(_codes(findings)) == [
        "budget.lines_missing",
        "funds.missing",
        "funds.missing",
        "indicator.none",
        "outline.empty_section",
        "score.claimed_missing",
    ]
    empty = _only(findings, "outline.empty_section")
    assert "4 个小节" in empty.message


def test_every_code_is_listed_once_with_its_rule() -> None:
    assert len(CHECKS) == len({spec.code for spec in CHECKS.values()})
    grouped = codes_by_rule()
    assert "budget.lines_sum" in grouped[1]
    assert "score.claimed_impossible" in grouped[5]
    assert set(grouped) == set(range(1, 33))  # every check of RULES.md §6 has a code
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in spec.title) for spec in CHECKS.values())


# ---- #1–#3 funds ---------------------------------------------------------------------------------


def test_lines_sum_names_the_gap_when_it_is_not_the_savings() -> None:
    report = _good_report()
    report.budget_lines.append(BudgetLine("多列的经费", D(5)))
    finding = _only(check_report(report), "budget.lines_sum")
    assert "492.00 万元" in finding.message and "5.00 万元" in finding.message
    assert "明细比预算多" in finding.message
    assert "节约" not in finding.message


def test_lines_within_a_hundredth_pass() -> None:
    report = _good_report()
    report.budget_lines[-1] = BudgetLine("末项", D("19.71"))
    assert "budget.lines_sum" not in _codes(check_report(report))


def test_lines_in_yuan_use_thousands_separators() -> None:
    report = _changed(
        money_unit=MoneyUnit.YUAN,
        funds=Funds(annual_budget=D(4870000), actual_spent=D(4833000)),
        budget_lines=[BudgetLine("全部", D(4833000))],
    )
    finding = _only(check_report(report), "budget.lines_sum")
    assert "4,833,000.00 元" in finding.message and "37,000.00 元" in finding.message


def test_stated_savings_must_be_budget_minus_spending() -> None:
    finding = _only(check_report(_with_funds(stated_savings=D(4))), "funds.savings")
    assert "4.00 万元" in finding.message
    assert "487.00 − 全年执行数 483.30 = 3.70 万元" in finding.message


def test_overspending_is_flagged() -> None:
    report = _with_funds(actual_spent=D(500), stated_savings=None, stated_execution_rate=None)
    finding = _only(check_report(report), "funds.overspent")
    assert "超支 13.00 万元" in finding.message and "102.67%" in finding.message


@pytest.mark.parametrize(
    ("stated", "fires"), [("0.9925", True), ("0.8618", True), ("0.99243", False), ("0.9924", False)]
)
def test_stated_execution_rate(stated: str, fires: bool) -> None:
    findings = check_report(_with_funds(stated_execution_rate=D(stated)))
    assert ("funds.execution_rate" in _codes(findings)) is fires
    if fires:
        finding = _only(findings, "funds.execution_rate")
        assert f"{D(stated) * 100:.2f}%" in finding.message
        assert "= 99.24%" in finding.message


def test_rounding_slip_86_19_for_86_18_is_caught() -> None:
    report = _with_funds(
        annual_budget=D(100),
        initial_budget=None,
        actual_spent=D("86.18"),
        received=None,
        fiscal_current=None,
        stated_savings=None,
        stated_execution_rate=D("0.8619"),
    )
    finding = _only(check_report(report), "funds.execution_rate")
    assert "86.19%" in finding.message and "86.18%" in finding.message


# ---- #4–#7, #20 scores ---------------------------------------------------------------------------


def test_execution_score_implied_by_the_indicator_scores() -> None:
    report = _changed(claimed_total=D(100))
    finding = _only(check_report(report), "score.execution")
    assert "各项指标得分合计 90 分" in finding.message
    assert "相当于预算执行率得 10 分" in finding.message
    assert "9.92" in finding.message


def test_claimed_over_100() -> None:
    finding = _only(check_report(_changed(claimed_total=D(105))), "score.claimed_over_100")
    assert "105" in finding.message
    assert "score.claimed_impossible" not in _codes(check_report(_changed(claimed_total=D(105))))


def test_claimed_total_must_match_the_computed_total() -> None:
    report = _with_indicator(0, actual="900", score=D(15), deviation_reason="疫情影响，下半年补训")
    findings = check_report(report)
    finding = _only(findings, "score.total_mismatch")
    assert "按评分规则计算为 98.42 分" in finding.message  # 13.5 + 75 + 9.92
    assert "产出指标 48.50" in finding.message


def test_full_score_despite_unmet_indicator_and_rate() -> None:
    report = _with_indicator(0, actual="900", deviation_reason="疫情影响")
    report.claimed_total = D(100)
    finding = _only(check_report(report), "score.full_despite_shortfall")
    assert "99.24%" in finding.message and "「培训人次」" in finding.message


def test_full_score_is_fine_when_everything_is_met() -> None:
    report = _with_funds(actual_spent=D(487), stated_savings=D(0), stated_execution_rate=D(1))
    report.answers["overview"] = "项目全年预算487万元，全部用于人民调解工作，执行率100%。"
    report.claimed_total = D(100)
    assert _codes(check_report(report)) == []


def test_claimed_missing_names_the_computed_total() -> None:
    report = _changed(claimed_total=None, claimed_grade=None)
    finding = _only(check_report(report), "score.claimed_missing")
    assert finding.severity is Severity.INFO
    assert "99.92 分（优）" in finding.message


def test_grade_missing_and_mismatched() -> None:
    missing = _only(check_report(_changed(claimed_grade=None)), "grade.missing")
    assert "99.92 分" in missing.message and "“优”" in missing.message
    wrong = _only(check_report(_changed(claimed_grade=Grade.GOOD)), "grade.mismatch")
    assert "“良”" in wrong.message and "99.92 分对应“优”" in wrong.message


def test_sheet_missing_when_a_score_is_claimed_without_weights() -> None:
    report = _good_report()
    report.indicators = [dataclasses.replace(i, weight=None, score=None) for i in report.indicators]
    findings = check_report(report)
    assert "score.sheet_missing" in _codes(findings)
    assert "indicator.missing_weight" not in _codes(findings)  # the sheet finding says it all
    report.claimed_total = None
    report.claimed_grade = None
    findings = check_report(report)
    assert "score.sheet_missing" not in _codes(findings)
    assert "全部 6 项指标都没有分值" in _only(findings, "indicator.missing_weight").message


# ---- #8, #9 weights ------------------------------------------------------------------------------


def test_custom_weights_warn_and_must_sum_to_100() -> None:
    custom = {Level1.OUTPUT: D(40), Level1.COST: D(10), Level1.BENEFIT: D(30), Level1.SATISFACTION: D(10)}
    report = _changed(weights=custom)
    report.indicators[3] = dataclasses.replace(report.indicators[3], level1=Level1.COST)
    findings = check_report(report)
    assert _codes(findings) == ["weights.custom"]
    assert "产出 40、成本 10" in findings[0].message

    broken = _changed(weights={Level1.OUTPUT: D(50), Level1.BENEFIT: D(30), Level1.SATISFACTION: D(5)})
    finding = _only(check_report(broken), "weights.sum")
    assert "= 95，应为 100" in finding.message


def test_level_weights_must_equal_their_rows() -> None:
    report = _with_indicator(0, weight=D(20), score=D(20))
    finding = _only(check_report(report), "weights.level_sum")
    assert "产出指标下 4 项三级指标分值合计 55，应等于一级分值 50" in finding.message


def test_a_weighted_level_without_a_level_weight() -> None:
    report = _with_indicator(3, level1=Level1.COST)
    messages = [f.message for f in check_report(report) if f.code == "weights.level_sum"]
    assert any("一级指标分值中没有成本指标" in m for m in messages)
    assert any("合计 40，应等于一级分值 50" in m for m in messages)


def test_one_row_without_a_weight() -> None:
    report = _with_indicator(1, weight=None, score=None)
    finding = _only(check_report(report), "indicator.missing_weight")
    assert finding.where.describe() == "第 2 项指标「调解成功率」"


# ---- #10–#13 indicator rows ----------------------------------------------------------------------


def test_one_missing_target_is_reported_on_its_row() -> None:
    finding = _only(check_report(_with_indicator(1, target="")), "indicator.missing_target")
    assert finding.where.indicator == 1
    assert "「调解成功率」没有年度指标值" in finding.message


def test_missing_actual_operator_and_unit() -> None:
    assert "indicator.missing_actual" in _codes(check_report(_with_indicator(0, actual="")))
    operator = _only(check_report(_with_indicator(0, operator=None)), "indicator.missing_operator")
    assert "「培训人次」" in operator.message
    unit = _only(check_report(_with_indicator(0, unit="")), "indicator.missing_unit")
    assert "「培训人次」没有单位" in unit.message
    # 定性 rows need neither operator nor unit
    assert _codes(check_report(_with_indicator(4, operator=None))) == []


@pytest.mark.parametrize("text", ["*", "XX", "—", "≥XX人次"])
def test_placeholders(text: str) -> None:
    finding = _only(check_report(_with_indicator(0, target=text)), "indicator.placeholder")
    assert f"“{text}”是占位符" in finding.message


def test_unreadable_and_non_numeric_values() -> None:
    vague = _only(check_report(_with_indicator(2, target="2020年全年")), "indicator.unreadable")
    assert "2020年全年" in vague.message and "截止日期" in vague.hint
    words = _only(check_report(_with_indicator(0, target="美化环境")), "indicator.not_numeric")
    assert "“美化环境”不是数值" in words.message


def test_score_over_weight() -> None:
    finding = _only(check_report(_with_indicator(0, score=D(16))), "indicator.score_over_weight")
    assert "16 分超过其分值 15 分" in finding.message


def test_score_must_follow_the_direction_rule() -> None:
    report = _with_indicator(0, actual="700", deviation_reason="疫情停训两个月")
    finding = _only(check_report(report), "indicator.score_rule")
    assert "≥1000人次" in finding.message and "700人次" in finding.message
    assert "按正向指标计分规则应得 10.50 分，但写了 15 分" in finding.message  # 700 ÷ 1000 × 15
    reverse = _with_indicator(3, actual="36", score=D(10), deviation_reason="物价上涨")
    finding = _only(check_report(reverse), "indicator.score_rule")
    assert "反向指标计分规则应得 8 分" in finding.message  # (1 − 6/30) × 10


@pytest.mark.parametrize(
    ("grade", "score", "fires"),
    [
        (QualGrade.MET, "24", False),
        (QualGrade.MET, "23.99", True),
        (QualGrade.PARTLY, "18", False),
        (QualGrade.PARTLY, "24", True),
        (QualGrade.NOT_MET, "17.99", False),
        (QualGrade.NOT_MET, "18", True),
    ],
)
def test_qualitative_score_inside_its_band(grade: QualGrade, score: str, fires: bool) -> None:
    report = _with_indicator(4, actual=grade.value, score=D(score), deviation_reason="部分社区宣传不到位")
    findings = check_report(report)
    assert ("indicator.score_band" in _codes(findings)) is fires
    if fires and grade is QualGrade.PARTLY:
        assert "[18, 24) 分之间" in _only(findings, "indicator.score_band").message


def test_deviation_reason_required_when_unmet() -> None:
    finding = _only(
        check_report(_with_indicator(1, actual="90", score=D("14.21"))), "indicator.missing_reason"
    )
    assert "≥95%" in finding.message and "90%" in finding.message
    partly = _with_indicator(4, actual=QualGrade.PARTLY.value, score=D(20))
    assert (
        "“部分达成年度指标并具有一定效果”" in _only(check_report(partly), "indicator.missing_reason").message
    )
    explained = _with_indicator(1, actual="90", score=D("14.21"), deviation_reason="两起纠纷转入诉讼")
    assert "indicator.missing_reason" not in _codes(check_report(explained))


def test_overachievement_needs_a_reason() -> None:
    finding = _only(check_report(_with_indicator(0, actual="1300")), "indicator.overachieved")
    assert "130.00%" in finding.message
    assert "indicator.overachieved" not in _codes(check_report(_with_indicator(0, actual="1299")))


# ---- #14–#16 categories --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("index", "code"),
    [
        (0, "coverage.no_quantity"),
        (1, "coverage.no_quality"),
        (2, "coverage.no_timeliness"),
        (3, "coverage.no_cost"),
        (4, "coverage.no_benefit"),
        (5, "coverage.no_satisfaction"),
    ],
)
def test_coverage(index: int, code: str) -> None:
    report = _good_report()
    del report.indicators[index]
    assert code in _codes(check_report(report))


def test_money_under_quantity_and_rate_over_100() -> None:
    money = _with_indicator(0, target="5", actual="5", unit="万元")
    finding = _only(check_report(money), "indicator.money_in_quantity")
    assert "是金额，应放入成本指标" in finding.message and finding.severity is Severity.ERROR
    over = _with_indicator(5, actual="105")
    finding = _only(check_report(over), "indicator.rate_over_100")
    assert "105%" in finding.message and "超过 100%" in finding.message


def test_cost_operator_and_unit() -> None:
    finding = _only(check_report(_with_indicator(3, operator=Operator.GE)), "cost.operator")
    assert "“≥”" in finding.message and "≤" in finding.hint
    yuan = _with_indicator(3, target="300000", actual="172483", unit="元")
    unit = _only(check_report(yuan), "cost.unit")
    assert "以“元”计" in unit.message and "300000元 = 30.00 万元" in unit.message


def test_other_money_indicators_in_another_unit() -> None:
    report = _good_report()
    report.indicators.append(_ind("企业补助", Level2.ECONOMIC, "30000", "40000", unit="元", weight=None))
    report.indicators[4] = dataclasses.replace(report.indicators[4], weight=D(30))
    finding = next(f for f in check_report(report) if f.code == "indicator.money_unit")
    assert "30000元 = 3.00 万元" in finding.message


# ---- #17–#19, #21, #22 prose and year --------------------------------------------------------------


def _with_answer(key: str, text: str) -> Report:
    report = _good_report()
    report.answers[key] = text
    return report


def test_declared_categories_must_be_reported() -> None:
    text = "主要从产出指标（数量指标、质量指标、时效指标、成本指标）、效益指标（社会效益指标、可持续影响指标）、满意度指标进行评价。"
    finding = _only(check_report(_with_answer("system", text), OUTLINE), "text.declared_categories")
    assert "可持续影响指标" in finding.message and "时效指标" not in finding.message
    assert finding.where.describe() == "正文「（二）评价指标体系」"
    assert "text.declared_categories" not in _codes(
        check_report(_with_answer("system", "包括数量指标和质量指标。"))
    )


def test_narrative_rates_must_match_the_figures() -> None:
    text = "项目按预算批复使用资金，完成率为100%。示范党支部创建完成率100%。预算执行率达99.24%。"
    finding = _only(check_report(_with_answer("effect", text)), "text.rate_mismatch")
    assert "“完成率为100%”" in finding.message and "99.24%" in finding.message
    spent = _only(check_report(_with_answer("effect", "执行率100%。")), "text.rate_mismatch")
    assert "483.30 万元 ÷ 全年预算数 487.00 万元" in spent.message
    arrived = _only(check_report(_with_answer("effect", "项目资金到位率98%。")), "text.rate_mismatch")
    assert "100.00%" in arrived.message


def test_narrative_amounts_must_match_the_figures() -> None:
    text = "全年预算500万元，实际支出483.3万元，节约16.7万元。其中办公设备购置预算185.03万元。"
    findings = [f for f in check_report(_with_answer("overview", text)) if f.code == "text.amount_mismatch"]
    messages = " ".join(f.message for f in findings)
    assert len(findings) == 2
    assert "“全年预算500万元”" in messages and "全年预算数为 487.00 万元" in messages
    assert "节约16.7万元" in messages and "3.70 万元" in messages


def test_prose_amounts_in_another_unit() -> None:
    text = "累计投入活动经费172483元，5000元以上支出须集体研究；另投入3.5万元。"
    finding = _only(check_report(_with_answer("effect", text)), "text.money_unit")
    assert "172483元（= 17.25 万元）" in finding.message and "5000元（= 0.50 万元）" in finding.message
    assert "3.5万元" not in finding.message
    yuan_report = _with_answer("effect", "投入３．５万元。")
    yuan_report.money_unit = MoneyUnit.YUAN
    messages = [f.message for f in check_report(yuan_report) if f.code == "text.money_unit"]
    assert any("3.5万元（= 35,000.00 元）" in m for m in messages)


def test_sections_empty_or_nil() -> None:
    report = _with_answer("suggestions", "无")
    del report.answers["other"]
    findings = check_report(report, OUTLINE)
    nil = _only(findings, "outline.nil_section")
    assert nil.severity is Severity.INFO and "「三、结果应用建议」只写了“无”" in nil.message
    empty = _only(findings, "outline.empty_section")
    assert "「四、其他需说明的问题」没有内容" in empty.message
    assert "outline.empty_section" not in _codes(check_report(report))  # no outline, no heading checks


def test_title_year_and_indicator_dates() -> None:
    finding = _only(check_report(_changed(year=2021)), "year.title")
    assert "2020 年" in finding.message and "2021 年" in finding.message
    late = _only(check_report(_with_indicator(2, target="2021-06-30")), "year.indicator_date")
    assert "2021年6月30日" in late.message


# ---- #23–#25 funds ---------------------------------------------------------------------------------


def test_received_over_budget() -> None:
    finding = _only(check_report(_with_funds(received=D(500))), "funds.received_over_budget")
    assert "500.00 万元" in finding.message and "102.67%" in finding.message


def test_sources_must_add_up() -> None:
    report = _with_funds(fiscal_current=D(400), carried_over=D(80))
    finding = _only(check_report(report), "funds.sources_sum")
    assert "当年财政拨款 400.00 + 上年结转资金 80.00 = 480.00 万元" in finding.message
    assert "相差 7.00 万元" in finding.message
    ok = _with_funds(fiscal_current=D(400), carried_over=D(80), other=D(7))
    assert "funds.sources_sum" not in _codes(check_report(ok))


def test_budget_cut_to_match_spending() -> None:
    report = _with_funds(
        initial_budget=D(600), annual_budget=D("483.3"), stated_savings=None, stated_execution_rate=None
    )
    report.funds.received = None
    report.funds.fiscal_current = None
    report.budget_lines = [BudgetLine("全部", D("483.3"))]
    report.claimed_total = D(100)
    finding = _only(check_report(report), "funds.budget_cut")
    assert (
        "600.00 万元" in finding.message and "483.30 万元" in finding.message and "19.45%" in finding.message
    )
    small_cut = _with_funds(initial_budget=D(500), annual_budget=D("483.3"))
    assert "funds.budget_cut" not in _codes(check_report(small_cut))


# ---- Where ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "text"),
    [
        (Where(field="indicators", indicator=2, label="按期结案率"), "第 3 项指标「按期结案率」"),
        (Where(field="budget_lines", budget_line=2), "预算明细第 3 行"),
        (Where(field="funds.annual_budget"), "全年预算数"),
        (
            Where(field="answers.other", section="other", label="八、其他需说明的问题"),
            "正文「八、其他需说明的问题」",
        ),
        (Where(field="answers.misc"), "正文 misc"),
        (Where(), "整份报告"),
    ],
)
def test_where_describes_the_place_in_chinese(where: Where, text: str) -> None:
    assert where.describe() == text


# ---- the real sample's prose ---------------------------------------------------------------------------


def test_the_sample_prose(sample_path: Path) -> None:
    report = _sample_report()
    report.answers = {"whole": sample_path.read_text(encoding="utf-8")}
    findings = check_report(report)
    rate = _only(findings, "text.rate_mismatch")
    assert "“完成率为100%”" in rate.message and "99.24%" in rate.message
    units = _only(findings, "text.money_unit")
    assert "172483元（= 17.25 万元）" in units.message
    declared = _only(findings, "text.declared_categories")
    assert "时效指标" in declared.message and "可持续影响指标" in declared.message
    assert "text.amount_mismatch" not in _codes(findings)  # 487, 483.3 and 3.7 agree with the figures


# ---- never crash ---------------------------------------------------------------------------------------

_FUZZ_OUTLINE = Outline(
    id="fuzz",
    name="fuzz",
    sections=tuple(
        Section(key, key, 1, f"{i + 1}、", (Block(BlockKind.PROSE, key),))
        for i, key in enumerate(["overview.basic", "goals.overall", "results.output", "problems", "other"])
    ),
)


def _assert_well_formed(findings: list[Finding]) -> None:
    for finding in findings:
        spec = CHECKS[finding.code]
        assert finding.severity is spec.severity
        assert finding.message and finding.hint and finding.where.describe()
    ranks = [SEVERITY_ORDER[f.severity] for f in findings]
    assert ranks == sorted(ranks)


@given(reports(), st.booleans())
def test_any_report_is_checked_without_crashing(report: Report, with_outline: bool) -> None:
    _assert_well_formed(check_report(report, _FUZZ_OUTLINE if with_outline else None))


_VALUE_TEXT = st.one_of(
    chinese_text(1),
    st.from_regex(r"[≥≤><=＞＜]?[0-9０-９.,]{0,8}(%|万元|元|人次|天|年|月|XX|\*)?", fullmatch=True),
)


@given(
    st.lists(
        st.builds(
            Indicator,
            name=st.just("指标"),
            level2=st.sampled_from(Level2),
            nature=st.sampled_from(Nature),
            operator=st.one_of(st.none(), st.sampled_from(Operator)),
            target=_VALUE_TEXT,
            unit=st.sampled_from(["", "%", "元", "万元", "人次", "天"]),
            actual=_VALUE_TEXT,
            weight=st.one_of(st.none(), st.integers(0, 50).map(Decimal)),
            score=st.one_of(st.none(), st.integers(0, 60).map(Decimal)),
        ),
        max_size=4,
    ),
    chinese_text(3),
)
def test_free_text_values_and_prose_never_crash(indicators: list[Indicator], prose: str) -> None:
    report = _good_report()
    report.indicators = indicators
    report.answers["effect"] = prose
    _assert_well_formed(check_report(report, OUTLINE))


def test_checks_accept_a_report_built_field_by_field() -> None:
    report = Report(title="逐步填写")
    steps: list[Callable[[Report], None]] = [
        lambda r: setattr(r.funds, "annual_budget", D(487)),
        lambda r: r.budget_lines.append(BudgetLine("党建", D(49))),
        lambda r: r.indicators.append(Indicator("培训人次", Level2.QUANTITY)),
        lambda r: setattr(r, "claimed_total", D(100)),
        lambda r: setattr(r.funds, "actual_spent", D("483.3")),
    ]
    for step in steps:
        step(report)
        _assert_well_formed(check_report(report, OUTLINE))
