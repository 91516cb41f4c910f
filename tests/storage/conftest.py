"""Fixtures for storage tests: real SQLite files under tmp_path, never mocks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.db import open_database
from storage.store import ReportStore

SHORT_BUSY_MS = 200


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A database file in a folder that does not exist yet."""
    return tmp_path / "data" / "jixiao.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[ReportStore]:
    """A store on a fresh database, recording changes as user "alice" on "pts/1"."""
    opened = ReportStore(
        open_database(db_path, busy_timeout_ms=SHORT_BUSY_MS), user="alice", terminal="pts/1"
    )
    yield opened
    opened.close()


def file_bytes(path: Path) -> bytes:
    """The exact content of a file, to prove it was left untouched."""
    return path.read_bytes()
