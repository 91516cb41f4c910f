"""The flow reads amounts in Chinese numerals and says back what it read; it asks the stated 执行率得分."""

from __future__ import annotations

from decimal import Decimal

import pytest

from prompts.engine import Accepted, Flow, Moved, Rejected
from prompts.templates import load_template
from report.model import Funds, MoneyUnit, Report


def _flow(template_id: str, **funds: Decimal) -> Flow:
    return Flow(load_template(template_id), Report(title="", template_id=template_id, funds=Funds(**funds)))


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("一百一十八点六万", "已记录：全年执行数 118.60 万元（按“一百一十八点六万”读取）"),
        ("壹佰贰拾万元整", "已记录：全年执行数 120.00 万元（按“壹佰贰拾万元整”读取）"),
        ("一百二十万元", "已记录：全年执行数 120.00 万元（按“一百二十万元”读取）"),
        ("118.6万", "已记录：全年执行数 118.60 万元"),
    ],
)
def test_an_amount_in_words_is_said_back_as_the_number_read(text: str, said: str) -> None:
    flow = _flow("eight_part", annual_budget=Decimal(120))
    assert isinstance(flow.go_to("funds.actual_spent"), Moved)
    result = flow.answer(text)
    assert isinstance(result, Accepted)
    assert result.message == said
    flow.apply(result)
    assert flow.report.funds.actual_spent == Decimal(said.split()[1])


def test_an_amount_in_words_in_a_yuan_report() -> None:
    flow = _flow("seven_part_2020")
    flow.report.money_unit = MoneyUnit.YUAN
    assert isinstance(flow.go_to("funds.annual_budget"), Moved)
    result = flow.answer("壹佰叁拾贰万玖仟壹佰贰拾元")
    assert isinstance(result, Accepted)
    assert result.value == Decimal(1_329_120)
    assert "1,329,120.00 元（按“壹佰叁拾贰万玖仟壹佰贰拾元”读取）" in result.message


@pytest.mark.parametrize("template_id", ["eight_part", "seven_part_2020"])
def test_the_stated_execution_score_is_asked_beside_the_total(template_id: str) -> None:
    flow = _flow(template_id, annual_budget=Decimal(120), actual_spent=Decimal("103.42"))
    ids = [step.id for step in flow.template.steps]
    assert ids.index("conclusion.execution_score") == ids.index("conclusion.total") + 1
    assert isinstance(flow.go_to("conclusion.execution_score"), Moved)
    rounded_up = flow.answer("9分")
    assert isinstance(rounded_up, Accepted)
    assert rounded_up.message == "已记录：执行率得分 9.00 分"
    assert rounded_up.warnings == (
        "执行率 86.18% 的得分是 8.62 分（min(执行率, 100%) × 10，保留两位小数），与填报的 9.00 分不一致",
    )
    flow.apply(rounded_up)
    assert flow.report.funds.stated_execution_score == Decimal(9)
    assert isinstance(flow.go_to("conclusion.execution_score"), Moved)
    right = flow.answer("8.62")
    assert isinstance(right, Accepted) and right.warnings == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [("10.5", "10.5 不在 0 到 10 之间"), ("8.625", "8.625 的小数超过两位"), ("九分", "“九分”不是分数")],
)
def test_a_score_that_cannot_be_the_execution_score_is_refused(text: str, message: str) -> None:
    flow = _flow("eight_part", annual_budget=Decimal(120), actual_spent=Decimal("103.42"))
    assert isinstance(flow.go_to("conclusion.execution_score"), Moved)
    result = flow.answer(text)
    assert isinstance(result, Rejected)
    assert result.message == message
    assert flow.report.funds.stated_execution_score is None


def test_the_execution_score_may_be_skipped() -> None:
    flow = _flow("seven_part_2020")
    assert isinstance(flow.go_to("conclusion.execution_score"), Moved)
    result = flow.answer("")
    assert isinstance(result, Accepted) and result.value is None
