"""ReportStore: reports survive the round trip; changes are recorded, undone and never lost."""

from __future__ import annotations

import getpass
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from report.errors import ParseError
from report.model import BudgetLine, Grade, Indicator, Level1, Level2, MoneyUnit, Report
from storage.errors import AmbiguousError, ConflictError, NotFoundError
from storage.store import ListStatus, Position, ReportStore
from tests.strategies import reports


def _report(title: str = "龙城区司法局2020年度人民调解专项经费项目支出绩效自评报告") -> Report:
    return Report(
        title=title,
        unit_name="龙城区司法局",
        budget_lines=[
            BudgetLine("基层党建办公室经费", Decimal("49"), "办公"),
            BudgetLine("调解补贴", Decimal("136.03")),
        ],
        indicators=[Indicator("按期结案率", Level2.QUALITY, target="99", unit="%", weight=Decimal("5"))],
        answers={"goals.overall": "全年调解纠纷 1200 件。"},
    )


@pytest.fixture
def other(db_path: Path, store: ReportStore) -> Iterator[ReportStore]:
    """A second store (its own connection) on the same file, recording as "bob"."""
    second = ReportStore(ReportStore.open(db_path, busy_timeout_ms=200).db, user="bob", terminal="pts/2")
    yield second
    second.close()


# --- create / load ---------------------------------------------------------------------------


@given(reports())
@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_what_is_created_loads_back_equal(store: ReportStore, report: Report) -> None:
    created = store.create(report)
    assert created.id is not None
    assert created.revision == 1
    assert created == replace(report, id=created.id, revision=1)
    assert store.load(created.id) == created


def test_create_gives_new_ids_and_leaves_the_argument_alone(store: ReportStore) -> None:
    draft = _report()
    first = store.create(draft)
    second = store.create(draft)
    assert draft.id is None and draft.revision == 0
    assert first.id != second.id


def test_loading_an_unknown_report_says_so(store: ReportStore) -> None:
    with pytest.raises(NotFoundError) as caught:
        store.load(404)
    assert "404" in caught.value.message
    assert str(store.path) in caught.value.message


def test_delete_removes_the_report_and_everything_attached(store: ReportStore) -> None:
    report = store.create(_report())
    rid = report.id or 0
    store.apply(rid, "title", "改过的标题", 1)
    store.save_draft(rid, "problems", "还没写完")
    store.delete(rid)
    with pytest.raises(NotFoundError):
        store.load(rid)
    for table in ("budget_lines", "indicators", "answers", "drafts", "revisions"):
        assert store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
    with pytest.raises(NotFoundError):
        store.delete(rid)


def test_a_deleted_reports_id_is_never_reused(store: ReportStore) -> None:
    gone = store.create(_report("甲"))
    store.delete(gone.id or 0)
    assert store.create(_report("乙")).id != gone.id


def test_duplicate_copies_the_content_under_a_new_title(store: ReportStore) -> None:
    source = store.create(_report())
    store.apply(source.id or 0, "funds.annual_budget", Decimal("185.03"), 1)
    copy = store.duplicate(source.id or 0, "龙城区司法局2021年度人民调解专项经费项目支出绩效自评报告")
    assert copy.id != source.id
    assert copy.revision == 1
    assert copy.title.startswith("龙城区司法局2021年度")
    assert copy.funds.annual_budget == Decimal("185.03")
    assert copy.budget_lines == source.budget_lines
    assert store.history(copy.id or 0) == []
    assert store.load(source.id or 0).title == source.title


# --- apply / history / undo --------------------------------------------------------------------


