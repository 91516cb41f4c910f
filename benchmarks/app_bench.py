"""The app itself: start-up, edit → preview painted, and event-loop stalls while typing.

    .venv/bin/python -m benchmarks.app_bench [--quick]

1. **Start-up**: fresh ``python`` processes, each timed from spawn until the first interactive
   frame: the first frame, run headless with ``run_test`` at 120x40 and turned into terminal
   output as a driver would, in which the text box has the focus (the drafting screen's answer
   box, showing the question; the minimal app's ``Input``). The process then prints a line,
   and a second once the app is idle (``pilot.pause()`` returned: for jixiao the preview, the
   outline and the findings are filled in after the first frame), and is killed, so shutdown
   is not counted. A minimal Textual app (a ``Static`` and an ``Input``, same harness, same
   waits) is measured in the same run and alternated with it; the ratio is app ÷ minimal.
   Imports are part of the figure. The same on the 200-page report, and on the demo report in
   a database of 10,000 reports.
2. **Edit → preview painted**, in the app at 120x40 (outline | conversation | preview), for the
   synthetic reports of 5, 50 and 200 pages:

   - *prose*: the answer box holds a prose step's saved answer (the step's section is on screen
     in the preview), one character is inserted in its middle, and the clock starts when the
     screen's debounced preview callback (``DraftScreen._preview_prose``, which the box's edit
     triggers after a deliberate 0.3 s pause that is **not** counted) is called: it renders the
     section with the unsent text and hands it to ``ReportPreview.update_section``;
   - *budget line*: at the 预算明细 step a line ``名称 金额 用途`` is sent (the clock starts when
     the ``AnswerBox.Submitted`` message is posted): parsing, the save to SQLite, checks and
     score, the three messages it adds to the conversation (the answer, the reply, the rows),
     the affected sections re-rendered and spliced into the preview (the header, the outline
     and the findings follow one frame later and are not counted);
   - *budget line, long session*: the same once the conversation holds ``LONG_SESSION`` (300)
     messages (this session's own, repeated), with the memory those messages hold (Python
     allocations still alive after adding them and drawing the screen, by ``tracemalloc``);

   the clock stops at the first frame written after the preview's last ``update_section``
   returned. Frames are timestamped by wrapping ``App._display`` and turned into terminal output
   as a real terminal driver would (headless mode skips that; see ``FrameClock``). Textual
   paints at most 60 frames a second, so a frame can wait up to 16.7 ms for its turn.
   The baseline is Textual's stock ``Markdown`` widget given the whole report (the app's own
   sections) before and after the same edit: ``update()`` until its last frame before idle.
   *Textual's own floor* is measured in the same session, with the conversation's messages
   in a stock ``VerticalScroll`` of ``Static`` widgets (Textual's way: a widget per message)
   in the conversation's place: one more ``Static`` mounted, until painted (Textual mounts it,
   lays the screen out again and repaints). The target for an accepted budget line, short or
   long session, is ``ANSWER_TARGET_FLOORS`` (2) times this floor at the same size. The line-API
   conversation's own figure (one message appended, nothing else, until painted) is shown
   beside it.
3. **Longest event-loop stall while typing**: a probe coroutine sleeps 1 ms in a loop and records
   the longest gap between wake-ups while 50 characters are typed into the answer box at a prose
   step (key events as the terminal driver sends them, 40 ms apart, with a 0.35 s pause after
   every 10 so the debounced preview re-renders 5 times; the draft autosave runs as usual).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from benchmarks import child_environment, print_table
from benchmarks.engine_bench import figure
from benchmarks.probes import FrameClock, StallProbe
from benchmarks.synthetic import SIZES, Size, build_database

SIZE = (120, 40)
START_TARGET_RATIO = 1.6
EDIT_TARGET_MS = 16.0
ANSWER_TARGET_FLOORS = 2.0
"""An accepted answer is painted within this many times Textual's own floor (one message added)."""
LONG_SESSION = 300
"""Messages in the conversation for the long-session figures."""
STALL_TARGET_MS = 33.0
BUDGET_STEP = "overview.budget_lines"
REPORTS = 10_000
TYPED = "绩效目标完成情况良好资金使用规范管理制度健全群众满意度较高项目实施效果明显社会效益显著今后继续加强"

# --- 1. start-up in fresh processes -------------------------------------------------------------

