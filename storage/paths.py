"""Where the database lives: ``--db``, else ``$JIXIAO_DB``, else the user's data folder."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import platformdirs

ENV_VAR = "JIXIAO_DB"
"""Environment variable naming the database file."""

DB_FILE_NAME = "jixiao.db"


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
