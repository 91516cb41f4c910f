"""Next year's report from last year's: what carries over, what starts empty, what is offered for Tab."""

from __future__ import annotations

import copy
import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest

from prompts.engine import Accepted, Flow, Moved
from prompts.fields import ANSWERS_PREFIX, is_answers_path
from prompts.templates import load_template
from report.carryover import next_year_report, next_year_title
from report.demo import build_demo_report
from report.errors import ParseError
from report.model import Funds, Grade, Level1, Report
from report.serialize import report_from_dict, report_to_dict
from storage.store import ReportStore


def _standard(template_id: str) -> dict[str, str]:
    template = load_template(template_id)
    return {
        step.field.removeprefix(ANSWERS_PREFIX): step.suggestion
        for step in template.steps
        if step.suggestion and is_answers_path(step.field)
    }


@pytest.fixture
def previous() -> Report:
    report = build_demo_report()
    report.answers["work.purpose"] = _standard("eight_part")["work.purpose"]  # the standard text, kept
    report.weights = {
        Level1.OUTPUT: Decimal(50),
        Level1.BENEFIT: Decimal(30),
        Level1.SATISFACTION: Decimal(10),
    }
    return report


@pytest.fixture
def carried(previous: Report) -> Report:
    return next_year_report(previous, 2021, standard_answers=_standard(previous.template_id))


# --- titles and years ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("2020年度青岚街道工作经费项目支出绩效自评报告", "2021年度青岚街道工作经费项目支出绩效自评报告"),
        ("青岚街道2020年工作经费（2020—2020）", "青岚街道2021年工作经费（2021—2021）"),
        ("二〇二〇年青岚街道工作经费绩效自评报告", "二〇二一年青岚街道工作经费绩效自评报告"),
        ("青岚街道工作经费绩效自评报告", "2021年度青岚街道工作经费绩效自评报告"),
        ("编号120201项目绩效自评报告", "2021年度编号120201项目绩效自评报告"),
    ],
)
def test_the_title_gets_the_new_year(title: str, expected: str) -> None:
    assert next_year_title(title, 2020, 2021) == expected


def test_a_given_title_wins_and_the_year_is_the_one_asked(previous: Report) -> None:
    report = next_year_report(previous, 2023, title="  新的标题  ")
    assert (report.title, report.year) == ("新的标题", 2023)
    assert (
        next_year_report(previous, 2021, title="  ").title == "2021年度青岚街道工作经费项目支出绩效自评报告"
    )


# --- what carries over and what is cleared ------------------------------------------------------


def test_the_structure_carries_over(previous: Report, carried: Report) -> None:
    assert carried.template_id == previous.template_id
    assert carried.money_unit is previous.money_unit
    assert (carried.unit_name, carried.department) == (previous.unit_name, previous.department)
    assert carried.weights == previous.weights and carried.weights is not previous.weights
    assert (carried.id, carried.revision) == (None, 0)


def test_indicators_keep_their_targets_and_lose_this_years_results(previous: Report, carried: Report) -> None:
    assert len(carried.indicators) == len(previous.indicators)
    for old, new in zip(previous.indicators, carried.indicators, strict=True):
        assert (new.name, new.level2, new.level1, new.nature) == (
            old.name,
            old.level2,
            old.level1,
            old.nature,
        )
        assert (new.operator, new.target, new.unit, new.weight) == (
            old.operator,
            old.target,
            old.unit,
            old.weight,
        )
        assert (new.actual, new.score, new.deviation_reason) == ("", None, "")


def test_this_years_figures_start_empty(carried: Report) -> None:
    assert carried.funds == Funds()
    assert carried.budget_lines == []
    assert (carried.claimed_total, carried.claimed_grade) == (None, None)
    assert (carried.overall_goal, carried.overall_goal_actual, carried.stage_goals) == ("", "", "")


