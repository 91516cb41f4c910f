"""RULES.md §6 #26: an execution rate below 100% is explained in the funds narrative.

The narrative is the answers of the outline's funds steps (资金使用情况, 成本节约情况 …, listed
in ``reason_words.FUNDS_NARRATIVE_STEPS``), the answers shown beside the funds table, and the
偏差原因 of indicators that speak of money.
Below 90% without a reason it is an error; below 100% a note. Which words count as a reason is
data (``reason_words``); a sentence that only restates the rate or the unspent amount is none.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

import report.checks.reason_words as words
from report.checks.context import _Context, _folded, _pct
from report.outline import BlockKind

UNEXPLAINED_ERROR_BELOW = Decimal("0.90")
"""Below this execution rate an unexplained shortfall is an error; up to 100% it is a note."""

_SENTENCE_RE = re.compile(r"[^。；;！!？?\n]+")
_CLAUSE_START_RE = re.compile(r"[，,、：:]")
_FIGURE_RE = re.compile(r"[0-9０-９.,，%％]+")
_HAN_RE = re.compile(r"[\u4e00-\u9fff]")
_RESTATING_RE = re.compile(
    "|".join(re.escape(w) for w in sorted(words.RESTATING_WORDS, key=len, reverse=True))
)
_CAUSE_RE = re.compile("|".join(re.escape(w) for w in sorted(words.CAUSE_WORDS, key=len, reverse=True)))
_MARKER_RE = re.compile("|".join(re.escape(w) for w in sorted(words.CAUSAL_MARKERS, key=len, reverse=True)))
_ALL_STEPS: tuple[str, ...] = tuple(
    dict.fromkeys(s for steps in words.FUNDS_NARRATIVE_STEPS.values() for s in steps)
)


def _says_more_than_figures(text: str) -> bool:
    left = _RESTATING_RE.sub("", _FIGURE_RE.sub("", text))
    return len(_HAN_RE.findall(left)) >= words.MIN_REASON_CHARS


@lru_cache(maxsize=1_024)
def explains_shortfall(text: str) -> bool:
    """True when one sentence of ``text`` gives a reason why budgeted money was not spent.

    ``尾款按合同约定次年支付`` and ``由于部分工程第四季度才完工`` do; ``全年执行率86.18%`` and
    ``执行率未达100%的原因是资金未全部支出`` only restate the rate.
    """
    for sentence in _SENTENCE_RE.findall(_folded(text)):
        for cause in _CAUSE_RE.finditer(sentence):
            if not _denied(sentence, cause.start()):
                return True
        for marker in _MARKER_RE.finditer(sentence):
            if not _denied(sentence, marker.start()) and _says_more_than_figures(sentence[marker.end() :]):
                return True
    return False


def _denied(sentence: str, at: int) -> bool:
    """True when a negation before ``at`` denies the cause: "没有出现因资金不到位而延期", "并未延期"."""
    clause = _CLAUSE_START_RE.split(sentence[:at])[-1]
    if any(negation in clause for negation in words.CLAUSE_NEGATIONS):
        return True
    near = sentence[max(0, at - words.NEGATION_REACH) : at]
    return any(negation in near for negation in words.NEAR_NEGATIONS)


def _narrative_steps(ctx: _Context) -> tuple[str, ...]:
    """The funds steps of the report's outline, then the answers shown beside the funds table.

    The first is where a finding points: a funds step the outline has, else the first answer
    of a section that shows the funds table.
    """
    sections = ctx.sections_of_answers
    steps = words.FUNDS_NARRATIVE_STEPS.get(ctx.report.template_id, _ALL_STEPS)
    beside_funds = tuple(
        key
        for key, section in sections.items()
        if any(block.kind is BlockKind.FUNDS for block in section.blocks)
    )
    if sections and not any(step in sections for step in steps):
        steps = ()
    return tuple(dict.fromkeys((*steps, *beside_funds))) or words.FUNDS_NARRATIVE_STEPS["eight_part"][:1]


def _check_underspending(ctx: _Context) -> None:
    report, rate = ctx.report, ctx.rate
    funds = report.funds
    if rate is None or rate >= 1 or funds.annual_budget is None or funds.actual_spent is None:
        return
    steps = _narrative_steps(ctx)
    # without an outline nothing says which answer sits beside the funds: any may explain them
    keys = (
        report.answers
        if ctx.outline is None
        else dict.fromkeys((*steps, *_ALL_STEPS, *words.SHORTFALL_REASON_ANSWERS))
    )
    texts = [report.answers.get(step, "") for step in keys]
    if any(explains_shortfall(text) for text in texts if text.strip()):
        return
    for indicator in report.indicators:
        reason = indicator.deviation_reason
        if reason and any(w in reason for w in words.MONEY_CONTEXT_WORDS) and explains_shortfall(reason):
            return
    written = any(report.answers.get(step, "").strip() for step in steps)
    unspent = ctx.money(funds.annual_budget - funds.actual_spent)
    where = ctx.at_answer(steps[0])
    place = f"「{where.label}」" if where.label and where.label != steps[0] else "资金使用情况"
    said = f"{place}只写了执行率或结余，没有说明原因" if written else f"{place}没有说明原因"
    error = rate < UNEXPLAINED_ERROR_BELOW
    ctx.add(
        "funds.underspending_unexplained" if error else "funds.underspending_note",
        where,
        f"预算执行率 {_pct(rate)}，有 {unspent}预算未支出，{said}",
        "请写明资金没有用完的原因，例如 尾款按合同约定次年支付、政府采购节约、项目延期"
        + ("（执行率低于 90% 必须说明）" if error else ""),
    )
