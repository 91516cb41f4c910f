"""Whole-process time of `jixiao check` and `jixiao export` on the demo, vs `python -c pass`.

This is what a user waits for at the prompt: interpreter start, imports, opening the
database, checking or rendering, printing or writing the file::

    .venv/bin/python -m benchmarks.cli_bench [--quick]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import child_environment, median_ms, print_table, result

CHECK_TARGET_MS = 300.0
EXPORT_TARGET_MS = 300.0


def jixiao_executable() -> str:
    """The installed console script next to this interpreter, else the one on PATH."""
    beside = Path(sys.executable).parent / "jixiao"
    found = str(beside) if beside.exists() else shutil.which("jixiao")
    if found is None:
        raise SystemExit("jixiao is not installed: run .venv/bin/pip install -e . first")
    return found


def timed_runs(command: list[str], env: dict[str, str], cwd: Path, runs: int, ok: set[int]) -> list[float]:
    """Seconds each of ``runs`` runs of ``command`` took; stops the benchmark when one exits outside ``ok``."""
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        completed = subprocess.run(
            command, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, check=False,
        )  # fmt: skip
        timings.append(time.perf_counter() - started)
        if completed.returncode not in ok:
            raise SystemExit(f"{' '.join(command)} failed: {completed.stderr.decode(errors='replace')}")
    return timings


def run(quick: bool = False) -> list[dict[str, Any]]:
    """Median whole-process times over ≥ 10 runs each (30 without ``quick``)."""
    runs = 10 if quick else 30
    jixiao = jixiao_executable()
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as temp:
        folder = Path(temp)
        env = child_environment(JIXIAO_DB=str(folder / "demo.db"), JIXIAO_LOG_DIR=str(folder / "logs"))
        timed_runs([jixiao, "demo", "--no-open"], env, folder, 1, {0})
        baseline = median_ms(timed_runs([sys.executable, "-c", "pass"], env, folder, runs, {0}))
        check = median_ms(timed_runs([jixiao, "check", "1"], env, folder, runs, {0, 1}))
        export = median_ms(
            timed_runs([jixiao, "export", "1", "-o", "demo.md", "--force"], env, folder, runs, {0})
        )
    return [
        result("python -c pass", baseline, "ms", None, None),
        result("jixiao check (demo, whole process)", check, "ms", CHECK_TARGET_MS, baseline),
        result("jixiao export (demo, whole process)", export, "ms", EXPORT_TARGET_MS, baseline),
    ]


def main(argv: list[str] | None = None) -> int:
    """Print the table; exit 1 when a measurement misses its target."""
    parser = argparse.ArgumentParser(description="jixiao command-line start-up benchmarks")
    parser.add_argument("--quick", action="store_true", help="10 runs each instead of 30")
    results = run(parser.parse_args(argv).quick)
    print_table(results)
    return int(any(r["target"] is not None and r["value"] > r["target"] for r in results))


if __name__ == "__main__":
    sys.exit(main())
