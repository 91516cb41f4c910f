"""RULES.md §6 #15, #25–#32 (issue 14): advice that agrees with the name, and the misses reviewers return.

Each rule is tried on rows written the ways published forms write them: other names, units in
words and symbols, full-width and ASCII operators, 元 and 万元 reports.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from prompts.templates import load_template
from report.checks import Finding, Severity, check_report
from report.model import Funds, Indicator, Level1, Level2, MoneyUnit, Nature, Operator, QualGrade, Report

D = Decimal


def _row(
    name: str,
    level2: Level2,
    target: str,
    actual: str,
    unit: str = "",
    operator: Operator | None = Operator.GE,
    **more: object,
) -> Indicator:
    return Indicator(name, level2, operator=operator, target=target, unit=unit, actual=actual, **more)  # type: ignore[arg-type]


def _report(*rows: Indicator, unit: MoneyUnit = MoneyUnit.WAN, **funds: Decimal | None) -> Report:
    money: dict[str, Decimal | None] = {"annual_budget": D(120), "actual_spent": D(120), **funds}
    return Report(
        title="2021年度某县农村公路养护项目支出绩效自评报告",
        year=2021,
        money_unit=unit,
        funds=Funds(**money),
        indicators=list(rows),
    )


def _of(findings: list[Finding], code: str) -> list[Finding]:
    return [finding for finding in findings if finding.code == code]


def _one(findings: list[Finding], code: str) -> Finding:
    found = _of(findings, code)
    assert len(found) == 1, [(f.code, f.message) for f in findings]
    return found[0]


def _fixed(report: Report, finding: Finding) -> Report:
    """The report after applying the finding's fix the way the store applies a path."""
    assert finding.fix is not None
    assert finding.fix.path == "indicators"
    assert isinstance(finding.fix.value, list)
    return dataclasses.replace(report, indicators=finding.fix.value)


# ---- #27 rates at the ceiling ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "level2", "target", "unit", "operator", "written"),
    [
        ("工程验收合格率", Level2.QUALITY, "100", "%", Operator.GE, "≥100%"),
        ("档案资料归档率", Level2.QUALITY, "100", "%", Operator.GT, "＞100%"),
        ("设备完好率", Level2.QUALITY, "≥100百分比", "", None, "≥100%"),
        ("路面病害处置及时率", Level2.TIMELINESS, ">=100", "百分比", None, "≥100%"),
        ("沿线群众满意度", Level2.SATISFACTION, "100", "%", Operator.GE, "≥100%"),
    ],
)
def test_a_rate_target_at_the_ceiling_means_equal(
    name: str, level2: Level2, target: str, unit: str, operator: Operator | None, written: str
) -> None:
    report = _report(
        _row("养护里程", Level2.QUANTITY, "120", "126", "公里"),
        _row(name, level2, target, "100", unit, operator),
    )
    findings = check_report(report)
    ceiling = _one(findings, "indicator.rate_ceiling")
    assert ceiling.severity is Severity.WARNING
    assert ceiling.where.indicator == 1
    assert ceiling.message == f"指标「{name}」的年度指标值 {written} 的意思就是 ＝100%：比率不会超过 100%"
    assert ceiling.fix is not None
    assert ceiling.fix.label == "把第 2 项指标的年度指标值改为 ＝100%"
    assert (ceiling.fix.before, ceiling.fix.after) == (written, "＝100%")
    assert not any(f.code in ("indicator.type_mismatch", "indicator.rate_over_100") for f in findings)
    fixed = _fixed(report, ceiling)
    assert fixed.indicators[0] == report.indicators[0]
    row = fixed.indicators[1]
    assert (row.operator, row.target, row.unit) == (Operator.EQ, "100", "%")
    assert _of(check_report(fixed), "indicator.rate_ceiling") == []


@pytest.mark.parametrize(
    ("target", "unit", "operator"),
    [
        ("95", "%", Operator.GE),
        ("100", "%", Operator.EQ),
        ("100", "%", Operator.LE),
        ("100", "人次", Operator.GE),
    ],
)
def test_targets_below_the_ceiling_or_not_rates_are_left_alone(
    target: str, unit: str, operator: Operator
) -> None:
    report = _report(
        _row("培训覆盖率" if unit == "%" else "培训人次", Level2.QUALITY, target, target, unit, operator)
    )
    assert _of(check_report(report), "indicator.rate_ceiling") == []


