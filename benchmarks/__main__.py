"""Every benchmark in one run: one table on stdout, ``benchmarks/results/latest.json``.

    .venv/bin/python -m benchmarks [--quick] [--only app,engine,storage,memory,preview]

Figures, in order: start-up vs a minimal Textual app; a prose edit → preview painted at
5/50/200 pages vs Textual's stock ``Markdown``; an accepted budget line → painted, in a short
and a long (300-message) session, vs Textual's own floor for one message, and the memory the
long conversation holds; the longest event-loop stall while typing; check + score, full render, ``jixiao check``/``export`` processes; storage (save,
load, list 10,000); peak memory with the 200-page report open. Without ``--quick`` the
widget-level ``preview_bench`` runs as well. Exits 1 when any figure misses its target.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"
SUITES = ("app", "engine", "storage", "memory", "preview", "export", "import")
SLOW_SUITES = ("preview", "import")
"""Left out of ``--quick`` (Textual's Markdown widget at 200 pages; a 10,000-report database)."""


def _suite(name: str, quick: bool) -> list[dict[str, Any]]:
    if name == "app":
        from benchmarks import app_bench

        return app_bench.run(quick)
    if name == "engine":
        from benchmarks import engine_bench

        return engine_bench.run(quick)
    if name == "storage":
        from benchmarks import storage_bench

        return storage_bench.run(quick)
    if name == "memory":
        from benchmarks import memory_bench

        return memory_bench.run(quick)
    if name == "export":
        from benchmarks import export_bench

        return export_bench.run(quick)
    if name == "import":
        from benchmarks import import_bench

        return import_bench.run(quick)
    from benchmarks import preview_bench

    return list(preview_bench.run(quick))


def missed(figure: dict[str, Any]) -> bool:
    """Whether a figure has a target and its value is above it."""
    return figure["target"] is not None and figure["value"] > figure["target"]


def print_figures(figures: Sequence[dict[str, Any]], out: Callable[[str], None] = print) -> None:
    """One aligned table: figure, median, min, max, unit, target, baseline, ratio, ok?.

    Where a figure is judged by its worst run (the loop stalls), ``ok?`` says so.
    """

    def cell(value: object) -> str:
        if value is None:
            return "—"
        if isinstance(value, float):
            return f"{value:,.1f}" if abs(value) >= 100 else f"{value:.2f}"
        return str(value)

    rows = [["figure", "median", "min", "max", "unit", "target", "baseline", "ratio", "ok?"]]
    for figure in figures:
        verdict = "" if figure["target"] is None else ("SLOW" if missed(figure) else "ok")
        if verdict and figure.get("statistic") == "max":
            verdict += " (max)"
        rows.append(
            [
                figure["name"],
                cell(figure.get("median", figure["value"])),
                cell(figure.get("min")),
                cell(figure.get("max")),
                figure["unit"],
                cell(figure["target"]),
                cell(figure["baseline"]),
                "—" if figure["ratio"] is None else f"{figure['ratio']}×",
                verdict,
            ]
        )
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for number, row in enumerate(rows):
        out(
            "  ".join(
                text.ljust(width) if column in (0, 8) else text.rjust(width)
                for column, (text, width) in enumerate(zip(row, widths, strict=True))
            ).rstrip()
        )
        if number == 0:
            out("  ".join("-" * width for width in widths))


def load_average() -> list[float] | None:
    """The 1, 5 and 15 minute load averages, where the system has them (other work skews timings)."""
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except (AttributeError, OSError):
        return None


def write_json(
    figures: Sequence[dict[str, Any]], quick: bool, seconds: float, loads: list[Any], path: Path
) -> None:
    """The figures with when, where and how they were measured."""
    import textual

    document = {
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "quick": quick,
        "seconds": round(seconds, 1),
        "cpus": os.cpu_count(),
        "load_average_before_after": loads,
        "python": platform.python_version(),
        "textual": textual.__version__,
        "machine": f"{platform.system()} {platform.machine()}",
        "figures": [
            {key: value for key, value in figure.items() if value is not None or key in ("target",)}
            for figure in figures
        ],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the suites, print the table, write the JSON; 1 when a target is missed."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument("--quick", action="store_true", help="fewer runs; finishes within 2 minutes")
    parser.add_argument(
        "--only", default="", help=f"comma-separated suites to run ({', '.join(SUITES)}); default all"
    )
    parser.add_argument("--output", type=Path, default=RESULTS / "latest.json", help="where the JSON goes")
    options = parser.parse_args(argv)
    chosen = [name.strip() for name in options.only.split(",") if name.strip()] or [
        name for name in SUITES if name not in SLOW_SUITES or not options.quick
    ]
    unknown = [name for name in chosen if name not in SUITES]
    if unknown:
        parser.error(f"unknown suite(s): {', '.join(unknown)}")
    started = time.perf_counter()
    before = load_average()
    figures: list[dict[str, Any]] = []
    for name in chosen:
        print(f"== {name}", file=sys.stderr)
        figures += _suite(name, options.quick)
    seconds = time.perf_counter() - started
    after = load_average()
    print()
    print_figures(figures)
    print(f"\n{len(figures)} figures in {seconds:.0f} s; {sum(map(missed, figures))} miss their target.")
    print(f"load average before {before}, after {after} on {os.cpu_count()} CPUs (other work skews timings)")
    write_json(figures, options.quick, seconds, [before, after], options.output)
    print(f"written to {options.output}")
    return int(any(map(missed, figures)))


if __name__ == "__main__":
    sys.exit(main())
