"""The headless flow: what a user typing answers sees and what ends up in the report."""

from __future__ import annotations

import copy
import subprocess
import sys
from decimal import Decimal

import pytest

from prompts.engine import Accepted, Flow, Moved, Rejected
from prompts.templates import load_template
from report.model import BudgetLine, Grade, Indicator, Level2, MoneyUnit, Report


@pytest.fixture
def flow() -> Flow:
    return Flow(load_template("eight_part"), Report(title=""))


def give(flow: Flow, text: str) -> Accepted:
    result = flow.answer(text)
    assert isinstance(result, Accepted), result
    flow.apply(result)
    return result


def refused(flow: Flow, text: str) -> Rejected:
    result = flow.answer(text)
    assert isinstance(result, Rejected), result
    return result


def at(flow: Flow, step_id: str) -> None:
    assert isinstance(flow.go_to(step_id), Moved)
    assert flow.current is not None and flow.current.id == step_id


def current_id(flow: Flow) -> str | None:
    return flow.current.id if flow.current else None


# single values ----------------------------------------------------------------------------------


def test_the_flow_starts_with_the_title(flow: Flow) -> None:
    assert current_id(flow) == "overview.title"


def test_money_is_normalised_and_only_apply_changes_the_report(flow: Flow) -> None:
    at(flow, "funds.annual_budget")
    result = flow.answer("487万")
    assert isinstance(result, Accepted)
    assert result.value == Decimal(487)
    assert result.changes == (("funds.annual_budget", Decimal(487)),)
    assert result.message == "已记录：全年预算数 487.00 万元"
    assert flow.report.funds.annual_budget is None
    flow.apply(result)
    assert flow.report.funds.annual_budget == Decimal(487)
    assert current_id(flow) == "funds.actual_spent"


def test_a_refused_answer_changes_nothing(flow: Flow) -> None:
    at(flow, "funds.annual_budget")
    before = Report(title="")
    result = refused(flow, "四百八十七美元")
    assert "不是金额" in result.message
    assert "487万" in result.hint
    assert flow.report == before
    assert current_id(flow) == "funds.annual_budget"


def test_actual_spending_reports_the_execution_rate_and_its_score(flow: Flow) -> None:
    flow.report.funds.annual_budget = Decimal(487)
    at(flow, "funds.actual_spent")
    result = give(flow, "4,833,000元")
    assert result.value == Decimal("483.3")
    assert "执行率 99.24%，得 9.92 分" in result.notes
    assert "节约 3.70 万元" in result.notes


def test_overspending_is_a_warning(flow: Flow) -> None:
    flow.report.funds.annual_budget = Decimal(100)
    at(flow, "funds.actual_spent")
    result = give(flow, "120")
    assert "执行率 120.00%，得 10.00 分" in result.notes
    assert any("超过全年预算数 20.00 万元" in w for w in result.warnings)


def test_fund_sources_are_compared_with_the_money_received(flow: Flow) -> None:
    flow.report.funds.annual_budget = Decimal(487)
    at(flow, "funds.received")
    assert "到位率 100.00%" in give(flow, "487").notes
    result = give(flow, "400")
    assert any("比到位资金少 87.00" in note for note in result.notes)


def test_required_text_cannot_be_empty_but_keeps_an_old_answer(flow: Flow) -> None:
    at(flow, "overview.background")
    result = refused(flow, "   ")
    assert result.message == "“项目概况”必须填写"
    assert result.hint.startswith("例如：")
    assert give(flow, "街道日常运转经费。").message == "已记录：项目概况（9 字）"
    assert flow.report.answers["overview.background"] == "街道日常运转经费。"
    at(flow, "overview.background")
    assert give(flow, "").message == "保留原答案：项目概况"
    assert flow.report.answers["overview.background"] == "街道日常运转经费。"


def test_a_title_must_be_one_line_and_its_year_is_checked(flow: Flow) -> None:
    assert "只能写一行" in refused(flow, "甲\n乙").message
    result = give(flow, "2019年度街道工作经费项目支出绩效自评报告")
    assert flow.report.title == "2019年度街道工作经费项目支出绩效自评报告"
    assert result.warnings == ("标题里的 2019 年与报告年度 2020 年不一致，请核对",)


