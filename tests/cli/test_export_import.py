"""`jixiao export` and `jixiao import`: files written atomically, never clobbered, round trips exact."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from tests.cli.conftest import Run, assert_one_chinese_error

DEFAULT_NAME = "2020年度青岚街道工作经费项目支出绩效自评报告.md"  # the title names the year already


def test_export_writes_markdown_named_after_title_and_year_in_the_current_folder(
    run: Run, demo_db: Path, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    result = run("export", "1", cwd=work)
    assert result.code == 0, result.err
    written = work / DEFAULT_NAME
    assert result.out == f"已导出到 {DEFAULT_NAME}\n"
    text = written.read_text(encoding="utf-8")
    total_row = next(line for line in text.splitlines() if line.startswith("| 合计"))
    assert "483.30" in total_row
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert sorted(p.name for p in work.iterdir()) == [DEFAULT_NAME]  # no temp file left behind


def test_export_refuses_to_overwrite_without_force_and_overwrites_with_it(
    run: Run, demo_db: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out.md"
    target.write_text("我的旧稿\n", encoding="utf-8")
    refused = run("export", "1", "-o", str(target))
    line = assert_one_chinese_error(refused)
    assert "--force" in line and str(target) in line
    assert target.read_text(encoding="utf-8") == "我的旧稿\n"
    forced = run("export", "1", "-o", str(target), "--force")
    assert forced.code == 0, forced.err
    assert "| 合计" in target.read_text(encoding="utf-8")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_export_to_stdout_writes_no_file(run: Run, demo_db: Path, tmp_path: Path) -> None:
    before = sorted(tmp_path.iterdir())
    result = run("export", "1", "-o", "-")
    assert result.code == 0 and result.err == "", result
    assert result.out.startswith("# ")
    assert any(line.startswith("| 合计") and "483.30" in line for line in result.out.splitlines())
    assert sorted(tmp_path.iterdir()) == before
    to_file = run("export", "1", "-o", "r.md")
    assert to_file.code == 0
    assert (tmp_path / "r.md").read_text(encoding="utf-8") == result.out


def test_export_never_writes_through_a_symlink(run: Run, demo_db: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("别人的文件\n", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(victim)
    refused = run("export", "1", "-o", str(link))
    assert "符号链接" in assert_one_chinese_error(refused)
    assert link.is_symlink() and victim.read_text(encoding="utf-8") == "别人的文件\n"
    forced = run("export", "1", "-o", str(link), "--force")
    assert forced.code == 0, forced.err
    assert not link.is_symlink()  # the link itself was replaced by the export ...
    assert "| 合计" in link.read_text(encoding="utf-8")
    assert victim.read_text(encoding="utf-8") == "别人的文件\n"  # ... and its target left alone


def test_export_refuses_a_dangling_symlink_without_force(run: Run, demo_db: Path, tmp_path: Path) -> None:
    link = tmp_path / "dangling.md"
    link.symlink_to(tmp_path / "would-be-created.md")
    assert_one_chinese_error(run("export", "1", "-o", str(link)))
    assert not (tmp_path / "would-be-created.md").exists()


def test_export_never_replaces_a_pipe_or_device_even_with_force(
    run: Run, demo_db: Path, tmp_path: Path
) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    (tmp_path / "stdout").symlink_to(pipe)  # like /dev/stdout -> /proc/self/fd/1
    for target in ("pipe", "stdout"):
        line = assert_one_chinese_error(run("export", "1", "-o", target, "--force"))
        assert "-o -" in line
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    assert (tmp_path / "stdout").is_symlink()


@pytest.mark.parametrize("where", ["missing/out.md", "folder"])
def test_export_to_a_bad_place_is_one_chinese_line(
    run: Run, demo_db: Path, tmp_path: Path, where: str
) -> None:
    (tmp_path / "folder").mkdir()
    assert_one_chinese_error(run("export", "1", "-o", str(tmp_path / where), "--force"))
    assert not (tmp_path / "missing").exists()
    assert list((tmp_path / "folder").iterdir()) == []


def test_export_of_a_very_long_title_gets_a_file_name_the_system_accepts(
    run: Run, db: Path, tmp_path: Path
) -> None:
    title = "很长的项目名称" * 30
    created = run("new", "--title", title, "--unit", "某单位", "--department", "某部门", "--year", "2021")
    assert created.code == 0, created.err
    result = run("export", "1")
    assert result.code == 0, result.err
    [written] = [p for p in tmp_path.iterdir() if p.suffix == ".md"]
    assert written.name.endswith("-2021.md") and written.name.startswith("很长的项目名称")
    assert len(os.fsencode(written.name)) <= 255


def test_json_export_then_import_gives_back_the_same_report(run: Run, demo_db: Path, tmp_path: Path) -> None:
    exported = run("export", "1", "--format", "json", "-o", "demo.json")
    assert exported.code == 0, exported.err
    imported = run("import", "demo.json")
    assert imported.code == 0, imported.err
    assert imported.out.startswith("已导入为报告 #2：")
    first = json.loads((tmp_path / "demo.json").read_text(encoding="utf-8"))
    again = json.loads(run("export", "2", "--format", "json", "-o", "-").out)
    assert (first.pop("id"), again.pop("id")) == (1, 2)
    assert again == first
    assert run("check", "2").out.replace("#2", "#1") == run("check", "1").out


def test_import_accepts_a_json_file_saved_with_a_byte_order_mark(
    run: Run, demo_db: Path, tmp_path: Path
) -> None:
    text = run("export", "1", "--format", "json", "-o", "-").out
    (tmp_path / "bom.json").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    result = run("import", "bom.json")
    assert result.code == 0, result.err
    assert result.out.startswith("已导入为报告 #2")


MALFORMED: dict[str, bytes] = {
    "bad-json": b'{"format": "jixiao-report", ',
    "a-list": b"[1, 2, 3]",
    "another-program": json.dumps({"name": "x", "items": []}).encode(),
    "wrong-field": json.dumps(
        {"format": "jixiao-report", "version": 1, "title": "某项目", "year": "明年"}
    ).encode(),
    "unknown-template": json.dumps(
        {"format": "jixiao-report", "version": 1, "title": "某项目", "template_id": "nine_part"}
    ).encode(),
    "newer-version": json.dumps({"format": "jixiao-report", "version": 99, "title": "某项目"}).encode(),
    "huge-number": b'{"format": "jixiao-report", "version": 1, "year": 1' + b"0" * 5000 + b"}",
    "deeply-nested": b"[" * 100_000 + b"]" * 100_000,
    "empty": b"",
    "blank": b" \n\t\n",
    "binary": bytes(range(256)) * 8,
    "not-utf8": '{"title": "项目"}'.encode("gb18030"),
}


@pytest.mark.parametrize("kind", sorted(MALFORMED))
def test_a_malformed_import_file_is_one_chinese_line_and_changes_nothing(
    run: Run, demo_db: Path, tmp_path: Path, kind: str
) -> None:
    source = tmp_path / f"{kind}.json"
    source.write_bytes(MALFORMED[kind])
    before = demo_db.read_bytes()
    line = assert_one_chinese_error(run("import", source.name))
    assert source.name in line
    assert demo_db.read_bytes() == before
    assert source.read_bytes() == MALFORMED[kind]
    for english in ("Expecting", "codec", "char ", "line 1 column"):
        assert english not in line


def test_importing_a_missing_file_or_a_folder_is_one_chinese_line(
    run: Run, demo_db: Path, tmp_path: Path
) -> None:
    assert "找不到" in assert_one_chinese_error(run("import", "nowhere.json"))
    (tmp_path / "folder.json").mkdir()
    assert "目录" in assert_one_chinese_error(run("import", "folder.json"))
