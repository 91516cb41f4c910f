"""RULES.md §6 #11–#13, #15, #16, #21, #27–#29, #32: each indicator row on its own.

Values readable and numeric, scores by the rules, reasons for shortfalls and overachievement,
values that fit the category (by their kind and by the indicator's name: a rate under 数量指标
is advised to 质量指标, money to 成本指标, each with the move as a ``Fix``), rate targets at the
ceiling (≥100% is ＝100%), rate-named rows without their %, cost indicators as upper limits,
money in the report's unit.
Each check reads one row (``_RowFacts``) and returns its findings (``rows`` runs them only on
rows not seen before).
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from report.checks.context import (
    SCORE_TOLERANCE,
    _Context,
    _folded,
    _Found,
    _money_text,
    _one,
    _pct,
    _pts,
    _RowFacts,
    _RowFix,
    _Said,
)
from report.errors import ParseError
from report.model import Level2, Operator, QualGrade
from report.scoring import (
    OVERACHIEVEMENT_FACTOR,
    QUAL_BANDS,
    effective_operator,
    in_band,
    is_qualitative,
    parse_outcome,
    parsed_target,
    qualitative_band,
    to_report_unit,
)
from report.values import (
    MONEY_UNITS,
    ParsedValue,
    ValueKind,
    advised_level2,
    fit_problem,
    is_rate_name,
    kind_by_name,
)

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


@lru_cache(maxsize=16_384)
def _is_placeholder(text: str) -> bool:
    # remembered like parse_outcome: folding and matching every target and actual was ~1 ms of
    # the first check of 2,000 rows, where the same values come back row after row
    return bool(_PLACEHOLDER_RE.match(_folded(text).strip()))


def _parse_error(text: str, unit: str) -> ParseError | None:
    if not text.strip():
        return None
    outcome = parse_outcome(text, unit)
    return outcome if isinstance(outcome, ParseError) else None


def _check_values(row: _RowFacts) -> _Found:
    indicator = row.indicator
    found: list[_Said] = []
    for label, text, parsed in (
        ("年度指标值", indicator.target, row.target),
        ("实际完成值", indicator.actual, row.actual),
    ):
        if not text.strip():
            continue
        if _is_placeholder(text):
            found.append(
                _Said(
                    "indicator.placeholder",
                    f"指标「{indicator.name}」的{label}“{text.strip()}”是占位符，不是数值",
                    "定量指标须填具体数值和单位，例如 ≥1000人次；确实无法量化的请改为定性指标",
                )
            )
            continue
        # row.target and row.actual are None for a value written down only when it is unreadable
        error = _parse_error(text, indicator.unit) if parsed is None else None
        if error is not None:
            found.append(
                _Said(
                    "indicator.unreadable",
                    f"指标「{indicator.name}」的{label}无法识别：{error.message}",
                    error.hint or "请写成 比较符号+数值+单位，例如 ≥1000人次",
                )
            )
            continue
        if parsed is not None and parsed.kind is ValueKind.QUALITATIVE and not is_qualitative(indicator):
            found.append(
                _Said(
                    "indicator.not_numeric",
                    f"定量指标「{indicator.name}」的{label}“{text.strip()}”不是数值，无法衡量",
                    "请写数值和单位，例如 ≥1000人次、≥95%；确实无法量化的请把指标性质改为定性",
                )
            )
    return tuple(found)


def _check_scores(row: _RowFacts) -> _Found:
    indicator = row.indicator
    given, weight = indicator.score, indicator.weight
    if given is None or weight is None:
        return ()
    if given > weight:
        return _one(
            "indicator.score_over_weight",
            f"指标「{indicator.name}」得分 {_pts(given)} 分超过其分值 {_pts(weight)} 分",
            f"单项得分不超过分值，超额完成也只得 {_pts(weight)} 分",
        )
    actual = row.actual
    grade = actual.grade if actual is not None and actual.kind is ValueKind.QUALITATIVE else None
    if grade is not None:
        if in_band(grade, weight, given):
            return ()
        low, high = qualitative_band(grade, weight)
        closing = "]" if grade is QualGrade.MET else ")"
        shares = QUAL_BANDS[grade]
        return _one(
            "indicator.score_band",
            f"定性指标「{indicator.name}」评为“{grade.value}”，得分应在 [{_pts(low)}, {_pts(high)}{closing} 分之间"
            f"（分值 {_pts(weight)} 的 {_pct(shares[0])}–{_pct(shares[1])}），但写了 {_pts(given)} 分",
            "请在该等级的区间内打分，或改选与得分相符的等级",
        )
    computed = row.score.score
    if computed is None or abs(computed - given) < SCORE_TOLERANCE:
        return ()
    target = row.target
    operator = effective_operator(indicator, target)
    rule = (
        "时限" if target is not None and target.kind is ValueKind.DATE else _DIRECTION_NAMES.get(operator, "")
    )
    values = ""
    if target is not None and actual is not None:
        values = f"年度指标值 {target.display()}、实际完成值 {actual.display()}，"
    return _one(
        "indicator.score_rule",
        f"指标「{indicator.name}」{values}按{rule}指标计分规则应得 {_pts(computed)} 分，但写了 {_pts(given)} 分",
        f"请把得分改为 {_pts(computed)} 分，或核对年度指标值、实际完成值和比较符号",
    )


def _check_reasons(row: _RowFacts) -> _Found:
    indicator = row.indicator
    if indicator.deviation_reason.strip():
        return ()
    target, actual = row.target, row.actual
    grade = actual.grade if actual is not None and actual.kind is ValueKind.QUALITATIVE else None
    if grade is not None and grade is not QualGrade.MET:
        return _one(
            "indicator.missing_reason",
            f"定性指标「{indicator.name}」评为“{grade.value}”，但没有写偏差原因",
            "未达成年度指标时须写偏差原因分析及改进措施",
        )
    if row.score.met is False and target is not None and actual is not None:
        return _one(
            "indicator.missing_reason",
            f"指标「{indicator.name}」未完成（年度指标值 {target.display()}，实际完成值 {actual.display()}），但没有写偏差原因",
            "请写明未完成的原因和改进措施",
        )
    if target is None or actual is None:
        return ()
    operator = effective_operator(indicator, target)
    target_number, actual_number = to_report_unit(target, row.unit), to_report_unit(actual, row.unit)
    if (
        operator in (Operator.GE, Operator.GT, Operator.EQ)
        and target_number is not None
        and actual_number is not None
        and target_number > 0
        and actual_number >= OVERACHIEVEMENT_FACTOR * target_number
    ):
        return _one(
            "indicator.overachieved",
            f"指标「{indicator.name}」实际完成值 {actual.display()} 是年度指标值 {target.display()} 的 "
            f"{_pct(actual_number / target_number)}，超过 {_pct(OVERACHIEVEMENT_FACTOR)} 却没有说明原因",
            "大幅超额完成须写偏差原因：是否年度指标值定得过低，下一年度如何调整",
        )
    return ()


def _check_fit(row: _RowFacts) -> _Found:
    """#15, #29, #32: the value fits its category, by its kind and by the indicator's name."""
    indicator = row.indicator
    found: list[_Said] = []
    seen: set[str] = set()
    for value in (row.target, row.actual):
        if value is None:
            continue
        if indicator.level2 is Level2.COST and value.operator in (Operator.GE, Operator.GT):
            continue  # #16 reports the operator
        problem = fit_problem(indicator.level2, value, indicator.name)
        if problem is None:
            continue
        kind = kind_by_name(value, indicator.name)
        code = _fit_code(indicator.level2, value, kind)
        if code in seen:
            continue
        seen.add(code)
        home = advised_level2(indicator.level2, value, indicator.name)
        fix = None
        if home is not None:
            fix = _RowFix(
                f"移到{home.value}",
                (("level2", home), ("level1", None)),
                f"{indicator.level2.value}「{indicator.name}」",
                f"{home.value}「{indicator.name}」",
            )
        found.append(_Said(code, problem, _fit_hint(indicator.level2, value, kind, home), fix))
    return tuple(found)


