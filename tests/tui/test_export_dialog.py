"""The export dialog: Markdown, Word and Excel from the drafting screen, chosen by extension or beside it."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from textual.widgets import Input, Select

from report.demo import build_demo_report
from storage.store import ReportStore
from tests.tui.harness import screen_text
from tui.app import JixiaoApp

SIZES = [(80, 24), (120, 40)]


def demo_db(tmp_path: Path) -> tuple[Path, int]:
    db = tmp_path / "jixiao.db"
    with ReportStore.open(db) as store:
        created = store.create(build_demo_report())
    assert created.id is not None
    return db, created.id


@pytest.mark.parametrize("size", SIZES)
async def test_choosing_word_changes_the_extension_and_writes_a_docx(
    tmp_path: Path, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    db, report_id = demo_db(tmp_path)
    app = JixiaoApp(db, report_id)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()
        path_field = app.screen.query_one("#path", Input)
        # the title names its year already: the default name does not repeat it
        assert path_field.value == str(tmp_path / "2020年度青岚街道工作经费项目支出绩效自评报告.md")
        assert "导出报告" in screen_text(app) and "Markdown" in screen_text(app)
        app.screen.query_one("#format", Select).value = "docx"
        await pilot.pause()
        assert path_field.value.endswith("自评报告.docx")
        path_field.focus()
        await pilot.press("enter")
        written = tmp_path / "2020年度青岚街道工作经费项目支出绩效自评报告.docx"
        for _ in range(100):  # the file is written, then the notification appears
            await pilot.pause(0.05)
            if app._notifications:
                break
        assert [n.message for n in app._notifications] == [f"已导出 Word 文件到 {written}"]
    with zipfile.ZipFile(written) as archive:
        assert "word/document.xml" in archive.namelist()
    assert oct(written.stat().st_mode & 0o777) == "0o600"


async def test_a_typed_xlsx_extension_selects_excel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    db, report_id = demo_db(tmp_path)
    app = JixiaoApp(db, report_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()
        path_field = app.screen.query_one("#path", Input)
        path_field.value = str(tmp_path / "自评表.xlsx")
        await pilot.pause()
        assert app.screen.query_one("#format", Select).value == "xlsx"
        await pilot.press("enter")
        await pilot.pause()
    with zipfile.ZipFile(tmp_path / "自评表.xlsx") as archive:
        assert "xl/workbook.xml" in archive.namelist()


async def test_an_existing_file_needs_a_second_enter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    db, report_id = demo_db(tmp_path)
    target = tmp_path / "旧稿.docx"
    target.write_bytes(b"old")
    app = JixiaoApp(db, report_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()
        app.screen.query_one("#path", Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert "已存在" in screen_text(app)
        assert target.read_bytes() == b"old"
        await pilot.press("enter")
        await pilot.pause()
    assert zipfile.is_zipfile(target)
