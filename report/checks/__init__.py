"""Consistency checks (RULES.md §6): each finding has a severity, a stable code, a place, a message, a hint.

Every check the model can express is here; ``CHECKS`` lists them all (code → severity, title,
the §6 rule number) for the CLI and the docs. Messages are Chinese and name the numbers
(amounts with ``format_money``, rates as ``99.24%``); hints say how to fix it. The checks read
whatever is filled in and skip what is not: a brand-new report gives a few "missing" findings.
A field missing on one indicator row is reported on that row; missing on every row (two or
more), it is one summary finding, so a sheet without targets reads as one problem, not twenty.

Not expressible on the model, so not checked: 二级 = Σ 三级 weights (the model keeps no 二级
weight; 一级 = Σ 三级 is checked instead), and headings "present and numbered in order" (the
headings come from the template and the renderer numbers them).

Some findings carry a ``Fix``: the change that resolves them (move a row to the advised 二级,
rewrite ≥100% as ＝100%, add the missing %, the right 执行率得分, the 年度资金总额 its sources
add up to), applied only when the user asks.

Where things are: ``run`` holds ``check_report`` and the order the checks run in; each kind of
finding has its module, named like its codes: ``funds`` (funds.*, budget.*), ``scores`` (score.*,
grade.*, weights.*), ``completeness`` (indicator.none, indicator.missing_*, coverage.*),
``indicators`` (each row's values, score, reason, category — by value and by name —, rate
ceiling, cost and money unit), ``underspending`` (an execution rate below 100% explained; the
words that count as a reason are data, in ``reason_words``), ``years``
(year.*) and ``prose`` (text.*, outline.*). ``findings`` defines Severity, Where, Finding and
the ``CHECKS`` catalogue; ``context`` the report being checked, the tolerances and how numbers
are worded; ``rows`` remembers each indicator row's findings between runs; ``prose_scan`` finds
the rates and amounts a text states.
"""

from __future__ import annotations

from report.checks.completeness import CORE_OUTPUT_CATEGORIES
from report.checks.context import LISTED_NAMES_MAX, MONEY_TOLERANCE, RATE_TOLERANCE, SCORE_TOLERANCE
from report.checks.findings import (
    CHECKS,
    FIELD_NAMES,
    SEVERITY_ORDER,
    CheckSpec,
    Finding,
    Fix,
    Severity,
    Where,
    codes_by_rule,
)
from report.checks.funds import BUDGET_CUT_SHARE
from report.checks.prose import DECLARED_LIST_MIN
from report.checks.run import check_report
from report.checks.years import years_in_title

__all__ = [
    "BUDGET_CUT_SHARE",
    "CHECKS",
    "CORE_OUTPUT_CATEGORIES",
    "DECLARED_LIST_MIN",
    "FIELD_NAMES",
    "LISTED_NAMES_MAX",
    "MONEY_TOLERANCE",
    "RATE_TOLERANCE",
    "SCORE_TOLERANCE",
    "SEVERITY_ORDER",
    "CheckSpec",
    "Finding",
    "Fix",
    "Severity",
    "Where",
    "check_report",
    "codes_by_rule",
    "years_in_title",
]
