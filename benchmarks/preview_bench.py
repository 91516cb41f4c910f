"""Live preview speed: the line-API ``ReportPreview`` against Textual's stock ``Markdown`` widget.

For reports of 5, 50 and 200 pages (a page is ~1,500 Chinese characters; the 附件1 indicator
table has 10 rows per page, so 2,000 rows at 200 pages), built as document blocks the way
``report.render`` builds them, in a headless app at 80x24::

    .venv/bin/python -m benchmarks.preview_bench [--quick] [--full] [--runs N]

measures, several times each, median / min / max of (a full garbage collection runs before
each load and each typing run, so that one phase does not pay for another's garbage):

- load: ``set_sections`` with the blocks (stock: ``Markdown.update`` of the whole document as
  ``report.writers.markdown`` writes it) until the frame;
- edit: one paragraph appended to a section on screen, ``update_section`` (stock: ``update``
  of the whole document with that edit) until the frame;
- table edit: one row of the 2,000-row table changed, on screen (preview only);
- reload: ``set_sections`` again with one section changed, as an undo does (preview only);
- the longest event-loop stall during a load, and while "typing" (an update every 30 ms).

"Until the frame" is wall time from the call to the frame that shows the change:
``App._display`` is wrapped to timestamp each frame and render it to terminal output, as a
real terminal would (headless mode skips that step). For the preview that is the first frame
after the call (``update_section`` refreshes before it returns; later frames come from
background wrapping); for the stock widget, which mounts its blocks over several frames, the
last frame before the app is idle again. The stock widget at 200 pages takes ~30 s per update
and is skipped unless ``--full``.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import statistics
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from decimal import Decimal
from functools import partial
from typing import Any

from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widgets import Markdown

from benchmarks import print_table, result
from benchmarks.probes import FrameClock, StallProbe
from report.document import (
    Align,
    Attachment,
    Cell,
    DocBlock,
    Figure,
    FigureKind,
    Heading,
    Merge,
    Table,
    Title,
    plain,
)
from report.render import INDICATOR_SHEET_HEADER, prose_blocks
from report.writers.markdown import blocks_markdown
from tui.widgets.preview import ReportPreview

SIZE = (80, 24)
PAGE_CHARACTERS = 1_500
TABLE_ROWS_PER_PAGE = 10
EDIT_TARGET_MS = 16.0
STALL_TARGET_MS = 33.0

_WORDS = (
    "项目",
    "资金",
    "预算",
    "执行",
    "绩效",
    "目标",
    "指标",
    "完成",
    "情况",
    "管理",
    "制度",
    "社区",
    "服务",
    "群众",
    "满意度",
    "培训",
    "基层",
    "治理",
    "经费",
    "保障",
    "采购",
    "验收",
    "考核",
    "台账",
    "整改",
    "落实",
    "监督",
    "评价",
)


def _text(rng: random.Random, characters: int) -> str:
    out: list[str] = []
    length = 0
    while length < characters:
        piece = rng.choice(_WORDS)
        if rng.random() < 0.15:
            piece += rng.choice("，，，。、；")
        if rng.random() < 0.03:
            piece += f"{rng.randint(1, 999)}.{rng.randint(0, 99):02d}万元"
        out.append(piece)
        length += len(piece)
    return "".join(out) + "。"


Sections = list[tuple[str, tuple[DocBlock, ...]]]
LEFT, RIGHT = Align.LEFT, Align.RIGHT


def _figure(text: str, kind: FigureKind) -> Figure:
    return Figure(Decimal(text), text, kind)


def synthetic_report(pages: int, seed: int = 1) -> Sections:
    """A report of ``pages`` pages as (key, blocks) sections, shaped as ``report.render`` builds them."""
    rng = random.Random(seed)
    title = Title("某某单位2020年度项目支出绩效自评报告", ("实施单位：某某单位", "评价年度：2020年"))
    sections: Sections = [("<title>", (title,))]
    for page in range(pages):
        body = prose_blocks("\n".join(_text(rng, PAGE_CHARACTERS // 5) for _ in range(5)))
        blocks: list[DocBlock] = [Heading(2, f"（{page + 1}）", f"第{page + 1}部分"), *body]
        if page % 10 == 0:
            budget: tuple[tuple[Cell, ...], ...] = tuple(
                (
                    str(n),
                    _text(rng, 6),
                    _figure(f"{rng.randint(1, 300)}.00", FigureKind.MONEY),
                    _text(rng, 12),
                )
                for n in range(1, 6)
            )
            header = ("序号", "名称", "金额（万元）", "用途")
            blocks.append(Table(header, budget, (LEFT, LEFT, RIGHT, LEFT), role="budget_lines"))
        sections.append((f"s{page}", tuple(blocks)))
    headers = INDICATOR_SHEET_HEADER
    count = pages * TABLE_ROWS_PER_PAGE
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (
            "产出指标" if n == 0 else "",
            "数量指标" if n == 0 else "",
            f"指标{n}{_text(rng, rng.randint(4, 14))}",
            f"≥{n}个",
            f"{n + 1}个",
            _figure("5", FigureKind.WEIGHT),
            _figure("5.00", FigureKind.SCORE),
            _text(rng, rng.randint(10, 40)) if n % 3 == 0 else "",
        )
        for n in range(count)
    )
    align = (LEFT, LEFT, LEFT, LEFT, LEFT, RIGHT, RIGHT, LEFT)
    merges = (Merge(0, 0, count), Merge(0, 1, count))
    sheet = Table(headers, rows, align, merges, role="sheet.indicators")
    sections.append(("<score_sheet>", (Attachment("附件1", "项目支出绩效自评表", "（2020年度）"), sheet)))
    return sections


def with_cell(table: Table, row: int, column: int, text: str) -> Table:
    """``table`` with one cell's text changed."""
    rows = list(table.rows)
    rows[row] = (*rows[row][:column], text, *rows[row][column + 1 :])
    return Table(table.header, tuple(rows), table.align, table.merges, table.role)


