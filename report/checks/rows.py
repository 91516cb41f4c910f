"""Indicator-row findings, remembered: each row is checked once until one of its fields changes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from operator import attrgetter

from report.checks.completeness import _gaps
from report.checks.context import _Context, _Found, _Row, _RowFacts
from report.checks.indicators import (
    _check_ceiling,
    _check_cost,
    _check_fit,
    _check_money_units,
    _check_rate_unit,
    _check_reasons,
    _check_scores,
    _check_values,
)
from report.checks.years import _check_dates
from report.model import Indicator, MoneyUnit, Report
from report.scoring import IndicatorScore, ScoreResult, parsed_actual, parsed_target

_ROW_FIELDS = attrgetter(*(f.name for f in fields(Indicator)))
_ROW_CACHE: dict[tuple[object, ...], _Row] = {}
_ROW_CACHE_MAX = 50_000


def _row_key(indicator: Indicator, unit: MoneyUnit, year: int) -> tuple[object, ...]:
    # every field of the row, and the exact text of its decimals: 5 and 5.00 are equal, yet a
    # message may show either (the row's score is computed from these fields and the unit)
    return (_ROW_FIELDS(indicator), str(indicator.weight), str(indicator.score), unit, year)


def _rows(report: Report, scores: ScoreResult) -> list[_Row]:
    """The row-local findings of every indicator, computed only for rows not seen before.

    A row's own findings (unreadable values, scores, reasons, category fit, cost, money units,
    dates) depend only on its fields, the money unit and the year. The drafting screen checks the
    whole report after every accepted answer while nearly every row stays the same: running
    those checks over 2,000 rows took about 10 ms each time. Unseen rows are checked one by one
    (``_checked``), with their line of ``scores``, which is ``score_report(report)``.
    """
    unit, year = report.money_unit, report.year
    keys = [_row_key(indicator, unit, year) for indicator in report.indicators]
    rows: list[_Row | None] = [_ROW_CACHE.get(key) for key in keys]
    missing = rows.count(None)
    if missing:
        if len(_ROW_CACHE) + missing > _ROW_CACHE_MAX:
            _ROW_CACHE.clear()
        for index, row in enumerate(rows):
            if row is None:
                rows[index] = _ROW_CACHE[keys[index]] = _checked(
                    report.indicators[index], scores.indicators[index], unit, year
                )
    return [row for row in rows if row is not None]


def _checked(indicator: Indicator, score: IndicatorScore, unit: MoneyUnit, year: int) -> _Row:
    # Each row is checked on its own, by every row check in turn. They used to run as seven passes
    # over a report made of the unseen rows, which scored every row a second time and made a
    # Finding of each result only to take it apart: ~25 ms of the first check of 2,000 rows,
    # now ~20 ms.
    target, actual = parsed_target(indicator), parsed_actual(indicator)
    facts = _RowFacts(indicator, target, actual, score, unit, year)
    return _Row(tuple([check(facts) for check in _ROW_CHECKS]), _gaps(indicator, target, actual))


def _row_findings(slot: int) -> Callable[[_Context], None]:
    """A check that adds the remembered findings of ``_ROW_CHECKS[slot]``, row by row."""

    def check(ctx: _Context) -> None:
        for index, row in ctx.flagged_rows:
            if row.found[slot]:
                where = ctx.at_indicator(index)
                for said in row.found[slot]:
                    fix = None if said.fix is None else ctx.row_fix(index, said.fix)
                    ctx.add(said.code, where, said.message, said.hint, fix)

    return check


_ROW_CHECKS: tuple[Callable[[_RowFacts], _Found], ...] = (
    _check_values,
    _check_scores,
    _check_reasons,
    _check_rate_unit,
    _check_fit,
    _check_ceiling,
    _check_cost,
    _check_money_units,
    _check_dates,
)
"""The checks that look at one indicator row at a time, each given the row's ``_RowFacts``."""
