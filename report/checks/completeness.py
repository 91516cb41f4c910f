"""RULES.md §6 #10, #14: what the indicator sheet lacks.

Any indicators at all; on each row a target, an actual, an operator and a unit (missing on one
row, reported on that row; on every row, two or more, one summary finding); and the categories
every sheet needs: quantity, quality, timeliness, cost, benefit, satisfaction.
"""

from __future__ import annotations

from report.checks.context import _Context, _Gaps
from report.checks.findings import Where
from report.model import Indicator, Level1, Level2
from report.scoring import is_qualitative
from report.values import ParsedValue, ValueKind, is_rate_name

CORE_OUTPUT_CATEGORIES: tuple[tuple[Level2, str], ...] = (
    (Level2.QUANTITY, "coverage.no_quantity"),
    (Level2.QUALITY, "coverage.no_quality"),
    (Level2.TIMELINESS, "coverage.no_timeliness"),
    (Level2.COST, "coverage.no_cost"),
)


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
    bare = (
        measured
        and target is not None
        and target.kind is ValueKind.NUMBER
        and (actual is None or not actual.unit)
    )
    rate_without_unit = bare and is_rate_name(indicator.name)
    return _Gaps(
        quantitative,
        not indicator.target.strip(),
        not indicator.actual.strip(),
        measured and indicator.operator is None and target is not None and target.operator is None,
        bare and not rate_without_unit,
        rate_without_unit,
    )


def _check_completeness(ctx: _Context) -> None:
    indicators = ctx.report.indicators
    gaps = [row.gaps for row in ctx.rows]
    quantitative = [index for index, gap in enumerate(gaps) if gap.quantitative]
    no_target = [index for index, gap in enumerate(gaps) if gap.no_target]
    no_actual = [index for index, gap in enumerate(gaps) if gap.no_actual]
    no_operator = [index for index, gap in enumerate(gaps) if gap.no_operator]
    no_unit = [index for index, gap in enumerate(gaps) if gap.no_unit]
    unit_applicable = len(quantitative) - sum(gap.rate_without_unit for gap in gaps)
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
        unit_applicable,
        "单位",
        "定量指标须带单位，例如 人次、个、%、万元、天；只有定性指标可以不写单位",
        "数值含义不清",
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
