"""User files: the one place jixiao writes exports and reads files to import.

Writes go through a temporary file in the target folder, flushed and renamed into place, so a
half-written file never appears; the result is readable by its owner only (0600). An existing
file is never replaced without ``force``, and a symbolic link is never written through (with
``force`` the link itself is replaced). Reads take regular files only (never a device, a pipe
or a socket), at most ``max_bytes`` of them. Every failure is a ``UserFileError`` with one
Chinese line saying what went wrong and what to do; the original file is left as it was.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

from storage.errors import StorageError

MAX_IMPORT_BYTES = 20 * 1024 * 1024
"""The largest file an import reads: far above any real report or form."""

_OS_REASONS = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "磁盘配额已满",
    errno.EROFS: "文件系统是只读的",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.ENAMETOOLONG: "文件名太长",
    errno.ENOENT: "目录不存在",
    errno.ENOTDIR: "路径中有一段不是目录",
    errno.EISDIR: "这是一个目录",
}


class UserFileError(StorageError):
    """A user file could not be read or written; ``message`` says why in one Chinese line."""


def os_reason(error: OSError) -> str:
    """A short Chinese reason for an OS error (the system's own words when there is none)."""
    return _OS_REASONS.get(error.errno or 0, error.strerror or str(error))


def _exists_error(path: Path) -> UserFileError:
    return UserFileError(f"{path} 已存在：加 --force 覆盖，或用 -o 指定另一个文件")


def write_file_atomically(path: Path, data: bytes, *, force: bool) -> None:
    """Write ``data`` to ``path`` through a temp file and a rename; 0600; see the module docstring.

    Without ``force`` the final step is a hard link, which fails if the name was taken meanwhile,
    so even a file created during the export is not overwritten. With ``force`` a symlink at
    ``path`` is replaced by the new file; the file it pointed to is left alone. Raises
    ``UserFileError`` when the path exists (without ``force``), is a symbolic link (without
    ``force``), a folder, a device or a pipe, or cannot be written; nothing is left behind then.
    """
    if path.exists() and not path.is_file() and not path.is_dir():
        # a device, pipe or socket (`-o /dev/stdout`): replacing it would break the system
        raise UserFileError(f"{path} 不是普通文件（是设备或管道）：要输出到标准输出请用 -o -")
    if path.is_symlink():
        if not force:
            raise UserFileError(f"{path} 是符号链接，为安全起见不写入；加 --force 则用新文件替换该链接本身")
    elif path.is_dir():
        raise UserFileError(f"{path} 是目录：请给出文件名")
    elif path.exists() and not force:
        raise _exists_error(path)
    directory = path.parent
    try:
        fd, temp_name = tempfile.mkstemp(prefix=".jixiao-export-", suffix=".tmp", dir=directory)
    except FileNotFoundError as error:
        raise UserFileError(f"目录 {directory} 不存在：请先创建它或换一个路径") from error
    except PermissionError as error:
        raise UserFileError(f"没有权限写入目录 {directory}：请换一个可写的路径") from error
    except OSError as error:
        raise UserFileError(f"无法在目录 {directory} 中写文件：{os_reason(error)}") from error
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o600)
        if force:
            os.replace(temp, path)
        else:
            _link_without_clobbering(temp, path)
    except OSError as error:
        raise UserFileError(f"写入 {path} 失败：{os_reason(error)}（原有文件未改动）") from error
    finally:
        temp.unlink(missing_ok=True)


def _link_without_clobbering(temp: Path, path: Path) -> None:
    try:
        os.link(temp, path, follow_symlinks=False)
    except FileExistsError as error:
        raise _exists_error(path) from error
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
            raise
        # a file system without hard links (FAT, some network shares): check, then rename
        if path.exists() or path.is_symlink():
            raise _exists_error(path) from error
        os.replace(temp, path)


def _too_large(path: Path, size: int, limit: int) -> UserFileError:
    shown = f"{limit / 1024 / 1024:.0f} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
    return UserFileError(f"{path} 有 {size / 1024 / 1024:.1f} MB，超过 {shown} 的上限：请确认文件是否正确")


def read_user_file(path: Path, *, max_bytes: int = MAX_IMPORT_BYTES, allow_empty: bool = False) -> bytes:
    """The bytes of a regular file, at most ``max_bytes``; refuses missing and oversized files.

    A device (``/dev/zero`` never ends), a pipe (blocks until someone writes) or a socket is
    refused without being read. An empty file is refused too unless ``allow_empty`` (a file to
    import must have something in it; a settings file may be empty).
    """
    try:
        # O_NONBLOCK: opening a pipe must not wait for a writer; the open file is then checked
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(descriptor, "rb") as handle:
            info = os.fstat(handle.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise IsADirectoryError(errno.EISDIR, "Is a directory")
            if not stat.S_ISREG(info.st_mode):
                raise UserFileError(
                    f"{path} 不是普通文件（是设备、管道或套接字），不能读取：请选择一个普通文件"
                )
            if info.st_size > max_bytes:
                raise _too_large(path, info.st_size, max_bytes)
            data = handle.read(max_bytes + 1)
        if len(data) > max_bytes:  # it grew while being read
            raise _too_large(path, len(data), max_bytes)
    except FileNotFoundError as error:
        raise UserFileError(f"找不到文件 {path}") from error
    except IsADirectoryError as error:
        raise UserFileError(f"{path} 是目录，不是文件") from error
    except PermissionError as error:
        raise UserFileError(f"没有权限读取 {path}") from error
    except OSError as error:
        raise UserFileError(f"无法读取 {path}：{os_reason(error)}") from error
    if not data.strip() and not allow_empty:
        raise UserFileError(f"{path} 是空文件，没有可导入的内容")
    return data
