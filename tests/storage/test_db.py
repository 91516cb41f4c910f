"""Opening the database: private files, WAL, schema versions, migrations, refusing foreign files."""

from __future__ import annotations

import sqlite3
import stat
from decimal import Decimal
from pathlib import Path

import pytest

from report.model import Report
from storage.db import (
    APPLICATION_ID,
    MIGRATIONS,
    SCHEMA_VERSION,
    Migration,
    open_database,
    schema_version,
)
from storage.errors import CorruptDatabaseError, NewerSchemaError, NotFoundError, StorageError
from storage.store import ReportStore
from tests.storage.conftest import file_bytes


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_database_and_its_wal_files_are_private(db_path: Path) -> None:
    db = open_database(db_path)
    db.execute(
        "INSERT INTO reports (title, year, template_id, money_unit, created_at, updated_at) "
        "VALUES ('t', 2020, 'eight_part', '万元', 'x', 'x')"
    )
    try:
        assert _mode(db_path) == 0o600
        assert _mode(db_path.parent) == 0o700
        for suffix in ("-wal", "-shm"):
            companion = db_path.with_name(db_path.name + suffix)
            assert companion.exists()
            assert _mode(companion) == 0o600
    finally:
        db.close()


def test_new_database_uses_wal_foreign_keys_and_busy_timeout(db_path: Path) -> None:
    db = open_database(db_path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert schema_version(db) == SCHEMA_VERSION
    assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert {"reports", "budget_lines", "indicators", "answers", "drafts", "revisions"} <= set(
        db.table_names()
    )
    db.close()
    quick = open_database(db_path, busy_timeout_ms=50)
    assert quick.execute("PRAGMA busy_timeout").fetchone()[0] == 50
    quick.close()


def test_reopening_keeps_the_data(db_path: Path) -> None:
    with ReportStore.open(db_path) as store:
        created = store.create(Report(title="某项目"))
    with ReportStore.open(db_path) as store:
        assert store.load(created.id or 0).title == "某项目"


def _plain_sqlite(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def test_newer_schema_is_refused_and_the_file_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    _plain_sqlite(
        path,
        f"PRAGMA application_id = {APPLICATION_ID}",
        "CREATE TABLE reports (id INTEGER PRIMARY KEY, shiny TEXT)",
        "INSERT INTO reports (shiny) VALUES ('new')",
        f"PRAGMA user_version = {SCHEMA_VERSION + 1}",
    )
    before = file_bytes(path)
    with pytest.raises(NewerSchemaError) as caught:
        open_database(path)
    assert file_bytes(path) == before
    assert str(path) in caught.value.message
    assert "升级" in caught.value.message


def test_a_file_that_is_not_sqlite_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes("这不是数据库，只是一份笔记。\n".encode() * 200)
    before = file_bytes(path)
    with pytest.raises(CorruptDatabaseError) as caught:
        ReportStore.open(path)
    assert file_bytes(path) == before
    assert str(path) in caught.value.message
    assert not path.with_name("notes.db-wal").exists()


def test_another_programs_sqlite_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    _plain_sqlite(path, "CREATE TABLE contacts (name TEXT)", "INSERT INTO contacts VALUES ('张三')")
    before = file_bytes(path)
    with pytest.raises(CorruptDatabaseError, match="其他程序"):
        open_database(path)
    assert file_bytes(path) == before


def _v1_file(path: Path) -> None:
    """A database exactly as migration 1 alone leaves it, with one report in it."""
    _plain_sqlite(
        path,
        *MIGRATIONS[0].statements,
        "PRAGMA user_version = 1",
        "INSERT INTO reports (title, year, template_id, money_unit, revision, created_at, updated_at) "
        "VALUES ('龙城区司法局2020年度项目', 2020, 'eight_part', '万元', 1, "
        "'2021-01-01T00:00:00+00:00', '2021-01-01T00:00:00+00:00')",
        "INSERT INTO answers (report_id, step_id, text) VALUES (1, 'problems', '无')",
    )


_ADD_PRIORITY = Migration(
    2,
    "reports get a priority, derived from the year",
    ("ALTER TABLE reports ADD COLUMN priority INTEGER NOT NULL DEFAULT 0",),
    run=lambda conn: conn.execute("UPDATE reports SET priority = year - 2000"),
)


def test_a_v1_file_is_upgraded_by_a_later_migration(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    _v1_file(path)
    db = open_database(path, migrations=(*MIGRATIONS[:1], _ADD_PRIORITY))
    assert schema_version(db) == 2
    assert db.execute("SELECT title, priority FROM reports").fetchall() == [("龙城区司法局2020年度项目", 20)]
    db.close()
    # and the upgraded file is now too new for code that stops at version 1
    with pytest.raises(NewerSchemaError):
        open_database(path, migrations=MIGRATIONS[:1])


def test_a_v1_file_opens_with_the_current_code(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    _v1_file(path)
    with ReportStore.open(path) as store:
        report = store.load(1)
        assert report.title == "龙城区司法局2020年度项目"
        assert report.answers == {"problems": "无"}
        assert schema_version(store.db) == SCHEMA_VERSION


def test_a_failing_migration_leaves_the_previous_version_intact(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    _v1_file(path)
    broken = Migration(
        2, "half done", ("ALTER TABLE reports ADD COLUMN x TEXT", "SELECT * FROM no_such_table")
    )
    with pytest.raises(StorageError) as caught:
        open_database(path, migrations=(*MIGRATIONS[:1], broken))
    assert str(path) in caught.value.message
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    columns = [row[1] for row in conn.execute("PRAGMA table_info(reports)")]
    assert "x" not in columns
    assert conn.execute("SELECT count(*) FROM reports").fetchone()[0] == 1
    conn.close()


def test_migrations_must_be_numbered_in_order(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="expected 2"):
        open_database(tmp_path / "x.db", migrations=(MIGRATIONS[0], Migration(3, "gap", ())))


def test_read_only_open_of_a_missing_file_says_so(tmp_path: Path) -> None:
    path = tmp_path / "missing.db"
    with pytest.raises(NotFoundError, match="不存在"):
        open_database(path, read_only=True)
    assert not path.exists()


def test_a_folder_in_place_of_the_file_gives_a_storage_error(tmp_path: Path) -> None:
    (tmp_path / "dir.db").mkdir()
    with pytest.raises(StorageError) as caught:
        open_database(tmp_path / "dir.db")
    assert str(tmp_path / "dir.db") in caught.value.message


def test_a_file_in_place_of_the_folder_gives_a_storage_error(tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("x")
    with pytest.raises(StorageError) as caught:
        open_database(tmp_path / "plain" / "jixiao.db")
    assert "jixiao.db" in caught.value.message


def test_a_v2_file_gains_the_stated_execution_score(tmp_path: Path) -> None:
    """Migration 3: a file from before the 执行率得分 field opens, its report intact, and can store one."""
    path = tmp_path / "v2.db"
    _plain_sqlite(
        path,
        *MIGRATIONS[0].statements,
        *MIGRATIONS[1].statements,
        "PRAGMA user_version = 2",
        "INSERT INTO reports (title, year, template_id, money_unit, funds_annual_budget, funds_actual_spent, "
        "revision, created_at, updated_at) VALUES ('某街道2021年度项目', 2021, 'seven_part_2020', '万元', "
        "'120', '103.44', 1, '2022-01-01T00:00:00+00:00', '2022-01-01T00:00:00+00:00')",
    )
    with ReportStore.open(path) as store:
        assert schema_version(store.db) == SCHEMA_VERSION == 3
        report = store.load(1)
        assert report.funds.annual_budget == Decimal("120")
        assert report.funds.stated_execution_score is None
        store.apply(1, "funds.stated_execution_score", Decimal("9.00"), report.revision)
    with ReportStore.open(path) as store:
        assert store.load(1).funds.stated_execution_score == Decimal("9.00")
