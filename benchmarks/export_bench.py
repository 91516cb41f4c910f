"""Whole-process time of `jixiao export` to Word and Excel, beside Markdown, on the demo and the 200-page report.

What a user waits for at the prompt for a submission file: interpreter start, imports (python-docx
or openpyxl only for their format), loading the report, rendering, checking (Excel's findings
sheet), writing the package and the file::

    .venv/bin/python -m benchmarks.export_bench [--quick]

Each Word or Excel figure has the Markdown export of the same report as its baseline, so the
ratio is what the office format costs over plain text.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks import child_environment, median_ms, print_table, result
from benchmarks.cli_bench import jixiao_executable, timed_runs
from benchmarks.synthetic import SIZES, build_database

EXPORT_TARGET_MS = 1_000.0
"""Word or Excel export of the 200-page report (2,000 indicator rows), whole process."""

FORMATS = ("md", "docx", "xlsx")


def run(quick: bool = False) -> list[dict[str, Any]]:
    """Median whole-process export times, ≥ 3 runs each (10 without ``quick``)."""
    runs = 3 if quick else 10
    jixiao = jixiao_executable()
    size = SIZES[2]
    figures: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as temp:
        folder = Path(temp)
        database = folder / "export.db"
        ids = build_database(database, (size,))
        env = child_environment(JIXIAO_LOG_DIR=str(folder / "logs"))
        for label, report_id in (("demo", ids["demo"]), (size.label, ids[str(size.pages)])):
            baseline = None
            for form in FORMATS:
                command = [
                    jixiao, "--db", str(database), "export", str(report_id),
                    "--format", form, "-o", f"report.{form}", "--force",
                ]  # fmt: skip
                timed_runs(command, env, folder, 1, {0})  # warm-up: writes the bytecode caches
                value = median_ms(timed_runs(command, env, folder, runs, {0}))
                if form == "md":
                    baseline = value
                    figures.append(
                        result(f"jixiao export md ({label}, whole process)", value, "ms", None, None)
                    )
                    continue
                target = EXPORT_TARGET_MS if label == size.label else None
                name = f"jixiao export {form} ({label}, whole process)"
                figures.append(result(name, value, "ms", target, baseline))
    return figures


def main(argv: list[str] | None = None) -> int:
    """Print the table; exit 1 when a measurement misses its target."""
    parser = argparse.ArgumentParser(description="jixiao Word/Excel export benchmarks")
    parser.add_argument("--quick", action="store_true", help="3 runs each instead of 10")
    results = run(parser.parse_args(argv).quick)
    print_table(results)
    return int(any(r["target"] is not None and r["value"] > r["target"] for r in results))


if __name__ == "__main__":
    sys.exit(main())
