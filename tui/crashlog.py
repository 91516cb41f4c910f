"""Where an unexpected error's traceback goes: a private log file, never the user's terminal."""

from __future__ import annotations

import datetime as dt
import os
import traceback
from pathlib import Path

from platformdirs import user_log_dir


def crash_log_dir() -> Path:
    """The folder crash logs are written to (``$JIXIAO_LOG_DIR`` overrides it)."""
    return Path(os.environ.get("JIXIAO_LOG_DIR") or user_log_dir("jixiao"))


def write_crash_log() -> Path | None:
    """Write the exception being handled to a new 0600 file; the path, or None when it cannot be written."""
    try:
        folder = crash_log_dir()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = folder / f"crash-{dt.datetime.now():%Y%m%d-%H%M%S-%f}.log"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(traceback.format_exc())
        return path
    except OSError:
        return None