@pytest.mark.parametrize(("text", "year"), [("2021", 2021), ("２０２０年", 2020), ("2022年度", 2022)])
def test_year_forms(flow: Flow, text: str, year: int) -> None:
    at(flow, "overview.year")
    assert give(flow, text).value == year
    assert flow.report.year == year


@pytest.mark.parametrize("text", ["1999", "2101", "明年", "20"])
def test_years_out_of_range_or_unreadable(flow: Flow, text: str) -> None:
    at(flow, "overview.year")
    refused(flow, text)
    assert flow.report.year == 2020


def test_choices_by_text_or_number(flow: Flow) -> None:
    at(flow, "funds.has_carried_over")
    result = refused(flow, "3")
    assert "1. 有  2. 没有" in result.hint
    assert give(flow, "2").value == "没有"
    assert flow.report.answers["funds.has_carried_over"] == "没有"


def test_grade_choice_is_checked_against_the_total(flow: Flow) -> None:
    flow.report.claimed_total = Decimal(85)
    at(flow, "conclusion.grade")
    result = give(flow, "优")
    assert flow.report.claimed_grade is Grade.EXCELLENT
    assert result.warnings == ("自评 85 分对应“良”，不是“优”",)


def test_a_full_score_despite_underspending_is_called_impossible(flow: Flow) -> None:
    flow.report.funds.annual_budget = Decimal(487)
    flow.report.funds.actual_spent = Decimal("483.3")
    at(flow, "conclusion.total")
    result = give(flow, "100分")
    assert flow.report.claimed_total == Decimal(100)
    assert result.notes == ("对应等级：优",)
    assert any("总分最高 99.92 分" in w and "自评 100 分不可能" in w for w in result.warnings)


@pytest.mark.parametrize("text", ["101", "-1", "很好", "NaN"])
def test_scores_outside_0_to_100_are_refused(flow: Flow, text: str) -> None:
    at(flow, "conclusion.total")
    refused(flow, text)
    assert flow.report.claimed_total is None


def test_changing_the_money_unit_converts_the_amounts(flow: Flow) -> None:
    flow.report.funds.annual_budget = Decimal(487)
    flow.report.funds.actual_spent = Decimal("483.3")
    flow.report.budget_lines = [BudgetLine("党建工作经费", Decimal("49.5"))]
    at(flow, "overview.money_unit")
    result = give(flow, "元")
    assert flow.report.money_unit is MoneyUnit.YUAN
    assert flow.report.funds.annual_budget == Decimal(4_870_000)
    assert flow.report.funds.actual_spent == Decimal(4_833_000)
    assert flow.report.budget_lines[0].amount == Decimal(495_000)
    assert result.notes == ("已有金额已从万元换算为元",)


# conditions, skipping, moving -------------------------------------------------------------------


def test_carried_over_money_is_asked_only_when_there_is_some(flow: Flow) -> None:
    at(flow, "funds.has_carried_over")
    give(flow, "没有")
    assert current_id(flow) == "funds.has_other"
    at(flow, "funds.has_carried_over")
    give(flow, "有")
    assert current_id(flow) == "funds.carried_over"
    assert give(flow, "12.5万").value == Decimal("12.5")


@pytest.mark.parametrize(("answer", "then"), [("有", "funds.carried_over"), ("没有", "funds.has_other")])
def test_step_after_names_where_apply_goes_and_changes_nothing(flow: Flow, answer: str, then: str) -> None:
    at(flow, "funds.has_carried_over")
    result = flow.answer(answer)
    assert isinstance(result, Accepted)
    before = copy.deepcopy(flow.report)
    predicted = flow.step_after(result)
    assert predicted is not None and predicted.id == then  # the condition read the trial answer
    assert flow.report == before and current_id(flow) == "funds.has_carried_over"
    flow.apply(result)
    assert current_id(flow) == then


def test_step_after_a_row_that_keeps_collecting_stays_put(flow: Flow) -> None:
    at(flow, "overview.budget_lines")
    result = flow.answer("办公费 12万")
    assert isinstance(result, Accepted) and not result.advance
    rows = flow.report.budget_lines
    step = flow.step_after(result)
    assert step is not None and step.id == "overview.budget_lines"
    assert flow.report.budget_lines is rows and rows == []