def test_apply_changes_one_path_and_records_it(store: ReportStore) -> None:
    report = store.create(_report())
    rid = report.id or 0
    rev = store.apply(rid, "funds.annual_budget", Decimal("185.03"), 1)
    rev = store.apply(rid, "money_unit", MoneyUnit.YUAN, rev)
    rev = store.apply(rid, "claimed_grade", Grade.GOOD, rev)
    rev = store.apply(rid, "weights", {Level1.OUTPUT: Decimal("60"), Level1.BENEFIT: Decimal("20")}, rev)
    rev = store.apply(rid, "budget_lines", [BudgetLine("设备购置", Decimal("0.50"))], rev)
    rev = store.apply(
        rid, "answers.problems", "部分指标未按期完成。", rev, user="carol", terminal="/dev/pts/9"
    )
    assert rev == 7
    loaded = store.load(rid)
    assert loaded.revision == 7
    assert loaded.funds.annual_budget == Decimal("185.03")
    assert str(loaded.funds.annual_budget) == "185.03"
    assert loaded.money_unit is MoneyUnit.YUAN
    assert loaded.claimed_grade is Grade.GOOD
    assert loaded.weights == {Level1.OUTPUT: Decimal("60"), Level1.BENEFIT: Decimal("20")}
    assert loaded.budget_lines == [BudgetLine("设备购置", Decimal("0.50"))]
    assert loaded.answers == {"goals.overall": "全年调解纠纷 1200 件。", "problems": "部分指标未按期完成。"}

    history = store.history(rid)
    assert [h.revision for h in history] == [7, 6, 5, 4, 3, 2]
    latest = history[0]
    assert (latest.path, latest.what, latest.old, latest.new) == (
        "answers.problems",
        "回答（problems）",
        "（空）",
        "部分指标未按期完成。",
    )
    assert (latest.user, latest.terminal) == ("carol", "/dev/pts/9")
    assert (history[1].user, history[1].terminal) == ("alice", "pts/1")
    assert (history[-1].what, history[-1].old, history[-1].new) == ("全年预算数", "（空）", "185.03")
    assert history[2].new == "产出指标 60、效益指标 20"
    assert history[1].new.startswith("1 行：设备购置 0.50")
    assert abs((datetime.now(UTC) - latest.at).total_seconds()) < 60
    assert [h.revision for h in store.history(rid, limit=2)] == [7, 6]


def test_removing_an_answer_with_none(store: ReportStore) -> None:
    report = store.create(_report())
    store.apply(report.id or 0, "answers.goals.overall", None, 1)
    assert store.load(report.id or 0).answers == {}


def test_writing_the_stored_value_again_records_nothing(store: ReportStore) -> None:
    report = store.create(_report())
    assert store.apply(report.id or 0, "title", report.title, 1) == 1
    assert store.history(report.id or 0) == []


def test_apply_many_is_one_revision_and_one_undo(store: ReportStore) -> None:
    report = store.create(_report())
    rid = report.id or 0
    rev = store.apply_many(
        rid, {"year": 2021, "funds.actual_spent": Decimal("483.30"), "stage_goals": "分两期"}, 1
    )
    assert rev == 2
    assert {h.path for h in store.history(rid)} == {"year", "funds.actual_spent", "stage_goals"}
    assert {h.revision for h in store.history(rid)} == {2}
    undone = store.undo(rid)
    assert undone is not None and undone.undo_of == 2
    assert store.load(rid) == replace(report, revision=3)


def test_bad_paths_and_values_are_refused_and_change_nothing(store: ReportStore) -> None:
    report = store.create(_report())
    rid = report.id or 0
    with pytest.raises(ParseError, match="未知的字段路径"):
        store.apply(rid, "funds.bonus", Decimal(1), 1)
    with pytest.raises(ParseError, match="year"):
        store.apply(rid, "year", "2021", 1)
    with pytest.raises(ParseError, match=r"indicators\[0\]"):
        store.apply_many(rid, {"title": "新标题", "indicators": ["按期结案率"]}, 1)
    assert store.load(rid) == report
    assert store.history(rid) == []


def test_undo_walks_back_one_change_at_a_time(store: ReportStore) -> None:
    report = store.create(_report())
    rid = report.id or 0
    rev = store.apply(rid, "title", "第二稿", 1)
    rev = store.apply(rid, "claimed_total", Decimal("92.50"), rev)
    rev = store.apply(rid, "title", "第三稿", rev)

    first = store.undo(rid)
    assert first is not None
    assert (first.revision, first.path, first.old, first.new, first.undo_of) == (
        5,
        "title",
        "第三稿",
        "第二稿",
        4,
    )
    assert store.load(rid).title == "第二稿"
    second = store.undo(rid)
    assert second is not None and second.path == "claimed_total"
    assert store.load(rid).claimed_total is None
    third = store.undo(rid)
    assert third is not None and third.new == report.title
    assert store.undo(rid) is None
    assert store.load(rid) == replace(report, revision=7)
    history = store.history(rid)
    assert [h.undone for h in history if h.undo_of is None] == [True, True, True]


def test_undo_after_a_new_change_reverts_that_change(store: ReportStore) -> None:
    report = store.create(_report())
    rid = report.id or 0
    rev = store.apply(rid, "title", "乙", 1)
    store.undo(rid)
    store.apply(rid, "title", "丙", rev + 1)
    undone = store.undo(rid)
    assert undone is not None and (undone.old, undone.new) == ("丙", report.title)
    assert store.undo(rid) is None


