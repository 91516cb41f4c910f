"""A figure changes after prose quoting it was accepted: the finding offers the paragraph with the new numbers."""

from __future__ import annotations

import re
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from prompts.templates import load_template
from report.checks import Finding, check_report
from report.demo import build_demo_report
from report.model import Report

_NUMBER_RE = re.compile(r"\d[\d,]*(?:\.\d+)?")
USE = "analysis.funds.use"


def _stale(report: Report, key: str) -> list[Finding]:
    outline = load_template("eight_part").outline
    return [
        f
        for f in check_report(report, outline)
        if f.code in ("text.rate_mismatch", "text.amount_mismatch") and f.where.field == f"answers.{key}"
    ]


def test_changing_the_spending_offers_the_paragraph_with_exactly_the_new_numbers() -> None:
    report = build_demo_report()
    before = report.answers[USE]
    assert before.startswith("全年共支出483.3万元，预算执行率99.24%。")
    assert _stale(report, USE) == []
    report.funds.actual_spent = Decimal("480")
    found = _stale(report, USE)
    assert {f.code for f in found} == {"text.rate_mismatch", "text.amount_mismatch"}
    fix = found[0].fix
    assert fix is not None and all(f.fix == fix for f in found)
    assert fix.path == f"answers.{USE}"
    assert fix.value == before.replace("483.3万元", "480.00万元").replace("99.24%", "98.56%")
    assert (fix.before, fix.after) == (
        "共支出483.3万元；预算执行率99.24%",
        "共支出480.00万元；预算执行率98.56%",
    )
    assert "2.项目资金使用情况分析" in fix.label and "2 处" in fix.label


def test_the_fix_keeps_the_unit_word_and_the_thousands_separators_the_text_used() -> None:
    report = build_demo_report()
    report.answers[USE] = "全年实际支出4,833,000元，节约资金3.7万元。"
    report.funds.actual_spent = Decimal("480")
    fix = _stale(report, USE)[0].fix
    assert fix is not None
    assert fix.value == "全年实际支出4,800,000.00元，节约资金7.00万元。"


def test_a_budget_before_adjustment_is_not_read_as_the_annual_budget() -> None:
    report = build_demo_report()
    report.funds.initial_budget = Decimal(500)
    report.answers[USE] = "年初预算500万元，调整后全年预算487万元。"
    assert _stale(report, USE) == []


@settings(max_examples=40, deadline=None)
@given(st.decimals(min_value=1, max_value=486, places=2))
def test_only_the_stale_numbers_change(spent: Decimal) -> None:
    report = build_demo_report()
    texts = dict(report.answers)
    report.funds.actual_spent = spent
    outline = load_template("eight_part").outline
    for finding in check_report(report, outline):
        fix = finding.fix
        if fix is None or not fix.path.startswith("answers."):
            continue
        old = texts[fix.path.removeprefix("answers.")]
        assert isinstance(fix.value, str)
        # the words, units and punctuation stay; only numbers move
        assert _NUMBER_RE.sub("#", fix.value) == _NUMBER_RE.sub("#", old)
        changed = [
            (a, b)
            for a, b in zip(_NUMBER_RE.findall(old), _NUMBER_RE.findall(fix.value), strict=True)
            if a != b
        ]
        assert changed and len(changed) == fix.after.count("；") + 1
        # numbers that were right (the budget 487) are left as written
        assert all(a not in ("487", "487.00") for a, _ in changed)
