"""SQLite failures reach callers as StorageError subclasses with a Chinese message and the file."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

from report.model import BudgetLine, Report
from storage.db import open_database
from storage.errors import (
    CorruptDatabaseError,
    DatabaseLockedError,
    DiskFullError,
    ReadOnlyError,
    StorageError,
    translate,
)
from storage.store import ReportStore
from tests.storage.conftest import SHORT_BUSY_MS


def test_a_write_blocked_past_the_busy_timeout_raises_locked(store: ReportStore, db_path: Path) -> None:
    report = store.create(Report(title="某项目"))
    assert report.id is not None
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE reports SET unit_name = '他人' WHERE id = ?", (report.id,))
    try:
        started = time.monotonic()
        with pytest.raises(DatabaseLockedError) as caught:
            store.apply(report.id, "title", "新标题", 1)
        assert time.monotonic() - started >= SHORT_BUSY_MS / 1000 * 0.9  # it did wait
        assert str(db_path) in caught.value.message
        assert "稍后重试" in caught.value.message
    finally:
        other.execute("ROLLBACK")
        other.close()
    # once the other writer is gone the same change goes through
    assert store.apply(report.id, "title", "新标题", 1) == 2
    assert store.load(report.id).title == "新标题"


def test_reading_is_not_blocked_by_another_writer(store: ReportStore, db_path: Path) -> None:
    report = store.create(Report(title="某项目"))
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE reports SET title = '未提交'")
    try:
        assert store.load(report.id or 0).title == "某项目"
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_writing_a_database_opened_read_only_raises_read_only(db_path: Path) -> None:
    with ReportStore.open(db_path) as writer:
        report = writer.create(Report(title="某项目"))
    assert report.id is not None
    reader = ReportStore.open(db_path, read_only=True)
    try:
        assert reader.load(report.id).title == "某项目"
        with pytest.raises(ReadOnlyError) as caught:
            reader.apply(report.id, "title", "改不了", 1)
        assert str(db_path) in caught.value.message
        with pytest.raises(ReadOnlyError):
            reader.create(Report(title="另一个"))
        assert [s.title for s in reader.list_summaries()] == ["某项目"]
        assert reader.history(report.id) == []
    finally:
        reader.close()


_TRY_TO_WRITE = """
import sys
from storage.errors import StorageError
from storage.store import ReportStore
try:
    store = ReportStore.open(sys.argv[1])
    store.apply(1, "title", "改不了", 1)
    print("written")
except StorageError as error:
    print(type(error).__name__, error.message)
"""


def _without_root_override() -> list[str]:
    """A command prefix under which file permissions bind, even for root; skip if impossible."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    caps = "-dac_override,-dac_read_search"
    if setpriv is None or subprocess.run([setpriv, f"--bounding-set={caps}", "true"], check=False).returncode:
        pytest.skip(
            "running as root, which ignores file permissions, and setpriv cannot drop that power here"
        )
    return [setpriv, f"--bounding-set={caps}", f"--inh-caps={caps}"]


@pytest.mark.parametrize("folder_writable", [True, False])
def test_a_file_without_write_permission_raises_read_only(db_path: Path, folder_writable: bool) -> None:
    with ReportStore.open(db_path) as writer:
        writer.create(Report(title="某项目"))
    db_path.chmod(0o400)
    if not folder_writable:
        db_path.parent.chmod(0o500)
    try:
        result = subprocess.run(
            [*_without_root_override(), sys.executable, "-c", _TRY_TO_WRITE, str(db_path)],
            capture_output=True,
            text=True,
            check=False,
            cwd=Path(__file__).resolve().parents[2],
        )
    finally:
        db_path.parent.chmod(0o700)
        db_path.chmod(0o600)
    assert result.stdout.startswith("ReadOnlyError"), result.stdout + result.stderr
    assert str(db_path) in result.stdout
    with ReportStore.open(db_path) as reader:
        assert reader.load(1).title == "某项目"


def test_a_full_disk_raises_disk_full_and_keeps_earlier_data(store: ReportStore) -> None:
    kept = store.create(Report(title="已保存的报告", answers={"problems": "无"}))
    assert kept.id is not None
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages}")
    big = "很长的回答。" * 20_000
    with pytest.raises(DiskFullError) as caught:
        store.apply(kept.id, "answers.problems", big, 1)
    assert "磁盘空间不足" in caught.value.message
    assert str(store.path) in caught.value.message
    with pytest.raises(DiskFullError):
        store.create(Report(title="放不下", budget_lines=[BudgetLine(big, Decimal(1))]))
    assert store.load(kept.id) == kept
    assert store.history(kept.id) == []
    assert [s.title for s in store.list_summaries()] == ["已保存的报告"]
    # room again: the store still works on the same connection
    store.db.execute("PRAGMA max_page_count = 1073741823")
    assert store.apply(kept.id, "answers.problems", big, 1) == 2


def test_damaged_rows_are_reported_as_a_corrupt_database(store: ReportStore) -> None:
    report = store.create(Report(title="某项目", budget_lines=[BudgetLine("办公", Decimal("49"))]))
    store.db.execute("UPDATE budget_lines SET amount = 'forty-nine'")
    with pytest.raises(CorruptDatabaseError) as caught:
        store.load(report.id or 0)
    assert f"#{report.id}" in caught.value.message
    assert "budget_lines[0].amount" in caught.value.message


@pytest.mark.parametrize(
    ("error", "kind", "words"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), DiskFullError, "磁盘空间不足"),
        (OSError(errno.EROFS, "Read-only file system"), ReadOnlyError, "只读"),
        (PermissionError(errno.EACCES, "Permission denied"), ReadOnlyError, "只读"),
        (sqlite3.OperationalError("database is locked"), DatabaseLockedError, "占用"),
        (sqlite3.DatabaseError("file is not a database"), CorruptDatabaseError, "损坏"),
        (sqlite3.OperationalError("unable to open database file"), StorageError, "无法打开"),
        (sqlite3.OperationalError("something new"), StorageError, "something new"),
    ],
)
def test_translate_names_the_problem_and_the_file(
    error: Exception, kind: type[StorageError], words: str
) -> None:
    assert isinstance(error, (OSError, sqlite3.Error))
    translated = translate(error, Path("/data/jixiao.db"))
    assert type(translated) is kind
    assert words in translated.message
    assert "/data/jixiao.db" in translated.message


@pytest.mark.skipif(
    not Path("/sys/kernel").is_dir(), reason="needs Linux sysfs, where mkdir is refused even to root"
)
def test_a_folder_that_cannot_be_created_raises_read_only(tmp_path: Path) -> None:
    target = Path("/sys/jixiao-test/jixiao.db")
    with pytest.raises(ReadOnlyError) as caught:
        open_database(target)
    assert str(target) in caught.value.message
    assert not target.parent.exists()


def test_a_missing_folder_that_cannot_be_created_names_the_file() -> None:
    # /proc refuses to create anything: the error still says which file and what to do
    target = Path("/proc/jixiao-test/jixiao.db")
    with pytest.raises(StorageError) as caught:
        open_database(target)
    assert str(target) in caught.value.message
    assert "--db" in caught.value.message
