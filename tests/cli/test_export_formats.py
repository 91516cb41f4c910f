"""`jixiao export` picks Markdown, Word, Excel or JSON by --format or by the output file's extension."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import zipfile
from pathlib import Path

from tests.cli.conftest import Run, assert_one_chinese_error, jixiao_executable


def test_output_extension_picks_word_and_excel(run: Run, demo_db: Path, tmp_path: Path) -> None:
    for name, part in (("报告.docx", "word/document.xml"), ("自评表.xlsx", "xl/workbook.xml")):
        target = tmp_path / name
        result = run("export", "1", "-o", str(target))
        assert result.code == 0, result.err
        assert result.out == f"已导出到 {target}\n"
        with zipfile.ZipFile(target) as archive:
            assert part in archive.namelist()
        assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_format_flag_names_the_default_file_without_repeating_the_titles_year(
    run: Run, demo_db: Path, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    result = run("export", "1", "--format", "docx", cwd=work)
    assert result.code == 0, result.err
    assert [p.name for p in work.iterdir()] == ["2020年度青岚街道工作经费项目支出绩效自评报告.docx"]


def test_a_title_without_its_year_gets_the_year_in_the_file_name(run: Run, tmp_path: Path) -> None:
    created = run(
        "new",
        "--title",
        "社区服务经费项目支出绩效自评报告",
        "--unit",
        "某街道",
        "--department",
        "某区",
        "--year",
        "2023",
    )
    assert created.code == 0, created.err
    work = tmp_path / "work"
    work.mkdir()
    result = run("export", "1", "--format", "xlsx", cwd=work)
    assert result.code == 0, result.err
    assert [p.name for p in work.iterdir()] == ["社区服务经费项目支出绩效自评报告-2023.xlsx"]


def test_a_format_that_contradicts_the_extension_is_refused_and_nothing_is_written(
    run: Run, demo_db: Path, tmp_path: Path
) -> None:
    target = tmp_path / "报告.docx"
    result = run("export", "1", "--format", "md", "-o", str(target))
    line = assert_one_chinese_error(result)
    assert ".docx" in line and "--format md" in line
    assert not target.exists()


def test_an_unknown_extension_without_a_format_is_markdown(run: Run, demo_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "报告.txt"
    result = run("export", "1", "-o", str(target))
    assert result.code == 0, result.err
    assert target.read_text(encoding="utf-8").startswith("# 2020年度青岚街道工作经费项目支出绩效自评报告\n")


def test_word_goes_to_a_pipe_as_bytes(demo_db: Path, tmp_path: Path) -> None:
    completed = subprocess.run(
        [str(jixiao_executable()), "export", "1", "--format", "docx", "-o", "-"],
        capture_output=True,
        env={**os.environ, "JIXIAO_DB": str(demo_db), "JIXIAO_LOG_DIR": str(tmp_path / "logs")},
        stdin=subprocess.DEVNULL,
        check=False,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr.decode()
    with zipfile.ZipFile(io.BytesIO(completed.stdout)) as archive:  # the bytes reached the pipe unchanged
        assert "word/document.xml" in archive.namelist()