# Both children time the same two moments. The first frame in which the text box has the focus
# is the first interactive frame (frames are turned into terminal output as a driver would; the
# headless driver skips that). "Settled" is when the app is idle after that (pilot.pause()).
_FRAME_HOOK = """
import os, sys
from textual.app import App

_original = App._display

def _display(self, screen, renderable):
    _original(self, screen, renderable)
    if renderable is None:
        return
    render = getattr(renderable, "render_segments", None)
    if render is not None:
        render(self.console)
    if not _seen and type(self.focused).__name__ == FOCUSED:
        _seen.append(True)
        sys.stdout.write("frame\\n")
        sys.stdout.flush()

_seen = []
App._display = _display
"""

_APP_CHILD = (
    'FOCUSED = "AnswerBox"\n'
    + _FRAME_HOOK
    + """
import asyncio
from pathlib import Path
from tui.app import JixiaoApp
from tui.screens.draft import DraftScreen

async def main():
    app = JixiaoApp(Path(sys.argv[1]), int(sys.argv[2]))
    async with app.run_test(size=(120, 40)) as pilot:
        while not (isinstance(app.screen, DraftScreen) and app.screen.is_mounted and _seen):
            await pilot.pause()
        await pilot.pause()
        sys.stdout.write("settled\\n")
        sys.stdout.flush()
        os._exit(0)

asyncio.run(main())
"""
)

_MINIMAL_CHILD = (
    'FOCUSED = "Input"\n'
    + _FRAME_HOOK
    + """
import asyncio
from textual.widgets import Input, Static

class Minimal(App):
    def compose(self):
        yield Static("jixiao")
        yield Input()

async def main():
    app = Minimal()
    async with app.run_test(size=(120, 40)) as pilot:
        while not _seen:
            await pilot.pause()
        await pilot.pause()
        sys.stdout.write("settled\\n")
        sys.stdout.flush()
        os._exit(0)

asyncio.run(main())
"""
)


def _environment(folder: Path) -> dict[str, str]:
    return child_environment(
        TEXTUAL_ANIMATIONS="none",
        JIXIAO_KEYS=str(folder / "no-keys.toml"),
        JIXIAO_LOG_DIR=str(folder / "logs"),
    )


