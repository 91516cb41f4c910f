"""The ``when`` expression language: parsed by hand, evaluated against a report."""

from __future__ import annotations

from decimal import Decimal

import pytest

from prompts.conditions import ConditionError, parse_condition, referenced_paths
from report.model import Report


def report(**answers: str) -> Report:
    return Report(title="t", answers=dict(answers))


def test_equality_with_an_answer() -> None:
    condition = parse_condition('answers.has == "有"')
    assert condition.evaluate(report(has="有"))
    assert not condition.evaluate(report(has="没有"))
    assert not condition.evaluate(report())  # unanswered: the dependent step is not asked


def test_inequality_and_boolean_operators() -> None:
    condition = parse_condition("answers.a != 'x' and (answers.b or not answers.c)")
    assert condition.evaluate(report(a="y", b="1"))
    assert condition.evaluate(report(a="y"))
    assert not condition.evaluate(report(a="y", c="1"))
    assert not condition.evaluate(report(a="x", b="1"))


def test_numbers_compare_with_funds_and_year() -> None:
    r = Report(title="t", year=2021)
    r.funds.carried_over = Decimal("12.5")
    assert parse_condition("funds.carried_over > 0").evaluate(r)
    assert parse_condition("year >= 2021 or funds.other").evaluate(r)
    assert not parse_condition("funds.other <= 5").evaluate(r)  # unset amount


def test_money_unit_compares_by_its_text() -> None:
    assert parse_condition('money_unit == "万元"').evaluate(Report(title="t"))


def test_referenced_paths() -> None:
    condition = parse_condition('answers.a == "1" or not (funds.other > 2 and year)')
    assert referenced_paths(condition) == {"answers.a", "funds.other", "year"}


@pytest.mark.parametrize(
    "text",
    ["", "answers.a ==", "answers.a == b", "1 == answers.a", "answers.a = 'x'", "exec('x')", "a or"],
)
def test_malformed_conditions_are_refused(text: str) -> None:
    with pytest.raises(ConditionError):
        parse_condition(text)


def test_unknown_fields_are_refused_when_parsed() -> None:
    with pytest.raises(ConditionError, match=r"不存在的字段“funds\.bonus”"):
        parse_condition("funds.bonus > 0")
