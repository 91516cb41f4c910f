"""`jixiao demo`, `list` and `check`, run as a user would, on real database files."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from storage.store import ReportStore
from tests.cli.conftest import Run, converse

DEMO_TITLE = "2020年度青岚街道工作经费项目支出绩效自评报告"


def test_demo_without_opening_prints_the_new_id_and_creates_a_private_database(run: Run, db: Path) -> None:
    result = run("demo", "--no-open")
    assert (result.code, result.out, result.err) == (0, "1\n", "")
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    with ReportStore.open(db) as store:
        report = store.load(1)
    assert report.title == DEMO_TITLE
    assert report.funds.annual_budget is not None and str(report.funds.annual_budget) == "487"
    assert len(report.budget_lines) == 11


def test_list_shows_the_demo_with_its_progress_and_finding_counts(run: Run, demo_db: Path) -> None:
    result = run("list")
    assert result.code == 0, result.err
    header, _rule, row = result.out.splitlines()
    assert header.split() == ["编号", "标题", "年度", "进度", "错误/警告", "最后编辑"]
    cells = row.split()
    assert cells[:3] == ["1", DEMO_TITLE, "2020"]
    done, total = (int(n) for n in cells[3].split("/"))
    assert 0 < done <= total
    assert cells[4] == "5/2"  # the demo's five errors and two warnings


def test_list_on_an_80_column_terminal_cuts_titles_to_fit(demo_db: Path, tmp_path: Path) -> None:
    from wcwidth import wcswidth

    env = {**os.environ, "JIXIAO_DB": str(demo_db), "JIXIAO_LOG_DIR": str(tmp_path / "logs"), "COLUMNS": "80"}
    code, screen = converse(["list"], [], env)
    assert code == 0, screen
    lines = screen.splitlines()
    assert max(wcswidth(line) for line in lines) <= 80, screen
    assert "2020年度青岚街道" in lines[2] and "…" in lines[2] and "5/2" in lines[2]


def test_list_of_a_database_that_does_not_exist_says_so_and_creates_nothing(run: Run, db: Path) -> None:
    result = run("list")
    assert result.code == 0, result
    assert "还没有报告" in result.out
    assert str(db) in result.out
    assert not db.exists() and not db.parent.exists()


def test_check_prints_the_score_and_the_budget_lines_finding_and_exits_1(run: Run, demo_db: Path) -> None:
    result = run("check", "1")
    assert result.code == 1, result.err
    assert result.err == ""
    lines = result.out.splitlines()
    assert lines[0] == f"报告 #1：{DEMO_TITLE}（2020 年度）"
    assert "执行率 99.24%，得 9.92 分" in lines
    assert "错误 5 · 警告 2 · 提示 1" in lines  # a rate under 数量指标 is a warning (RULES.md §6 #32)
    budget = next(line for line in lines if "budget.lines_sum" in line)
    assert budget.startswith("[错误]")
    for figure in ("483.30", "487.00", "3.70"):
        assert figure in budget


def test_check_accepts_a_unique_title_prefix(run: Run, demo_db: Path) -> None:
    result = run("check", "2020年度青岚")
    assert result.code == 1
    assert result.out.startswith("报告 #1：")


def test_check_json_is_one_object_with_the_documented_keys_and_numbers(run: Run, demo_db: Path) -> None:
    result = run("check", "1", "--format", "json")
    assert result.code == 1, result.err
    payload = json.loads(result.out)
    assert set(payload) == {"report", "score", "findings"}
    assert payload["report"] == {"id": 1, "title": DEMO_TITLE, "year": 2020}
    score = payload["score"]
    assert set(score) == {"execution_rate", "execution_score", "by_level", "total", "grade", "claimed"}
    assert score["execution_rate"] == 0.9924 and isinstance(score["execution_rate"], float)
    assert score["execution_score"] == 9.92
    assert score["claimed"] == 100
    assert score["grade"] == "优"
    assert all(isinstance(value, (int, float)) for value in score["by_level"].values())
    assert round(score["execution_score"] + sum(score["by_level"].values()), 2) == score["total"]
    assert len(payload["findings"]) == 8
    for finding in payload["findings"]:
        assert set(finding) == {"severity", "code", "where", "message", "hint", "fix"}
        assert finding["severity"] in {"error", "warning", "info"}
    budget = next(f for f in payload["findings"] if f["code"] == "budget.lines_sum")
    assert budget["severity"] == "error"
    assert budget["where"] == "预算明细"
    assert all(figure in budget["message"] for figure in ("483.30", "487.00", "3.70"))


def test_check_exits_0_when_only_warnings_remain(run: Run, db: Path) -> None:
    from decimal import Decimal

    from report.demo import build_demo_report
    from report.model import Level2

    fixed = build_demo_report()
    fixed.budget_lines[0].amount += Decimal("3.7")  # the lines now add up to 487
    fixed.indicators[3].level2 = Level2.QUALITY
    fixed.indicators[3].deviation_reason = "部分诉求涉及历史遗留问题，已分类办理"
    fixed.claimed_total = None
    fixed.claimed_grade = None
    with ReportStore.open(db) as store:
        report_id = store.create(fixed).id
    result = run("check", str(report_id))
    assert result.code == 0, result.out + result.err
    assert "错误 0 · 警告 1 · 提示 2" in result.out.splitlines()
