"""The pure engine and the command line: check + score, full Markdown render, ``jixiao check``/``export``.

    .venv/bin/python -m benchmarks.engine_bench [--quick]

- check + score: ``check_report`` and ``score_report`` of the synthetic reports with 20, 200 and
  2,000 indicators (5, 50 and 200 pages of prose), in this process, warm;
- full render: ``render_report`` of each size (what ``jixiao export`` writes);
- the whole ``jixiao check`` and ``jixiao export`` processes: ``cli_bench`` on the demo report,
  and the same two verbs on the 200-page / 2,000-indicator report, against ``python -c pass``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from benchmarks import child_environment, print_table, result

CHECK_TARGET_MS = 20.0
FIRST_CHECK_TARGET_MS = 30.0
"""The first check + score in a process (#16: the cost is linear, real reports have tens of rows)."""
PROCESS_TARGET_MS = 300.0


def figure(
    name: str,
    samples: Sequence[float],
    unit: str,
    target: float | None,
    baseline: float | None,
    value: str = "median",
) -> dict[str, Any]:
    """A result (see ``benchmarks.result``) from samples: the median (or ``value="max"``), min, max, n."""
    shown = max(samples) if value == "max" else statistics.median(samples)
    out = result(name, shown, unit, target, baseline)
    out.update(
        statistic=value,
        median=round(statistics.median(samples), 3),
        min=round(min(samples), 3),
        max=round(max(samples), 3),
        runs=len(samples),
    )
    return out


def timed_ms(action: Callable[[], object], repeat: int) -> list[float]:
    """Wall time of ``repeat`` calls, in milliseconds."""
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def bench_engine(repeat: int) -> list[dict[str, Any]]:
    """check + score and the full render at every size."""
    from benchmarks.synthetic import SIZES, synthetic_report
    from prompts.templates import load_template
    from report.checks import check_report
    from report.render import render_report
    from report.scoring import score_report

    outline = load_template("eight_part").outline
    results = []
    renders = []
    for size in SIZES:
        report = synthetic_report(size)
        edits = iter(range(10**9))

        def check_and_score(report: Any = report, edits: Any = edits) -> None:
            # as the drafting session does after an answer: one row changed since the last check
            edit = next(edits)
            index = edit * 7919 % len(report.indicators)
            report.indicators[index] = replace(report.indicators[index], actual=str(1_000 + edit))
            check_report(report, outline, score_report(report))

        check_and_score()
        results.append(
            figure(
                f"check + score, {size.indicators:,} indicators, one row changed",
                timed_ms(check_and_score, repeat),
                "ms",
                CHECK_TARGET_MS,
                None,
            )
        )
        characters = len(render_report(report, outline))

        def render(report: Any = report) -> None:
            render_report(report, outline)

        renders.append(
            figure(
                f"full Markdown render, {size.pages} pages ({characters:,} characters)",
                timed_ms(render, max(3, repeat // 2)),
                "ms",
                None,
                None,
            )
        )
    return results + renders


_COLD_CHILD = """
import sys, time
from benchmarks.synthetic import SIZES, synthetic_report
from prompts.templates import load_template
from report.checks import check_report
from report.scoring import score_report
outline = load_template("eight_part").outline
report = synthetic_report(SIZES[-1])
started = time.perf_counter()
check_report(report, outline, score_report(report))
print((time.perf_counter() - started) * 1000)
"""


def bench_cold_check(runs: int) -> list[dict[str, Any]]:
    """The first check + score of the 2,000-indicator report in a fresh process (nothing remembered)."""
    root = str(Path(__file__).resolve().parent.parent)
    env = child_environment(PYTHONPATH=os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])))
    timings = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", _COLD_CHILD], capture_output=True, env=env, check=True, timeout=120
        )
        timings.append(float(done.stdout.decode().strip().splitlines()[-1]))
    return [
        figure(
            "check + score, 2,000 indicators, first in a process", timings, "ms", FIRST_CHECK_TARGET_MS, None
        )
    ]


def bench_big_cli(runs: int) -> list[dict[str, Any]]:
    """``jixiao check`` and ``jixiao export`` of the 200-page report, whole process, vs ``python -c pass``."""
    from benchmarks.cli_bench import jixiao_executable
    from benchmarks.synthetic import SIZES, build_database

    jixiao = jixiao_executable()
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as temp:
        folder = Path(temp)
        env = child_environment(JIXIAO_DB=str(folder / "big.db"), JIXIAO_LOG_DIR=str(folder / "logs"))
        ids = build_database(folder / "big.db", sizes=SIZES[-1:])
        report = str(ids[str(SIZES[-1].pages)])

        def timed(command: list[str], ok: set[int]) -> list[float]:
            timings = []
            for _ in range(runs):
                started = time.perf_counter()
                done = subprocess.run(
                    command,
                    env=env,
                    cwd=folder,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                    check=False,
                )
                timings.append((time.perf_counter() - started) * 1000)
                if done.returncode not in ok:
                    raise SystemExit(f"{' '.join(command)}: {done.stderr.decode(errors='replace')}")
            return timings

        base = statistics.median(timed([sys.executable, "-c", "pass"], {0}))
        check = timed([jixiao, "check", report], {0, 1})
        export = timed([jixiao, "export", report, "-o", "big.md", "--force"], {0})
    pages = SIZES[-1].pages
    return [
        figure(f"jixiao check ({pages} pages, whole process)", check, "ms", PROCESS_TARGET_MS, base),
        figure(f"jixiao export ({pages} pages, whole process)", export, "ms", PROCESS_TARGET_MS, base),
    ]


def run(quick: bool = False) -> list[dict[str, Any]]:
    """Engine figures, then the command-line processes (``cli_bench`` on the demo, then 200 pages)."""
    from benchmarks import cli_bench

    return [
        *bench_engine(10 if quick else 40),
        *bench_cold_check(3 if quick else 7),
        *cli_bench.run(quick),
        *bench_big_cli(5 if quick else 15),
    ]


def main(argv: list[str] | None = None) -> int:
    """Print the table; exit 1 when a measurement misses its target."""
    parser = argparse.ArgumentParser(description="jixiao engine and command-line benchmarks")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    results = run(parser.parse_args(argv).quick)
    print_table(results)
    return int(any(r["target"] is not None and r["value"] > r["target"] for r in results))


if __name__ == "__main__":
    sys.exit(main())
