"""What the prose checks look for in a text: stated rates, stated amounts, money, category names.

Each distinct text is scanned once and remembered; the findings are built anew from the report.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from report.checks.context import _folded
from report.model import Level2

_NUM = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,15}(?:\.\d+)?)"
_MONEY_UNIT = r"(亿元|万元|亿|元|万(?![\u4e00-\u9fff]))"
_MONEY_TOKEN_RE = re.compile(r"(?<![\d.,])" + _NUM + r"\s*" + _MONEY_UNIT)
_LINK = r"\s*(?:为|是|共|共计|合计|总计|总额|约|达|达到|了|:|：)?\s*"
_RATE_CLAIM_RE = re.compile(
    r"(预算执行率|资金执行率|执行率|支出率|完成率|到位率)" + _LINK + r"(?<![\d.])(\d{1,6}(?:\.\d+)?)\s*%"
)
_AMOUNT_CLAIMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "annual_budget",
        re.compile(
            # 年初预算 is the budget before adjustments, not the 全年预算数 the figures hold
            r"(?<!年初)(?:全年预算数|全年预算|预算总额|预算资金|预算数|预算)"
            + _LINK
            + _NUM
            + r"\s*"
            + _MONEY_UNIT
        ),
    ),
    (
        "actual_spent",
        re.compile(
            r"(?:全年执行数|实际支出|实际使用|实际执行|执行数|累计支出|共支出)"
            + _LINK
            + _NUM
            + r"\s*"
            + _MONEY_UNIT
        ),
    ),
    (
        "savings",
        re.compile(
            r"(?:节约资金|节约|结余资金|结余|比预算少|比预算节约)" + _LINK + _NUM + r"\s*" + _MONEY_UNIT
        ),
    ),
)
_CLAUSE_SPLIT_RE = re.compile(r"[。；;！？!?\n]")
_FUNDS_WORDS = ("预算", "资金", "支出", "经费")
_CATEGORY_WORDS: tuple[tuple[str, Level2], ...] = (
    *((level2.value, level2) for level2 in Level2),
    ("满意度指标", Level2.SATISFACTION),
)


@lru_cache(maxsize=1_024)
def _declared_categories(text: str) -> frozenset[Level2]:
    """The indicator categories a prose answer names (remembered, like ``_scan``)."""
    return frozenset(level2 for word, level2 in _CATEGORY_WORDS if word in text)


class _RateClaim(NamedTuple):
    quoted: str
    word: str
    number: str
    funds_clause: bool  # whether the clause around it speaks of money
    span: tuple[int, int] = (0, 0)  # where the number stands in the text (folding keeps positions)


class _AmountClaim(NamedTuple):
    name: str  # annual_budget, actual_spent or savings
    quoted: str
    number: str
    unit_word: str
    span: tuple[int, int] = (0, 0)  # where the number stands in the text


class _Scan(NamedTuple):
    """What the prose checks look for in one answer: found once per distinct text."""

    rate_claims: tuple[_RateClaim, ...]
    amount_claims: tuple[_AmountClaim, ...]
    money_tokens: tuple[tuple[str, str, str], ...]  # quoted, number, unit word


@lru_cache(maxsize=1_024)
def _scan(raw: str) -> _Scan:
    """The rate claims, amount claims and money amounts of a prose answer, in text order.

    The drafting screen checks the whole report after every accepted answer while almost every
    answer stays the same; scanning 200 pages of prose with these expressions took more than
    15 ms each time. The findings still depend on the report's figures and are built anew.
    """
    # A rate claim ends in a per cent sign and every amount in 元, 万 or 亿: prose without them
    # (narrative; all 200 pages of the benchmark's prose) cannot match, and looking for those
    # few characters first skips folding and the five scans, ~7 ms of the first check.
    has_rate = "%" in raw or "％" in raw
    has_money = "元" in raw or "万" in raw or "亿" in raw
    if not has_rate and not has_money:
        return _Scan((), (), ())
    text = _folded(raw)
    rates = tuple(
        _RateClaim(
            match.group(0),
            match.group(1),
            match.group(2),
            any(w in _clause_around(text, match.start(), match.end()) for w in _FUNDS_WORDS),
            match.span(2),
        )
        for match in (_RATE_CLAIM_RE.finditer(text) if has_rate else ())
    )
    if not has_money:
        return _Scan(rates, (), ())
    amounts = tuple(
        _AmountClaim(name, match.group(0), match.group(1), match.group(2), match.span(1))
        for name, pattern in _AMOUNT_CLAIMS
        for match in pattern.finditer(text)
    )
    return _Scan(rates, amounts, _money_tokens(text))


_DIGIT_RUN_RE = re.compile(r"\d[\d.,]*")
_NUMBER_CHARACTER_RE = re.compile(r"[\d.,]")


def _money_tokens(text: str) -> tuple[tuple[str, str, str], ...]:
    """``_MONEY_TOKEN_RE.finditer(text)`` as (quoted, number, unit word), about 6 times faster.

    The expression opens with a look-behind, which makes the engine try it at every position
    (12 ms on 200 pages of prose). A match can only start where a run of digits, dots and commas
    starts with a digit, so it is tried only there; matches cannot overlap two runs.
    """
    tokens = []
    for run in _DIGIT_RUN_RE.finditer(text):
        start = run.start()
        if start and _NUMBER_CHARACTER_RE.match(text, start - 1):
            continue
        match = _MONEY_TOKEN_RE.match(text, start)
        if match is not None:
            tokens.append((match.group(0), match.group(1), match.group(2)))
    return tuple(tokens)


def _clause_around(text: str, start: int, end: int) -> str:
    left = max((m.end() for m in _CLAUSE_SPLIT_RE.finditer(text, 0, start)), default=0)
    right = _CLAUSE_SPLIT_RE.search(text, end)
    return text[left : right.start() if right else len(text)]