def test_skip_is_refused_for_a_required_step(flow: Flow) -> None:
    at(flow, "overview.background")
    result = flow.skip()
    assert isinstance(result, Rejected)
    assert result.message == "“项目概况”是必填项，不能跳过"
    assert current_id(flow) == "overview.background"


def test_skip_moves_past_an_optional_step(flow: Flow) -> None:
    at(flow, "results.summary")
    result = flow.skip()
    assert isinstance(result, Moved)
    assert result.message == "已跳过：绩效完成情况概述"
    assert current_id(flow) == "results.quantity"
    assert "results.summary" not in flow.report.answers


def test_skip_keeps_an_answered_required_step(flow: Flow) -> None:
    flow.report.title = "标题"
    result = flow.skip()
    assert isinstance(result, Moved)
    assert result.message == "保留原答案：报告标题"
    assert flow.report.title == "标题"


def test_back_returns_to_the_step_asked_before(flow: Flow) -> None:
    first = flow.back()
    assert first.message == "已经是第一个问题"
    give(flow, "某标题")
    give(flow, "某单位")
    moved = flow.back()
    assert moved.step is not None and moved.step.id == "overview.unit_name"
    assert flow.back().step is not None
    assert current_id(flow) == "overview.title"


def test_back_after_a_jump_returns_to_where_the_user_was(flow: Flow) -> None:
    at(flow, "funds.received")
    flow.jump("八")
    assert current_id(flow) == "other"
    flow.back()
    assert current_id(flow) == "funds.received"


@pytest.mark.parametrize(
    ("ref", "step_id", "heading"),
    [
        ("四.（三）", "analysis.performance.cost_control", "四（三）项目绩效情况分析"),
        ("四（三）2", "analysis.performance.progress", "四（三）2.项目效率性分析"),
        ("4.3.2", "analysis.performance.progress", "四（三）2.项目效率性分析"),
        ("4.3.1.2", "analysis.performance.savings", "四（三）1.（2）项目成本（预算）节约情况"),
        ("资金到位", "analysis.funds.arrival", "四（一）1.项目资金到位情况分析"),
        ("五、综合评价", "conclusion.total", "五、综合评价情况及评价结论"),
        ("项目绩效目标", "goals.overall", "一（二）项目绩效目标"),
        ("results", "results.summary", "二、项目单位绩效报告情况"),
    ],
)
def test_jump(flow: Flow, ref: str, step_id: str, heading: str) -> None:
    result = flow.jump(ref)
    assert isinstance(result, Moved)
    assert result.step is not None and result.step.id == step_id
    assert result.message == f"跳到：{heading}"
    assert current_id(flow) == step_id


def test_jump_to_an_unknown_section_is_refused(flow: Flow) -> None:
    for ref in ("九", "4.9", "天气"):
        result = flow.jump(ref)
        assert isinstance(result, Rejected)
        assert result.message == f"找不到章节“{ref}”"
    assert current_id(flow) == "overview.title"


def test_jump_to_a_step_id(flow: Flow) -> None:
    result = flow.jump("funds.actual_spent")
    assert isinstance(result, Moved)
    assert current_id(flow) == "funds.actual_spent"


def test_answering_the_last_step_finishes_the_flow(flow: Flow) -> None:
    at(flow, "other")
    give(flow, "无其他需要说明的问题。")
    assert flow.finished
    assert isinstance(flow.answer("再答"), Rejected)
    assert flow.back().step is not None and current_id(flow) == "other"


def test_an_accepted_answer_for_another_step_does_not_move_the_flow(flow: Flow) -> None:
    at(flow, "overview.unit_name")
    result = flow.answer("某单位")
    assert isinstance(result, Accepted)
    flow.jump("八")
    flow.apply(result)
    assert flow.report.unit_name == "某单位"
    assert current_id(flow) == "other"


# progress and resume ----------------------------------------------------------------------------


def test_progress_counts_answered_steps_that_apply(flow: Flow) -> None:
    start = flow.progress()
    # year and money unit always hold a value; conditional money steps do not count yet
    assert start.overall.required_done == 2
    assert start.total == len(flow.template.steps) - 2
    assert start.sections["overview"].required_done == 2
    give(flow, "某标题")
    assert flow.progress().overall.required_done == 3
    at(flow, "funds.has_carried_over")
    give(flow, "有")
    after = flow.progress()
    assert after.total == start.total + 1
    assert after.sections["overview.project"].total == start.sections["overview.project"].total + 1
    assert after.sections["overview"].done == start.sections["overview"].done + 2
    assert not after.overall.complete


