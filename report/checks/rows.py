"""Indicator-row findings, remembered: each row is checked once until one of its fields changes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from operator import attrgetter
from typing import NamedTuple

from report.checks.completeness import _Gaps, _gaps
from report.checks.context import _Context
from report.checks.indicators import (
    _check_cost,
    _check_fit,
    _check_money_units,
    _check_reasons,
    _check_scores,
    _check_values,
)
from report.checks.years import _check_dates
from report.model import Indicator, MoneyUnit, Report


class _Row(NamedTuple):
    """One indicator row's findings from each of ``_ROW_CHECKS`` (code, message, hint), and its gaps."""

    found: tuple[tuple[tuple[str, str, str], ...], ...]
    gaps: _Gaps


_ROW_FIELDS = attrgetter(*(f.name for f in fields(Indicator)))
_ROW_CACHE: dict[tuple[object, ...], _Row] = {}
_ROW_CACHE_MAX = 50_000


def _row_key(indicator: Indicator, unit: MoneyUnit, year: int) -> tuple[object, ...]:
    # every field of the row, and the exact text of its decimals: 5 and 5.00 are equal, yet a
    # message may show either
    return (_ROW_FIELDS(indicator), str(indicator.weight), str(indicator.score), unit, year)


def _rows(report: Report) -> list[_Row]:
    """The row-local findings of every indicator, computed only for rows not seen before.

    A row's own findings (unreadable values, scores, reasons, category fit, cost, money units,
    dates) depend only on its fields, the money unit and the year. The drafting screen checks the
    whole report after every accepted answer while nearly every row stays the same: running
    those checks over 2,000 rows took about 10 ms each time. Unseen rows are checked together,
    by the same check functions, on a report holding just them.
    """
    unit, year = report.money_unit, report.year
    keys = [_row_key(indicator, unit, year) for indicator in report.indicators]
    rows: list[_Row | None] = [_ROW_CACHE.get(key) for key in keys]
    missing = [index for index, row in enumerate(rows) if row is None]
    if missing:
        if len(_ROW_CACHE) + len(missing) > _ROW_CACHE_MAX:
            _ROW_CACHE.clear()
        fresh = Report(title="", year=year, money_unit=unit)
        fresh.indicators = [report.indicators[index] for index in missing]
        sub = _Context(fresh, None)
        found: list[list[list[tuple[str, str, str]]]] = [[[] for _ in _ROW_CHECKS] for _ in missing]
        for slot, check in enumerate(_ROW_CHECKS):
            start = len(sub.findings)
            check(sub)
            for finding in sub.findings[start:]:
                assert finding.where.indicator is not None
                found[finding.where.indicator][slot].append((finding.code, finding.message, finding.hint))
        for position, index in enumerate(missing):
            row = _Row(
                tuple(tuple(part) for part in found[position]),
                _gaps(fresh.indicators[position], sub.targets[position], sub.actuals[position]),
            )
            rows[index] = _ROW_CACHE[keys[index]] = row
    return [row for row in rows if row is not None]


def _row_findings(slot: int) -> Callable[[_Context], None]:
    """A check that adds the remembered findings of ``_ROW_CHECKS[slot]``, row by row."""

    def check(ctx: _Context) -> None:
        for index, row in enumerate(ctx.rows):
            if row.found[slot]:
                where = ctx.at_indicator(index)
                for code, message, hint in row.found[slot]:
                    ctx.add(code, where, message, hint)

    return check


_ROW_CHECKS: tuple[Callable[[_Context], None], ...] = (
    _check_values,
    _check_scores,
    _check_reasons,
    _check_fit,
    _check_cost,
    _check_money_units,
    _check_dates,
)
"""The checks that look at one indicator row at a time (through ``ctx.at_indicator`` only)."""
