"""`jixiao check --all`: every report in one triage table, as text, JSON or CSV for Excel."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from wcwidth import wcswidth

from tests.cli.conftest import Run, assert_one_chinese_error
from tests.report.office_files import form_xlsx, national_form, sichuan_form


def _two_more(run: Run, tmp_path: Path) -> None:
    """Import two forms: #2 whose claim matches its figures, #3 another project."""
    (tmp_path / "forms.xlsx").write_bytes(form_xlsx([("路灯", national_form()), ("水务", sichuan_form())]))
    assert run("import", "forms.xlsx").code == 0


def test_text_table_lists_every_report_aligned(run: Run, demo_db: Path, tmp_path: Path) -> None:
    _two_more(run, tmp_path)
    result = run("check", "--all")
    assert result.code == 1  # the demo has errors
    lines = result.out.splitlines()
    assert lines[0].split() == [
        "编号",
        "标题",
        "实施单位",
        "年度",
        "计算得分",
        "等级",
        "自评得分",
        "错误",
        "警告",
        "第一条错误",
    ]
    rows = lines[1:4]
    assert [row.split()[0] for row in rows] == ["1", "2", "3"]
    assert "97.03" in rows[1] and "东湖区路灯管理所" in rows[1] and "2021" in rows[1]
    demo = rows[0]
    assert "100.00" in demo  # the demo claims 100
    # the columns line up on screen: the year column starts at the same display column in every row
    starts = {
        wcswidth(line[: line.index(f"  {year}  ")])
        for line, year in zip(lines[:4], ["年度", "2020", "2021", "2019"], strict=True)
    }
    assert len(starts) == 1
    assert lines[-1].startswith("共 3 份报告，其中 ")


def test_json_is_an_array_with_the_first_error(run: Run, demo_db: Path, tmp_path: Path) -> None:
    _two_more(run, tmp_path)
    result = run("check", "--all", "--format", "json")
    rows = json.loads(result.out)
    assert [row["id"] for row in rows] == [1, 2, 3]
    demo, lamps, water = rows
    assert demo["errors"] > 0 and demo["first_error"]
    assert demo["claimed"] == 100.0
    assert lamps["claimed"] == 97.03 and lamps["score"] == 97.03 and lamps["grade"] == "优"
    assert water["unit"] == "青山县供水站" and water["year"] == 2019
    assert result.code == 1


def test_csv_has_a_byte_order_mark_for_excel(run: Run, demo_db: Path, tmp_path: Path) -> None:
    _two_more(run, tmp_path)
    path = tmp_path / "triage.csv"
    result = run("check", "--all", "--format", "csv")
    path.write_text(result.out, encoding="utf-8")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:4] == ["编号", "标题", "实施单位", "年度"]
    assert [row[0] for row in rows[1:]] == ["1", "2", "3"]
    assert rows[2][4:7] == ["97.03", "优", "97.03"]


def test_no_error_anywhere_exits_zero(run: Run, tmp_path: Path) -> None:
    (tmp_path / "form.xlsx").write_bytes(form_xlsx([("路灯", national_form())]))
    assert run("import", "form.xlsx").code == 0
    result = run("check", "--all", "--format", "json")
    (row,) = json.loads(result.out)
    assert (row["errors"], row["first_error"], result.code) == (0, None, 0)


def test_a_report_and_all_are_exclusive(run: Run, demo_db: Path) -> None:
    assert "不能同时使用" in assert_one_chinese_error(run("check", "1", "--all"))
    assert "--all" in assert_one_chinese_error(run("check"))
    assert "只用于 --all" in assert_one_chinese_error(run("check", "1", "--format", "csv"))


def test_many_reports_are_shared_out_among_processes_with_the_same_result(
    run: Run,
    demo_db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import argparse

    from tui import commands

    _two_more(run, tmp_path)
    args = argparse.Namespace(db=str(demo_db), all=True, report=None, format="json")
    assert commands.cmd_check(args) == 1
    alone = json.loads(capsys.readouterr().out)
    monkeypatch.setattr(commands, "PARALLEL_FROM", 2)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert commands.cmd_check(args) == 1
    assert json.loads(capsys.readouterr().out) == alone


def test_a_damaged_report_is_a_line_of_its_own_and_the_others_are_checked(
    run: Run, demo_db: Path, tmp_path: Path
) -> None:
    import sqlite3

    _two_more(run, tmp_path)
    conn = sqlite3.connect(demo_db)
    conn.execute("UPDATE reports SET money_unit = '美元' WHERE id = 2")
    conn.commit()
    conn.close()
    result = run("check", "--all", "--format", "json")
    rows = json.loads(result.out)
    assert [row["id"] for row in rows] == [1, 2, 3]
    assert rows[1]["title"] == "（无法读取）" and "#2" in rows[1]["first_error"] and rows[1]["errors"] == 1
    assert rows[2]["unit"] == "青山县供水站"
    assert result.code == 1
