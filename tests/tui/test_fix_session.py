"""Follow-ups and fixes in the drafting session without a terminal: what they leave in the database."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from report.demo import build_demo_report
from report.model import MoneyUnit, Report
from storage.store import ReportStore
from tui.session import DraftSession


def test_the_follow_up_is_saved_with_the_row_so_reopening_asks_it(tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    with ReportStore.open(db) as store:
        created = store.create(Report(title="2020年度测试经费项目支出绩效自评报告", money_unit=MoneyUnit.WAN))
        assert created.id is not None
        store.set_current_step(created.id, "results.quantity")
        session = DraftSession.open(store, created.id)
        reply = session.submit("开展培训 ≥1000人次 实际900人次 分值10")
        assert reply.moved and session.step is not None and session.step.id == "results.quantity#0"
        assert "偏差原因和改进措施是什么" in "\n".join(session.question())
    # the app stops here (a crash, a closed terminal): the row and the question asked both survive
    with ReportStore.open(db) as store:
        assert store.current_step(created.id) == "results.quantity#0"
        reopened = DraftSession.open(store, created.id)
        assert reopened.step is not None and reopened.step.id == "results.quantity#0"
        reply = reopened.submit("场地改造延期")
        assert reply.lines[0] == "已记录「开展培训」的偏差原因：场地改造延期"
        assert store.load(created.id).indicators[0].deviation_reason == "场地改造延期"
        assert store.current_step(created.id) == "results.quantity"


def test_a_fix_is_one_recorded_change_that_undo_reverts(tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    with ReportStore.open(db) as store:
        created = store.create(build_demo_report())
        assert created.id is not None
        store.set_current_step(created.id, "funds.actual_spent")
        session = DraftSession.open(store, created.id)
        original = session.report.answers["analysis.funds.use"]
        reply = session.submit("480")
        assert any("按 F9 或输入 /fix 更新" in line for line in reply.lines)
        revision = store.revision(created.id)
        fixed = session.apply_fix()
        assert fixed.role == "ok" and fixed.lines[0].startswith("已修正：更新「2.项目资金使用情况分析」")
        assert store.revision(created.id) == revision + 1
        assert [r.path for r in store.history(created.id, limit=1)] == ["answers.analysis.funds.use"]
        stored = store.load(created.id).answers["analysis.funds.use"]
        assert stored == original.replace("483.3万元", "480.00万元").replace("99.24%", "98.56%")
        assert session.report.answers["analysis.funds.use"] == stored
        session.undo()
        assert store.load(created.id).answers["analysis.funds.use"] == original
        assert store.load(created.id).funds.actual_spent == Decimal(480)


def test_nothing_to_fix_says_so(tmp_path: Path) -> None:
    with ReportStore.open(tmp_path / "jixiao.db") as store:
        created = store.create(Report(title="空报告"))
        assert created.id is not None
        reply = DraftSession.open(store, created.id).apply_fix()
        assert reply.role == "info" and reply.lines == ["没有可自动修正的问题。/check 查看全部问题。"]
