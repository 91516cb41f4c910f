"""Peak memory with the 200-page / 2,000-indicator report open in the app.

    .venv/bin/python -m benchmarks.memory_bench [--quick]

A fresh process runs the app headless at 120x40 on that report until the drafting screen is
idle and the preview has wrapped the whole report, scrolls the preview from top to bottom in
twenty jumps (drawing what shows at each), sends one prose edit through the
preview and accepts one budget line; it then prints its peak resident set size (``VmHWM`` of ``/proc/self/status``, else
``ru_maxrss``).
The baseline is the same for a minimal Textual app (a ``Static`` and an ``Input``). A second run
with ``tracemalloc`` on gives the peak of memory allocated by Python itself (slower; not in
``--quick``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks import child_environment, print_table
from benchmarks.engine_bench import figure
from benchmarks.synthetic import SIZES, build_database

PEAK_TARGET_MB = 200.0

_PRELUDE = """
import sys
if "--tracemalloc" in sys.argv:
    import tracemalloc
    tracemalloc.start()
import asyncio, json, os, resource
"""

_REPORT = """
def peaks():
    # VmHWM, not ru_maxrss: Linux carries the parent's peak into ru_maxrss across fork and exec
    with open("/proc/self/status") as status:
        hwm = [line for line in status if line.startswith("VmHWM:")]
    if hwm:
        rss = int(hwm[0].split()[1]) / 1024
    else:
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (2**20 if sys.platform == "darwin" else 1024)
    traced = None
    if "--tracemalloc" in sys.argv:
        import tracemalloc
        traced = tracemalloc.get_traced_memory()[1] / 2**20
    return {"rss": rss, "traced": traced}
"""

_APP_CHILD = (
    _PRELUDE
    + _REPORT
    + """
from pathlib import Path
from tui.app import JixiaoApp
from tui.screens.draft import DraftScreen
from tui.widgets.answer_box import AnswerBox
from tui.widgets.preview import ReportPreview

async def main():
    app = JixiaoApp(Path(sys.argv[1]), int(sys.argv[2]))
    async with app.run_test(size=(120, 40)) as pilot:
        while not isinstance(app.screen, DraftScreen):
            await pilot.pause()
        screen = app.screen
        await app.workers.wait_for_complete()
        await pilot.pause()
        preview = screen.query_one("#preview", ReportPreview)
        for stop in range(21):
            preview.scroll_to(y=preview.max_scroll_y * stop // 20, animate=False)
            await pilot.pause()
        session = screen.session
        step = next(s for s in session.template.steps if s.kind.value == "text" and s.id in session.report.answers)
        screen._after(session.goto_step(step.id))
        box = screen.query_one(AnswerBox)
        box.set_text(session.report.answers[step.id] + "改")
        screen._preview_prose()
        await pilot.pause()
        box.set_text("")
        screen._after(session.goto_step("overview.budget_lines"))
        box.set_text("基准测试经费 1.5万 用于测试")
        box.action_send()
        await app.workers.wait_for_complete()
        await pilot.pause()
        sys.stdout.write(json.dumps(peaks()) + "\\n")
        sys.stdout.flush()
        os._exit(0)

asyncio.run(main())
"""
)

_MINIMAL_CHILD = (
    _PRELUDE
    + _REPORT
    + """
from textual.app import App
from textual.widgets import Input, Static

class Minimal(App):
    def compose(self):
        yield Static("jixiao")
        yield Input()

async def main():
    app = Minimal()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        sys.stdout.write(json.dumps(peaks()) + "\\n")
        sys.stdout.flush()
        os._exit(0)

asyncio.run(main())
"""
)


def _child(code: str, arguments: list[str], env: dict[str, str]) -> dict[str, float | None]:
    done = subprocess.run(
        [sys.executable, "-c", code, *arguments],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        env=env,
        timeout=600,
        check=False,
    )
    lines = done.stdout.decode().strip().splitlines()
    if not lines:
        raise SystemExit(f"memory child failed: {done.stderr.decode(errors='replace')[-2000:]}")
    peaks: dict[str, float | None] = json.loads(lines[-1])
    return peaks


def run(quick: bool = False) -> list[dict[str, Any]]:
    """Peak RSS (median of 3, or 1 with ``quick``) and, without ``quick``, the tracemalloc peak."""
    size = SIZES[-1]
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as temp:
        folder = Path(temp)
        db = folder / "memory.db"
        ids = build_database(db, sizes=(size,))
        env = child_environment(
            TEXTUAL_ANIMATIONS="none",
            JIXIAO_KEYS=str(folder / "no-keys.toml"),
            JIXIAO_LOG_DIR=str(folder / "logs"),
        )
        app_args = [str(db), str(ids[str(size.pages)])]
        runs = 1 if quick else 3
        minimal = [_child(_MINIMAL_CHILD, [], env)["rss"] or 0.0 for _ in range(runs)]
        app = [_child(_APP_CHILD, app_args, env)["rss"] or 0.0 for _ in range(runs)]
        base = sorted(minimal)[len(minimal) // 2]
        results = [
            figure("peak RSS: minimal Textual app", minimal, "MB", None, None),
            figure(f"peak RSS: app with the {size.pages}-page report", app, "MB", PEAK_TARGET_MB, base),
        ]
        if not quick:
            traced_base = _child(_MINIMAL_CHILD, ["--tracemalloc"], env)["traced"] or 0.0
            traced = _child(_APP_CHILD, [*app_args, "--tracemalloc"], env)["traced"] or 0.0
            results.append(
                figure(
                    f"tracemalloc peak: app with the {size.pages}-page report",
                    [traced],
                    "MB",
                    PEAK_TARGET_MB,
                    traced_base,
                )
            )
    return results


def main(argv: list[str] | None = None) -> int:
    """Print the table; exit 1 when a measurement misses its target."""
    parser = argparse.ArgumentParser(description="jixiao peak memory")
    parser.add_argument("--quick", action="store_true", help="one run, no tracemalloc")
    results = run(parser.parse_args(argv).quick)
    print_table(results)
    return int(any(r["target"] is not None and r["value"] > r["target"] for r in results))


if __name__ == "__main__":
    sys.exit(main())
