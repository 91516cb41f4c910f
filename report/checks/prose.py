"""RULES.md §6 #17–#19, #21: the prose, against what is filled in and the outline.

Declared indicator categories that have no rows, rates and amounts that differ from the figures,
amounts written in another money unit, and sections left empty or answered with a bare “无”.

A rate or amount that differs from the figures is usually prose written before a figure changed:
its finding carries a ``Fix``, the answer with exactly those numbers replaced by the computed
ones (``stale_number_fix``), which the app takes with one key and ``jixiao check`` prints.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import NamedTuple

from report.checks.context import (
    LISTED_NAMES_MAX,
    MONEY_TOLERANCE,
    RATE_TOLERANCE,
    _Context,
    _folded,
    _pct,
    _round,
)
from report.checks.findings import CHECKS, Finding, Fix, Where
from report.checks.prose_scan import _AmountClaim, _declared_categories, _scan
from report.errors import ParseError
from report.model import Level2, MoneyUnit
from report.money import parse_money
from report.outline import BlockKind, Outline, Section

DECLARED_LIST_MIN = 3
"""A prose answer naming at least this many 二级 categories declares an indicator system (#17)."""
_REPORT_FACTORS = {MoneyUnit.YUAN: Decimal(1), MoneyUnit.WAN: Decimal(10_000)}
_WORD_FACTORS = {
    "元": Decimal(1),
    "万": Decimal(10_000),
    "万元": Decimal(10_000),
    "亿": Decimal(10) ** 8,
    "亿元": Decimal(10) ** 8,
}
_NIL_ANSWERS = frozenset({"无", "无。", "暂无", "暂无。", "没有", "无其他需说明的问题", "/", "—", "-"})


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


class _Stale(NamedTuple):
    """A number in the prose that the figures contradict, and what to write instead."""

    code: str
    quoted: str  # the claim as written: 执行率为100%
    message: str
    hint: str
    span: tuple[int, int]  # where the old number stands in the answer
    number: str  # the new number, written as the old one was (same unit, two decimals)


def _rate_mismatches(ctx: _Context, raw: str) -> list[_Stale]:
    """The rates a prose answer states that the figures contradict, in text order."""
    funds, rate = ctx.report.funds, ctx.rate
    received_rate = None
    if funds.received is not None and funds.annual_budget is not None and funds.annual_budget > 0:
        received_rate = _round(funds.received / funds.annual_budget * 100) / 100
    found: list[_Stale] = []
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
        if derived is None or abs(number - derived * 100) < RATE_TOLERANCE:
            continue
        found.append(
            _Stale(
                "text.rate_mismatch",
                claim.quoted,
                f"正文写“{claim.quoted}”，但{figures}，{basis}为 {_pct(derived)}",
                f"请把正文中的比率改为 {_pct(derived)}，与填报的资金数字一致",
                claim.span,
                _pct(derived).removesuffix("%"),
            )
        )
    return found


def _amount_mismatches(ctx: _Context, raw: str) -> list[_Stale]:
    """The amounts a prose answer states that the figures contradict, in text order."""
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
    found: list[_Stale] = []
    for claim in _scan(raw).amount_claims:
        label, expected = truth[claim.name]
        if expected is None:
            continue
        amount = _money_of(claim.number, claim.unit_word, report.money_unit)
        if amount is None or abs(amount - expected) <= MONEY_TOLERANCE:
            continue
        if claim.name == "annual_budget" and any(
            abs(amount - line) <= MONEY_TOLERANCE for line in line_amounts
        ):
            continue  # the budget of one line, not of the project
        found.append(
            _Stale(
                "text.amount_mismatch",
                claim.quoted,
                f"正文写“{claim.quoted}”（{ctx.money(amount)}），但{label}为 {ctx.money(expected)}",
                f"请把正文中的金额改为 {ctx.money(expected)}，或核对填报的资金数字",
                claim.span,
                _in_written_unit(expected, claim, report.money_unit),
            )
        )
    return found


def _in_written_unit(amount: Decimal, claim: _AmountClaim, unit: MoneyUnit) -> str:
    """``amount`` (in the report's unit) as the claim wrote its number: in its unit word, two decimals."""
    factor = _WORD_FACTORS.get(claim.unit_word, _REPORT_FACTORS[unit])
    value = _round(amount * _REPORT_FACTORS[unit] / factor)
    return f"{value:,.2f}" if "," in claim.number else f"{value:.2f}"


def stale_number_fix(ctx: _Context, key: str, raw: str) -> Fix | None:
    """The answer ``key`` with every number the figures contradict replaced by the computed one.

    Only the numbers change: the words around them, the units written and every other
    character stay as the user wrote them. None when nothing is stale.
    """
    stale = sorted(
        {
            found.span: found for found in (*_rate_mismatches(ctx, raw), *_amount_mismatches(ctx, raw))
        }.values(),
        key=lambda found: found.span,
    )
    if not stale:
        return None
    pieces: list[str] = []
    position = 0
    olds: list[str] = []
    news: list[str] = []
    for found in stale:
        start, end = found.span
        pieces.extend((raw[position:start], found.number))
        position = end
        olds.append(found.quoted)
        head, _, tail = found.quoted.rpartition(_folded(raw[start:end]))
        news.append(head + found.number + tail)
    pieces.append(raw[position:])
    section = ctx.at_answer(key).label or key
    return Fix(
        f"更新「{section}」中过时的 {len(stale)} 处数字",
        f"answers.{key}",
        "".join(pieces),
        "；".join(olds),
        "；".join(news),
    )


def _check_stale_numbers(
    ctx: _Context, code: str, mismatches: Callable[[_Context, str], list[_Stale]]
) -> None:
    for key, raw in ctx.answers():
        found = mismatches(ctx, raw)
        if not found:
            continue
        fix = stale_number_fix(ctx, key, raw)
        seen: set[str] = set()
        for stale in found:
            if stale.quoted in seen:
                continue
            seen.add(stale.quoted)
            where = ctx.at_answer(key)
            ctx.findings.append(Finding(CHECKS[code].severity, code, where, stale.message, stale.hint, fix))


def _check_rate_claims(ctx: _Context) -> None:
    _check_stale_numbers(ctx, "text.rate_mismatch", _rate_mismatches)


def _check_amount_claims(ctx: _Context) -> None:
    _check_stale_numbers(ctx, "text.amount_mismatch", _amount_mismatches)


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
