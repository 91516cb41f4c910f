"""The demo report: the sample's figures, complete for the eight-part template, flawed on purpose."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from prompts.engine import Flow
from prompts.templates import load_template
from report.demo import build_demo_report
from report.model import Level2, MoneyUnit
from report.money import format_money
from report.scoring import score_report
from report.values import fit_problem, indicator_target

SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "samples" / "longcheng-2020-self-evaluation.txt"


def test_budget_lines_sum_exactly_to_the_amount_spent() -> None:
    report = build_demo_report()
    assert report.money_unit is MoneyUnit.WAN
    assert len(report.budget_lines) == 11
    total = sum((line.amount for line in report.budget_lines), Decimal(0))
    assert total == Decimal("483.30")
    assert format_money(total, report.money_unit) == "483.30"
    assert report.funds.annual_budget == Decimal(487)
    assert report.funds.actual_spent == Decimal("483.3")


def test_every_required_step_of_the_eight_part_template_is_answered() -> None:
    flow = Flow(load_template("eight_part"), build_demo_report())
    progress = flow.progress()
    assert progress.overall.complete
    unanswered = [s.id for s in flow.template.steps if flow.applies(s) and not flow.is_answered(s)]
    # deliberately no 时效指标; the 执行率得分 the form states is optional and the demo claims only a total
    assert unanswered == ["results.timeliness", "conclusion.execution_score"]
    assert flow.resume() is None


def test_the_demo_has_real_findings_to_make() -> None:
    report = build_demo_report()
    assert 10 <= len(report.indicators) <= 14
    assert not any(row.level2 is Level2.TIMELINESS for row in report.indicators)
    misfiled = [
        row.name
        for row in report.indicators
        if (target := indicator_target(row)) is not None and fit_problem(row.level2, target, row.name)
    ]
    assert misfiled == ["群众来访诉求解决率"]
    assert sum((row.weight or Decimal(0) for row in report.indicators), Decimal(0)) == Decimal(90)
    score = score_report(report)
    assert score.execution_score == Decimal("9.92")
    assert report.claimed_total == Decimal(100) > score.max_possible
    assert [s.met for s in score.indicators].count(False) >= 2


def test_each_call_builds_a_fresh_report() -> None:
    first = build_demo_report()
    first.budget_lines.clear()
    first.answers.clear()
    second = build_demo_report()
    assert len(second.budget_lines) == 11
    assert second.answers["other"] == "无。"


def test_the_prose_is_not_copied_from_the_sample() -> None:
    if not SAMPLE.exists():
        pytest.skip(f"sample report not found at {SAMPLE} (../shared is absent in this clone)")
    sample = "".join(SAMPLE.read_text(encoding="utf-8").split())
    report = build_demo_report()
    texts = [*report.answers.values(), report.overall_goal, report.overall_goal_actual, report.stage_goals]
    width = 12
    for text in texts:
        compact = "".join(text.split())
        copied = [
            compact[i : i + width]
            for i in range(len(compact) - width + 1)
            if compact[i : i + width] in sample
        ]
        assert copied == [], copied
