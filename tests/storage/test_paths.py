"""Which database file is used: --db, then JIXIAO_DB, then the user data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.paths import default_db_path, resolve_db_path


def test_default_is_jixiao_db_in_the_user_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_db_path() == tmp_path / "jixiao" / "jixiao.db"


def test_cli_value_beats_environment() -> None:
    assert resolve_db_path("/tmp/a.db", {"JIXIAO_DB": "/tmp/b.db"}) == Path("/tmp/a.db")


def test_environment_beats_default() -> None:
    assert resolve_db_path(None, {"JIXIAO_DB": "/tmp/b.db"}) == Path("/tmp/b.db")


def test_default_when_neither_is_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert resolve_db_path(None, {}) == tmp_path / "jixiao" / "jixiao.db"
    assert resolve_db_path("  ", {"JIXIAO_DB": ""}) == tmp_path / "jixiao" / "jixiao.db"


def test_home_is_expanded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert resolve_db_path("~/r.db", {}) == tmp_path / "r.db"