def test_resume_goes_to_the_first_unanswered_required_step(flow: Flow) -> None:
    flow.report.title = "标题"
    flow.report.unit_name = "单位"
    flow.report.department = "部门"
    step = flow.resume()
    assert step is not None and step.id == "overview.background"
    assert current_id(flow) == "overview.background"


def test_resume_prefers_a_stored_step_that_still_applies(flow: Flow) -> None:
    step = flow.resume("analysis.funds.use")
    assert step is not None and step.id == "analysis.funds.use"
    flow.report.answers["funds.has_carried_over"] = "没有"
    step = flow.resume("funds.carried_over")  # no longer asked
    assert step is not None and step.id == "overview.title"


def test_a_flow_can_start_at_a_stored_step() -> None:
    flow = Flow(load_template("eight_part"), Report(title=""), current="work.purpose")
    assert current_id(flow) == "work.purpose"


# suggestions and finding lookups ----------------------------------------------------------------


def test_suggestions_come_from_the_template_or_the_current_value(flow: Flow) -> None:
    purpose = flow.template.step("work.purpose")
    assert (flow.suggestion_for(purpose) or "").startswith("通过开展项目支出绩效自评")
    budget = flow.template.step("funds.annual_budget")
    assert flow.suggestion_for(budget) is None
    flow.report.funds.annual_budget = Decimal(487)
    suggestion = flow.suggestion_for(budget)
    assert suggestion == "487.00万元"
    at(flow, "funds.annual_budget")
    assert give(flow, suggestion).value == Decimal(487)
    lines = flow.template.step("overview.budget_lines")
    flow.report.budget_lines = [BudgetLine("甲", Decimal(1))]
    assert flow.suggestion_for(lines) == "完成"


def test_a_carried_suggestion_is_offered_until_the_step_is_answered(flow: Flow) -> None:
    flow.report.suggestions = {
        "funds.annual_budget": "480.00万元",
        "answers.work.purpose": "去年的评价目的。",
        "budget_lines": "党建工作经费 49.00万元 党员教育",
    }
    budget = flow.template.step("funds.annual_budget")
    assert flow.suggestion_for(budget) == "480.00万元"
    purpose = flow.template.step("work.purpose")
    assert flow.suggestion_for(purpose) == "去年的评价目的。"  # before the template's standard text
    lines = flow.template.step("overview.budget_lines")
    assert flow.suggestion_for(lines) == "党建工作经费 49.00万元 党员教育"
    at(flow, "funds.annual_budget")
    give(flow, "487万")
    assert flow.suggestion_for(budget) == "487.00万元"  # answered: its own value, not last year's
    flow.report.answers["work.purpose"] = "今年的目的。"
    assert flow.suggestion_for(purpose) == "今年的目的。"


def test_steps_for_a_finding_field(flow: Flow) -> None:
    assert [s.id for s in flow.steps_for_field("funds.annual_budget")] == ["funds.annual_budget"]
    assert len(flow.steps_for_field("funds")) == 8  # with the stated 执行率得分 beside the total
    assert [s.id for s in flow.steps_for_field("answers.other")] == ["other"]
    assert flow.steps_for_field("weights") == []
    flow.report.indicators = [Indicator("按期结案率", Level2.QUALITY)]
    assert flow.steps_for_field("indicators", indicator=0)[0].id == "results.quality"


def test_section_heading(flow: Flow) -> None:
    step = flow.template.step("analysis.performance.savings")
    assert flow.section_heading(step) == "四（三）1.（2）项目成本（预算）节约情况"
    assert flow.section_heading("overview") == "一、基本情况"


# budget lines -----------------------------------------------------------------------------------


def test_budget_lines_are_added_with_a_running_total(flow: Flow) -> None:
    flow.report.funds.annual_budget = Decimal(487)
    at(flow, "overview.budget_lines")
    result = give(flow, "1、党建工作经费 49万 用于党员教育\n2、综合办公室经费 185.03万")
    assert not result.advance
    assert current_id(flow) == "overview.budget_lines"
    assert "合计 234.03 / 预算 487.00 万元，尚差 252.97" in result.notes
    assert (
        result.message
        == "已记录预算明细：党建工作经费 49.00 万元（用于党员教育）；综合办公室经费 185.03 万元"
    )
    assert flow.rows() == ["1. 党建工作经费 49.00 万元（用于党员教育）", "2. 综合办公室经费 185.03 万元"]


