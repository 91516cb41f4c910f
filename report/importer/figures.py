"""Figures read from free-text sentences: the money unit, budget lines, funds, 执行率, claimed score.

Deliberately conservative: the first ``预算487万`` / ``实际支出483.3万元`` / ``节约3.7万元`` /
``到位资金…`` / ``执行率…%`` the text states; budget lines only from numbered items with an amount
of money; the claimed total and grade from the conclusion.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from report.entry import parse_budget_line
from report.errors import ParseError
from report.model import BudgetLine, Funds, Grade, MoneyUnit, Report
from report.money import fold_width, parse_money

MAX_BUDGET_NAME_CHARS = 40
"""A numbered item whose text before the amount is longer than this is prose, not a budget line."""
_CJK = r"\u4e00-\u9fff"
_NUM = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,15}(?:\.\d+)?)"
_MONEY_UNIT = rf"(亿元|万元|亿(?![{_CJK}])|元|万(?![{_CJK}]))"
_MONEY_RE = re.compile(r"(?<![\d.,])" + _NUM + r"\s*" + _MONEY_UNIT)
_LINK = r"\s*(?:为|是|共|共计|合计|总计|总额|约|达|达到|了|:|：)?\s*"


_ITEM_RE = re.compile(r"^(?:\d{1,2}\s*(?:[、．]|\.(?!\d))|[（(]\s*\d{1,2}\s*[)）])")
_TOTAL_RE = re.compile(
    r"(?:综合评分|综合得分|自评得分|自评总分|评价得分|总得分|最终得分|总分|得分|评分)\s*(?:为|是|:|：)?\s*"
    r"(\d{1,3}(?:\.\d{1,2})?)\s*分"
)
_STRONG_TOTAL_RE = re.compile(
    r"(?:综合评分|综合得分|自评得分|自评总分)\s*(?:为|是|:|：)?\s*(\d{1,3}(?:\.\d{1,2})?)\s*分"
)
_GRADE_RE = re.compile(
    r"(?:评价等级|等级|评价结果|评定)\s*(?:为|是|:|：)?\s*[“\"「『]?(优秀|优|良好|良|中等|中|合格|差|不合格)"
)
_GRADE_WORDS = {
    "优秀": Grade.EXCELLENT,
    "优": Grade.EXCELLENT,
    "良好": Grade.GOOD,
    "良": Grade.GOOD,
    "中等": Grade.FAIR,
    "中": Grade.FAIR,
    "合格": Grade.FAIR,
    "差": Grade.POOR,
    "不合格": Grade.POOR,
}
_AMOUNTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("initial_budget", re.compile(r"年初预算(?:数|资金)?" + _LINK + _NUM + r"\s*" + _MONEY_UNIT)),
    (
        "annual_budget",
        re.compile(
            r"(?<!年初)(?:全年预算数|全年预算|年度预算|预算总额|预算资金|预算数|预算)"
            + _LINK
            + _NUM
            + r"\s*"
            + _MONEY_UNIT
        ),
    ),
    (
        "actual_spent",
        re.compile(
            r"(?:全年执行数|实际支出|实际使用|实际执行|执行数|累计支出|共支出|支出总额)"
            + _LINK
            + _NUM
            + r"\s*"
            + _MONEY_UNIT
        ),
    ),
    ("stated_savings", re.compile(r"(?:节约资金|节约|结余资金|结余)" + _LINK + _NUM + r"\s*" + _MONEY_UNIT)),
    ("received", re.compile(r"(?:到位资金|资金到位|实际到位)" + _LINK + _NUM + r"\s*" + _MONEY_UNIT)),
)
_EXECUTION_RATE_RE = re.compile(
    r"(?:预算执行率|资金执行率|执行率|支出率|预算完成率|资金使用率)" + _LINK + r"(\d{1,3}(?:\.\d+)?)\s*[%％]"
)


def _money_tokens(text: str) -> list[re.Match[str]]:
    return list(_MONEY_RE.finditer(fold_width(text)))


def _money_unit(budget_source: Sequence[str], all_text: str) -> MoneyUnit:
    units = [
        match[2]
        for line in budget_source
        if _ITEM_RE.match(fold_width(line))
        for match in _money_tokens(line)
    ]
    statement = _AMOUNTS[1][1].search(fold_width(all_text))
    if statement is not None:
        units.append(statement[2])
    if not units:
        return MoneyUnit.WAN
    wan = sum(1 for unit in units if unit.startswith(("万", "亿")))
    return MoneyUnit.WAN if wan * 2 >= len(units) else MoneyUnit.YUAN


def _budget_lines(lines: Sequence[str], unit: MoneyUnit) -> tuple[list[BudgetLine], set[int]]:
    found: list[BudgetLine] = []
    used: set[int] = set()
    for line in lines:
        if not _ITEM_RE.match(fold_width(line)) or not _money_tokens(line):
            continue
        try:
            parsed = parse_budget_line(line, unit)
        except ParseError:
            continue
        if len(parsed.name) > MAX_BUDGET_NAME_CHARS:
            continue
        found.append(parsed)
        used.add(id(line))
    return found, used


def _funds(text: str, unit: MoneyUnit) -> Funds:
    funds = Funds()
    folded = fold_width(text)
    for name, pattern in _AMOUNTS:
        match = pattern.search(folded)
        if match is None:
            continue
        try:
            setattr(funds, name, parse_money(match[1] + match[2], unit))
        except ParseError:
            continue
    if funds.initial_budget is None:
        funds.initial_budget = funds.annual_budget
    elif funds.annual_budget is None:
        funds.annual_budget = funds.initial_budget
    rate = _EXECUTION_RATE_RE.search(folded)
    if rate is not None:
        funds.stated_execution_rate = Decimal(rate[1]) / 100
    return funds


def _score(report: Report, conclusion: str, all_text: str) -> None:
    folded = fold_width(conclusion)
    total = _TOTAL_RE.search(folded) or _STRONG_TOTAL_RE.search(fold_width(all_text))
    if total is not None:
        report.claimed_total = Decimal(total[1])
    grade = _GRADE_RE.search(folded)
    if grade is not None:
        report.claimed_grade = _GRADE_WORDS[grade[1]]
