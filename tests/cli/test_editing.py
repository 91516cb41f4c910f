"""`jixiao new`, `history`, `undo` and resetting the demo, checked against the stored reports."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

from report.model import MoneyUnit
from storage.store import ReportStore, default_user
from tests.cli.conftest import Run, assert_one_chinese_error, converse


def test_new_from_flags_stores_exactly_what_was_given(run: Run, db: Path) -> None:
    result = run(
        "new",
        "--title", "2021年度某社区服务项目支出绩效自评报告",
        "--unit", "某社区居委会",
        "--department", "某街道办事处",
        "--year", "2021",
        "--template", "seven_part_2020",
        "--money-unit", "元",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert result.out == "已新建报告 #1：2021年度某社区服务项目支出绩效自评报告（2021）\n"
    with ReportStore.open(db) as store:
        report = store.load(1)
    assert (report.unit_name, report.department, report.year) == ("某社区居委会", "某街道办事处", 2021)
    assert (report.template_id, report.money_unit) == ("seven_part_2020", MoneyUnit.YUAN)
    listed = run("list").out
    assert "2021年度某社区服务项目" in listed


def test_new_without_a_terminal_names_every_missing_flag_and_creates_nothing(run: Run, db: Path) -> None:
    result = run("new", "--title", "某项目")
    line = assert_one_chinese_error(result)
    for flag in ("--unit", "--department", "--year"):
        assert flag in line
    assert "--title" not in line
    assert not db.exists()


def test_new_refuses_a_bad_year_or_template(run: Run, db: Path) -> None:
    base = ["new", "--title", "某项目", "--unit", "甲", "--department", "乙"]
    assert "1850" in assert_one_chinese_error(run(*base, "--year", "1850"))
    assert "八部分" in assert_one_chinese_error(run(*base, "--year", "2021", "--template", "nine"))
    assert not db.exists()


def test_new_asks_on_the_terminal_for_what_is_missing(db: Path, tmp_path: Path) -> None:
    env = {**os.environ, "JIXIAO_DB": str(db), "JIXIAO_LOG_DIR": str(tmp_path / "logs")}
    code, screen = converse(
        ["new", "--money-unit", "元"], ["某项目绩效自评报告", "某单位", "某部门", "2022", ""], env
    )
    assert code == 0, screen
    assert "报告标题" in screen and "实施单位" in screen and "已新建报告 #1" in screen
    with ReportStore.open(db) as store:
        report = store.load(1)
    assert (report.title, report.unit_name, report.department, report.year) == (
        "某项目绩效自评报告",
        "某单位",
        "某部门",
        2022,
    )
    assert report.template_id == "eight_part"  # Enter takes the default


def test_new_cancelled_with_ctrl_d_says_so_and_creates_nothing(db: Path, tmp_path: Path) -> None:
    env = {**os.environ, "JIXIAO_DB": str(db), "JIXIAO_LOG_DIR": str(tmp_path / "logs")}
    code, screen = converse(["new"], ["\x04"], env)
    assert code == 2
    assert "已取消" in screen and "Traceback" not in screen
    assert not db.exists()
    assert not (tmp_path / "logs").exists()


def _budget_finding(check_output: str) -> str:
    return next(line for line in check_output.splitlines() if "budget.lines_sum" in line)


def test_history_and_undo_of_a_change_made_through_storage(run: Run, demo_db: Path) -> None:
    with ReportStore.open(demo_db) as store:
        report = store.load(1)
        store.apply(
            1, "funds.annual_budget", Decimal("490.00"), report.revision, user="alice", terminal="pts/3"
        )
    me = default_user()
    assert run("undo", "1").out == f"报告 #1 没有你（{me}）可撤销的修改；其他人的修改由其本人撤销。\n"
    with ReportStore.open(demo_db) as store:  # the same change, made by whoever runs the tests
        store.undo(1, user="alice")
        store.apply(1, "funds.annual_budget", Decimal("490.00"), store.revision(1), user=me, terminal="pts/3")
    assert "490.00 万元" in _budget_finding(run("check", "1").out)
    history = run("history", "1")
    assert history.code == 0, history.err
    rows = history.out.splitlines()
    assert rows[0].split() == ["版本", "时间", "用户", "内容", "原值", "新值"]
    assert len(rows) == 5
    version, _day, _time, user, what, old, new = rows[2].split()
    assert (version, user, what, old, new) == ("4", me, "全年预算数", "487", "490.00")

    undone = run("undo", "1")
    assert undone.code == 0, undone.err
    assert undone.out == "已撤销：全年预算数（恢复为 487）\n"
    with ReportStore.open(demo_db) as store:
        assert store.load(1).funds.annual_budget == Decimal("487")
    assert "487.00 万元" in _budget_finding(run("check", "1").out)
    newest = run("history", "1").out.splitlines()[2].split()
    assert (newest[0], newest[-2], newest[-1]) == ("5", "490.00", "487")
    nothing = run("undo", "1")
    assert (nothing.code, nothing.out) == (
        0,
        f"报告 #1 没有你（{me}）可撤销的修改；其他人的修改由其本人撤销。\n",
    )


def test_an_imported_report_has_no_history_to_undo(run: Run, demo_db: Path) -> None:
    assert run("export", "1", "--format", "json", "-o", "d.json").code == 0
    assert run("import", "d.json").code == 0
    assert run("history", "2").out == "报告 #2 还没有修改记录。\n"
    assert run("undo", "2").out == "报告 #2 没有可撤销的修改。\n"


def test_demo_again_resets_the_same_report_and_the_reset_can_be_undone(run: Run, demo_db: Path) -> None:
    with ReportStore.open(demo_db) as store:
        store.apply(1, "funds.actual_spent", Decimal("400"), store.load(1).revision)
    again = run("demo", "--no-open")
    assert (again.code, again.out) == (0, "1\n")
    with ReportStore.open(demo_db) as store:
        assert store.load(1).funds.actual_spent == Decimal("483.3")
        assert [s.id for s in store.list_summaries()] == [1]
    assert run("undo", "1").code == 0
    with ReportStore.open(demo_db) as store:
        assert store.load(1).funds.actual_spent == Decimal("400")  # the edit was not lost


def test_new_from_last_years_report_starts_the_next_year(run: Run, demo_db: Path) -> None:
    result = run("new", "--from", "1")
    assert result.code == 0, result
    assert result.out.startswith("已以 #1 为底稿新建 2021 年度报告 #2：")
    with ReportStore.open(demo_db) as store:
        previous, following = store.load(1), store.load(2)
    assert following.year == 2021 and "2021" in following.title
    assert (following.unit_name, following.template_id) == (previous.unit_name, previous.template_id)
    assert [i.name for i in following.indicators] == [i.name for i in previous.indicators]
    assert previous.year == 2020


def test_new_from_a_report_in_a_missing_database_creates_nothing(run: Run, db: Path) -> None:
    assert "不存在" in assert_one_chinese_error(run("new", "--from", "1"))
    assert not db.parent.exists()


def test_importing_a_text_report_shows_what_was_recognised_and_the_check(
    run: Run, db: Path, sample_path: Path
) -> None:
    result = run("import", str(sample_path))
    assert result.code == 0, result
    lines = result.out.splitlines()
    assert lines[0].startswith("已导入为报告 #1：")
    assert "预算明细 11 行，合计 483.30 万元" in lines
    assert "执行率 99.24%，得 9.92 分" in lines
    assert "七 的文字按内容分入：存在的问题，请核对" in lines  # so the user knows to review 七
    with ReportStore.open(db) as store:
        report = store.load(1)
    assert report.funds.actual_spent == Decimal("483.3") and len(report.budget_lines) == 11