def whole(sections: Sequence[tuple[str, Sequence[DocBlock]]]) -> str:
    """The sections as one Markdown document, as the stock widget gets it."""
    return "\n\n".join(blocks_markdown(blocks) for _key, blocks in sections) + "\n"


# --- the harness --------------------------------------------------------------------------------


class PreviewApp(App[None]):
    """A bare app around the preview."""

    def compose(self) -> ComposeResult:
        yield ReportPreview()


class StockApp(App[None]):
    """A bare app around Textual's Markdown widget in a scroll container."""

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Markdown()


async def settle(app: App[Any], pilot: Pilot[Any]) -> None:
    """Until background work is done and the app is idle."""
    await app.workers.wait_for_complete()
    await pilot.pause()


async def until_frame(
    app: App[Any],
    pilot: Pilot[Any],
    clock: FrameClock,
    action: Callable[[], Awaitable[None] | None],
    last: bool = False,
) -> tuple[float, float]:
    """Run ``action``; (seconds the call took, seconds until its first or last frame)."""
    started = time.perf_counter()
    outcome = action()
    if outcome is not None:
        await outcome
    called = time.perf_counter() - started
    await settle(app, pilot)
    return called, max(clock.after(started, last), called)


# --- the measurements ---------------------------------------------------------------------------

Timings = dict[str, list[float]]