def test_unreadable_lines_are_named_and_the_rest_kept(flow: Flow) -> None:
    at(flow, "overview.budget_lines")
    result = give(flow, "党建工作经费 49万\n宣传单 11.28万份")
    assert len(flow.report.budget_lines) == 1
    assert result.problems[0].startswith("第 2 行“宣传单 11.28万份”未录入：")
    only_bad = refused(flow, "没有金额的一行")
    assert only_bad.message.startswith("没有读出预算明细")
    assert len(flow.report.budget_lines) == 1


def test_budget_rows_can_be_deleted_and_edited(flow: Flow) -> None:
    flow.report.funds.annual_budget = Decimal(100)
    at(flow, "overview.budget_lines")
    give(flow, "甲经费 10万\n乙经费 20万\n丙经费 30万")
    result = give(flow, "删 2")
    assert result.message == "已删除第 2 行：乙经费"
    assert [line.name for line in flow.report.budget_lines] == ["甲经费", "丙经费"]
    assert "合计 40.00 / 预算 100.00 万元，尚差 60.00" in result.notes
    result = give(flow, "改 2 丙项经费 60万 用于采购")
    assert result.message == "已修改第 2 行：丙项经费 60.00 万元（用于采购）"
    assert "合计 70.00 / 预算 100.00 万元，尚差 30.00" in result.notes
    assert "删除第" in give(flow, "删除 1").message
    assert [line.name for line in flow.report.budget_lines] == ["丙项经费"]


def test_bad_row_commands_are_refused(flow: Flow) -> None:
    at(flow, "overview.budget_lines")
    give(flow, "甲经费 10万")
    assert refused(flow, "删 5").message == "没有第 5 行（现有 1 行）"
    assert refused(flow, "改 2 乙 3万").message == "没有第 2 行（现有 1 行）"
    assert "缺少内容" in refused(flow, "改 1").message
    assert "只能写一行" in refused(flow, "改 1 乙 3万\n丙 4万").message
    assert [line.name for line in flow.report.budget_lines] == ["甲经费"]


def test_done_moves_on_only_when_there_are_rows(flow: Flow) -> None:
    at(flow, "overview.budget_lines")
    assert refused(flow, "完成").message == "还没有录入预算明细，至少需要一行"
    give(flow, "甲经费 10万")
    result = give(flow, "完成")
    assert result.changes == ()
    assert current_id(flow) == "goals.overall"


def test_names_starting_with_command_words_are_rows(flow: Flow) -> None:
    at(flow, "overview.budget_lines")
    give(flow, "改造工程经费 20万\n删除违建专项 5万")
    assert [line.name for line in flow.report.budget_lines] == ["改造工程经费", "删除违建专项"]


def test_lines_summing_to_actual_spending_are_flagged(flow: Flow) -> None:
    flow.report.funds.annual_budget = Decimal(487)
    flow.report.funds.actual_spent = Decimal("483.3")
    at(flow, "overview.budget_lines")
    result = give(flow, "甲 400万\n乙 83.3万")
    assert any("看起来是实际支出" in w for w in result.warnings)


# indicators -------------------------------------------------------------------------------------


def test_a_rate_under_quantity_gets_the_fit_warning(flow: Flow) -> None:
    at(flow, "results.quantity")
    result = give(flow, "群众诉求解决率 ≥80% 实际73.3% 分值6")
    row = flow.report.indicators[0]
    assert row.level2 is Level2.QUANTITY
    assert row.actual == "73.3"
    assert any("是比率，应放入质量指标" in w for w in result.warnings)
    assert result.warnings[0].startswith("第 1 行：")
    assert not result.advance


def test_indicator_rows_with_a_running_weight_total(flow: Flow) -> None:
    at(flow, "results.quantity")
    result = give(flow, "开展业务培训 ≥800人次 实际860人次 分值8\n组织文体活动 ≥20场 实际24场 分值7")
    assert result.warnings == ()
    assert "数量指标现有 2 行，分值合计 15" in result.notes
    assert flow.rows() == [
        "1. 开展业务培训 ≥800人次 实际 860人次 分值 8",
        "2. 组织文体活动 ≥20场 实际 24场 分值 7",
    ]


