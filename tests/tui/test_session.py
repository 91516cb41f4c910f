"""The drafting session without a terminal: what an answer leaves in the database."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from report.model import MoneyUnit, Report
from storage.store import ReportStore
from tui.session import DraftSession


def _new_report(store: ReportStore, step_id: str) -> int:
    """A new report (money in 万元) whose user left off at ``step_id``."""
    created = store.create(Report(title="2020年度测试街道经费项目支出绩效自评报告", money_unit=MoneyUnit.WAN))
    assert created.id is not None
    store.set_current_step(created.id, step_id)
    return created.id


def test_an_answer_saves_the_next_step_and_drops_its_draft(tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    with ReportStore.open(db) as store:
        rid = _new_report(store, "funds.annual_budget")
        store.save_draft(rid, "funds.annual_budget", "48")
        session = DraftSession.open(store, rid)
        assert session.step is not None and session.step.id == "funds.annual_budget"
        reply = session.submit("487万")
        assert reply.role == "ok" and reply.lines[0] == "已记录：全年预算数 487.00 万元"
        next_step = session.step
        assert next_step is not None and next_step.id != "funds.annual_budget"
    with ReportStore.open(db) as reopened:
        loaded = reopened.load_for_editing(rid)
        assert loaded.current_step == next_step.id
        assert loaded.drafts == {}
        assert loaded.report.funds.annual_budget == Decimal(487)
        summary = reopened.list_summaries()[0]
        assert summary.progress_done is not None and summary.progress_done >= 1


def test_completing_a_row_step_saves_the_move_without_a_revision(tmp_path: Path) -> None:
    with ReportStore.open(tmp_path / "jixiao.db") as store:
        rid = _new_report(store, "overview.budget_lines")
        session = DraftSession.open(store, rid)
        assert session.submit("办公费 12万").role == "ok"
        revision = store.revision(rid)
        assert session.submit("完成").role == "ok"
        assert (
            session.step is not None and store.current_step(rid) == session.step.id != "overview.budget_lines"
        )
        assert store.revision(rid) == revision


def test_a_long_row_list_shows_its_end_and_points_to_the_preview(tmp_path: Path) -> None:
    with ReportStore.open(tmp_path / "jixiao.db") as store:
        rid = _new_report(store, "overview.budget_lines")
        session = DraftSession.open(store, rid)
        lines = "\n".join(f"第{n}项经费 {n}万 用于测试" for n in range(1, 21))
        assert session.submit(lines).role == "ok"
        count, rows = session.row_listing()
        assert count == 20
        assert rows[0] == "……前 12 行见预览（F2）"
        assert rows[1].startswith("13. 第13项经费 13.00 万元") and rows[-1].startswith("20. 第20项经费")
        assert "  ……前 12 行见预览（F2）" in session.question()
        assert session.submit("删 20").role == "ok"
        assert session.row_listing()[0] == 19


def test_the_score_follows_the_funds_but_is_not_recomputed_for_a_budget_line(tmp_path: Path) -> None:
    with ReportStore.open(tmp_path / "jixiao.db") as store:
        rid = _new_report(store, "funds.annual_budget")
        session = DraftSession.open(store, rid)
        assert session.submit("100万").role == "ok"
        assert session.goto_step("funds.actual_spent").role == "info"
        assert session.submit("50万").role == "ok"
        assert session.score.execution_rate == Decimal("0.5")
        score = session.score
        assert session.goto_step("overview.budget_lines").role == "info"
        assert session.submit("办公费 12万").role == "ok"
        assert session.score is score
        assert session.goto_step("funds.actual_spent").role == "info"
        assert session.submit("100万").role == "ok"
        assert session.score.execution_rate == Decimal(1) and "计算得分 10.00" in session.status_line()


def test_undo_leaves_the_other_editors_change_alone(tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    with ReportStore.open(db) as store, ReportStore.open(db) as bob_store:
        bob = ReportStore(bob_store.db, user="bob", terminal="pts/9")
        rid = _new_report(store, "funds.annual_budget")
        session = DraftSession.open(store, rid)
        assert session.submit("100万").role == "ok"
        bob.apply(rid, "funds.annual_budget", Decimal(120), store.revision(rid))
        refused = session.undo()
        assert refused.role == "error"
        assert "撤销失败：无法撤销第 2 版：“全年预算数”之后已在第 3 版被 bob（pts/9）修改" in refused.lines[0]
        assert store.load(rid).funds.annual_budget == Decimal(120)
        bob.undo(rid)
        assert session.undo().lines == ["已撤销：全年预算数（恢复为 （空））"]
        assert session.undo().lines == [f"没有你（{store.user}）可撤销的修改；其他人的修改由其本人撤销。"]