# ---- #28 rate-named indicators without a unit -----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "level2"),
    [
        ("工程验收合格率", Level2.QUALITY),
        ("学生满意度", Level2.SATISFACTION),
        ("补助资金发放准确率", Level2.QUALITY),
        ("项目按期完工率", Level2.TIMELINESS),
        ("受益群众满意度（%）", Level2.SATISFACTION),
    ],
)
def test_a_rate_name_with_a_bare_number_lacks_its_per_cent_and_stays_where_it_is(
    name: str, level2: Level2
) -> None:
    report = _report(_row(name, level2, "98", "99", operator=Operator.GE))
    findings = check_report(report)
    missing = _one(findings, "indicator.rate_unit_missing")
    assert missing.severity is Severity.ERROR
    assert missing.message == f"指标「{name}」按名称是比率，年度指标值 ≥98 缺少单位：应为 ≥98%"
    assert "不要把它移到数量指标" in missing.hint
    assert not any("应放入数量指标" in f.message for f in findings)
    assert _of(findings, "indicator.type_mismatch") == [] and _of(findings, "indicator.missing_unit") == []
    assert missing.fix is not None and missing.fix.label == "把第 1 项指标的单位改为 %"
    fixed = _fixed(report, missing)
    assert fixed.indicators[0].unit == "%"
    assert _of(check_report(fixed), "indicator.rate_unit_missing") == []


def test_six_rate_rows_without_units_are_six_unit_findings_and_no_move_advice() -> None:
    names = ["工程验收合格率", "资料完整率", "设备完好率", "路况优良率", "群众知晓率", "学生满意度"]
    levels = [Level2.QUALITY] * 4 + [Level2.SOCIAL, Level2.SATISFACTION]
    report = _report(
        *(_row(n, lv, "100", "100", operator=Operator.EQ) for n, lv in zip(names, levels, strict=True))
    )
    findings = check_report(report)
    assert len(_of(findings, "indicator.rate_unit_missing")) == 6
    assert not any("应放入数量指标" in f.message for f in findings)


def test_a_count_named_row_without_a_unit_is_still_a_missing_unit() -> None:
    report = _report(
        _row("培训人次", Level2.QUANTITY, "500", "520"), _row("维修座次", Level2.QUANTITY, "12", "12")
    )
    findings = check_report(report)
    assert "全部 2 项指标都没有单位" in _one(findings, "indicator.missing_unit").message
    assert _of(findings, "indicator.rate_unit_missing") == []


# ---- #32 and #29: rates and money under 数量指标 --------------------------------------------------


@pytest.mark.parametrize(
    ("name", "target", "unit"),
    [("道路养护任务完成率", "95", "%"), ("困难群众救助保障率", "100", "百分比"), ("疫苗接种率", "≥90％", "")],
)
def test_a_rate_under_quantity_is_a_warning_advising_quality(name: str, target: str, unit: str) -> None:
    report = _report(
        _row("养护里程", Level2.QUANTITY, "120", "126", "公里"),
        _row(name, Level2.QUANTITY, target, "96", unit),
    )
    finding = _one(check_report(report), "indicator.rate_in_quantity")
    assert finding.severity is Severity.WARNING
    assert finding.message.startswith(f"「{name}」") and finding.message.endswith("是比率，应放入质量指标")
    assert finding.fix is not None
    assert finding.fix.label == "把第 2 项指标移到质量指标"
    assert (finding.fix.before, finding.fix.after) == (f"数量指标「{name}」", f"质量指标「{name}」")
    moved = _fixed(report, finding)
    assert moved.indicators[1].level2 is Level2.QUALITY
    assert [f for f in check_report(moved) if f.code.startswith("indicator.") and "数量" in f.message] == []


