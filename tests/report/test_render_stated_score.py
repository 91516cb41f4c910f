"""The execution score a form states is printed beside the computed one and read back from the export."""

from __future__ import annotations

from decimal import Decimal

from prompts.templates import load_template
from report.demo import build_demo_report
from report.importer import import_text
from report.render import render_report


def test_a_rounded_up_stated_score_is_printed_as_disagreeing_and_imports_back() -> None:
    report = build_demo_report()
    report.funds.stated_execution_score = Decimal(10)
    outlines = [load_template(t).outline for t in ("eight_part", "seven_part_2020")]
    markdown = render_report(report, outlines[0])
    assert "报告填报的预算执行率得分为 10.00 分，与计算结果 9.92 分不一致。" in markdown
    back = import_text(markdown.encode("utf-8"), outlines).report
    assert back.funds.stated_execution_score == Decimal("10.00")


def test_a_stated_score_that_agrees_says_so() -> None:
    report = build_demo_report()
    report.funds.stated_execution_score = Decimal("9.92")
    markdown = render_report(report, load_template("eight_part").outline)
    assert "报告填报的预算执行率得分为 9.92 分，与计算结果 9.92 分一致。" in markdown
