"""Round trips through the Word and Excel export: export the demo, import the file, the same figures."""

from __future__ import annotations

from decimal import Decimal

import pytest

from prompts.templates import available_templates, load_template
from report.demo import build_demo_report
from report.importer import import_office
from report.model import Indicator
from report.scoring import score_report
from storage.office import read_office
from tui.services import EXPORT_FORMATS, export_document

OUTLINES = [load_template(template_id).outline for template_id, _name in available_templates()]


def _row(indicator: Indicator) -> tuple[object, ...]:
    return (
        indicator.name, indicator.level2, indicator.effective_level1, indicator.nature, indicator.operator,
        indicator.target, indicator.unit, indicator.actual, indicator.weight, indicator.deviation_reason,
    )  # fmt: skip


def _round_trip(kind: str) -> tuple[object, ...]:
    pytest.importorskip(f"report.writers.{kind}")
    demo = build_demo_report()
    (result,) = import_office(read_office(export_document(demo, EXPORT_FORMATS[kind])), OUTLINES)
    return demo, result


def test_word_export_imports_with_the_same_figures() -> None:
    demo, result = _round_trip("docx")
    report = result.report
    assert report.title == demo.title and report.year == demo.year and report.unit_name == demo.unit_name
    for name in ("initial_budget", "annual_budget", "actual_spent", "received", "fiscal_current"):
        assert getattr(report.funds, name) == getattr(demo.funds, name), name
    assert len(report.budget_lines) == len(demo.budget_lines) == 11
    assert sum((line.amount for line in report.budget_lines), Decimal(0)) == Decimal("483.30")
    assert [(line.name, line.amount) for line in report.budget_lines] == [
        (line.name, line.amount) for line in demo.budget_lines
    ]
    assert [_row(row) for row in report.indicators] == [_row(row) for row in demo.indicators]
    assert (report.overall_goal, report.overall_goal_actual) == (demo.overall_goal, demo.overall_goal_actual)
    # the claim is the one the text states, not the computed 自评得分 of 附件1
    assert report.claimed_total == demo.claimed_total == 100
    assert report.claimed_grade is demo.claimed_grade
    assert report.answers["overview.background"] == demo.answers["overview.background"]
    lines = result.summary_lines()
    assert "章节 8/8，小标题 30/30" in lines
    assert any(line.startswith("自评表：表格 2") for line in lines)


def test_excel_export_imports_with_the_same_figures() -> None:
    demo, result = _round_trip("xlsx")
    report = result.report
    assert report.title == demo.title and report.year == demo.year
    assert (report.unit_name, report.department) == (demo.unit_name, demo.department)
    for name in ("initial_budget", "annual_budget", "actual_spent", "fiscal_current"):
        assert getattr(report.funds, name) == getattr(demo.funds, name), name
    assert [_row(row) for row in report.indicators] == [_row(row) for row in demo.indicators]
    assert (report.overall_goal, report.overall_goal_actual) == (demo.overall_goal, demo.overall_goal_actual)
    # the Excel form carries the score computed by the rules in its 自评得分 cell, not the claim
    assert report.claimed_total == score_report(demo).total
    assert report.budget_lines == []  # the form has no budget lines