def test_a_rate_name_under_quantity_without_a_unit_gets_both_the_unit_and_the_move() -> None:
    report = _report(_row("资金到位率", Level2.QUANTITY, "100", "100", operator=Operator.EQ))
    findings = check_report(report)
    assert _one(findings, "indicator.rate_unit_missing").message.endswith("应为 ＝100%")
    assert (
        _one(findings, "indicator.rate_in_quantity").message
        == "「资金到位率」＝100 按名称是比率，应放入质量指标"
    )
    assert _of(findings, "indicator.money_like_in_quantity") == []


def test_money_in_a_money_unit_under_quantity_is_an_error_advising_cost() -> None:
    report = _report(_row("专项补助资金拨付", Level2.QUANTITY, "48.5", "48.5", "万元"))
    finding = _one(check_report(report), "indicator.money_in_quantity")
    assert finding.severity is Severity.ERROR
    assert finding.message == "「专项补助资金拨付」≥48.5万元 是金额，应放入成本指标"
    assert finding.fix is not None and finding.fix.label == "把第 1 项指标移到成本指标"


@pytest.mark.parametrize("name", ["道路养护经费", "宣传印刷费用", "项目资金"])
def test_a_money_name_with_a_bare_number_under_quantity_is_advised_to_cost(name: str) -> None:
    report = _report(_row(name, Level2.QUANTITY, "12", "11.6", operator=Operator.LE))
    finding = _one(check_report(report), "indicator.money_like_in_quantity")
    assert finding.severity is Severity.WARNING
    assert finding.message == f"「{name}」≤12 按名称是金额，应放入成本指标"


def test_a_bare_number_equal_to_a_funds_figure_is_money() -> None:
    report = _report(
        _row("发放农机购置补贴", Level2.QUANTITY, "1329120", "1329120"),
        unit=MoneyUnit.YUAN,
        annual_budget=D(1_329_120),
        actual_spent=D(1_329_120),
    )
    finding = _one(check_report(report), "indicator.money_like_in_quantity")
    assert (
        finding.message
        == "「发放农机购置补贴」≥1329120 等于全年预算数 1,329,120.00 元，是金额，应放入成本指标"
    )
    assert finding.fix is not None and finding.fix.label == "把第 1 项指标移到成本指标"
    assert _fixed(report, finding).indicators[0].level2 is Level2.COST


def test_a_count_of_payments_is_not_money() -> None:
    report = _report(
        _row("资金拨付笔数", Level2.QUANTITY, "50", "52", "笔"),
        _row("受益户数", Level2.QUANTITY, "120", "131", "户"),
    )
    findings = check_report(report)
    assert not any(f.code.startswith("indicator.money") for f in findings)


def test_a_row_moved_to_cost_joins_a_cost_level1_the_report_keeps() -> None:
    cost = _row("单公里养护成本", Level2.COST, "3", "2.9", "万元", Operator.LE, level1=Level1.COST)
    report = _report(cost, _row("日常养护费用", Level2.QUANTITY, "40", "38", "万元", Operator.LE))
    finding = _one(check_report(report), "indicator.money_in_quantity")
    moved = _fixed(report, finding).indicators[1]
    assert (moved.level2, moved.level1) == (Level2.COST, Level1.COST)


def test_qualitative_rows_are_not_rates_by_name() -> None:
    row = _row(
        "制度执行有效率",
        Level2.QUALITY,
        QualGrade.MET.value,
        QualGrade.MET.value,
        operator=Operator.QUALITATIVE,
        nature=Nature.QUALITATIVE,
    )
    findings = check_report(_report(row))
    assert not any(
        f.code.startswith(("indicator.rate", "indicator.type", "indicator.missing_unit")) for f in findings
    )


# ---- #26 under-spending explained -----------------------------------------------------------------


def _spent(spent: str, template_id: str = "eight_part", **answers: str) -> Report:
    report = _report(annual_budget=D(120), actual_spent=D(spent))
    report.template_id = template_id
    report.answers = dict(answers)
    return report


def test_under_90_percent_without_a_reason_is_an_error() -> None:
    finding = _one(check_report(_spent("103.42")), "funds.underspending_unexplained")
    assert finding.severity is Severity.ERROR
    assert finding.where.field == "answers.analysis.funds.use"
    assert finding.message == "预算执行率 86.18%，有 16.58 万元预算未支出，资金使用情况没有说明原因"
    assert "执行率低于 90% 必须说明" in finding.hint


