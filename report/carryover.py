"""Start next year's report from last year's.

What carries over is the structure: the outline (template), the money unit, the unit and its
主管部门, the 一级 weights, the indicator rows (name, category, nature, operator, target, unit,
weight) and the standard prose — answers whose text is the template's own suggestion.

What does not carry over is what happened: the funds, the budget lines (a line needs an amount,
and this year's amounts are not known yet), each indicator's actual, score and 偏差原因, the
claimed score and grade, and prose a person wrote for last year. Last year's values of those are
kept in ``Report.suggestions`` (by field path), where the guided flow offers them for Tab while
the step is unanswered; nothing is filled in on the user's behalf.

Not offered: last year's indicator actuals (the indicator rows are already there, and the flow
has no per-row question to offer them on).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from decimal import Decimal

from report.model import BudgetLine, Funds, MoneyUnit, Report
from report.money import format_money
from report.outline import CHINESE_DIGITS

CARRIED_FUNDS: tuple[str, ...] = (
    "initial_budget",
    "annual_budget",
    "actual_spent",
    "received",
    "fiscal_current",
    "carried_over",
    "other",
)
"""The funds a step asks for, whose last-year values are offered. The stated 节约 and 执行率 are
read from imported text only, so no step would offer them."""


def next_year_title(title: str, previous_year: int, year: int) -> str:
    """Last year's title for this year: ``2020年度…`` → ``2021年度…`` (also ``二〇二〇年``).

    A title without the year gets ``2021年度`` in front, so the two reports never share a title.
    """
    replaced, count = re.subn(rf"(?<!\d){previous_year}(?!\d)", str(year), title)
    old_chinese, new_chinese = _chinese_year(previous_year), _chinese_year(year)
    if old_chinese in replaced:
        replaced, count = replaced.replace(old_chinese, new_chinese), count + 1
    if count or previous_year == year:
        return replaced
    return f"{year}年度{title.strip()}"


def _chinese_year(year: int) -> str:
    return "".join(CHINESE_DIGITS[int(digit)] for digit in str(year))


def next_year_report(
    previous: Report,
    year: int,
    title: str | None = None,
    *,
    standard_answers: Mapping[str, str] | None = None,
) -> Report:
    """A new report for ``year`` built on ``previous`` (which is not changed); see the module docstring.

    ``title`` replaces the carried title when given (and not blank). ``standard_answers`` maps an
    answer key (step id) to the template's standard text; an answer equal to it carries over,
    every other answer is offered as a suggestion. Without it no prose is carried, all offered.
    """
    standard = standard_answers or {}
    unit = previous.money_unit
    suggestions: dict[str, str] = {}
    for name in CARRIED_FUNDS:
        amount: Decimal | None = getattr(previous.funds, name)
        if amount is not None:
            suggestions[f"funds.{name}"] = _money_text(amount, unit)
    if previous.budget_lines:
        suggestions["budget_lines"] = "\n".join(
            _budget_line_text(line, unit) for line in previous.budget_lines
        )
    for name in ("overall_goal", "overall_goal_actual", "stage_goals"):
        text: str = getattr(previous, name)
        if text.strip():
            suggestions[name] = text
    answers: dict[str, str] = {}
    for key, text in previous.answers.items():
        if not text.strip():
            continue
        if key in standard and text.strip() == standard[key].strip():
            answers[key] = text
        else:
            suggestions[f"answers.{key}"] = text
    if previous.claimed_total is not None:
        suggestions["claimed_total"] = _number_text(previous.claimed_total)
    if previous.claimed_grade is not None:
        suggestions["claimed_grade"] = previous.claimed_grade.value
    chosen_title = (
        title.strip() if title and title.strip() else next_year_title(previous.title, previous.year, year)
    )
    return Report(
        title=chosen_title,
        unit_name=previous.unit_name,
        department=previous.department,
        year=year,
        template_id=previous.template_id,
        money_unit=unit,
        funds=Funds(),
        budget_lines=[],
        indicators=[
            dataclasses.replace(row, actual="", score=None, deviation_reason="")
            for row in previous.indicators
        ],
        answers=answers,
        weights=dict(previous.weights) if previous.weights is not None else None,
        suggestions=suggestions,
    )


def _money_text(amount: Decimal, unit: MoneyUnit) -> str:
    """An amount as the money step reads it back: ``487.00万元``."""
    return f"{format_money(amount, unit)}{unit.value}"


def _budget_line_text(line: BudgetLine, unit: MoneyUnit) -> str:
    """A budget line as the budget step reads it back: ``名称 49.00万元 用途``."""
    text = f"{' '.join(line.name.split())} {_money_text(line.amount, unit)}"
    purpose = " ".join(line.purpose.split())
    return f"{text} {purpose}" if purpose else text


def _number_text(value: Decimal) -> str:
    """A score as people write it: ``100``, ``92.5``."""
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return f"{value.normalize():f}"
