"""SVG snapshots of the home and drafting screens at 80x24 and 120x40.

Regenerate after an intended change of the look: `pytest tests/tui/test_snapshots.py --snapshot-update`,
then look at the SVGs before committing them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from report.demo import build_demo_report
from storage.store import ReportStore
from tui.app import JixiaoApp

SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def demo_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, int]:
    monkeypatch.setattr("tui.screens.home._when", lambda _moment: "2026-11-01 09:30")
    monkeypatch.setenv("JIXIAO_KEYS", str(tmp_path / "no-keys.toml"))
    db = tmp_path / "jixiao.db"
    with ReportStore.open(db) as store:
        created = store.create(build_demo_report())
    assert created.id is not None
    return db, created.id


@pytest.mark.parametrize("size", SIZES)
def test_home_screen(snap_compare: Any, demo_db: tuple[Path, int], size: tuple[int, int]) -> None:
    db, _ = demo_db
    assert snap_compare(JixiaoApp(db), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_drafting_screen(snap_compare: Any, demo_db: tuple[Path, int], size: tuple[int, int]) -> None:
    db, report_id = demo_db
    assert snap_compare(JixiaoApp(db, report_id), terminal_size=size)


def test_home_dates_are_local_time() -> None:
    from tui.screens import home

    moment = dt.datetime(2026, 11, 1, 1, 30, tzinfo=dt.UTC)
    assert home._when(moment) == moment.astimezone().strftime("%Y-%m-%d %H:%M")
