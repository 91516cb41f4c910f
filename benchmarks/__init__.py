"""Reproducible performance measurements (not timed tests).

Each module has ``run(quick: bool) -> list[dict]``; every dict holds ``name``, ``value``,
``unit``, ``target`` (None when there is none), ``baseline`` and ``ratio`` (value / baseline,
None without a baseline). Run one with ``.venv/bin/python -m benchmarks.storage_bench``.
"""

from __future__ import annotations

import os
import statistics
from collections.abc import Mapping, Sequence
from typing import Any


def child_environment(**extra: str) -> dict[str, str]:
    """The environment for a timed child process: ours, with bytecode caching back on.

    Some shells (this project's shared machines among them) export PYTHONDONTWRITEBYTECODE=1, so
    jixiao's own modules were compiled from source in every timed start while Textual's came
    from the .pyc files pip wrote: ~100 ms of each start-up that a user, whose first run writes
    the caches, never pays. Each benchmark warms up once before timing, which writes them.
    """
    env: Mapping[str, str] = os.environ
    return {**{k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}, **extra}


def median_ms(seconds: Sequence[float]) -> float:
    """The median of timings in seconds, in milliseconds."""
    return statistics.median(seconds) * 1000


def p95_ms(seconds: Sequence[float]) -> float:
    """The 95th percentile of timings in seconds, in milliseconds."""
    ordered = sorted(seconds)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000


def result(
    name: str, value: float, unit: str, target: float | None, baseline: float | None
) -> dict[str, Any]:
    """One measurement in the shape every benchmark returns."""
    return {
        "name": name,
        "value": round(value, 3),
        "unit": unit,
        "target": target,
        "baseline": None if baseline is None else round(baseline, 3),
        "ratio": None if not baseline else round(value / baseline, 2),
    }


def print_table(results: Sequence[dict[str, Any]]) -> None:
    """Print results as an aligned table, with ok/SLOW against the target."""

    def cell(value: object) -> str:
        return "—" if value is None else str(value)

    rows = [["benchmark", "value", "unit", "target", "baseline", "ratio", ""]]
    for r in results:
        verdict = "" if r["target"] is None else ("ok" if r["value"] <= r["target"] else "SLOW")
        rows.append(
            [
                r["name"],
                cell(r["value"]),
                r["unit"],
                cell(r["target"]),
                cell(r["baseline"]),
                cell(r["ratio"]),
                verdict,
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        print(
            "  ".join(
                text.ljust(width) if i == 0 else text.rjust(width)
                for i, (text, width) in enumerate(zip(row, widths, strict=True))
            ).rstrip()
        )
        if n == 0:
            print("  ".join("-" * width for width in widths))