def test_a_row_naming_another_category_goes_there(flow: Flow) -> None:
    at(flow, "results.quantity")
    result = give(flow, "质量指标：按期结案率 ≥98% 实际99.5% 分值8")
    assert flow.report.indicators[0].level2 is Level2.QUALITY
    assert "「按期结案率」按行首类别记入质量指标" in result.notes
    assert flow.rows() == []


def test_indicator_rows_are_numbered_within_their_category(flow: Flow) -> None:
    flow.report.indicators = [
        Indicator("培训人次", Level2.QUANTITY, target="800", unit="人次"),
        Indicator("结案率", Level2.QUALITY, target="98", unit="%"),
        Indicator("合格率", Level2.QUALITY, target="100", unit="%"),
    ]
    at(flow, "results.quality")
    assert len(flow.rows()) == 2
    give(flow, "删 1")
    assert [row.name for row in flow.report.indicators] == ["培训人次", "合格率"]
    result = give(flow, "改 1 验收合格率 ≥95% 实际97%")
    assert result.message == "已修改第 1 行：验收合格率 ≥95% 实际 97%"
    assert result.warnings == ()
    assert flow.report.indicators[1].name == "验收合格率"
    assert flow.report.indicators[1].level2 is Level2.QUALITY
    result = give(flow, "改 1 验收批次 ≥95个 实际97个")
    assert result.warnings == ("第 1 行：「验收批次」≥95个 是数量，应放入数量指标",)


def test_an_optional_category_can_be_left_empty(flow: Flow) -> None:
    at(flow, "results.timeliness")
    result = give(flow, "")
    assert result.message == "已跳过：时效指标"
    assert current_id(flow) == "results.cost"


def test_a_required_category_needs_a_row(flow: Flow) -> None:
    at(flow, "results.quantity")
    assert refused(flow, "").message == "还没有录入数量指标，至少需要一行"


# layering ---------------------------------------------------------------------------------------


def test_prompts_import_neither_textual_nor_sqlite() -> None:
    code = (
        "import sys, prompts.engine, prompts.templates;"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'sqlite3', 'sqlite_utils'));"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_absurd_amounts_are_refused_not_crashed_on(flow: Flow) -> None:
    at(flow, "funds.initial_budget")
    assert "金额过大" in refused(flow, "100000000000000000000000000").message
    at(flow, "overview.budget_lines")
    result = refused(flow, "甲经费 100000000000000000000000万")
    assert "金额过大" in result.message
    assert flow.report.budget_lines == []


# moving indicator rows between categories ------------------------------------------------------


def _quantity_rows(flow: Flow) -> None:
    at(flow, "results.quantity")
    flow.report.indicators = [
        Indicator("开展培训", Level2.QUANTITY, target="1000", unit="人次", actual="1050"),
        Indicator("巡查次数", Level2.QUANTITY, target="12", unit="次", actual="12"),
        Indicator("案件按期结案率", Level2.QUALITY, target="99", unit="%", actual="99.9"),
        Indicator("群众来访诉求解决率", Level2.QUANTITY, target="80", unit="%", actual="85"),
    ]


@pytest.mark.parametrize(
    "command", ["移 3 质量", "移动 3 质量指标", "移 3 到 质量", "移第3项到质量", "移3质"]
)
def test_move_a_row_to_another_category(flow: Flow, command: str) -> None:
    _quantity_rows(flow)
    result = give(flow, command)
    assert result.message == "已把第 3 项“群众来访诉求解决率”从数量指标移到质量指标"
    assert result.notes[0] == "数量指标现有 2 行；质量指标现有 2 行，移来的是第 2 行"
    assert result.advance is False and current_id(flow) == "results.quantity"
    # after the category's last row, the rest in their order
    assert [(row.name, row.level2) for row in flow.report.indicators] == [
        ("开展培训", Level2.QUANTITY),
        ("巡查次数", Level2.QUANTITY),
        ("案件按期结案率", Level2.QUALITY),
        ("群众来访诉求解决率", Level2.QUALITY),
    ]
    assert flow.rows() == ["1. 开展培训 1000人次 实际 1050人次", "2. 巡查次数 12次 实际 12次"]