def _fit_code(level2: Level2, value: ParsedValue, kind: ValueKind) -> str:
    if kind is ValueKind.RATE and value.number is not None and value.number > 100:
        return "indicator.rate_over_100"
    if level2 is Level2.QUANTITY and kind is ValueKind.RATE:
        return "indicator.rate_in_quantity"
    if level2 is Level2.QUANTITY and kind is ValueKind.MONEY:
        return (
            "indicator.money_in_quantity"
            if value.kind is ValueKind.MONEY
            else "indicator.money_like_in_quantity"
        )
    return "indicator.type_mismatch"


def _fit_hint(level2: Level2, value: ParsedValue, kind: ValueKind, home: Level2 | None) -> str:
    if kind is ValueKind.RATE and value.number is not None and value.number > 100:
        return "比率不能超过 100%：请核对数值，或改成数量（例如 人次、件）"
    if level2 is Level2.QUANTITY and kind is ValueKind.RATE:
        return "完成率、保障率等比率属于质量指标：请把该指标移到质量指标；数量指标填实际完成的数量（例如 人次、件）"
    if level2 is Level2.QUANTITY and kind is ValueKind.MONEY:
        return "资金、经费、费用等金额属于成本指标（用 ≤ 和报告的金额单位）：请把该指标移到成本指标"
    if home is not None:
        return f"请把该指标移到{home.value}，或按{level2.value}的要求改写指标值"
    return f"请按{level2.value}的要求改写指标值"


def _effective_operator(row: _RowFacts) -> Operator | None:
    target = row.target
    return row.indicator.operator or (target.operator if target is not None else None)


