"""Follow-up questions (an unmet row's 偏差原因, the 结余原因), sources the figures settle, amounts offered."""

from __future__ import annotations

from decimal import Decimal

import pytest

from prompts.engine import Accepted, Flow
from prompts.templates import load_template
from report.model import Funds, MoneyUnit, Report

TEMPLATES = ("eight_part", "seven_part_2020")


def _flow(template_id: str = "eight_part", at: str = "results.quantity", **funds: Decimal) -> Flow:
    report = Report(title="2020年度测试项目支出绩效自评报告", year=2020, money_unit=MoneyUnit.WAN)
    report.funds = Funds(**funds)
    report.template_id = template_id
    return Flow(load_template(template_id), report, current=at)


def _answer(flow: Flow, text: str) -> tuple[Accepted, str | None]:
    """Answer, and where the position saved with the answer would put the user."""
    result = flow.answer(text)
    assert isinstance(result, Accepted), result
    after = flow.step_after(result)
    flow.apply(result)
    return result, None if after is None else after.id


def test_an_unmet_row_is_followed_by_one_question_for_its_reason() -> None:
    flow = _flow()
    _, saved = _answer(flow, "开展培训 ≥1000人次 实际900人次 分值10")
    assert flow.current is not None and saved == flow.current.id == "results.quantity#0"
    assert "「开展培训」年度指标值 ≥1000人次，实际完成 900人次" in flow.current.question
    accepted, saved = _answer(flow, "场地改造，下半年集中补训")
    assert accepted.message == "已记录「开展培训」的偏差原因：场地改造，下半年集中补训"
    assert flow.report.indicators[0].deviation_reason == "场地改造，下半年集中补训"
    assert saved == "results.quantity" and flow.current is not None and flow.current.id == "results.quantity"
    # a met row asks nothing more
    _, saved = _answer(flow, "组织活动 ≥5场 实际6场 分值5")
    assert saved == "results.quantity"


def test_several_unmet_rows_are_asked_in_turn_and_an_empty_answer_skips() -> None:
    flow = _flow()
    _answer(flow, "甲 ≥10件 实际9件 分值5\n乙 ≥10件 实际12件 分值5\n丙 ≥10件 实际8件 分值5")
    assert flow.current is not None and flow.current.id == "results.quantity#0"
    accepted, saved = _answer(flow, "")
    assert accepted.changes == () and "已跳过" in accepted.message
    assert saved == "results.quantity#2"
    moved = flow.skip()
    assert "已跳过" in moved.message and flow.current is not None and flow.current.id == "results.quantity"
    assert [row.deviation_reason for row in flow.report.indicators] == ["", "", ""]


def test_a_crash_after_the_row_resumes_at_its_follow_up() -> None:
    flow = _flow()
    _, saved = _answer(flow, "开展培训 ≥1000人次 实际900人次 分值10")
    reopened = Flow(flow.template, flow.report)
    assert reopened.resume(saved) is not None and reopened.current is not None
    assert reopened.current.id == "results.quantity#0"
    flow.report.indicators[0].deviation_reason = "已在别处补写"
    assert Flow(flow.template, flow.report).resume(saved).id == "results.quantity"  # type: ignore[union-attr]


def test_money_left_unspent_asks_for_the_reason_then_goes_on() -> None:
    flow = _flow(at="funds.actual_spent", initial_budget=Decimal(487), annual_budget=Decimal(487))
    _, saved = _answer(flow, "483.3")
    assert saved == "funds.actual_spent#shortfall"
    assert flow.current is not None and "预算执行率 99.24%，结余 3.70万元" in flow.current.question
    _, saved = _answer(flow, "办公设备集中采购成交价低于预算")
    assert saved == "funds.received" and flow.current is not None and flow.current.id == "funds.received"
    assert flow.report.answers["funds.shortfall_reason"] == "办公设备集中采购成交价低于预算"
    use = flow.suggestion_for(flow.template.step("analysis.funds.use")) or ""
    assert "结余资金3.70万元，主要原因是办公设备集中采购成交价低于预算。" in use


def test_the_amounts_a_money_step_usually_equals_are_offered_for_tab() -> None:
    flow = _flow(at="funds.annual_budget", initial_budget=Decimal(487))
    assert flow.current is not None and flow.suggestion_for(flow.current) == "487.00万元"
    flow.report.funds.annual_budget = Decimal(500)
    flow.report.funds.received = Decimal(480)
    template = flow.template
    assert flow.suggestion_for(template.step("funds.received")) == "480.00万元"  # answered: its own value
    assert flow.suggestion_for(template.step("funds.fiscal_current")) == "480.00万元"  # 到位资金 first


@pytest.mark.parametrize("template_id", TEMPLATES)
def test_equal_sources_record_none_carried_over_and_none_other_without_asking(template_id: str) -> None:
    flow = _flow(template_id, "funds.fiscal_current", annual_budget=Decimal(487), received=Decimal(487))
    accepted, saved = _answer(flow, "487")
    assert any("没有上年结转资金和其他资金，已记为「没有」" in note for note in accepted.notes)
    assert ("answers.funds.has_carried_over", "没有") in accepted.changes
    assert ("answers.funds.has_other", "没有") in accepted.changes
    assert saved == "overview.budget_lines" and flow.current is not None and flow.current.id == saved
    assert flow.report.funds.carried_over is None and flow.report.funds.other is None


def test_an_answer_the_user_gave_is_never_settled_over() -> None:
    flow = _flow(at="funds.fiscal_current", annual_budget=Decimal(487), received=Decimal(487))
    flow.report.answers["funds.has_carried_over"] = "有"
    accepted, saved = _answer(flow, "487")
    assert ("answers.funds.has_carried_over", "没有") not in accepted.changes
    assert ("answers.funds.has_other", "没有") in accepted.changes
    assert saved == "funds.has_carried_over"
    different = _flow(at="funds.fiscal_current", annual_budget=Decimal(487), received=Decimal(487))
    accepted, saved = _answer(different, "480")
    assert len(accepted.changes) == 1 and saved == "funds.has_carried_over"


def test_rows_pasted_at_the_reason_question_go_to_the_rows_and_done_moves_on() -> None:
    flow = _flow()
    _answer(flow, "开展培训 ≥1000人次 实际900人次 分值10")
    accepted, saved = _answer(flow, "组织活动 ≥5场 实际3场 分值5")
    assert accepted.step_id == "results.quantity" and len(flow.report.indicators) == 2
    assert flow.report.indicators[0].deviation_reason == ""  # not taken for a reason
    assert saved == "results.quantity#1"  # the new unmet row asks its own
    accepted, saved = _answer(flow, "完成")
    assert saved == "results.quality" and flow.current is not None and flow.current.id == "results.quality"