@pytest.mark.parametrize(
    "text",
    [
        "全年预算执行率为86.18%。",
        "执行率未达100%的原因是资金未全部支出。",
        "结余资金16.58万元，执行率较低，主要是资金未使用。",
        "区财政足额拨付，没有出现因资金不到位而延期的情况。",
    ],
)
def test_a_sentence_that_only_restates_the_rate_is_no_reason(text: str) -> None:
    finding = _one(
        check_report(_spent("103.42", **{"analysis.funds.use": text})), "funds.underspending_unexplained"
    )
    assert finding.message.endswith("资金使用情况只写了执行率或结余，没有说明原因")


@pytest.mark.parametrize(
    ("step", "text"),
    [
        ("analysis.funds.use", "执行率86.18%，未支付的16.58万元为工程质保金，按合同约定次年支付。"),
        ("analysis.performance.savings", "由于第四季度两处桥梁维修尚在施工，工程款未能拨付。"),
        ("analysis.funds.use", "受疫情影响，部分培训改为线上开展。"),
        ("analysis.performance.savings", "结余主要来自政府采购，成交价格低于预算。"),
    ],
)
def test_a_reason_in_the_funds_narrative_explains_it(step: str, text: str) -> None:
    findings = check_report(_spent("103.42", **{step: text}))
    assert not any(f.code.startswith("funds.underspending") for f in findings)


def test_a_reason_in_a_money_row_deviation_explains_it() -> None:
    report = _spent("103.42")
    report.indicators = [
        _row(
            "养护资金支出",
            Level2.COST,
            "120",
            "103.42",
            "万元",
            Operator.LE,
            deviation_reason="桥梁维修工程延期，资金结转下年",
        )
    ]
    assert not any(f.code.startswith("funds.underspending") for f in check_report(report))


def test_a_deviation_about_people_does_not_explain_money() -> None:
    report = _spent("103.42")
    report.indicators = [
        _row("培训人次", Level2.QUANTITY, "500", "420", "人次", deviation_reason="受疫情影响培训减少")
    ]
    assert _of(check_report(report), "funds.underspending_unexplained")


def test_between_90_and_100_percent_it_is_a_note_pointing_at_the_outline_step() -> None:
    finding = _one(check_report(_spent("116.4", "seven_part_2020")), "funds.underspending_note")
    assert finding.severity is Severity.INFO
    assert finding.where.field == "answers.analysis.process.funds"
    assert finding.message == "预算执行率 97.00%，有 3.60 万元预算未支出，资金使用情况没有说明原因"


def test_full_spending_needs_no_reason() -> None:
    assert not any(f.code.startswith("funds.underspending") for f in check_report(_spent("120")))


# ---- #25 a budget cut within rounding ------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "initial", "budget", "spent", "fires"),
    [
        (MoneyUnit.YUAN, "1600000", "1329120", "1329120.67", True),
        (MoneyUnit.YUAN, "1600000", "1329120.67", "1329120", True),
        (MoneyUnit.YUAN, "1600000", "1329120", "1329125", False),
        (MoneyUnit.WAN, "160", "132.91", "132.912067", True),
        (MoneyUnit.WAN, "160", "132.91", "132.93", False),
        (MoneyUnit.YUAN, "1350000", "1329120", "1329120.67", False),  # cut by less than 10%
    ],
)
def test_a_budget_cut_to_the_spending_counts_within_rounding(
    unit: MoneyUnit, initial: str, budget: str, spent: str, fires: bool
) -> None:
    report = _report(unit=unit, initial_budget=D(initial), annual_budget=D(budget), actual_spent=D(spent))
    found = _of(check_report(report), "funds.budget_cut")
    assert bool(found) is fires
    if fires and unit is MoneyUnit.YUAN and D(budget) != D(spent):
        assert "只差尾数，等于全年执行数" in found[0].message


# ---- #30 the stated execution score ---------------------------------------------------------------


