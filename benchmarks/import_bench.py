"""Whole-process time of `jixiao check --all` on 10,000 reports (the reviewer's triage list), and of importing a 自评表.

The database is ``synthetic.build_database(reports=10_000)``: the demo, one report each of 5, 50
and 200 pages, and copies of the demo. Besides the wall-clock time, the CPU time of the process
and its workers is reported, so a figure taken on a busy machine can still be read::

    .venv/bin/python -m benchmarks.import_bench [--quick]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import child_environment, median_ms, print_table, result
from benchmarks.cli_bench import jixiao_executable
from benchmarks.synthetic import build_database

CHECK_ALL_TARGET_S = 10.0
REPORTS = 10_000


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(command: list[str], env: dict[str, str], cwd: Path, ok: set[int]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process and its children)."""
    cpu = _children_cpu()
    started = time.perf_counter()
    completed = subprocess.run(
        command, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        check=False,
    )  # fmt: skip
    wall = time.perf_counter() - started
    if completed.returncode not in ok:
        raise SystemExit(f"{' '.join(command)} failed: {completed.stderr.decode(errors='replace')}")
    return wall, _children_cpu() - cpu


def run(quick: bool = False) -> list[dict[str, Any]]:
    """`check --all` on 10,000 reports (median of 1 run with ``quick``, else 3), and one form import."""
    from tests.report.office_files import form_xlsx, national_form

    runs = 1 if quick else 3
    jixiao = jixiao_executable()
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as temp:
        folder = Path(temp)
        database = folder / "many.db"
        build_database(database, reports=REPORTS)
        env = child_environment(JIXIAO_DB=str(database), JIXIAO_LOG_DIR=str(folder / "logs"))
        timings = [_timed([jixiao, "check", "--all"], env, folder, {0, 1}) for _ in range(runs)]
        walls = sorted(wall for wall, _cpu in timings)
        cpus = sorted(cpu for _wall, cpu in timings)
        (folder / "form.xlsx").write_bytes(form_xlsx([("自评表", national_form())]))
        small_env = child_environment(JIXIAO_DB=str(folder / "one.db"), JIXIAO_LOG_DIR=str(folder / "logs"))
        imports = [
            _timed([jixiao, "import", "form.xlsx"], small_env, folder, {0})[0] for _ in range(runs * 3)
        ]
    return [
        result(
            f"check --all, {REPORTS:,} reports (wall)", walls[len(walls) // 2], "s", CHECK_ALL_TARGET_S, None
        ),
        result(
            f"check --all, {REPORTS:,} reports (CPU, all processes)", cpus[len(cpus) // 2], "s", None, None
        ),
        result("import one 自评表 .xlsx (process)", median_ms(imports), "ms", None, None),
    ]


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    print_table(run(parser.parse_args().quick))


if __name__ == "__main__":
    main()
