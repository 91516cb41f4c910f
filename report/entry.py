"""Free-text entry of structured rows: budget lines and indicator rows, one or many lines at once.

``基层党建办公室经费 49万`` is a budget line; ``按期结案率 ≥99% 实际99.9% 分值5`` an indicator row.
"""

from __future__ import annotations

from dataclasses import dataclass

from report.model import BudgetLine, Indicator, Level2, MoneyUnit


@dataclass(frozen=True)
class RowProblem:
    """A line of pasted input that could not be read: its 1-based number, text and why."""

    line_no: int
    text: str
    message: str


def parse_budget_lines(text: str, unit: MoneyUnit) -> tuple[list[BudgetLine], list[RowProblem]]:
    """Read budget lines ("名称 金额 [用途]"), one per line; numbering like ``1、`` is dropped."""
    raise NotImplementedError


def parse_indicator_rows(
    text: str, level2: Level2 | None, unit: MoneyUnit
) -> tuple[list[Indicator], list[RowProblem]]:
    """Read indicator rows, one per line.

    A row is ``[二级：]名称 目标 [实际 值] [分值 n] [得分 n] [偏差：原因]`` — e.g.
    ``质量指标：按期结案率 ≥99% 实际99.9% 分值5``. ``level2`` is the category when the line
    does not name one.
    """
    raise NotImplementedError
