"""Consistency checks (RULES.md §6): each finding has a severity, a stable code, a place, a message, a hint."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from report.model import Report
from report.outline import Outline


class Severity(StrEnum):
    """How bad a finding is."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Where:
    """Where a finding applies.

    ``field`` names the model field to fix (``funds.annual_budget``, ``budget_lines``,
    ``indicators``, ``claimed_total``, ``claimed_grade``, ``weights``, ``answers.<step id>``);
    ``section`` is an outline section key when known; ``budget_line`` / ``indicator`` are
    0-based indexes into the report's lists.
    """

    field: str = ""
    section: str = ""
    budget_line: int | None = None
    indicator: int | None = None

    def describe(self) -> str:
        """A short Chinese description of the place: ``预算明细第 3 行``, ``指标「按期结案率」``."""
        raise NotImplementedError


@dataclass(frozen=True)
class Finding:
    """One check result."""

    severity: Severity
    code: str  # stable, e.g. "budget.lines_sum"
    where: Where
    message: str  # Chinese: what is wrong
    hint: str  # Chinese: how to fix it


def check_report(report: Report, outline: Outline | None = None) -> list[Finding]:
    """Run every check on a report; ``outline`` enables the checks on headings and prose."""
    raise NotImplementedError