def test_undo_reverts_ones_own_change_not_the_other_editors(store: ReportStore, other: ReportStore) -> None:
    report = store.create(_report())
    rid = report.id or 0
    store.apply(rid, "title", "甲改的标题", 1)
    other.apply(rid, "funds.annual_budget", Decimal("500.00"), 2)  # bob, after alice
    undone = store.undo(rid)  # alice's undo passes over bob's later change
    assert undone is not None and (undone.path, undone.user) == ("title", "alice")
    loaded = store.load(rid)
    assert (loaded.title, loaded.funds.annual_budget) == (report.title, Decimal("500.00"))
    assert store.undo(rid) is None  # alice has nothing more to undo
    bob_undone = other.undo(rid)
    assert bob_undone is not None and bob_undone.path == "funds.annual_budget"
    assert store.load(rid).funds.annual_budget == report.funds.annual_budget


def test_undo_that_would_overwrite_the_other_editor_is_refused(
    store: ReportStore, other: ReportStore
) -> None:
    report = store.create(_report())
    rid = report.id or 0
    store.apply(rid, "title", "甲改的标题", 1)
    other.apply(rid, "title", "乙改的标题", 2)
    with pytest.raises(ConflictError) as caught:
        store.undo(rid)
    assert "“报告标题”之后已在第 3 版被 bob（pts/2）修改" in caught.value.message
    assert "撤销未执行" in caught.value.message
    loaded = store.load(rid)
    assert (loaded.title, loaded.revision) == ("乙改的标题", 3)
    other.undo(rid)  # once bob's change is undone, alice's undo goes through
    assert store.undo(rid) is not None
    assert store.load(rid).title == report.title


def test_undo_of_a_report_without_changes_is_none(store: ReportStore) -> None:
    report = store.create(_report())
    assert store.undo(report.id or 0) is None
    with pytest.raises(NotFoundError):
        store.undo(999)


def test_default_user_is_the_login_name(db_path: Path) -> None:
    with ReportStore.open(db_path) as plain:
        report = plain.create(_report())
        plain.apply(report.id or 0, "title", "新", 1)
        assert plain.history(report.id or 0)[0].user == getpass.getuser()


# --- two editors on one file -----------------------------------------------------------------


def test_same_path_changed_by_someone_else_is_a_conflict_and_changes_nothing(
    store: ReportStore, other: ReportStore
) -> None:
    report = store.create(_report())
    rid = report.id or 0
    assert other.load(rid).revision == 1  # both editors start from revision 1
    store.apply(rid, "funds.annual_budget", Decimal("487.00"), 1)
    with pytest.raises(ConflictError) as caught:
        other.apply(rid, "funds.annual_budget", Decimal("500.00"), 1)
    error = caught.value
    assert (error.report_id, error.base_revision, error.current_revision, error.paths) == (
        rid,
        1,
        2,
        ("funds.annual_budget",),
    )
    assert "全年预算数" in error.message and "alice" in error.message
    assert store.load(rid).funds.annual_budget == Decimal("487.00")
    assert len(store.history(rid)) == 1
    # keep mine: retry on top of the current revision
    assert other.apply(rid, "funds.annual_budget", Decimal("500.00"), error.current_revision) == 3
    assert store.load(rid).funds.annual_budget == Decimal("500.00")


def test_different_paths_changed_by_two_editors_are_both_kept(store: ReportStore, other: ReportStore) -> None:
    report = store.create(_report())
    rid = report.id or 0
    assert store.apply(rid, "answers.problems", "资金拨付偏慢。", 1) == 2
    assert other.apply(rid, "answers.suggestions", "建议提前拨付。", 1) == 3  # > base + 1: reload
    loaded = other.load(rid)
    assert loaded.answers["problems"] == "资金拨付偏慢。"
    assert loaded.answers["suggestions"] == "建议提前拨付。"
    assert [(h.path, h.user) for h in store.history(rid)] == [
        ("answers.suggestions", "bob"),
        ("answers.problems", "alice"),
    ]


def test_a_conflict_on_one_path_writes_none_of_a_batch(store: ReportStore, other: ReportStore) -> None:
    report = store.create(_report())
    rid = report.id or 0
    store.apply(rid, "title", "甲改的标题", 1)
    with pytest.raises(ConflictError) as caught:
        other.apply_many(rid, {"year": 2021, "title": "乙改的标题"}, 1)
    assert caught.value.paths == ("title",)
    loaded = store.load(rid)
    assert (loaded.title, loaded.year, loaded.revision) == ("甲改的标题", 2020, 2)


