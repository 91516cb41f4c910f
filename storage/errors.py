"""What can go wrong with the database, as errors a user can act on.

Every error carries ``message``: one Chinese line saying what is wrong, with the database file,
and what to do. ``translate`` turns any ``sqlite3.Error`` (or ``OSError`` while opening) into
the matching subclass, so no raw sqlite3 exception leaves the storage layer.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path


class StorageError(Exception):
    """Base of every storage failure; ``message`` is a one-line Chinese explanation."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class NotFoundError(StorageError):
    """No report (or no database file) matches what was asked for."""


class AmbiguousError(StorageError):
    """A title prefix matches several reports; ``candidates`` lists them as (id, title)."""

    def __init__(self, message: str, candidates: list[tuple[int, str]]) -> None:
        self.candidates = candidates
        super().__init__(message)


class ConflictError(StorageError):
    """Someone else changed the same part of the report since the caller's base revision.

    Nothing was written. To keep the caller's value anyway, retry with
    ``base_revision=current_revision``.
    """

    def __init__(
        self,
        message: str,
        *,
        report_id: int,
        base_revision: int,
        current_revision: int,
        paths: tuple[str, ...],
    ) -> None:
        self.report_id = report_id
        self.base_revision = base_revision
        self.current_revision = current_revision
        self.paths = paths
        super().__init__(message)


class DatabaseLockedError(StorageError):
    """Another program kept the database busy for longer than the busy timeout."""


class CorruptDatabaseError(StorageError):
    """The file is not a SQLite database, is damaged, or is not a jixiao database."""


class NewerSchemaError(StorageError):
    """The file was written by a newer jixiao whose schema this version does not know."""


class ReadOnlyError(StorageError):
    """The database (or its folder) cannot be written."""


class DiskFullError(StorageError):
    """The disk (or the database's size limit) is full; the change was not saved."""


# primary result codes (the low byte of extended codes)
_SQLITE_PERM = 3
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_IOERR = 10
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_READONLY = 8
_SQLITE_NOTADB = 26


def locked(path: Path | str) -> DatabaseLockedError:
    """The error for a database another program holds locked."""
    return DatabaseLockedError(
        f"数据库 {path} 正被其他程序占用（可能是另一个 jixiao 窗口正在保存），请稍后重试"
    )


def corrupt(path: Path | str, detail: str = "") -> CorruptDatabaseError:
    """The error for a file that is not, or no longer, a readable SQLite database."""
    why = f"（{detail}）" if detail else ""
    return CorruptDatabaseError(
        f"{path} 不是有效的 jixiao 数据库或已损坏{why}；文件未被改动。请用 --db 指定其他文件，或从备份恢复"
    )


def read_only(path: Path | str) -> ReadOnlyError:
    """The error for a database or folder that cannot be written."""
    return ReadOnlyError(
        f"数据库 {path} 是只读的，无法保存；请检查文件和所在文件夹的写权限，或用 --db 换一个位置"
    )


def disk_full(path: Path | str) -> DiskFullError:
    """The error for a full disk; the failed change was rolled back."""
    return DiskFullError(f"磁盘空间不足，数据库 {path} 无法写入，本次修改未保存；请清理磁盘后重试")


def cannot_open(path: Path | str, detail: str = "") -> StorageError:
    """The error for a file or folder that cannot be opened at all."""
    why = f"（{detail}）" if detail else ""
    return StorageError(
        f"无法打开数据库 {path}{why}；请检查路径是否存在、是否有权限访问，或用 --db 指定其他文件"
    )


def translate(error: sqlite3.Error | OSError | UnicodeDecodeError, path: Path | str) -> StorageError:
    """The ``StorageError`` a caller should see for ``error`` raised while using ``path``.

    A ``UnicodeDecodeError`` comes from the sqlite3 module reading a damaged text (or an error
    message quoting one): the file is corrupt.
    """
    if isinstance(error, UnicodeDecodeError):
        return corrupt(path, "其中的文字已损坏")
    if isinstance(error, OSError):
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            return disk_full(path)
        if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return read_only(path)
        return cannot_open(path, error.strerror or str(error))
    code = getattr(error, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(error).lower()
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED) or "database is locked" in text:
        return locked(path)
    if primary in (_SQLITE_NOTADB, _SQLITE_CORRUPT) or "not a database" in text or "malformed" in text:
        return corrupt(path)
    if "could not decode" in text:  # a damaged byte inside a stored text
        return corrupt(path, "其中的文字已损坏")
    if "no such column" in text or "no such table" in text:  # jixiao's own SQL: the schema was damaged
        return corrupt(path, "数据库结构不完整")
    if primary == _SQLITE_FULL or "database or disk is full" in text:
        return disk_full(path)
    if primary in (_SQLITE_READONLY, _SQLITE_PERM) or "readonly" in text:
        return read_only(path)
    if primary == _SQLITE_CANTOPEN or "unable to open" in text:
        return cannot_open(path)
    if primary == _SQLITE_IOERR:
        return StorageError(f"读写数据库 {path} 时发生磁盘错误（{error}）；请检查磁盘后重试，修改未保存")
    return StorageError(f"数据库 {path} 操作失败（{error}）；修改未保存，请重试或报告此问题")
