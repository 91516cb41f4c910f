"""What goes wrong with the database: one Chinese line on stderr, exit 2, and nothing overwritten."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.conftest import SHORT_BUSY_MS, Run, assert_one_chinese_error, without_root_override

EVERY_VERB = [
    ["list"],
    ["check", "1"],
    ["export", "1", "-o", "-"],
    ["history", "1"],
    ["undo", "1"],
    ["demo", "--no-open"],
    ["new", "--title", "某项目", "--unit", "甲", "--department", "乙", "--year", "2021"],
]


def _siblings(db: Path) -> list[str]:
    return sorted(p.name for p in db.parent.iterdir())


def test_an_unknown_report_names_what_was_asked(run: Run, demo_db: Path) -> None:
    before = demo_db.read_bytes()
    for verb in ("check", "export", "history", "undo", "open"):
        line = assert_one_chinese_error(run(verb, "42"))
        assert "“42”" in line and "jixiao list" in line
    assert demo_db.read_bytes() == before


def test_an_ambiguous_title_prefix_lists_the_candidates(run: Run, demo_db: Path) -> None:
    assert run("export", "1", "--format", "json", "-o", "copy.json").code == 0
    assert run("import", "copy.json").code == 0
    line = assert_one_chinese_error(run("check", "2020年度"))
    assert "#1" in line and "#2" in line and "不止一份" in line


def test_reading_verbs_on_a_missing_database_create_nothing(run: Run, db: Path) -> None:
    for verb in (["check", "1"], ["export", "1"], ["history", "1"], ["undo", "1"]):
        line = assert_one_chinese_error(run(*verb))
        assert "不存在" in line and str(db) in line
    assert not db.parent.exists()


@pytest.mark.parametrize(
    "content",
    [
        os.urandom(70_000),
        "这不是数据库，只是一段文字。\n".encode() * 50,
        b"SQLite format 3\x00" + os.urandom(4_000),
    ],
    ids=["random-bytes", "text", "damaged-header"],
)
def test_a_file_that_is_not_a_jixiao_database_is_refused_untouched(
    run: Run, db: Path, content: bytes
) -> None:
    db.parent.mkdir(parents=True)
    db.write_bytes(content)
    # every verb once on random bytes; the other kinds of file with one reading and one writing verb
    verbs = EVERY_VERB if len(content) == 70_000 else [["check", "1"], ["demo", "--no-open"]]
    for verb in verbs:
        line = assert_one_chinese_error(run(*verb))
        assert str(db) in line
    assert db.read_bytes() == content
    assert _siblings(db) == [db.name]  # no -wal or -shm left behind either


def test_another_programs_sqlite_database_is_refused_untouched(run: Run, db: Path) -> None:
    db.parent.mkdir(parents=True)
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.execute("INSERT INTO notes VALUES ('买菜')")
    conn.close()
    before = db.read_bytes()
    line = assert_one_chinese_error(run("demo", "--no-open"))
    assert "其他程序" in line
    assert db.read_bytes() == before


def test_a_database_from_a_newer_jixiao_is_refused_untouched(run: Run, demo_db: Path) -> None:
    with sqlite3.connect(demo_db) as conn:
        conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = demo_db.read_bytes()
    line = assert_one_chinese_error(run("check", "1"))
    assert "更新版本" in line and "99" in line
    assert demo_db.read_bytes() == before


@pytest.fixture
def held_write_lock(demo_db: Path) -> Iterator[sqlite3.Connection]:
    """Another writer (this test process) holding the database's write lock."""
    conn = sqlite3.connect(demo_db, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    yield conn
    conn.execute("ROLLBACK")
    conn.close()


@pytest.mark.parametrize(
    "verb",
    [
        ["undo", "1"],
        ["demo", "--no-open"],
        ["import", "copy.json"],
        ["new", "--title", "某项目", "--unit", "甲", "--department", "乙", "--year", "2021"],
    ],
    ids=["undo", "demo", "import", "new"],
)
def test_a_write_blocked_past_the_timeout_is_one_line_and_writes_nothing(
    run: Run, demo_db: Path, tmp_path: Path, verb: list[str]
) -> None:
    (tmp_path / "copy.json").write_text(
        run("export", "1", "--format", "json", "-o", "-").out, encoding="utf-8"
    )
    conn = sqlite3.connect(demo_db, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        result = run(*verb, env={"JIXIAO_BUSY_TIMEOUT_MS": SHORT_BUSY_MS})
        elapsed = time.monotonic() - started
        assert "占用" in assert_one_chinese_error(result)
        assert elapsed < 4  # 200 ms, not the default five seconds
    finally:
        conn.execute("ROLLBACK")
        conn.close()
    summary = run("list").out
    assert summary.count("\n") == 3  # header, rule and the demo: nothing was added


def test_reading_works_while_another_program_writes(run: Run, held_write_lock: sqlite3.Connection) -> None:
    result = run("check", "1", env={"JIXIAO_BUSY_TIMEOUT_MS": SHORT_BUSY_MS})
    assert result.code == 1 and "执行率 99.24%" in result.out, result


def test_a_bad_busy_timeout_setting_is_one_chinese_line(run: Run, demo_db: Path) -> None:
    line = assert_one_chinese_error(run("check", "1", env={"JIXIAO_BUSY_TIMEOUT_MS": "soon"}))
    assert "JIXIAO_BUSY_TIMEOUT_MS" in line


def test_a_read_only_folder_is_one_line_and_leaves_the_database_as_it_was(
    run: Run, demo_db: Path, tmp_path: Path
) -> None:
    prefix = without_root_override()
    (tmp_path / "copy.json").write_text(
        run("export", "1", "--format", "json", "-o", "-").out, encoding="utf-8"
    )
    before = demo_db.read_bytes()
    folder = demo_db.parent
    folder.chmod(0o500)
    try:
        for verb in (["import", "copy.json"], ["undo", "1"], ["check", "1"], ["list"]):
            line = assert_one_chinese_error(run(*verb, prefix=prefix))
            assert "只读" in line and str(demo_db) in line
        fresh = folder / "new.db"
        assert_one_chinese_error(run("demo", "--no-open", env={"JIXIAO_DB": str(fresh)}, prefix=prefix))
    finally:
        folder.chmod(0o700)
    assert demo_db.read_bytes() == before
    assert _siblings(demo_db) == [demo_db.name]
