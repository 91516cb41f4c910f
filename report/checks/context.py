"""The report being checked (``_Context``), and what every check shares to word its findings.

The tolerances, numbers written as messages show them (``_pts``, ``_pct``, ``_money_text``),
and full-width folding, remembered.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import replace
from decimal import Context, Decimal, getcontext, localcontext
from functools import cached_property, lru_cache
from typing import NamedTuple

from report.checks.findings import _FIELD_RANK, CHECKS, Finding, Fix, Where
from report.model import Indicator, MoneyUnit, Report
from report.money import fold_width, format_money, round_cent
from report.outline import BlockKind, Outline, Section
from report.scoring import IndicatorScore, ScoreResult, execution_rate, score_report
from report.values import ParsedValue

MONEY_TOLERANCE = Decimal("0.01")
"""Amounts (in the report's unit) that differ by at most this much agree (RULES.md §6 #1)."""
RATE_TOLERANCE = Decimal("0.01")
"""Percentages that differ by this much or more disagree: 86.19% for 86.18% is a slip (RULES.md §4)."""
SCORE_TOLERANCE = Decimal("0.01")
"""Scores that differ by this much or more disagree (scores carry two decimals)."""
_SPARE_DIGITS = 12
LISTED_NAMES_MAX = 3
"""Messages name at most this many rows or amounts, then say how many more."""


def _roomy(value: Decimal) -> AbstractContextManager[Context]:
    """A decimal context precise enough to round ``value`` to cents, however large it is."""
    context = getcontext().copy()
    if value.is_finite():
        context.prec = max(context.prec, value.adjusted() + _SPARE_DIGITS)
    return localcontext(context)


def _round(value: Decimal) -> Decimal:
    """``round_cent`` that also copes with absurdly large numbers typed into a value."""
    with _roomy(value):
        return round_cent(value)


def _money_text(amount: Decimal, unit: MoneyUnit, *, with_unit: bool = False) -> str:
    """``format_money`` that also copes with absurdly large amounts."""
    with _roomy(amount):
        return format_money(amount, unit, with_unit=with_unit)


def _pts(value: Decimal) -> str:
    """A score as people write it: ``100``, ``99.92``, ``9.90``."""
    value = _round(value)
    return f"{value:.0f}" if value == value.to_integral_value() else f"{value:.2f}"


def _pct(fraction: Decimal) -> str:
    """A fraction as a percentage with two decimals: 0.9924 → ``99.24%``."""
    with _roomy(fraction * 100):
        return f"{round_cent(fraction * 100):.2f}%"


def _pct_as_written(fraction: Decimal) -> str:
    """A stated fraction as a percentage, keeping decimals beyond the second: ``99.245%``, ``99.25%``."""
    percent = (fraction * 100).normalize()
    exponent = percent.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        return f"{percent:f}%"
    return f"{percent:.2f}%"


def _names(names: list[str]) -> str:
    shown = "、".join(f"「{name}」" for name in names[:LISTED_NAMES_MAX])
    more = len(names) - LISTED_NAMES_MAX
    return f"{shown}等 {len(names)} 项" if more > 0 else shown


_FOLD_TABLE = {
    code: fold_width(chr(code))
    for code in (0x3000, *range(0xFF01, 0xFF5F))
    if fold_width(chr(code)) != chr(code)
}
"""``fold_width`` as a translation table: the same result, at C speed."""


_FOLD_RE = re.compile("[" + "".join(re.escape(chr(code)) for code in _FOLD_TABLE) + "]")


@lru_cache(maxsize=1_024)
def _folded(text: str) -> str:
    """``fold_width(text)``, remembered: three prose checks read every answer after every change.

    Most prose has nothing to fold; finding that out is ~20 times faster than translating.
    """
    return text if _FOLD_RE.search(text) is None else text.translate(_FOLD_TABLE)


class _RowFix(NamedTuple):
    """A change to one indicator row that resolves a row finding.

    ``what`` completes “把第 n 项指标…” (``移到质量指标``); ``changes`` are the row's fields to
    set, (name, value) pairs (the row is made only when the fix is read); ``before`` and ``after``
    are what the user reads side by side.
    """

    what: str
    changes: tuple[tuple[str, object], ...]
    before: str
    after: str


class _Said(NamedTuple):
    """One finding of a row check: its code, message and hint, and the change that fixes it if any."""

    code: str
    message: str
    hint: str
    fix: _RowFix | None = None


_Found = tuple[_Said, ...]
"""What a row check found, in order."""


def _one(code: str, message: str, hint: str, fix: _RowFix | None = None) -> _Found:
    """A row check's one finding."""
    return (_Said(code, message, hint, fix),)


class _RowFacts(NamedTuple):
    """One indicator row as the row checks read it: its fields, its values parsed, its score."""

    indicator: Indicator
    target: ParsedValue | None  # parsed_target(indicator)
    actual: ParsedValue | None  # parsed_actual(indicator)
    score: IndicatorScore  # the row's line of score_report
    unit: MoneyUnit  # the report's money unit
    year: int  # the report's year


class _RowsFix(Fix):
    """A ``Fix`` whose value, the indicator list with one row changed, is made when first read."""

    def __init__(self, label: str, path: str, rows: list[Indicator], index: int, change: _RowFix) -> None:
        for name, value in (
            ("label", label),
            ("path", path),
            ("before", change.before),
            ("after", change.after),
        ):
            object.__setattr__(self, name, value)
        object.__setattr__(self, "_rows", rows)
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_changes", change.changes)

    @property
    def value(self) -> object:
        """The whole indicator list with the changed row, as ``ReportStore.apply`` takes it."""
        made = self.__dict__.get("_value")
        if made is None:
            rows, index = self.__dict__["_rows"], self.__dict__["_index"]
            row = replace(rows[index], **dict(self.__dict__["_changes"]))
            if row.level2 is not rows[index].level2 and row.level1 is None:
                # a report that keeps 成本指标 as its own 一级 keeps the moved row there too
                row = replace(row, level1=next((r.level1 for r in rows if r.level2 is row.level2), None))
            made = [*rows[:index], row, *rows[index + 1 :]]
            object.__setattr__(self, "_value", made)
        return made


class _Gaps(NamedTuple):
    quantitative: bool
    no_target: bool
    no_actual: bool
    no_operator: bool
    no_unit: bool
    rate_without_unit: bool  # a rate-named row with a bare number: #28 reports it, not no_unit


class _Row(NamedTuple):
    """One indicator row's findings from each of ``_ROW_CHECKS`` (code, message, hint), and its gaps."""

    found: tuple[_Found, ...]
    gaps: _Gaps


RowSource = Callable[[Report, ScoreResult], list[_Row]]
"""Computes every indicator row's own findings and gaps (``rows._rows``), given to ``_Context`` by ``run``."""


class _Context:
    """The report, its outline, the derived figures, and the findings gathered so far."""

    def __init__(self, report: Report, outline: Outline | None, row_source: RowSource) -> None:
        self.report = report
        self.outline = outline
        self._row_source = row_source
        self.findings: list[Finding] = []

    @cached_property
    def scores(self) -> ScoreResult:
        return score_report(self.report)

    @cached_property
    def rate(self) -> Decimal | None:
        return execution_rate(self.report.funds)

    @cached_property
    def rows(self) -> list[_Row]:
        """Every indicator row's own findings and gaps (see ``_rows``)."""
        return self._row_source(self.report, self.scores)

    @cached_property
    def flagged_rows(self) -> list[tuple[int, _Row]]:
        """The indicator rows that have findings of their own, with their index."""
        # seven passes add the rows' findings, one per row check: walking only these rows
        # instead of all 2,000 saves ~0.4 ms of every check, the first and the later ones
        return [(index, row) for index, row in enumerate(self.rows) if any(row.found)]

    @cached_property
    def sections_of_answers(self) -> dict[str, Section]:
        """The outline section each prose answer is shown in."""
        found: dict[str, Section] = {}
        if self.outline is not None:
            for section in self.outline.walk():
                for block in section.blocks:
                    if block.kind is BlockKind.PROSE and block.key:
                        found.setdefault(block.key, section)
        return found

    @cached_property
    def section_rank(self) -> dict[str, int]:
        if self.outline is None:
            return {}
        return {section.key: rank for rank, section in enumerate(self.outline.walk())}

    def money(self, amount: Decimal) -> str:
        """``487.00 万元``."""
        return _money_text(amount, self.report.money_unit, with_unit=True)

    def add(self, code: str, where: Where, message: str, hint: str, fix: Fix | None = None) -> None:
        self.findings.append(Finding(CHECKS[code].severity, code, where, message, hint, fix))

    def row_fix(self, index: int, change: _RowFix) -> Fix:
        """``change`` to row ``index`` as a ``Fix`` of the whole indicator list (how rows are stored).

        The list is built only when the fix is read: a sheet of 2,000 rows with 150 fixable
        findings would otherwise copy 300,000 rows after every accepted answer.
        """
        return _RowsFix(
            f"把第 {index + 1} 项指标{change.what}", "indicators", self.indicator_rows, index, change
        )

    @cached_property
    def indicator_rows(self) -> list[Indicator]:
        """The indicator rows as checked: fixes change these, whatever happens to the report later."""
        return list(self.report.indicators)

    def at_indicator(self, index: int) -> Where:
        return Where(field="indicators", indicator=index, label=self.report.indicators[index].name)

    def at_answer(self, key: str) -> Where:
        section = self.sections_of_answers.get(key)
        if section is None:
            return Where(field=f"answers.{key}", label=key)
        return Where(field=f"answers.{key}", section=section.key, label=section.heading)

    def answers(self) -> Iterator[tuple[str, str]]:
        """Non-empty prose answers, in outline order when there is an outline."""
        rank = self.section_rank
        sections = self.sections_of_answers

        def order(key: str) -> tuple[int, str]:
            section = sections.get(key)
            return (rank.get(section.key, len(rank)) if section is not None else len(rank), key)

        for key in sorted(self.report.answers, key=order):
            text = self.report.answers[key]
            if text.strip():
                yield key, text

    def position(self, finding: Finding) -> tuple[int, int, int]:
        where = finding.where
        base = where.field.split(".", 1)[0] if where.field.startswith("answers.") else where.field
        rank = _FIELD_RANK.get(base, len(_FIELD_RANK))
        if where.section or where.field.startswith("answers."):
            rank = _FIELD_RANK["answers"]
        row = where.indicator if where.indicator is not None else where.budget_line
        section = self.section_rank.get(where.section, len(self.section_rank))
        return (rank, section, -1 if row is None else row)