def _time_child(code: str, arguments: Sequence[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds from spawning ``python -c code`` until its first interactive frame, and until settled."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", code, *arguments],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert child.stdout is not None
    first = child.stdout.readline()
    framed = time.perf_counter() - started
    second = child.stdout.readline()
    settled = time.perf_counter() - started
    _out, err = child.communicate(timeout=60)
    if (first.strip(), second.strip()) != (b"frame", b"settled"):
        raise SystemExit(f"start-up child failed: {err.decode(errors='replace')[-2000:]}")
    return framed, settled


def bench_startup(folder: Path, db: Path, ids: dict[str, int], runs: int) -> list[dict[str, Any]]:
    """Median start-up of the app vs a minimal Textual app, to the first interactive frame and to
    idle: on the demo report, on the 200-page report, and on the demo report in a database of
    10,000 reports."""
    env = _environment(folder)
    crowded = folder / "crowded.db"
    crowded_ids = build_database(crowded, sizes=(), reports=REPORTS)
    _time_child(_MINIMAL_CHILD, [], env)  # warm the file cache and the bytecode
    _time_child(_APP_CHILD, [str(db), str(ids["demo"])], env)
    minimal: list[tuple[float, float]] = []
    demo: list[tuple[float, float]] = []
    big: list[tuple[float, float]] = []
    many: list[tuple[float, float]] = []
    for _ in range(runs):
        minimal.append(_time_child(_MINIMAL_CHILD, [], env))
        demo.append(_time_child(_APP_CHILD, [str(db), str(ids["demo"])], env))
    for _ in range(max(1, runs // 2)):
        big.append(_time_child(_APP_CHILD, [str(db), str(ids["200"])], env))
    for _ in range(max(1, runs // 3)):
        many.append(_time_child(_APP_CHILD, [str(crowded), str(crowded_ids["demo"])], env))

    def frames(times: list[tuple[float, float]]) -> list[float]:
        return _ms([framed for framed, _ in times])

    def idle(times: list[tuple[float, float]]) -> list[float]:
        return _ms([settled for _, settled in times])

    base = statistics.median(frames(minimal))
    target = round(START_TARGET_RATIO * base, 1)
    idle_base = statistics.median(idle(minimal))
    return [
        figure(
            "start-up: minimal Textual app (Static + Input), first frame", frames(minimal), "ms", None, None
        ),
        figure("start-up: app on the demo report, first frame", frames(demo), "ms", target, base),
        figure("start-up: app on the 200-page report, first frame", frames(big), "ms", target, base),
        figure(
            f"start-up: app on the demo, {REPORTS:,} reports in the database, first frame",
            frames(many),
            "ms",
            target,
            base,
        ),
        figure("start-up: minimal Textual app, idle", idle(minimal), "ms", None, None),
        figure("start-up: app on the demo report, idle (preview filled)", idle(demo), "ms", None, idle_base),
        figure(
            "start-up: app on the 200-page report, idle (preview filled)", idle(big), "ms", None, idle_base
        ),
    ]


# --- 2 and 3: in the running app ----------------------------------------------------------------


class Painted:
    """Timestamps of frames and of the preview's updates."""

    def __init__(self, app: Any, preview: Any) -> None:
        self.clock = FrameClock(app)
        self.updated = 0.0
        update = preview.update_section

        def timed_update(key: str, markdown: str) -> None:
            update(key, markdown)
            self.updated = time.perf_counter()

        preview.update_section = timed_update

    def since(self, started: float) -> float | None:
        """Seconds from ``started`` to the first frame after the last preview update (None: no update)."""
        if self.updated < started:
            return None
        frames = [moment for moment in self.clock.times if moment >= self.updated]
        return (frames[0] - started) if frames else None


async def _settle(app: Any, pilot: Any) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def _until_painted(app: Any, pilot: Any, painted: Painted, started: float) -> float:
    return await _until(
        app, pilot, lambda: painted.since(started), "the preview was never painted after the edit"
    )


async def _until(app: Any, pilot: Any, elapsed: Callable[[], float | None], failure: str) -> float:
    """Pause until ``elapsed()`` gives a time, then let the app settle and return it."""
    for _ in range(200):
        await pilot.pause()
        seconds = elapsed()
        if seconds is not None:
            await _settle(app, pilot)
            return seconds
    raise RuntimeError(failure)


def _markdown(sections: Sequence[tuple[str, Any]]) -> list[tuple[str, str]]:
    """The preview's sections as Markdown (the stock widget's input): blocks through the writer."""
    from report.writers.markdown import blocks_markdown

    return [(key, part if isinstance(part, str) else blocks_markdown(part)) for key, part in sections]


def _middle_prose_step(session: Any) -> str:
    from prompts.templates import StepKind

    steps: list[str] = [
        step.id
        for step in session.template.steps
        if step.kind is StepKind.TEXT
        and step.field.startswith("answers.")
        and session.report.answers.get(step.id)
    ]
    return steps[len(steps) // 2]


async def measure_app(db: Path, report_id: int, runs: int) -> dict[str, Any]:
    """Prose edits, budget lines and the typing stall in one app session; timings in seconds."""
    from tui.app import JixiaoApp
    from tui.screens.draft import DraftScreen
    from tui.widgets.answer_box import AnswerBox
    from tui.widgets.conversation import Conversation
    from tui.widgets.preview import ReportPreview

    out: dict[str, Any] = {"prose": [], "budget": [], "stall": [], "documents": {}}
    app = JixiaoApp(db, report_id)
    async with app.run_test(size=SIZE) as pilot:
        while not isinstance(app.screen, DraftScreen):
            await pilot.pause()
        screen = app.screen
        await _settle(app, pilot)
        session = screen.session
        box = screen.query_one(AnswerBox)
        preview = screen.query_one("#preview", ReportPreview)
        painted = Painted(app, preview)
        out["documents"]["before"] = _markdown(session.preview_sections())

        # prose: one character inserted in the middle of a saved answer
        step_id = _middle_prose_step(session)
        screen._after(session.goto_step(step_id))
        await _settle(app, pilot)
        answer = session.report.answers[step_id]
        box.set_text(answer)
        await _settle(app, pilot)
        row = box.document.line_count // 2
        for number in range(runs):
            box.insert("改", (row, len(box.document.get_line(row)) // 2))
            await pilot.pause()
            if screen._prose_timer is not None:
                screen._prose_timer.stop()  # type: ignore[attr-defined]
            started = time.perf_counter()
            screen._preview_prose()
            out["prose"].append(await _until_painted(app, pilot, painted, started))
            if number == 0:
                rendered = session.render_prose_preview(box.text)
                assert rendered is not None
                edited = dict(_markdown([rendered]))
                out["documents"]["prose"] = [
                    (key, edited.get(key, text)) for key, text in out["documents"]["before"]
                ]

        # typing 50 characters at the same step, the preview visible
        box.set_text(answer)
        box.move_cursor(box.document.end)
        await _settle(app, pilot)
        probe = StallProbe()
        for _ in range(max(1, runs // 3)):
            await probe.start()
            for index, character in enumerate(TYPED[:50]):
                await pilot.press(character)
                await asyncio.sleep(0.35 if index % 10 == 9 else 0.04)
            await asyncio.sleep(0.6)  # the last debounced preview and the draft autosave
            await _settle(app, pilot)
            out["stall"].append(await probe.stop())
        box.set_text("")

        # budget lines: one accepted line each
        screen._after(session.goto_step(BUDGET_STEP))
        await _settle(app, pilot)
        for number in range(runs):
            box.set_text(f"基准测试经费{number + 1} 1.5万 用于测试预览刷新")
            await pilot.pause()  # the typed line is on screen before Enter, as when typed
            started = time.perf_counter()
            box.action_send()
            out["budget"].append(await _until_painted(app, pilot, painted, started))
            if number == 0:
                out["documents"]["budget"] = _markdown(session.preview_sections())
        assert f"基准测试经费{runs}" in "".join(text for _key, text in _markdown(session.preview_sections()))

        # Textual's own floor for one more message: the stock way, a widget per message
        conversation = screen.query_one(Conversation)
        out["floor"] = await _stock_floor(app, pilot, conversation, painted.clock, runs)

        # the line-API conversation: one message appended, nothing else, until painted
        out["append"] = []
        for number in range(runs):
            started = time.perf_counter()
            conversation.add("info", f"已记录：基准测试消息 {number + 1}")
            frame = partial(painted.clock.first_after, started)
            out["append"].append(await _until(app, pilot, frame, "no frame after the message"))

        # a long session: the conversation holds LONG_SESSION messages (this session's own, again),
        # the memory they hold, then budget lines as before
        shapes = conversation.messages
        tracemalloc.start()
        held_before = tracemalloc.get_traced_memory()[0]
        while len(conversation.messages) < LONG_SESSION:
            conversation.add(*shapes[len(conversation.messages) % len(shapes)])
        await _settle(app, pilot)
        out["held"] = [(tracemalloc.get_traced_memory()[0] - held_before) / 1024]
        tracemalloc.stop()
        out["long"] = []
        for number in range(runs):
            box.set_text(f"长会话测试经费{number + 1} 2.5万 用于测试长会话")
            await pilot.pause()
            started = time.perf_counter()
            box.action_send()
            out["long"].append(await _until_painted(app, pilot, painted, started))
        out["messages"] = len(conversation.messages)
    return out


async def _stock_floor(app: Any, pilot: Any, conversation: Any, clock: FrameClock, runs: int) -> list[float]:
    """One message mounted as a ``Static`` in an anchored ``VerticalScroll`` (Textual's stock way,
    a widget per message) that holds the conversation's messages, in the conversation's place:
    seconds until painted. Textual mounts it, lays the screen out again and repaints."""
    from textual.containers import VerticalScroll
    from textual.widgets import Static

    stock = VerticalScroll(
        *(Static(text, classes="message", markup=False) for text in conversation.transcript())
    )
    stock.styles.height = "1fr"
    conversation.display = False
    await conversation.parent.mount(stock, after=conversation)
    stock.anchor()
    await _settle(app, pilot)
    floor = []
    for number in range(runs):
        started = time.perf_counter()
        stock.mount(Static(f"已记录：基准测试消息 {number + 1}", classes="message", markup=False))
        frame = partial(clock.first_after, started)
        floor.append(await _until(app, pilot, frame, "no frame after the stock message"))
    await stock.remove()
    conversation.display = True
    await _settle(app, pilot)
    return floor


async def measure_stock(
    documents: dict[str, list[tuple[str, str]]], edits: Sequence[str], runs: int
) -> dict[str, list[float]]:
    """Textual's ``Markdown`` widget: the whole report loaded, then ``update()`` with each edit.

    Timed until the last frame before the app is idle again (the widget mounts its blocks over
    several frames). Each edit is undone (untimed) before the next.
    """
    from textual.app import App, ComposeResult
    from textual.containers import VerticalScroll
    from textual.widgets import Markdown

    class StockApp(App[None]):
        def compose(self) -> ComposeResult:
            with VerticalScroll():
                yield Markdown()

    def whole(sections: Sequence[tuple[str, str]]) -> str:
        return "\n\n".join(text for _key, text in sections) + "\n"

    timings: dict[str, list[float]] = {edit: [] for edit in edits}
    app = StockApp()
    async with app.run_test(size=(SIZE[0] // 2, SIZE[1])) as pilot:
        clock = FrameClock(app)
        markdown = app.query_one(Markdown)
        await markdown.update(whole(documents["before"]))
        await _settle(app, pilot)
        for _ in range(runs):
            for edit in edits:
                started = time.perf_counter()
                await markdown.update(whole(documents[edit]))
                await _settle(app, pilot)
                timings[edit].append(max(clock.after(started, last=True), time.perf_counter() - started))
                await markdown.update(whole(documents["before"]))
                await _settle(app, pilot)
    return timings


def _ms(values: Sequence[float]) -> list[float]:
    return [value * 1000 for value in values]


def bench_running_app(
    db: Path, ids: dict[str, int], sizes: Sequence[Size], runs: int, stock_pages: Callable[[int], int]
) -> list[dict[str, Any]]:
    """Figures 2 and 3 at every size; the stock widget where ``stock_pages(pages)`` gives runs (0: skip)."""
    results: list[dict[str, Any]] = []
    for size in sizes:
        print(f"… app at {size.pages} pages / {size.indicators} indicators", file=sys.stderr)
        measured = asyncio.run(measure_app(db, ids[str(size.pages)], runs))
        stock_runs = stock_pages(size.pages)
        stock: dict[str, list[float]] = {}
        if stock_runs:
            print(f"… stock Markdown at {size.pages} pages", file=sys.stderr)
            stock = asyncio.run(measure_stock(measured["documents"], ("prose", "budget"), stock_runs))
        prose_base = statistics.median(stock["prose"]) * 1000 if stock.get("prose") else None
        results.append(
            figure(
                f"edit → preview painted, one-character prose edit, {size.pages} pages",
                _ms(measured["prose"]),
                "ms",
                EDIT_TARGET_MS,
                prose_base,
            )
        )
        floor = statistics.median(_ms(measured["floor"]))
        target = round(ANSWER_TARGET_FLOORS * floor, 1)
        results += [
            figure(
                f"Textual floor: one message mounted as a widget → painted, {size.pages} pages",
                _ms(measured["floor"]),
                "ms",
                None,
                None,
            ),
            figure(
                f"accepted budget line → painted, {size.pages} pages",
                _ms(measured["budget"]),
                "ms",
                target,
                floor,
            ),
            figure(
                f"accepted budget line → painted, long session ({measured['messages']} messages), "
                f"{size.pages} pages",
                _ms(measured["long"]),
                "ms",
                target,
                floor,
            ),
            figure(
                f"conversation: one message appended → painted, {size.pages} pages",
                _ms(measured["append"]),
                "ms",
                None,
                floor,
            ),
            figure(
                f"memory the conversation holds, long session ({LONG_SESSION} messages), {size.pages} pages",
                measured["held"],
                "KB",
                None,
                None,
            ),
        ]
        if stock.get("budget"):
            results.append(
                figure(
                    f"stock Markdown: accepted budget line → painted, {size.pages} pages",
                    _ms(stock["budget"]),
                    "ms",
                    None,
                    None,
                )
            )
        results.append(
            figure(
                f"longest loop stall, typing 50 characters, {size.pages} pages",
                _ms(measured["stall"]),
                "ms",
                STALL_TARGET_MS,
                None,
                value="max",
            )
        )
    return results


def run(quick: bool = False) -> list[dict[str, Any]]:
    """Start-up, edits and stalls; ``quick`` uses fewer runs and the stock widget at 5 pages only."""
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as temp:
        folder = Path(temp)
        db = folder / "app.db"
        ids = build_database(db)
        results = bench_startup(folder, db, ids, 5 if quick else 11)
        os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
        os.environ["JIXIAO_KEYS"] = str(folder / "no-keys.toml")
        results += bench_running_app(
            db,
            ids,
            SIZES,
            5 if quick else 15,
            (lambda pages: 1 if pages <= 5 else 0) if quick else (lambda pages: 2 if pages <= 50 else 1),
        )
    return results


def main(argv: list[str] | None = None) -> int:
    """Print the table; exit 1 when a measurement misses its target."""
    parser = argparse.ArgumentParser(description="jixiao app benchmarks")
    parser.add_argument("--quick", action="store_true", help="fewer runs; the stock widget at 5 pages only")
    results = run(parser.parse_args(argv).quick)
    print_table(results)
    return int(any(r["target"] is not None and r["value"] > r["target"] for r in results))


if __name__ == "__main__":
    sys.exit(main())
