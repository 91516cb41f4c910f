"""Indicator rows: the few a text's category paragraphs state, and every row of our score sheet.

From free text only a named rate (``解决率达73.3%``) and, under 成本指标, a named amount of money
become rows, with that actual and no target, operator or weight: the text gives none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from report.entry import level2_from_text
from report.errors import ParseError
from report.importer.figures import _CJK, _NUM
from report.importer.tables import _decimal
from report.model import LEVEL1_OF, Indicator, Level1, Level2, Nature, Operator
from report.money import fold_width
from report.render import PLACEHOLDER
from report.values import ParsedValue, ValueKind, parse_value

_CATEGORY_RE = re.compile(rf"^(?P<cat>[{_CJK}]{{2,10}})\s*[：:]\s*(?P<body>.*)$")
_RATE_RE = re.compile(
    rf"(?P<name>[{_CJK}]{{1,9}}率)\s*(?:达到|达|为|是|约|均为|均达)?\s*(?P<num>\d+(?:\.\d+)?)\s*[%％]"
)
_COST_BEFORE_RE = re.compile(
    rf"(?P<name>[{_CJK}]{{1,12}}?(?:经费|资金|费用|成本))\s*(?:共|合计|累计|为|达)?\s*(?P<num>{_NUM})\s*(?P<unit>万元|元)"
)
_COST_AFTER_RE = re.compile(
    rf"(?:投入|支出|花费|使用)\s*(?P<num>{_NUM})\s*(?P<unit>万元|元)\s*(?:用于|为)?(?P<name>[{_CJK}]{{2,12}})"
)
_COST_NAME_PREFIX_RE = re.compile(r"^(?:累计|共|合计|总共|全年|年内)?(?:投入|支出|使用|花费|安排)?")


def _indicators_from_text(lines: Iterable[str], categories: list[Level2], rows: list[Indicator]) -> None:
    """Rows from the paragraphs that open with a category (``数量指标：…``); the categories seen."""
    for line in lines:
        match = _CATEGORY_RE.match(fold_width(line))
        category = level2_from_text(match["cat"]) if match else None
        if match is None or category is None:
            continue
        if category not in categories:
            categories.append(category)
        body = match["body"]
        for rate in _RATE_RE.finditer(body):
            rows.append(Indicator(rate["name"], category, unit="%", actual=_plain(rate["num"])))
        if category is Level2.COST:
            for cost in [*_COST_BEFORE_RE.finditer(body), *_COST_AFTER_RE.finditer(body)]:
                name = _COST_NAME_PREFIX_RE.sub("", cost["name"]) or cost["name"]
                rows.append(Indicator(name, category, unit=cost["unit"], actual=_plain(cost["num"])))


def _plain(number: str) -> str:
    """A number as the text wrote it, without thousands separators."""
    return number.replace(",", "")


def _indicators_from_sheet(rows: Sequence[list[str]]) -> list[Indicator]:
    """The 三级 rows of the score sheet's indicator table (header row already dropped)."""
    indicators: list[Indicator] = []
    level1: Level1 | None = None
    level2: Level2 | None = None
    for row in rows:
        if len(row) < 8 or row[0] == PLACEHOLDER:
            continue
        if row[0]:
            level1 = next((level for level in Level1 if level.value == row[0]), level1)
        if row[1]:
            level2 = next((level for level in Level2 if level.value == row[1]), level2)
        if level2 is None:
            continue
        indicators.append(_indicator_from_sheet(row, level1, level2))
    return indicators


def _parsed(text: str) -> ParsedValue | None:
    if not text:
        return None
    try:
        return parse_value(text)
    except ParseError:
        return None


def _indicator_from_sheet(row: Sequence[str], level1: Level1 | None, level2: Level2) -> Indicator:
    """One 三级 row of the score sheet: name, 年度指标值, 实际完成值, 分值, 得分, 偏差原因."""
    _l1, _l2, name, target_text, actual_text, weight_text, score_text, reason = row[:8]
    target, actual = _parsed(target_text), _parsed(actual_text)
    shown = target if target is not None else actual
    qualitative = shown is not None and shown.kind is ValueKind.QUALITATIVE
    if qualitative:
        operator: Operator | None = Operator.QUALITATIVE
        unit = ""
    else:
        operator = target.operator if target is not None else None
        unit = target.unit if target is not None else (actual.unit if actual is not None else "")
    return Indicator(
        name=name,
        level2=level2,
        level1=level1 if level1 is not None and level1 is not LEVEL1_OF[level2] else None,
        nature=Nature.QUALITATIVE if qualitative else Nature.QUANTITATIVE,
        operator=operator,
        target=target.text() if target is not None else target_text,
        unit=unit,
        actual=actual.text() if actual is not None else actual_text,
        weight=_decimal(weight_text),
        score=_decimal(score_text) if qualitative else None,
        deviation_reason=reason,
    )