async def measure_preview(sections: Sections, runs: int) -> Timings:
    """Loads, edits and stalls of the preview."""
    timings: Timings = {
        key: []
        for key in (
            "load",
            "load_call",
            "wrapped",
            "reload",
            "edit",
            "edit_call",
            "table",
            "load_stall",
            "typing_stall",
        )
    }
    app = PreviewApp()
    async with app.run_test(size=SIZE) as pilot:
        clock = FrameClock(app)
        preview = app.query_one(ReportPreview)
        await pilot.pause()
        probe = StallProbe()
        for _ in range(runs):
            preview.set_sections([])
            await settle(app, pilot)
            gc.collect()
            await probe.start()
            started = time.perf_counter()
            preview.set_sections(sections)
            timings["load_call"].append(time.perf_counter() - started)
            await settle(app, pilot)
            timings["load"].append(clock.after(started, last=False))
            timings["wrapped"].append(time.perf_counter() - started)
            timings["load_stall"].append(await probe.stop())

        middle_key, middle = sections[len(sections) // 2]
        preview.scroll_to_section(middle_key)
        await settle(app, pilot)
        for run in range(runs):  # a reload (undo) where one section changed
            reloaded = list(sections)
            reloaded[len(sections) // 2] = (middle_key, (*middle, plain(f"撤销第{run}次。")))
            _called, framed = await until_frame(app, pilot, clock, partial(preview.set_sections, reloaded))
            timings["reload"].append(framed)
        gc.collect()
        for run in range(runs * 3):
            edited = (*middle, plain(f"第{run}次修改后新增的一段说明文字。"))
            called, framed = await until_frame(
                app, pilot, clock, partial(preview.update_section, middle_key, edited)
            )
            assert f"第{run}次修改后新增的一段说明文字。" in preview.section_text(middle_key)
            timings["edit_call"].append(called)
            timings["edit"].append(framed)

        sheet_key, (attachment, sheet) = sections[-1]
        assert isinstance(sheet, Table)
        preview.scroll_to_section(sheet_key)
        await settle(app, pilot)
        preview.scroll_to(y=preview.scroll_y + 40, animate=False)
        await settle(app, pilot)
        for run in range(runs * 3):
            edited_sheet = (attachment, with_cell(sheet, 5, 3, f"≥{run}五个"))
            _called, framed = await until_frame(
                app, pilot, clock, partial(preview.update_section, sheet_key, edited_sheet)
            )
            timings["table"].append(framed)

        preview.scroll_to_section(middle_key)
        await settle(app, pilot)
        for _ in range(runs):
            gc.collect()
            await probe.start()
            typed = ""
            for character in "正在输入的一段新的说明文字，逐字更新预览。" * 2:
                typed += character
                preview.update_section(middle_key, (*middle, plain(typed)))
                await asyncio.sleep(0.03)
            await settle(app, pilot)
            timings["typing_stall"].append(await probe.stop())
    return timings


async def measure_stock(sections: Sections, runs: int) -> Timings:
    """Loads and edits through Textual's Markdown widget (the whole document each time)."""
    timings: Timings = {"load": [], "edit": [], "load_stall": []}
    document = whole(sections)
    app = StockApp()
    async with app.run_test(size=SIZE) as pilot:
        clock = FrameClock(app)
        markdown = app.query_one(Markdown)
        await pilot.pause()
        probe = StallProbe()
        for _ in range(runs):
            await markdown.update("")
            await settle(app, pilot)
            gc.collect()
            await probe.start()
            _called, framed = await until_frame(
                app, pilot, clock, partial(markdown.update, document), last=True
            )
            timings["load"].append(framed)
            timings["load_stall"].append(await probe.stop())
        middle = len(sections) // 2
        for run in range(runs):
            edited = list(sections)
            key, blocks = edited[middle]
            edited[middle] = (key, (*blocks, plain(f"第{run}次修改后新增的一段说明文字。")))
            document = whole(edited)
            _called, framed = await until_frame(
                app, pilot, clock, partial(markdown.update, document), last=True
            )
            timings["edit"].append(framed)
    return timings


# --- reporting ----------------------------------------------------------------------------------


def _spread(values: Sequence[float]) -> str:
    if not values:
        return "—"
    return f"{statistics.median(values) * 1000:.1f} ({min(values) * 1000:.1f}–{max(values) * 1000:.1f})"


def _ratio(stock: Sequence[float], preview: Sequence[float]) -> str:
    if not stock or not preview or not statistics.median(preview):
        return "—"
    return f"{statistics.median(stock) / statistics.median(preview):.0f}×"


def print_spread(rows: list[tuple[str, str, Sequence[float], Sequence[float]]]) -> None:
    """Print median (min–max) in ms of the preview and the stock widget, with their ratio."""
    table = [["pages", "measure", "preview ms med (min–max)", "stock ms med (min–max)", "stock ÷ preview"]]
    for pages, name, preview, stock in rows:
        table.append([pages, name, _spread(preview), _spread(stock), _ratio(stock, preview)])
    widths = [max(len(row[column]) for row in table) for column in range(len(table[0]))]
    for number, row in enumerate(table):
        print("  ".join(text.ljust(width) for text, width in zip(row, widths, strict=True)).rstrip())
        if number == 0:
            print("  ".join("-" * width for width in widths))


async def _run(pages_list: Sequence[int], runs: int, full: bool) -> list[dict[str, Any]]:
    rows: list[tuple[str, str, Sequence[float], Sequence[float]]] = []
    results: list[dict[str, Any]] = []
    for pages in pages_list:
        sections = synthetic_report(pages)
        characters = len(whole(sections))
        print(f"… {pages} pages ({characters:,} characters, {len(sections)} sections)", file=sys.stderr)
        preview = await measure_preview(sections, runs)
        stock: Timings = {}
        if pages < 200 or full:
            stock = await measure_stock(sections, max(1, min(runs, 3 if pages < 50 else 2)))
        label = str(pages)
        rows += [
            (label, "load → frame", preview["load"], stock.get("load", [])),
            (label, "load: set_sections call", preview["load_call"], []),
            (label, "load → all wrapped (background)", preview["wrapped"], []),
            (label, "reload, one section changed → frame", preview["reload"], []),
            (label, "edit → frame", preview["edit"], stock.get("edit", [])),
            (label, "edit: update_section call", preview["edit_call"], []),
            (label, "table-row edit → frame", preview["table"], []),
            (label, "longest loop stall, load", preview["load_stall"], stock.get("load_stall", [])),
            (label, "longest loop stall, typing", preview["typing_stall"], []),
        ]
        stock_edit = statistics.median(stock["edit"]) * 1000 if stock else None
        results += [
            result(
                f"preview edit → frame, {pages} pages",
                statistics.median(preview["edit"]) * 1000,
                "ms",
                EDIT_TARGET_MS,
                stock_edit,
            ),
            result(
                f"preview table-row edit → frame, {pages} pages",
                statistics.median(preview["table"]) * 1000,
                "ms",
                EDIT_TARGET_MS,
                None,
            ),
            result(
                f"preview longest stall while typing, {pages} pages",
                max(preview["typing_stall"]) * 1000,
                "ms",
                STALL_TARGET_MS,
                None,
            ),
            result(
                f"preview longest stall while loading, {pages} pages",
                max(preview["load_stall"]) * 1000,
                "ms",
                None,
                max(stock["load_stall"]) * 1000 if stock else None,
            ),
        ]
    print()
    print_spread(rows)
    return results


def run(quick: bool = False, full: bool = False, runs: int | None = None) -> list[dict[str, Any]]:
    """Measure; ``quick`` does 5 and 50 pages once, ``full`` adds the stock widget at 200 pages."""
    pages_list = (5, 50) if quick else (5, 50, 200)
    return asyncio.run(_run(pages_list, runs or (1 if quick else 5), full))


def main(argv: Sequence[str] | None = None) -> None:
    """Command line: ``--quick``, ``--full``, ``--runs N``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="5 and 50 pages, one run")
    parser.add_argument("--full", action="store_true", help="also the stock widget at 200 pages (~2 min)")
    parser.add_argument("--runs", type=int, default=None, help="loads per size (edits: 3× as many)")
    options = parser.parse_args(argv)
    results = run(quick=options.quick, full=options.full, runs=options.runs)
    print()
    print_table(results)


if __name__ == "__main__":
    main()
