"""Indicator values: parse targets and actuals into operator, number and unit, a date, or a 定性 grade.

Also knows which kinds of value each 二级 category expects (RULES.md §5) and says, with the fix,
when a value does not fit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from report.model import Level2, Operator, QualGrade


class ValueKind(StrEnum):
    """The kind of a parsed value."""

    COUNT = "count"  # a number with a counting unit: 人次, 个, 件, 平方米 …
    RATE = "rate"  # a percentage
    MONEY = "money"  # 元 / 万元 / 亿元
    DATE = "date"  # a deadline: 2020年12月31日前
    DURATION = "duration"  # 天, 工作日, 月, 年
    NUMBER = "number"  # a bare number with no unit
    QUALITATIVE = "qualitative"  # a 定性 grade or judgement word


@dataclass(frozen=True)
class ParsedValue:
    """A target or actual as understood: ``≥1000人次`` → GE, 1000, 人次, COUNT."""

    kind: ValueKind
    operator: Operator | None = None
    number: Decimal | None = None
    unit: str = ""
    date: dt.date | None = None
    grade: QualGrade | None = None

    def text(self) -> str:
        """The canonical text without operator: ``1000``, ``99.9``, ``2020-12-31``, ``达成年度指标``."""
        raise NotImplementedError

    def display(self) -> str:
        """Operator, value and unit as printed in tables: ``≥1000人次``, ``≤2020年12月31日``."""
        raise NotImplementedError


def parse_value(text: str) -> ParsedValue:
    """Parse a target or an actual; raises ``ParseError`` with a Chinese message and hint."""
    raise NotImplementedError


def normalise_operator(text: str) -> Operator:
    """``>=`` ``＞＝`` ``≥`` → GE, and so on; raises ``ParseError`` for anything else."""
    raise NotImplementedError


def normalise_unit(text: str) -> str:
    """Canonical unit spelling: ``百分比`` → ``%``, ``万`` → ``万元``, ``人/次`` → ``人次``."""
    raise NotImplementedError


def expected_kinds(level2: Level2) -> frozenset[ValueKind]:
    """The value kinds a 二级 category accepts (RULES.md §5)."""
    raise NotImplementedError


def fit_problem(level2: Level2, value: ParsedValue, name: str = "") -> str | None:
    """Why a value does not fit its category, with the fix, or None when it fits.

    e.g. ``"73.3% 是比率，应放入质量指标"``.
    """
    raise NotImplementedError