def test_a_rounded_up_execution_score_is_an_error_with_the_right_score_as_fix() -> None:
    report = _report(annual_budget=D(120), actual_spent=D("103.42"), stated_execution_score=D(9))
    finding = _one(check_report(report), "score.execution_stated")
    assert finding.severity is Severity.ERROR
    assert finding.where.field == "funds.stated_execution_score"
    assert finding.where.describe() == "执行率得分"
    assert finding.message.startswith(
        "报告填报的预算执行率得分为 9.00 分，与计算结果 8.62 分不一致：执行率 86.18%"
    )
    assert "把得分取整是常见的错误" in finding.message
    assert finding.fix is not None
    assert (finding.fix.path, finding.fix.value) == ("funds.stated_execution_score", D("8.62"))
    assert (finding.fix.before, finding.fix.after) == ("9.00 分", "8.62 分")


@pytest.mark.parametrize(
    ("budget", "spent", "stated", "fires"),
    [
        ("120", "103.42", "8.62", False),
        ("487", "483.3", "9.92", False),
        ("100", "105", "10", False),
        ("487", "483.3", "9.9", True),
    ],
)
def test_the_stated_execution_score_is_min_rate_1_times_10(
    budget: str, spent: str, stated: str, fires: bool
) -> None:
    report = _report(annual_budget=D(budget), actual_spent=D(spent), stated_execution_score=D(stated))
    assert bool(_of(check_report(report), "score.execution_stated")) is fires


# ---- #31 the 年度资金总额 row and its 其中 rows ----------------------------------------------------


def test_a_total_of_zero_above_filled_sources_is_an_error() -> None:
    report = _report(annual_budget=D(0), actual_spent=D(0), fiscal_current=D(100), carried_over=D(20))
    findings = check_report(report)
    zero = _one(findings, "funds.total_zero")
    assert zero.severity is Severity.ERROR
    assert zero.message.startswith(
        "年度资金总额（全年预算数）填的是 0，全年执行数也是 0，但其中 当年财政拨款 100.00 + 上年结转资金 20.00 = 120.00 万元"
    )
    assert zero.fix is not None and (zero.fix.path, zero.fix.value) == ("funds.annual_budget", D(120))
    assert _of(findings, "funds.sources_sum") == []


def test_sources_that_add_up_to_the_total_are_quiet() -> None:
    report = _report(annual_budget=D(120), fiscal_current=D(100), other=D(20))
    assert not any(f.code in ("funds.total_zero", "funds.sources_sum") for f in check_report(report))


@pytest.mark.parametrize(
    ("text", "explains"),
    [
        ("工程没有按期完工导致尾款未付。", True),
        ("部分设备并未延期交付，结余主要是中标价低于预算。", True),
        ("项目并未延期。", False),
        ("执行率为 86.18%；资金结余 16.58 万元。", False),
        ("未支出资金的原因主要是乡镇配套工程第四季度才开工建设", True),
    ],
)
def test_what_counts_as_a_reason(text: str, explains: bool) -> None:
    from report.checks.underspending import explains_shortfall

    assert explains_shortfall(text) is explains


def test_a_count_under_a_rate_name_asks_to_check_the_unit_not_to_move() -> None:
    report = _report(_row("技能培训合格率", Level2.QUALITY, "300", "320", "人次"))
    finding = _one(check_report(report), "indicator.type_mismatch")
    assert (
        finding.message
        == "「技能培训合格率」≥300人次 是数量，但指标名称是比率；请核对单位（比率用 %）或指标名称"
    )
    assert finding.fix is None
    assert "数量指标" not in finding.hint


@pytest.mark.parametrize("template_id", ["eight_part", "seven_part_2020"])
def test_the_reason_given_at_the_flows_follow_up_explains_the_shortfall(template_id: str) -> None:
    report = _spent("103.42", template_id)
    outline = load_template(template_id).outline
    report.answers["funds.shortfall_reason"] = "道路改造工程第四季度才完工，尾款按合同约定次年支付"
    assert not any(f.code.startswith("funds.underspending") for f in check_report(report, outline))
    report.answers["funds.shortfall_reason"] = "执行率为86.18%"  # only restates the rate
    assert any(f.code == "funds.underspending_unexplained" for f in check_report(report, outline))
