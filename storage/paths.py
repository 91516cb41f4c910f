"""Where the database lives: ``--db``, else ``$JIXIAO_DB``, else the user's data folder.

Also how long a write waits for another program's write: ``$JIXIAO_BUSY_TIMEOUT_MS``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import platformdirs

ENV_VAR = "JIXIAO_DB"
"""Environment variable naming the database file."""

DB_FILE_NAME = "jixiao.db"

BUSY_TIMEOUT_ENV_VAR = "JIXIAO_BUSY_TIMEOUT_MS"
"""Environment variable overriding the busy timeout, in milliseconds (tests set it short)."""


def default_db_path() -> Path:
    """``<user data dir>/jixiao/jixiao.db`` (``~/.local/share/jixiao/jixiao.db`` on Linux)."""
    return Path(platformdirs.user_data_dir("jixiao")) / DB_FILE_NAME


def resolve_db_path(cli_value: str | None, environ: Mapping[str, str]) -> Path:
    """The database to use: ``--db`` if given, else ``JIXIAO_DB`` if set, else the default.

    Empty values count as not given; ``~`` is expanded. The path is not checked or created here.
    """
    for value in (cli_value, environ.get(ENV_VAR)):
        if value is not None and value.strip():
            return Path(value.strip()).expanduser()
    return default_db_path()


def resolve_busy_timeout_ms(environ: Mapping[str, str], default: int) -> int:
    """The busy timeout: ``$JIXIAO_BUSY_TIMEOUT_MS`` if set (a whole number ≥ 0), else ``default``.

    Raises ``ValueError`` (with a Chinese message) for any other value.
    """
    value = environ.get(BUSY_TIMEOUT_ENV_VAR, "").strip()
    if not value:
        return default
    if not value.isascii() or not value.isdigit() or len(value) > 9:
        raise ValueError(f"环境变量 {BUSY_TIMEOUT_ENV_VAR}=“{value}”无效：应为毫秒数，例如 5000")
    return int(value)