def test_move_several_rows_to_a_category_named_by_part_of_its_name(flow: Flow) -> None:
    _quantity_rows(flow)
    result = give(flow, "移 1、2 满意度")
    assert result.message == "已把第 1、2 项“开展培训”、“巡查次数”从数量指标移到服务对象满意度指标"
    assert [row.level2 for row in flow.report.indicators[:2]] == [Level2.SATISFACTION] * 2
    # a count is no 满意度: the reply says so at once
    assert any("不是比率" in warning for warning in result.warnings)


def test_a_moved_row_joins_a_cost_category_kept_as_its_own_level1(flow: Flow) -> None:
    from report.model import Level1

    _quantity_rows(flow)
    flow.report.indicators.append(
        Indicator("人均培训成本", Level2.COST, level1=Level1.COST, target="200", unit="元")
    )
    give(flow, "移 1 成本")
    moved = next(row for row in flow.report.indicators if row.name == "开展培训")
    assert (moved.level2, moved.level1) == (Level2.COST, Level1.COST)


@pytest.mark.parametrize(
    ("command", "message", "hint_part"),
    [
        ("移 9 质量", "没有第 9 行（现有 3 行）", "移 3 质量"),
        ("移 0 质量", "没有第 0 行（现有 3 行）", "移 3 质量"),
        ("移 3", "“移”缺少要移到的类别", "可移到：数量、质量、时效、成本"),
        ("移 3 效益", "“效益”可指经济效益指标、社会效益指标、生态效益指标", "请写得更具体"),
        ("移 3 火星", "没有“火星”这个指标类别", "可移到："),
        ("移 3 数量", "第 3 行“群众来访诉求解决率”已在数量指标", "另一个类别"),
    ],
)
def test_bad_moves_are_refused_in_chinese_and_change_nothing(
    flow: Flow, command: str, message: str, hint_part: str
) -> None:
    _quantity_rows(flow)
    before = copy.deepcopy(flow.report.indicators)
    result = refused(flow, command)
    assert result.message == message and hint_part in result.hint
    assert flow.report.indicators == before


def test_budget_lines_cannot_be_moved(flow: Flow) -> None:
    at(flow, "overview.budget_lines")
    give(flow, "党建经费 49万")
    result = refused(flow, "移 1 质量")
    assert result.message == "预算明细没有类别，不能“移”"


@pytest.mark.parametrize(
    ("row", "name"),
    [
        ("移动支付覆盖率 ≥90% 实际95% 分值5", "移动支付覆盖率"),
        ("移5G基站建成数 ≥10个 实际12个", "移5G基站建成数"),
    ],
)
def test_a_row_named_with_the_move_word_is_still_a_row(flow: Flow, row: str, name: str) -> None:
    at(flow, "results.quantity")
    result = give(flow, row)
    assert flow.report.indicators[0].name == name and "已记录" in result.message


def test_a_row_in_the_wrong_category_is_offered_the_move_command(flow: Flow) -> None:
    at(flow, "results.quantity")
    result = give(flow, "开展培训 ≥1000人次 实际1050人次 分值10\n群众来访诉求解决率 ≥80% 实际85% 分值5")
    assert "输入「移 2 质量」即可把第 2 行移到质量指标" in result.warnings
    give(flow, "移 2 质量")
    assert flow.report.indicators[1].level2 is Level2.QUALITY


def test_a_move_typed_at_the_shortfall_question_is_not_taken_as_the_reason(flow: Flow) -> None:
    at(flow, "results.quantity")
    give(flow, "群众来访诉求解决率 ≥80% 实际73.3% 分值5")
    assert flow.is_follow_up(flow.current)  # why was it missed?
    result = refused(flow, "移 1 质量")
    assert "是行命令" in result.message and "跳过" in result.hint
    assert flow.report.indicators[0].deviation_reason == ""
    give(flow, "")  # skip the question, then move
    give(flow, "移 1 质量")
    assert flow.report.indicators[0].level2 is Level2.QUALITY


def test_every_indicator_step_lists_the_move_command_in_its_hint() -> None:
    template = load_template("eight_part")
    for step in template.steps:
        if step.kind.value == "indicators":
            assert "「移 4 质量」" in step.hint and "「删 3」" in step.hint and "「完成」" in step.hint, (
                step.id
            )
        elif step.is_rows:
            assert "「移" not in step.hint, step.id