def test_both_editors_writing_the_same_value_is_no_conflict(store: ReportStore, other: ReportStore) -> None:
    report = store.create(_report())
    store.apply(report.id or 0, "year", 2021, 1)
    assert other.apply(report.id or 0, "year", 2021, 1) == 2


def test_a_change_undone_since_the_base_is_no_conflict(store: ReportStore, other: ReportStore) -> None:
    report = store.create(_report())
    rid = report.id or 0
    store.apply(rid, "title", "临时标题", 1)
    store.undo(rid)
    assert other.apply(rid, "title", "乙的标题", 1) == 4
    assert store.load(rid).title == "乙的标题"


def test_a_base_newer_than_the_database_is_a_conflict(store: ReportStore) -> None:
    report = store.create(_report())
    with pytest.raises(ConflictError) as caught:
        store.apply(report.id or 0, "title", "x", 7)
    assert caught.value.current_revision == 1
    assert store.load(report.id or 0).title == report.title


def test_a_report_deleted_by_someone_else_is_not_found(store: ReportStore, other: ReportStore) -> None:
    report = store.create(_report())
    other.delete(report.id or 0)
    with pytest.raises(NotFoundError):
        store.apply(report.id or 0, "title", "x", 1)


# --- drafts and resuming -------------------------------------------------------------------------


def test_drafts_are_kept_replaced_and_cleared_without_revisions(store: ReportStore) -> None:
    report = store.create(_report())
    rid = report.id or 0
    store.save_draft(rid, "problems", "资金")
    store.save_draft(rid, "problems", "资金拨付")
    store.save_draft(rid, "suggestions", "建议")
    assert store.drafts(rid) == {"problems": "资金拨付", "suggestions": "建议"}
    store.save_draft(rid, "suggestions", "")
    assert store.drafts(rid) == {"problems": "资金拨付"}
    assert store.load(rid).revision == 1
    assert store.history(rid) == []
    with pytest.raises(NotFoundError):
        store.save_draft(999, "problems", "x")


def test_reopening_resumes_at_the_current_step_with_drafts(db_path: Path, store: ReportStore) -> None:
    report = store.create(_report())
    rid = report.id or 0
    assert store.current_step(rid) is None
    store.set_current_step(rid, "results.output")
    store.save_draft(rid, "results.output", "完成培训 12 场")
    store.close()
    with ReportStore.open(db_path) as reopened:
        loaded = reopened.load_for_editing(rid)
        assert loaded.report == report
        assert loaded.current_step == "results.output"
        assert loaded.drafts == {"results.output": "完成培训 12 场"}
        assert reopened.current_step(rid) == "results.output"
        with pytest.raises(NotFoundError):
            reopened.set_current_step(999, "x")


def test_an_answer_and_where_the_user_goes_next_are_saved_together(store: ReportStore) -> None:
    report = store.create(_report())
    rid = report.id or 0
    store.set_current_step(rid, "problems")
    store.save_draft(rid, "problems", "资金拨付")
    status = ListStatus(progress_done=3, progress_total=40, errors=1, warnings=2)
    position = Position("suggestions", cleared_draft="problems", status=status)
    assert store.apply_many(rid, {"answers.problems": "资金拨付偏慢。"}, 1, position=position) == 2
    loaded = store.load_for_editing(rid)
    assert (loaded.current_step, loaded.drafts) == ("suggestions", {})
    assert loaded.report.answers["problems"] == "资金拨付偏慢。"
    summary = store.list_summaries()[0]
    assert (summary.progress_done, summary.progress_total, summary.errors, summary.warnings) == (3, 40, 1, 2)
    # moving on without a change (完成, an optional step kept) still saves the position
    assert store.apply_many(rid, {}, 2, position=Position("results.output")) == 2
    assert store.current_step(rid) == "results.output"


def test_a_refused_answer_leaves_the_position_and_draft_alone(store: ReportStore, other: ReportStore) -> None:
    report = store.create(_report())
    rid = report.id or 0
    store.set_current_step(rid, "problems")
    store.save_draft(rid, "problems", "我的草稿")
    other.apply(rid, "answers.problems", "对方的答案", 1)
    with pytest.raises(ConflictError):
        store.apply_many(
            rid,
            {"answers.problems": "我的答案"},
            1,
            position=Position("suggestions", cleared_draft="problems"),
        )
    loaded = store.load_for_editing(rid)
    assert (loaded.current_step, loaded.drafts) == ("problems", {"problems": "我的草稿"})


