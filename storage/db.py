"""Open (and create, and upgrade) the SQLite database.

The file is private to its owner (mode 0600, and so are its ``-wal``/``-shm`` files), runs in
WAL mode with foreign keys on and a busy timeout. The schema version lives in
``PRAGMA user_version``; ``MIGRATIONS`` lists every step from an empty file to the current
schema, each run in its own transaction. Files that are not SQLite, not jixiao's, or newer than
this code are refused without being modified.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import sqlite_utils

from storage.errors import (
    NewerSchemaError,
    NotFoundError,
    StorageError,
    corrupt,
    read_only,
    translate,
)

DEFAULT_BUSY_TIMEOUT_MS = 5000
"""How long a write waits for another program's write to finish before giving up."""

APPLICATION_ID = 0x4A58414F
"""``PRAGMA application_id`` of every jixiao database ("JXAO"), set by migration 1."""


@dataclass(frozen=True)
class Migration:
    """One forward step of the schema: from ``version - 1`` to ``version``.

    ``statements`` run in order inside one transaction, then ``run`` (for data changes that need
    Python) if given. Foreign keys are off while migrations run and checked before commit, so a
    step may rebuild a table the SQLite way (create new, copy, drop, rename).
    """

    version: int
    description: str
    statements: tuple[str, ...]
    run: Callable[[sqlite3.Connection], object] | None = field(default=None, compare=False)


_FUNDS_COLUMNS = "\n".join(
    f"    funds_{name} TEXT,"
    for name in (
        "initial_budget",
        "annual_budget",
        "actual_spent",
        "received",
        "fiscal_current",
        "carried_over",
        "other",
        "stated_savings",
        "stated_execution_rate",
    )
)

SCHEMA_V1: tuple[str, ...] = (
    f"PRAGMA application_id = {APPLICATION_ID}",
    # AUTOINCREMENT: a deleted report's id is never reused, so a stale editor cannot write into
    # a newer report that happens to get the same number.
    f"""CREATE TABLE reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    unit_name TEXT NOT NULL DEFAULT '',
    department TEXT NOT NULL DEFAULT '',
    year INTEGER NOT NULL,
    template_id TEXT NOT NULL,
    money_unit TEXT NOT NULL,
{_FUNDS_COLUMNS}
    overall_goal TEXT NOT NULL DEFAULT '',
    overall_goal_actual TEXT NOT NULL DEFAULT '',
    stage_goals TEXT NOT NULL DEFAULT '',
    claimed_total TEXT,
    claimed_grade TEXT,
    weights TEXT,
    revision INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1),
    current_step TEXT,
    -- cached by the caller after each check, so the list needs no report bodies
    progress_done INTEGER,
    progress_total INTEGER,
    errors INTEGER,
    warnings INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
)""",
    "CREATE INDEX reports_by_updated ON reports (updated_at DESC, id DESC)",
    "CREATE INDEX reports_by_title ON reports (title)",
    """CREATE TABLE budget_lines (
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    amount TEXT NOT NULL,
    purpose TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (report_id, position)
)""",
    """CREATE TABLE indicators (
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    level2 TEXT NOT NULL,
    level1 TEXT,
    nature TEXT NOT NULL,
    operator TEXT,
    target TEXT NOT NULL DEFAULT '',
    unit TEXT NOT NULL DEFAULT '',
    actual TEXT NOT NULL DEFAULT '',
    weight TEXT,
    score TEXT,
    deviation_reason TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (report_id, position)
)""",
    """CREATE TABLE answers (
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    step_id TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (report_id, step_id)
)""",
    """CREATE TABLE drafts (
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    step_id TEXT NOT NULL,
    text TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (report_id, step_id)
)""",
    # One row per changed path; rows written together share a revision number. old/new hold
    # the JSON form of report.serialize.path_to_json. undo_of: the revision this row reverts;
    # undone_by: the revision that reverted this row.
    """CREATE TABLE revisions (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    path TEXT NOT NULL,
    old TEXT NOT NULL,
    new TEXT NOT NULL,
    at TEXT NOT NULL,
    user TEXT NOT NULL DEFAULT '',
    terminal TEXT NOT NULL DEFAULT '',
    undo_of INTEGER,
    undone_by INTEGER,
    UNIQUE (report_id, revision, path)
)""",
)
"""Migration 1: the first schema."""

SCHEMA_V2: tuple[str, ...] = (
    # Texts offered for Tab on a report carried over from last year (Report.suggestions), by
    # field path. Written once when the report is created; not a revisioned path.
    """CREATE TABLE suggestions (
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (report_id, path)
)""",
)
"""Migration 2: suggestions carried over from last year's report."""

SCHEMA_V3: tuple[str, ...] = (
    # Funds.stated_execution_score: the 执行率得分 the form states (RULES.md §6 #30); NULL when not given.
    "ALTER TABLE reports ADD COLUMN funds_stated_execution_score TEXT",
)
"""Migration 3: the stated execution score."""

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "the first schema", SCHEMA_V1),
    Migration(2, "suggestions carried over from last year", SCHEMA_V2),
    Migration(3, "the execution score the form states", SCHEMA_V3),
)
"""Every schema step, oldest first; ``MIGRATIONS[i].version == i + 1``."""