def test_only_standard_prose_carries_over(previous: Report, carried: Report) -> None:
    assert carried.answers == {
        "work.purpose": previous.answers["work.purpose"],
        "funds.has_carried_over": "没有",  # the template's suggested choice
        "funds.has_other": "没有",
    }
    assert carried.suggestions["answers.overview.background"] == previous.answers["overview.background"]
    assert "answers.work.purpose" not in carried.suggestions
    without_templates = next_year_report(previous, 2021)
    assert without_templates.answers == {}
    assert without_templates.suggestions["answers.work.purpose"] == previous.answers["work.purpose"]


def test_last_years_values_are_offered_as_suggestions(previous: Report, carried: Report) -> None:
    suggestions = carried.suggestions
    assert suggestions["funds.annual_budget"] == "487.00万元"
    assert suggestions["funds.actual_spent"] == "483.30万元"
    assert suggestions["claimed_total"] == "100"
    assert suggestions["claimed_grade"] == "优"
    assert suggestions["overall_goal"] == previous.overall_goal
    assert (
        suggestions["budget_lines"].splitlines()[0]
        == "党群工作办公室经费 49.00万元 党员教育培训、党建阵地维护和群团活动"
    )
    assert len(suggestions["budget_lines"].splitlines()) == 11


def test_last_years_report_is_not_changed(previous: Report) -> None:
    before = copy.deepcopy(previous)
    next_year_report(previous, 2021, standard_answers=_standard(previous.template_id))
    assert previous == before


# --- the suggestions in the flow, in JSON and in the database -----------------------------------


def _accept(flow: Flow, step_id: str) -> Accepted:
    assert isinstance(flow.go_to(step_id), Moved)
    step = flow.template.step(step_id)
    suggestion = flow.suggestion_for(step)
    assert suggestion is not None
    result = flow.answer(suggestion)
    assert isinstance(result, Accepted), result
    flow.apply(result)
    return result


def test_tab_gives_back_last_years_values(previous: Report, carried: Report) -> None:
    flow = Flow(load_template(carried.template_id), carried)
    _accept(flow, "funds.annual_budget")
    _accept(flow, "funds.actual_spent")
    assert (carried.funds.annual_budget, carried.funds.actual_spent) == (Decimal(487), Decimal("483.3"))
    _accept(flow, "overview.budget_lines")
    assert carried.budget_lines == previous.budget_lines
    assert flow.suggestion_for(flow.template.step("overview.budget_lines")) == "完成"
    _accept(flow, "overview.background")
    assert carried.answers["overview.background"] == previous.answers["overview.background"]
    _accept(flow, "conclusion.total")
    _accept(flow, "conclusion.grade")
    assert (carried.claimed_total, carried.claimed_grade) == (Decimal(100), Grade.EXCELLENT)


def test_the_carried_choices_decide_which_steps_are_asked(carried: Report) -> None:
    flow = Flow(load_template(carried.template_id), carried)
    assert not flow.applies(flow.template.step("funds.carried_over"))
    assert flow.resume() is not None and flow.current is not None
    assert flow.current.id == "overview.background"  # title, unit and year are already there


def test_suggestions_survive_json_and_unknown_paths_are_refused(carried: Report) -> None:
    data = report_to_dict(carried)
    assert report_from_dict(data) == carried
    assert "suggestions" not in report_to_dict(dataclasses.replace(carried, suggestions={}))
    with pytest.raises(ParseError, match=r"no\.such"):
        report_from_dict({**data, "suggestions": {"no.such": "x"}})


def test_suggestions_survive_the_database(carried: Report, tmp_path: Path) -> None:
    with ReportStore.open(tmp_path / "carry.db") as store:
        created = store.create(carried)
        assert created.id is not None
        assert store.load(created.id).suggestions == carried.suggestions
        copy_of = store.duplicate(created.id, "副本")
        assert store.load(copy_of.id or 0).suggestions == carried.suggestions
