"""Markdown rendering: the whole report in its outline, section by section, plus the 附件1 score sheet.

One renderer serves the live preview and the export. Output is deterministic.
"""

from __future__ import annotations

from report.model import Report
from report.outline import Outline, Section


def render_title(report: Report) -> str:
    """The report's title block (title, unit, year) as Markdown."""
    raise NotImplementedError


def render_section(report: Report, section: Section) -> str:
    """One section alone: its heading (``#`` depth + 1) and its own blocks, not its children."""
    raise NotImplementedError


def render_budget_table(report: Report) -> str:
    """The budget lines as a table with a 合计 row."""
    raise NotImplementedError


def render_score_sheet(report: Report) -> str:
    """附件1 项目支出绩效自评表: funds block, goals, indicator rows, total."""
    raise NotImplementedError


def render_report(report: Report, outline: Outline) -> str:
    """The whole report: title, every section in order, then the score sheet as 附件1."""
    raise NotImplementedError