SCHEMA_VERSION = len(MIGRATIONS)
"""The schema version this code writes."""


def open_database(
    path: str | os.PathLike[str],
    *,
    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    read_only: bool = False,
    migrations: Sequence[Migration] = MIGRATIONS,
) -> sqlite_utils.Database:
    """Open the jixiao database at ``path``, creating and upgrading it as needed.

    Creates the parent folder (0700) and the file (0600) when missing, switches to WAL, turns
    foreign keys on and applies pending ``migrations``. ``read_only=True`` opens an existing,
    up-to-date file without ever writing to it (every write then raises ``ReadOnlyError``).

    Raises ``NewerSchemaError`` for a file from a newer jixiao and ``CorruptDatabaseError`` for
    one that is not a jixiao SQLite database — both leave the file untouched — and the other
    ``StorageError`` subclasses for locks, permissions and full disks.
    """
    _check_migrations(migrations)
    db_file = Path(path).expanduser()
    try:
        with _private_umask():
            if read_only:
                if not db_file.is_file():
                    raise NotFoundError(f"数据库文件 {db_file} 不存在；请检查 --db 或 JIXIAO_DB 的设置")
                target = f"file:{quote(str(db_file.absolute()))}?mode=ro"
                conn = sqlite3.connect(
                    target,
                    uri=True,
                    isolation_level=None,
                    check_same_thread=False,
                    timeout=busy_timeout_ms / 1000,
                )
            else:
                _create_private_file(db_file)
                conn = sqlite3.connect(
                    str(db_file),
                    isolation_level=None,
                    check_same_thread=False,
                    timeout=busy_timeout_ms / 1000,
                )
            try:
                _prepare(conn, db_file, busy_timeout_ms, read_only, migrations)
                return sqlite_utils.Database(conn, execute_plugins=False)
            except BaseException:
                conn.close()
                raise
    except StorageError:
        raise
    except (sqlite3.Error, OSError, UnicodeDecodeError) as error:
        raise translate(error, db_file) from error


def database_file(db: sqlite_utils.Database) -> Path:
    """The file behind an open database (for messages)."""
    for _seq, name, file in db.conn.execute("PRAGMA database_list").fetchall():
        if name == "main":
            return Path(file) if file else Path(":memory:")
    return Path(":memory:")  # pragma: no cover - every connection has a main database


def schema_version(db: sqlite_utils.Database) -> int:
    """The ``user_version`` of an open database."""
    return int(db.conn.execute("PRAGMA user_version").fetchone()[0])


def _check_migrations(migrations: Sequence[Migration]) -> None:
    for index, migration in enumerate(migrations):
        if migration.version != index + 1:
            raise ValueError(f"migration #{index} has version {migration.version}, expected {index + 1}")


@contextlib.contextmanager
def _private_umask() -> Iterator[None]:
    # SQLite creates -wal and -shm on first access; a tight umask keeps them private too.
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def _create_private_file(db_file: Path) -> None:
    db_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        descriptor = os.open(db_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    os.close(descriptor)


def _prepare(
    conn: sqlite3.Connection,
    db_file: Path,
    busy_timeout_ms: int,
    is_read_only: bool,
    migrations: Sequence[Migration],
) -> None:
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    # Read-only checks first: nothing below may write before the file is known to be ours.
    # One snapshot, so a process migrating the same new file meanwhile cannot make it look foreign.
    conn.execute("BEGIN")
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        application_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
        objects = int(conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])
    finally:
        conn.execute("ROLLBACK")
    target = len(migrations)
    if version > target:
        raise _newer(db_file, version, target)
    if (version == 0 and objects > 0) or (version > 0 and application_id != APPLICATION_ID):
        raise corrupt(db_file, "这是其他程序的 SQLite 数据库")
    if is_read_only:
        if version < target:
            raise read_only(db_file)
        conn.execute("PRAGMA foreign_keys = ON")
        return
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")  # a confirmed answer survives a power cut
    if version < target:
        _migrate(conn, db_file, migrations)
    conn.execute("PRAGMA foreign_keys = ON")


def _newer(db_file: Path, version: int, known: int) -> NewerSchemaError:
    return NewerSchemaError(
        f"数据库 {db_file} 由更新版本的 jixiao 创建（结构版本 {version}，本程序只支持到 {known}）；"
        "文件未被改动，请升级 jixiao 后再打开"
    )


def _migrate(conn: sqlite3.Connection, db_file: Path, migrations: Sequence[Migration]) -> None:
    conn.execute("PRAGMA foreign_keys = OFF")
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-read inside the write lock: another process may have migrated meanwhile.
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if version > len(migrations):
                raise _newer(db_file, version, len(migrations))
            if version == len(migrations):
                conn.execute("COMMIT")
                return
            migration = migrations[version]
            for statement in migration.statements:
                conn.execute(statement)
            if migration.run is not None:
                migration.run(conn)
            if conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
                raise corrupt(db_file, f"升级到结构版本 {migration.version} 时发现断开的引用")
            conn.execute(f"PRAGMA user_version = {migration.version}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
