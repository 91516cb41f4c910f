"""RULES.md §6 #1–#3, #23–#25, #31: the funds and the budget lines.

预算数 and 执行数 present, 预算明细 adding up to the 全年预算数, 节约资金, the stated 执行率,
到位资金, the sources of the money (the 年度资金总额 row against its 其中 rows, a total of zero
above filled sources), and a budget cut down to what was spent (equal within rounding).
"""

from __future__ import annotations

from decimal import Decimal

from report.checks.context import (
    MONEY_TOLERANCE,
    RATE_TOLERANCE,
    _Context,
    _money_text,
    _pct,
    _pct_as_written,
)
from report.checks.findings import Fix, Where
from report.model import MoneyUnit

BUDGET_CUT_SHARE = Decimal("0.10")
"""年初预算 "≫" 全年预算: the budget was cut by at least this share of the 年初 figure (RULES.md §6 #25)."""
ROUNDING_TOLERANCE: dict[MoneyUnit, Decimal] = {MoneyUnit.YUAN: Decimal(1), MoneyUnit.WAN: MONEY_TOLERANCE}
"""Amounts closer than this (and not equal by ``MONEY_TOLERANCE``) differ only by rounding: a budget
of 1,329,120 元 cut to match 1,329,120.67 元 spent (RULES.md §6 #25); in 万元, the printed cent."""


def equal_within_rounding(first: Decimal, second: Decimal, unit: MoneyUnit) -> bool:
    """True when two amounts are the same figure, one of them rounded: 1,329,120 and 1,329,120.67 元."""
    gap = abs(first - second)
    return gap <= MONEY_TOLERANCE or gap < ROUNDING_TOLERANCE[unit]


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
    if spent > budget and not equal_within_rounding(budget, spent, unit):  # 0.67 元 over is rounding
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
    if budget == 0 and total > 0:
        _total_zero(ctx, terms, total)
        return
    ctx.add(
        "funds.sources_sum",
        Where(field="funds.fiscal_current"),
        f"资金来源 {terms} = {ctx.money(total)}，与全年预算数（年度资金总额）{ctx.money(budget)}"
        f"相差 {ctx.money(abs(total - budget))}",
        "年度资金总额 = 当年财政拨款 + 上年结转资金 + 其他资金，请补齐或改正各项来源",
    )


def _total_zero(ctx: _Context, terms: str, total: Decimal) -> None:
    """#31: the 年度资金总额 row is zeros while its 其中 rows are filled."""
    funds = ctx.report.funds
    spent = funds.actual_spent
    also = "，全年执行数也是 0" if spent == 0 else ""
    ctx.add(
        "funds.total_zero",
        Where(field="funds.annual_budget"),
        f"年度资金总额（全年预算数）填的是 0{also}，但其中 {terms} = {ctx.money(total)}；"
        "总额一行不能是 0，执行率和得分都无法计算",
        f"年度资金总额 = 当年财政拨款 + 上年结转资金 + 其他资金：请把全年预算数改为 {ctx.money(total)}，并核对全年执行数",
        Fix(
            f"把全年预算数改为 {ctx.money(total)}",
            "funds.annual_budget",
            total,
            ctx.money(Decimal(0)),
            ctx.money(total),
        ),
    )


def _check_budget_cut(ctx: _Context) -> None:
    funds = ctx.report.funds
    initial, budget, spent = funds.initial_budget, funds.annual_budget, funds.actual_spent
    if initial is None or budget is None or spent is None or initial <= 0:
        return
    unit = ctx.report.money_unit
    if not equal_within_rounding(budget, spent, unit) or initial - budget < BUDGET_CUT_SHARE * initial:
        return
    same = "恰好等于" if abs(budget - spent) <= MONEY_TOLERANCE else "只差尾数，等于"
    ctx.add(
        "funds.budget_cut",
        Where(field="funds.annual_budget"),
        f"年初预算数 {ctx.money(initial)}，全年预算数调减为 {ctx.money(budget)}（调减 "
        f"{_pct((initial - budget) / initial)}），{same}全年执行数 {ctx.money(spent)}，执行率因此为 {_pct(ctx.rate or Decimal(1))}",
        "请说明预算调减的依据（预算调整批复）；若只是按支出倒推，请按批复的全年预算数填写",
    )
