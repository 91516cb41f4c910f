"""``check_report``: every check, in the order that gives the findings their order."""

from __future__ import annotations

from collections.abc import Callable

from report.checks.completeness import _check_completeness, _check_coverage, _check_indicators_present
from report.checks.context import _Context
from report.checks.findings import SEVERITY_ORDER, Finding
from report.checks.funds import (
    _check_budget_cut,
    _check_budget_lines,
    _check_funds_missing,
    _check_received,
    _check_savings,
    _check_sources,
    _check_stated_rate,
)
from report.checks.indicators import (
    _check_ceiling,
    _check_cost,
    _check_fit,
    _check_money_like_values,
    _check_money_units,
    _check_rate_unit,
    _check_reasons,
    _check_scores,
    _check_values,
)
from report.checks.prose import (
    _check_amount_claims,
    _check_declared_categories,
    _check_prose_units,
    _check_rate_claims,
    _check_sections,
)
from report.checks.rows import _ROW_CHECKS, _row_findings, _rows
from report.checks.scores import (
    _check_claimed_total,
    _check_execution_score,
    _check_full_score,
    _check_grade,
    _check_sheet,
    _check_stated_execution_score,
    _check_weights,
)
from report.checks.underspending import _check_underspending
from report.checks.years import _check_dates, _check_title_year
from report.model import Report
from report.outline import Outline
from report.scoring import ScoreResult

_CHECK_ORDER: tuple[Callable[[_Context], None], ...] = (
    _check_title_year,
    _check_funds_missing,
    _check_budget_lines,
    _check_savings,
    _check_stated_rate,
    _check_received,
    _check_sources,
    _check_budget_cut,
    _check_underspending,
    _check_execution_score,
    _check_stated_execution_score,
    _check_claimed_total,
    _check_full_score,
    _check_grade,
)
_INDICATOR_CHECKS: tuple[Callable[[_Context], None], ...] = (
    _check_completeness,
    _row_findings(_ROW_CHECKS.index(_check_values)),
    _row_findings(_ROW_CHECKS.index(_check_scores)),
    _row_findings(_ROW_CHECKS.index(_check_reasons)),
    _check_coverage,
    _row_findings(_ROW_CHECKS.index(_check_rate_unit)),
    _row_findings(_ROW_CHECKS.index(_check_fit)),
    _check_money_like_values,
    _row_findings(_ROW_CHECKS.index(_check_ceiling)),
    _row_findings(_ROW_CHECKS.index(_check_cost)),
    _row_findings(_ROW_CHECKS.index(_check_money_units)),
    _row_findings(_ROW_CHECKS.index(_check_dates)),
)
_PROSE_CHECKS: tuple[Callable[[_Context], None], ...] = (
    _check_declared_categories,
    _check_rate_claims,
    _check_amount_claims,
    _check_prose_units,
    _check_sections,
)


def check_report(
    report: Report, outline: Outline | None = None, scores: ScoreResult | None = None
) -> list[Finding]:
    """Run every check on a report; ``outline`` enables the checks on headings and prose.

    With an outline, empty sections are reported (#19) and prose findings name the section they
    are in; the prose checks themselves (#17, #18, #21) read every answer either way. Findings
    come ordered by severity (errors first), then by where they apply in the report: title,
    funds, budget lines, weights, indicators (row by row), score, grade, prose (in outline order).

    ``scores`` is ``score_report(report)`` when the caller has it already (saves computing it twice).
    """
    ctx = _Context(report, outline, _rows)
    if scores is not None:
        ctx.scores = scores
    for check in _CHECK_ORDER:
        check(ctx)
    sheet_missing = _check_sheet(ctx)
    _check_weights(ctx, sheet_missing)
    if _check_indicators_present(ctx):
        for check in _INDICATOR_CHECKS:
            check(ctx)
    for check in _PROSE_CHECKS:
        check(ctx)
    return sorted(ctx.findings, key=lambda f: (SEVERITY_ORDER[f.severity], ctx.position(f)))
