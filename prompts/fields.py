"""Model field paths: the names a template step writes to, and reading and writing them on a Report.

A path is ``title``, ``funds.annual_budget``, ``budget_lines``, ``answers.<step id>`` and so on —
the same names ``report.checks.Where.field`` uses, so a finding leads back to the step that fixes it.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from report.field_names import names_of
from report.model import BudgetLine, Funds, Grade, Indicator, MoneyUnit, Report

FieldValue = str | int | Decimal | MoneyUnit | Grade | list[BudgetLine] | list[Indicator] | None
"""What a field holds: the type depends on the path."""

ANSWERS_PREFIX = "answers."
FUNDS_PREFIX = "funds."
FUNDS_FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Funds))
MONEY_FUNDS_FIELDS: tuple[str, ...] = tuple(
    name for name in FUNDS_FIELDS if name not in ("stated_execution_rate", "stated_execution_score")
)
SCORE_FUNDS_FIELD = "funds.stated_execution_score"
"""The one funds field that is a score (0–10), asked beside the claimed total."""

FIELD_LABELS: dict[str, str] = names_of(
    "title",
    "unit_name",
    "department",
    "year",
    "money_unit",
    *(f"{FUNDS_PREFIX}{name}" for name in MONEY_FUNDS_FIELDS),
    "budget_lines",
    "overall_goal",
    "overall_goal_actual",
    "stage_goals",
    "indicators",
    "claimed_total",
    SCORE_FUNDS_FIELD,
    "claimed_grade",
)
"""The Chinese name of every fixed field a step may write (``answers.*`` is open-ended)."""

_TEXT_FIELDS = ("title", "unit_name", "department", "overall_goal", "overall_goal_actual", "stage_goals")


def is_answers_path(path: str) -> bool:
    """True for ``answers.<key>`` with a non-empty key."""
    return path.startswith(ANSWERS_PREFIX) and len(path) > len(ANSWERS_PREFIX)


def is_known_field(path: str) -> bool:
    """True when ``path`` names a field a step can write."""
    return path in FIELD_LABELS or is_answers_path(path)


def get_field(report: Report, path: str) -> FieldValue:
    """The current value at ``path`` (``None`` for an unset amount, an absent answer)."""
    if is_answers_path(path):
        return report.answers.get(path[len(ANSWERS_PREFIX) :])
    if path.startswith(FUNDS_PREFIX) and path[len(FUNDS_PREFIX) :] in FUNDS_FIELDS:
        value: Decimal | None = getattr(report.funds, path[len(FUNDS_PREFIX) :])
        return value
    if path in _TEXT_FIELDS:
        text: str = getattr(report, path)
        return text
    if path == "year":
        return report.year
    if path == "money_unit":
        return report.money_unit
    if path == "budget_lines":
        return report.budget_lines
    if path == "indicators":
        return report.indicators
    if path == "claimed_total":
        return report.claimed_total
    if path == "claimed_grade":
        return report.claimed_grade
    raise KeyError(f"unknown field path {path!r}")


def set_field(report: Report, path: str, value: FieldValue) -> None:
    """Write ``value`` at ``path``; raises ``TypeError`` when the value does not suit the field.

    Lists are copied, so the caller's list and the report's never alias. Setting an answer to
    ``None`` or ``""`` removes it.
    """
    if is_answers_path(path):
        key = path[len(ANSWERS_PREFIX) :]
        if value is None or value == "":
            report.answers.pop(key, None)
        elif isinstance(value, str):
            report.answers[key] = value
        else:
            raise TypeError(f"{path} takes text, not {type(value).__name__}")
        return
    if path.startswith(FUNDS_PREFIX) and path[len(FUNDS_PREFIX) :] in FUNDS_FIELDS:
        if value is not None and not isinstance(value, Decimal):
            raise TypeError(f"{path} takes a Decimal, not {type(value).__name__}")
        setattr(report.funds, path[len(FUNDS_PREFIX) :], value)
        return
    if path in _TEXT_FIELDS:
        if not isinstance(value, str):
            raise TypeError(f"{path} takes text, not {type(value).__name__}")
        setattr(report, path, value)
    elif path == "year":
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError("year takes an int")
        report.year = value
    elif path == "money_unit":
        if not isinstance(value, MoneyUnit):
            raise TypeError("money_unit takes a MoneyUnit")
        report.money_unit = value
    elif path == "budget_lines":
        report.budget_lines = [_as_budget_line(row) for row in _as_list(value, path)]
    elif path == "indicators":
        report.indicators = [_as_indicator(row) for row in _as_list(value, path)]
    elif path == "claimed_total":
        if value is not None and not isinstance(value, Decimal):
            raise TypeError("claimed_total takes a Decimal")
        report.claimed_total = value
    elif path == "claimed_grade":
        if value is not None and not isinstance(value, Grade):
            raise TypeError("claimed_grade takes a Grade")
        report.claimed_grade = value
    else:
        raise KeyError(f"unknown field path {path!r}")


def _as_list(value: FieldValue, path: str) -> list[object]:
    if not isinstance(value, list):
        raise TypeError(f"{path} takes a list")
    return list(value)


def _as_budget_line(row: object) -> BudgetLine:
    if not isinstance(row, BudgetLine):
        raise TypeError("budget_lines takes BudgetLine rows")
    return dataclasses.replace(row)


def _as_indicator(row: object) -> Indicator:
    if not isinstance(row, Indicator):
        raise TypeError("indicators takes Indicator rows")
    return dataclasses.replace(row)