# --- listing and finding -----------------------------------------------------------------------


def test_summaries_are_newest_first_with_their_columns(store: ReportStore) -> None:
    a = store.create(_report("甲报告"))
    b = store.create(_report("乙报告"))
    c = store.create(_report("丙报告"))
    assert [s.title for s in store.list_summaries()] == ["丙报告", "乙报告", "甲报告"]
    store.apply(a.id or 0, "unit_name", "江北区教育局", 1)
    store.set_status(b.id or 0, progress_done=3, progress_total=12, errors=1, warnings=2)
    summaries = store.list_summaries()
    assert [s.id for s in summaries] == [a.id, c.id, b.id]  # status is no edit: b keeps its place
    first = summaries[0]
    assert (first.title, first.year, first.unit_name, first.template_id, first.revision) == (
        "甲报告",
        2020,
        "江北区教育局",
        "eight_part",
        2,
    )
    assert first.updated_at > first.created_at
    assert first.errors is None
    assert (
        summaries[2].progress_done,
        summaries[2].progress_total,
        summaries[2].errors,
        summaries[2].warnings,
    ) == (
        3,
        12,
        1,
        2,
    )


def _bulk_insert(store: ReportStore, count: int) -> None:
    rows = [
        (
            f"第{i}号项目绩效自评报告",
            "某单位",
            "",
            2020,
            "eight_part",
            "万元",
            1,
            f"2021-01-01T00:00:{i % 60:02d}+00:00",
        )
        for i in range(count)
    ]
    with store.db.conn:
        store.db.conn.execute("BEGIN")
        store.db.conn.executemany(
            "INSERT INTO reports (title, unit_name, department, year, template_id, money_unit, revision, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?8, ?8)",
            rows,
        )
        store.db.conn.execute("COMMIT")


def test_listing_ten_thousand_reports_is_one_quick_query(store: ReportStore) -> None:
    _bulk_insert(store, 10_000)
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    summaries = store.list_summaries()
    store.db.conn.set_trace_callback(None)
    assert len(summaries) == 10_000
    assert [s for s in statements if s.lstrip().upper().startswith("SELECT")] == [statements[1]]


def test_find_by_id_prefix_and_exact_title(store: ReportStore) -> None:
    a = store.create(_report("龙城区司法局2020年度人民调解经费"))
    b = store.create(_report("龙城区司法局2020年度法律援助经费"))
    c = store.create(_report("江北区教育局"))
    d = store.create(_report("江北区教育局营养餐"))
    e = store.create(_report("2019年度结转项目"))
    assert store.find(str(a.id)) == a.id
    assert store.find(f"#{b.id}") == b.id
    assert store.find(f" {b.id} ") == b.id
    assert store.find("龙城区司法局2020年度法律") == b.id
    assert store.find("江北区教育局") == c.id  # the exact title wins over a longer one
    assert store.find("江北区教育局营") == d.id
    assert store.find("2019") == e.id  # no report 2019: read as a title
    with pytest.raises(AmbiguousError) as caught:
        store.find("龙城区")
    assert {rid for rid, _ in caught.value.candidates} == {a.id, b.id}
    assert f"#{a.id}" in caught.value.message and f"#{b.id}" in caught.value.message
    with pytest.raises(NotFoundError) as missing:
        store.find("青山区")
    assert "青山区" in missing.value.message
    with pytest.raises(NotFoundError):
        store.find("   ")


def test_find_accepts_full_width_digits(store: ReportStore) -> None:
    report = store.create(_report())
    full_width = "".join(chr(ord(ch) + 0xFEE0) for ch in str(report.id))
    assert store.find(full_width) == report.id


# --- speed -----------------------------------------------------------------------------------------


def test_saving_one_answer_touches_only_that_answer(store: ReportStore) -> None:
    report = store.create(_report())
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    store.apply(report.id or 0, "answers.problems", "无", 1)
    store.db.conn.set_trace_callback(None)
    assert not [s for s in statements if "budget_lines" in s or "indicators" in s]
    assert len(statements) <= 8, statements


def test_store_reports_survive_a_second_connection_reading_mid_write(
    store: ReportStore, db_path: Path
) -> None:
    report = store.create(_report())
    reader = sqlite3.connect(db_path)
    try:
        store.apply(report.id or 0, "title", "已提交的标题", 1)
        assert reader.execute("SELECT title FROM reports").fetchone()[0] == "已提交的标题"
    finally:
        reader.close()
