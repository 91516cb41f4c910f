"""RULES.md §6 #4–#9, #20, #30: the score sheet.

The claimed total against the rules, the 执行率 score (as the total implies it, and as the form
states it in the 得分 cell of 年度资金总额), a full score despite shortfalls, the
grade, a claimed score without a sheet, and the weights: 一级 adding up to 100 and each 一级
equal to the sum of its 三级 weights.
"""

from __future__ import annotations

from decimal import Decimal

from report.checks.context import SCORE_TOLERANCE, _Context, _names, _pct, _pts
from report.checks.findings import Fix, Where
from report.model import Indicator, Level1, Report
from report.scoring import DEFAULT_WEIGHTS, EXECUTION_WEIGHT, FULL_RATE, FULL_SCORE, grade_for


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


def _check_stated_execution_score(ctx: _Context) -> None:
    """#30: the 执行率得分 the form states is min(rate, 1) × 10 to two decimals."""
    stated = ctx.report.funds.stated_execution_score
    rate, computed = ctx.rate, ctx.scores.execution_score
    if stated is None or rate is None or computed is None or abs(stated - computed) < SCORE_TOLERANCE:
        return
    funds = ctx.report.funds
    rounded_up = stated == stated.to_integral_value() and stated > computed and stated - computed < 1
    why = "（把得分取整是常见的错误，得分保留两位小数）" if rounded_up else ""
    ctx.add(
        "score.execution_stated",
        Where(field="funds.stated_execution_score"),
        f"报告填报的预算执行率得分为 {stated:.2f} 分，与计算结果 {computed:.2f} 分不一致：执行率 {_pct(rate)}"
        f"（{ctx.money(funds.actual_spent or Decimal(0))} ÷ {ctx.money(funds.annual_budget or Decimal(0))}）"
        f"× {_pts(EXECUTION_WEIGHT)} = {computed:.2f} 分{why}",
        f"请把执行率得分改为 {computed:.2f} 分（min(执行率, 100%) × 10，保留两位小数）",
        Fix(
            f"把执行率得分改为 {computed:.2f} 分",
            "funds.stated_execution_score",
            computed,
            f"{stated:.2f} 分",
            f"{computed:.2f} 分",
        ),
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
