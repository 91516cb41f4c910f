"""A finding's Fix goes through the store like any change: stored, reloaded, recorded, and the finding is gone."""

from __future__ import annotations

from decimal import Decimal

from report.checks import check_report
from report.model import Funds, Indicator, Level2, MoneyUnit, Operator, Report
from storage.store import ReportStore


def _report() -> Report:
    return Report(
        title="2021年度某镇垃圾分类项目支出绩效自评报告",
        year=2021,
        money_unit=MoneyUnit.WAN,
        funds=Funds(
            annual_budget=Decimal(80), actual_spent=Decimal("68.2"), stated_execution_score=Decimal(9)
        ),
        indicators=[
            Indicator(
                "垃圾分类覆盖户数",
                Level2.QUANTITY,
                operator=Operator.GE,
                target="5200",
                unit="户",
                actual="5310",
            ),
            Indicator(
                "分类投放准确率",
                Level2.QUANTITY,
                operator=Operator.GE,
                target="100",
                unit="百分比",
                actual="92",
            ),
        ],
    )


def test_a_row_move_and_a_score_fix_are_stored_and_resolve_their_findings(store: ReportStore) -> None:
    report = store.create(_report())
    assert report.id is not None
    findings = {finding.code: finding for finding in check_report(store.load(report.id))}

    move = findings["indicator.rate_in_quantity"].fix
    assert move is not None and move.label == "把第 2 项指标移到质量指标"
    store.apply(report.id, move.path, move.value, store.revision(report.id))
    score = findings["score.execution_stated"].fix
    assert score is not None and score.value == Decimal("8.53")
    store.apply(report.id, score.path, score.value, store.revision(report.id))

    reloaded = store.load(report.id)
    assert [row.level2 for row in reloaded.indicators] == [Level2.QUANTITY, Level2.QUALITY]
    assert reloaded.indicators[1].unit == "百分比"  # only the category moved
    assert reloaded.funds.stated_execution_score == Decimal("8.53")
    codes = {finding.code for finding in check_report(reloaded)}
    assert not codes & {"indicator.rate_in_quantity", "score.execution_stated"}
    assert "indicator.rate_ceiling" in codes  # ≥100百分比 is still ＝100% in words
    assert [entry.path for entry in store.history(report.id, limit=2)] == [
        "funds.stated_execution_score",
        "indicators",
    ]
