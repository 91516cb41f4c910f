"""Storage speed: saving one answer, loading a 2,000-indicator report, listing 10,000 reports.

Each is compared with the bare SQLite work underneath it (the baseline), on a real file in a
temporary folder with the same settings jixiao uses (WAL, synchronous=FULL)::

    .venv/bin/python -m benchmarks.storage_bench [--quick]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from benchmarks import median_ms, p95_ms, print_table, result
from report.demo import build_demo_report
from report.model import Report
from storage.store import ReportStore

SAVE_TARGET_MS = 2.0
LOAD_TARGET_MS = 50.0
LIST_TARGET_MS = 100.0
INDICATORS = 2_000
REPORTS = 10_000


def _timed(action: Any, repeat: int) -> list[float]:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return timings


def _raw(db_path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA synchronous = FULL")
    return conn


def _answer(n: int) -> str:
    return f"全年开展培训 {n} 场，覆盖 860 人次，群众满意度 96%。" * 10


def bench_save(folder: Path, saves: int) -> list[dict[str, Any]]:
    """Median and p95 of ``ReportStore.apply`` of one answer, vs a bare one-row UPDATE + COMMIT."""
    db_path = folder / "save.db"
    with ReportStore.open(db_path) as store:
        report = store.create(build_demo_report())
        report_id, revision = report.id or 0, report.revision
        step = next(iter(report.answers))
        counter = iter(range(10**9))

        def save() -> None:
            nonlocal revision
            revision = store.apply(report_id, f"answers.{step}", _answer(next(counter)), revision)

        timings = _timed(save, saves)
    raw = _raw(db_path)
    try:
        counter = iter(range(10**9))

        def bare() -> None:
            raw.execute("BEGIN IMMEDIATE")
            raw.execute(
                "UPDATE answers SET text = ? WHERE report_id = ? AND step_id = ?",
                (_answer(next(counter)), report_id, step),
            )
            raw.execute("COMMIT")

        baseline = _timed(bare, saves)
    finally:
        raw.close()
    return [
        result("save one answer (median)", median_ms(timings), "ms", SAVE_TARGET_MS, median_ms(baseline)),
        result("save one answer (p95)", p95_ms(timings), "ms", None, p95_ms(baseline)),
    ]


def _big_report() -> Report:
    demo = build_demo_report()
    rows = [
        replace(
            demo.indicators[n % len(demo.indicators)],
            name=f"{demo.indicators[n % len(demo.indicators)].name}{n}",
        )
        for n in range(INDICATORS)
    ]
    return replace(demo, indicators=rows)


def bench_load(folder: Path, repeat: int) -> list[dict[str, Any]]:
    """Median ``ReportStore.load`` of a report with 2,000 indicators, vs fetching its indicator rows."""
    db_path = folder / "load.db"
    with ReportStore.open(db_path) as store:
        report_id = store.create(_big_report()).id or 0
        assert len(store.load(report_id).indicators) == INDICATORS
        timings = _timed(lambda: store.load(report_id), repeat)
    raw = _raw(db_path)
    try:
        query = "SELECT * FROM indicators WHERE report_id = ? ORDER BY position"
        baseline = _timed(lambda: raw.execute(query, (report_id,)).fetchall(), repeat)
    finally:
        raw.close()
    name = f"load a report with {INDICATORS:,} indicators"
    return [result(name, median_ms(timings), "ms", LOAD_TARGET_MS, median_ms(baseline))]


def _fill(db_path: Path, count: int) -> None:
    """``count`` reports: one created through the store, the rest copied by SQL (setup, not measured)."""
    with ReportStore.open(db_path) as store:
        store.create(build_demo_report())
    raw = _raw(db_path)
    try:
        columns = [row[1] for row in raw.execute("PRAGMA table_info(reports)") if row[1] != "id"]
        chosen = ", ".join("title || ' ' || n" if c == "title" else c for c in columns)
        raw.execute("BEGIN")
        raw.execute(
            f"WITH RECURSIVE seq(n) AS (SELECT 2 UNION ALL SELECT n + 1 FROM seq WHERE n < {count}) "
            f"INSERT INTO reports ({', '.join(columns)}) SELECT {chosen} FROM seq, reports WHERE reports.id = 1"
        )
        raw.execute("COMMIT")
    finally:
        raw.close()


def bench_list(folder: Path, repeat: int) -> list[dict[str, Any]]:
    """Median ``ReportStore.list_summaries`` over 10,000 reports, vs the bare SELECT of the same columns."""
    db_path = folder / "list.db"
    _fill(db_path, REPORTS)
    with ReportStore.open(db_path) as store:
        assert len(store.list_summaries()) == REPORTS
        timings = _timed(store.list_summaries, repeat)
    raw = _raw(db_path)
    try:
        query = (
            "SELECT id, title, year, unit_name, department, template_id, revision, current_step, created_at, "
            "updated_at, progress_done, progress_total, errors, warnings FROM reports "
            "ORDER BY updated_at DESC, id DESC"
        )
        baseline = _timed(lambda: raw.execute(query).fetchall(), repeat)
    finally:
        raw.close()
    return [
        result(f"list {REPORTS:,} reports", median_ms(timings), "ms", LIST_TARGET_MS, median_ms(baseline))
    ]


def run(quick: bool = False) -> list[dict[str, Any]]:
    """Run every storage benchmark; ``quick`` uses fewer repetitions (still ≥ 200 saves)."""
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as temp:
        folder = Path(temp)
        return [
            *bench_save(folder, 200 if quick else 1_000),
            *bench_load(folder, 5 if quick else 30),
            *bench_list(folder, 5 if quick else 20),
        ]


def main(argv: list[str] | None = None) -> int:
    """Print the table; exit 1 when a measurement misses its target."""
    parser = argparse.ArgumentParser(description="jixiao storage benchmarks")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    results = run(parser.parse_args(argv).quick)
    print_table(results)
    return int(any(r["target"] is not None and r["value"] > r["target"] for r in results))


if __name__ == "__main__":
    sys.exit(main())
