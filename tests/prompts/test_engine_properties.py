"""Properties of the flow: no input makes it raise, refusals change nothing, suggestions round-trip."""

from __future__ import annotations

import copy
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from prompts.conditions import ConditionError, parse_condition
from prompts.engine import Accepted, Flow, Rejected
from prompts.templates import load_template
from report.demo import build_demo_report
from report.model import MoneyUnit, Report

TEMPLATE = load_template("eight_part")
STEP_IDS = [step.id for step in TEMPLATE.steps]

typed_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",))
    | st.sampled_from(list("删改完成万元%≥≤：，0123456789\n ")),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(step_id=st.sampled_from(STEP_IDS), text=typed_text, demo=st.booleans())
def test_any_answer_is_accepted_or_refused_never_raised(step_id: str, text: str, demo: bool) -> None:
    report = build_demo_report() if demo else Report(title="")
    before = copy.deepcopy(report)
    flow = Flow(TEMPLATE, report, current=step_id)
    result = flow.answer(text)
    assert isinstance(result, Accepted | Rejected)
    assert report == before  # answer() alone never changes the report
    if isinstance(result, Rejected):
        assert result.message
    else:
        flow.apply(result)  # every accepted change can be written


@settings(max_examples=100, deadline=None)
@given(
    amount=st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
    unit=st.sampled_from(list(MoneyUnit)),
)
def test_a_money_suggestion_reads_back_as_the_same_amount(amount: Decimal, unit: MoneyUnit) -> None:
    report = Report(title="", money_unit=unit)
    report.funds.annual_budget = amount
    flow = Flow(TEMPLATE, report, current="funds.annual_budget")
    step = TEMPLATE.step("funds.annual_budget")
    suggestion = flow.suggestion_for(step)
    assert suggestion is not None
    result = flow.answer(suggestion)
    assert isinstance(result, Accepted)
    assert result.value == amount


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_conditions_parse_or_fail_with_condition_error(text: str) -> None:
    try:
        condition = parse_condition(text)
    except ConditionError:
        return
    condition.evaluate(Report(title=""))
