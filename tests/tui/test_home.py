"""The home screen: the report list, new, copy, next year, delete, the empty-database offer."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input

from report.model import Report
from storage.store import ReportStore
from tests.tui.harness import draft_screen, new_report, screen_text
from tui.app import JixiaoApp
from tui.screens.home import PAGE_ROWS, HomeScreen


async def test_an_empty_database_offers_the_demo_and_new(tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    app = JixiaoApp(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        assert "数据库中还没有报告" in shown
        assert "按 M 打开示例报告" in shown and "按 N 新建" in shown
        await pilot.press("m")
        await pilot.pause()
        screen = draft_screen(app)
        assert "青岚街道" in screen.session.report.title
    with ReportStore.open(db) as store:
        assert [s.year for s in store.list_summaries()] == [2020]


async def test_new_report_from_the_short_form(tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    app = JixiaoApp(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#title").value = "2021年度某学校教学经费项目支出绩效自评报告"  # type: ignore[attr-defined]
        app.screen.query_one("#year").value = "2021"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert draft_screen(app).session.report.year == 2021
    with ReportStore.open(db) as store:
        [summary] = store.list_summaries()
    assert summary.title == "2021年度某学校教学经费项目支出绩效自评报告"


async def test_the_form_refuses_an_empty_title(tmp_path: Path) -> None:
    app = JixiaoApp(tmp_path / "jixiao.db")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert "请填写报告标题" in screen_text(app)


async def test_list_open_copy_next_year_and_delete(tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    report_id = new_report(db, "2020年度甲街道工作经费项目支出绩效自评报告")
    app = JixiaoApp(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "2020年度甲街道工作经费项目支出绩效自评报告" in screen_text(app)
        await pilot.press("y")  # 复制为新年度
        await pilot.pause()
        assert draft_screen(app).session.report.year == 2021
        await pilot.press("ctrl+o")  # back to the list
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "2021年度甲街道" in screen_text(app)
        await pilot.press("c")  # copy the highlighted one
        await pilot.pause()
        assert "已复制为" in screen_text(app)
        with ReportStore.open(db) as store:
            assert len(store.list_summaries()) == 3
        home = app.screen
        assert isinstance(home, HomeScreen)
        highlighted = home.selected_id()
        assert highlighted == report_id  # the selection stays on the report it was on
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("n")  # 取消
        await pilot.pause()
        assert "已取消删除" in screen_text(app)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert "已删除" in screen_text(app)
    with ReportStore.open(db) as store:
        remaining = store.list_summaries()
    assert len(remaining) == 2
    assert report_id not in {s.id for s in remaining}


async def test_enter_opens_the_highlighted_report(tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    report_id = new_report(db)
    app = JixiaoApp(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert draft_screen(app).session.report_id == report_id


async def test_import_last_years_report_from_the_home_screen(tmp_path: Path, sample_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    app = JixiaoApp(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one("#path").value = str(sample_path)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        screen = draft_screen(app)
        report = screen.session.report
        assert len(report.budget_lines) == 11
        assert report.claimed_total == 100
        # the import summary is shown, then the findings list holds what the checks found
        codes = {finding.code for finding in screen.session.findings}
        assert {"budget.lines_sum", "score.claimed_impossible", "coverage.no_timeliness"} <= codes
        assert any("预算明细 11 行" in n.message for n in app._notifications)


async def test_a_bad_import_file_is_refused_with_a_message(tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    binary = tmp_path / "报告.docx"
    binary.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    app = JixiaoApp(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one("#path").value = str(binary)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        # a .docx is read as Word now: one that is not really one is said to be broken, nothing imported
        assert any("不是完整的 Word/Excel 文件" in n.message for n in app._notifications)
    with ReportStore.open(db) as store:
        assert store.list_summaries() == []


async def test_a_long_list_shows_a_page_and_loads_more_at_the_end(tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    with ReportStore.open(db) as store:
        for number in range(PAGE_ROWS + 30):
            store.create(Report(title=f"2020年度第{number}号街道工作经费项目支出绩效自评报告"))
    app = JixiaoApp(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#reports", DataTable)
        assert table.row_count == PAGE_ROWS
        assert f"显示最近编辑的 {PAGE_ROWS} 份，共 {PAGE_ROWS + 30} 份" in screen_text(app)
        assert f"第{PAGE_ROWS + 29}号" in screen_text(app)  # newest first
        await pilot.press("end")
        await pilot.pause()
        assert table.row_count == PAGE_ROWS + 30
        await pilot.press("end")
        await pilot.pause()
        assert "第0号" in screen_text(app)


async def test_the_bottom_line_lists_the_keys_of_the_screen(tmp_path: Path) -> None:
    new_report(tmp_path / "jixiao.db")
    app = JixiaoApp(tmp_path / "jixiao.db")
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        bottom = screen_text(app).splitlines()[-1]
        assert "O 打开" in bottom and "N 新建" in bottom and "^p 命令" in bottom
        assert bottom.count("退出") == 1  # Q and ctrl+q do the same: shown once


async def test_opening_a_report_directly_builds_the_list_only_when_asked(tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    report_id = new_report(db)
    app = JixiaoApp(db, report_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert draft_screen(app).session.report_id == report_id
        assert not any(isinstance(screen, HomeScreen) for screen in app.screen_stack)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "测试街道" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert draft_screen(app).session.report_id == report_id


async def test_the_new_report_year_follows_the_title_until_edited(tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    app = JixiaoApp(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"2021年度某学校教学设备经费项目支出绩效自评报告")
        await pilot.pause()
        year = app.screen.query_one("#year", Input)
        assert year.value == "2021"
        year.focus()
        await pilot.press("end", "backspace", "0")  # the user's own year wins from now on
        app.screen.query_one("#title", Input).value = "2019年度某学校教学设备经费项目支出绩效自评报告"
        await pilot.pause()
        assert year.value == "2020"
        await pilot.press("enter")
        await pilot.pause()
        assert draft_screen(app).session.report.year == 2020