def _check_ceiling(row: _RowFacts) -> _Found:
    """#27: a rate target of ≥100% or ＞100% means ＝100%: say so and offer the rewrite."""
    indicator, target = row.indicator, row.target
    if target is None or target.number != 100 or indicator.level2 is Level2.COST:
        return ()
    if kind_by_name(target, indicator.name) is not ValueKind.RATE:
        return ()
    operator = _effective_operator(row)
    if operator not in (Operator.GE, Operator.GT):
        return ()
    written = f"{operator.value}100%"
    after = f"{Operator.EQ.value}100%"
    return _one(
        "indicator.rate_ceiling",
        f"指标「{indicator.name}」的年度指标值 {written} 的意思就是 {after}：比率不会超过 100%",
        f"请改写为 {after}（计分不变：实际达到 100% 才算完成）",
        _RowFix(
            f"的年度指标值改为 {after}",
            (("operator", Operator.EQ), ("target", "100"), ("unit", "%")),
            written,
            after,
        ),
    )


def _check_rate_unit(row: _RowFacts) -> _Found:
    """#28: a rate-named indicator with a bare number has lost its % — never a quantity."""
    indicator = row.indicator
    target, actual = row.target, row.actual
    if (target is None or target.kind is not ValueKind.NUMBER) and (
        actual is None or actual.kind is not ValueKind.NUMBER
    ):
        return ()  # nearly every row: a unit is written
    if is_qualitative(indicator) or not is_rate_name(indicator.name):
        return ()
    bare = [
        (label, value)
        for label, value in (("年度指标值", row.target), ("实际完成值", row.actual))
        if value is not None and value.kind is ValueKind.NUMBER
    ]
    if not bare or any(value is not None and value.unit for value in (row.target, row.actual)):
        return ()
    label, value = bare[0]
    return _one(
        "indicator.rate_unit_missing",
        f"指标「{indicator.name}」按名称是比率，{label} {value.display()} 缺少单位：应为 {value.display()}%",
        "比率指标的单位是 %：请把单位填为 %（不要把它移到数量指标）",
        _RowFix(
            "的单位改为 %",
            (("unit", "%"),),
            f"{value.display()}（无单位）",
            f"{value.display()}%",
        ),
    )


def _check_cost(row: _RowFacts) -> _Found:
    indicator = row.indicator
    if indicator.level2 is not Level2.COST:
        return ()
    target = row.target
    operator = indicator.operator or (target.operator if target is not None else None)
    if operator not in (Operator.GE, Operator.GT):
        return ()
    return _one(
        "cost.operator",
        f"成本指标「{indicator.name}」用了“{operator.value}”，成本应是不超过的上限",
        "成本指标请用 ≤，例如“≤3.5万元”",
    )


def _check_money_units(row: _RowFacts) -> _Found:
    indicator, unit = row.indicator, row.unit
    for other in (row.target, row.actual):  # the first amount written in another unit
        if (
            other is not None
            and other.kind is ValueKind.MONEY
            and other.unit in MONEY_UNITS
            and other.unit != unit.value
        ):
            break
    else:
        return ()
    converted = to_report_unit(other, unit)
    shown = (
        f"：{other.text()}{other.unit} = {_money_text(converted, unit, with_unit=True)}"
        if converted is not None
        else ""
    )
    cost = indicator.level2 is Level2.COST
    return _one(
        "cost.unit" if cost else "indicator.money_unit",
        f"{'成本' if cost else ''}指标「{indicator.name}」以“{other.unit}”计，报告的金额单位是“{unit.value}”{shown}",
        f"请统一换算为{unit.value}（保留两位小数），与预算和执行数使用同一单位",
    )


_FUNDS_FIGURES: tuple[tuple[str, str], ...] = (
    ("annual_budget", "全年预算数"),
    ("initial_budget", "年初预算数"),
    ("actual_spent", "全年执行数"),
    ("received", "到位资金"),
    ("fiscal_current", "当年财政拨款"),
    ("carried_over", "上年结转资金"),
    ("other", "其他资金"),
)


def _check_money_like_values(ctx: _Context) -> None:
    """#29: a bare number under 数量指标 that equals a funds figure is that money, so 成本指标."""
    funds = ctx.report.funds
    figures: dict[Decimal, str] = {}
    for name, label in _FUNDS_FIGURES:
        amount = getattr(funds, name)
        if amount is not None and amount > 0:
            figures.setdefault(amount, label)
    if not figures:
        return
    for index, indicator in enumerate(ctx.report.indicators):
        if indicator.level2 is not Level2.QUANTITY or indicator.unit:
            continue
        target = parsed_target(indicator)
        if target is None or target.kind is not ValueKind.NUMBER or target.number not in figures:
            continue
        if kind_by_name(target, indicator.name) is not ValueKind.NUMBER:
            continue  # a name that says rate or money: the row checks report it
        figure = figures[target.number]
        ctx.add(
            "indicator.money_like_in_quantity",
            ctx.at_indicator(index),
            f"「{indicator.name}」{target.display()} 等于{figure} {ctx.money(target.number)}，是金额，应放入成本指标",
            "资金、经费等金额属于成本指标（用 ≤ 和报告的金额单位）；数量指标填实际完成的数量（例如 人次、件）",
            ctx.row_fix(
                index,
                _RowFix(
                    f"移到{Level2.COST.value}",
                    (("level2", Level2.COST), ("level1", None)),
                    f"{indicator.level2.value}「{indicator.name}」",
                    f"{Level2.COST.value}「{indicator.name}」",
                ),
            ),
        )
