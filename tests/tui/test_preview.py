"""The live report preview: what it draws, what an update redraws, where scrolling lands."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from contextlib import asynccontextmanager
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from textual.app import App, ComposeResult

from report.document import (
    Align,
    Attachment,
    BulletList,
    DocBlock,
    Figure,
    FigureKind,
    Heading,
    Merge,
    Paragraph,
    Span,
    Table,
    Title,
    plain,
)
from tui.widgets.preview import (
    ReportPreview,
    TableSource,
    cell_lines,
    column_widths,
    layout_block,
    match_rows,
    record_text,
    wrap_runs,
)

SIZES = [(80, 24), (120, 40)]

# Made-up report text (never the shared sample's sentences).
WORDS = [
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
    "办公",
    "经费",
    "保障",
    "运行",
    "采购",
    "合同",
    "验收",
    "考核",
    "台账",
    "档案",
    "宣传",
    "调研",
    "整改",
    "落实",
    "监督",
    "评价",
    "年度",
    "季度",
]
PUNCTUATION = "，，，。、；："


def chinese_text(rng: random.Random, characters: int) -> str:
    """Chinese prose of about ``characters`` characters, with punctuation and a few figures."""
    out: list[str] = []
    length = 0
    while length < characters:
        piece = rng.choice(WORDS)
        if rng.random() < 0.15:
            piece += rng.choice(PUNCTUATION)
        if rng.random() < 0.03:
            piece += f"{rng.randint(1, 999)}.{rng.randint(0, 99):02d}万元"
        out.append(piece)
        length += len(piece)
    return "".join(out) + "。"


Sections = list[tuple[str, tuple[DocBlock, ...]]]
LEFT, RIGHT = Align.LEFT, Align.RIGHT
SHEET_HEADER = (
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
)


def money(text: str) -> Figure:
    """A money cell as the renderer makes it."""
    return Figure(Decimal(text), text, FigureKind.MONEY)


def indicator_row(rng: random.Random, number: int, first: bool = True) -> tuple[str | Figure, ...]:
    """One row of the 附件1 indicator table; the category labels only on a group's first row."""
    reason = chinese_text(rng, rng.randint(10, 40)) if number % 3 == 0 else ""
    return (
        "产出指标" if first else "",
        "数量指标" if first else "",
        f"指标{number}{chinese_text(rng, rng.randint(4, 14))}",
        f"≥{number}个",
        f"{number + 1}个",
        Figure(Decimal(5), "5", FigureKind.WEIGHT),
        Figure(Decimal("5.00"), "5.00", FigureKind.SCORE),
        reason,
    )


def indicator_table(rng: random.Random, rows: int) -> Table:
    """A table shaped like the 附件1 indicator table: 8 columns, one 一级/二级 group merged."""
    body = tuple(indicator_row(rng, number, first=number == 0) for number in range(rows))
    merges = (Merge(0, 0, rows), Merge(0, 1, rows)) if rows > 1 else ()
    return Table(
        SHEET_HEADER, body, (LEFT, LEFT, LEFT, LEFT, LEFT, RIGHT, RIGHT, LEFT), merges, "sheet.indicators"
    )


SHEET_TITLE = Attachment("附件1", "项目支出绩效自评表", "（2020年度）")
TITLE = Title("某某单位2020年度项目支出绩效自评报告", ("实施单位：某某单位", "评价年度：2020年"))


def page_heading(page: int) -> Heading:
    """The heading of page ``page`` of a synthetic report: （n）第n部分."""
    return Heading(2, f"（{page}）", f"第{page}部分")


def big_report(pages: int = 200, table_rows: int = 2000) -> Sections:
    """A synthetic report: one section of ~1,500 Chinese characters per page, then a score sheet."""
    rng = random.Random(pages)
    sections: Sections = [("<title>", (TITLE,))]
    for page in range(pages):
        body = tuple(plain(chinese_text(rng, 300)) for _ in range(5))
        sections.append((f"s{page}", (page_heading(page), *body)))
    sections.append(("<score_sheet>", (SHEET_TITLE, indicator_table(rng, table_rows))))
    return sections


def with_row(table: Table, index: int, row: tuple[str | Figure, ...]) -> Table:
    """``table`` with body row ``index`` replaced."""
    rows = list(table.rows)
    rows[index] = row
    return Table(table.header, tuple(rows), table.align, table.merges, table.role)


SMALL_REPORT: Sections = [
    ("<title>", (TITLE,)),
    (
        "basic",
        (
            Heading(1, "一、", "项目基本情况"),
            plain(
                "本项目用于社区服务和基层治理，资金按计划拨付到位，"
                + "管理制度健全，台账完整。" * 6
                + "The budget report follows the national template closely."
            ),
        ),
    ),
    (
        "funds",
        (
            Heading(2, "（一）", "资金情况"),
            plain("年初预算数 487.00 万元，全年执行数 483.30 万元。"),
            Table(
                ("序号", "名称", "金额（万元）", "用途"),
                (
                    ("1", "办公经费", money("49.00"), "办公|运行"),
                    ("2", "社区服务补助", money("120.50"), "服务\n补贴"),
                    ("合计", "", money("169.50"), ""),
                ),
                (LEFT, LEFT, RIGHT, LEFT),
                role="budget_lines",
            ),
        ),
    ),
    (
        "indicators",
        (
            Heading(2, "（二）", "绩效指标完成情况"),
            Paragraph((Span("数量指标", strong=True),)),
            BulletList(
                (
                    (Span("按期结案率"), Span("：年度指标值 ≥99%，实际完成值 99.9%。")),
                    (Span("培训人次"), Span("：年度指标值 ≥1000人次，实际完成值 1200人次。")),
                )
            ),
        ),
    ),
    (
        "score",
        (
            Heading(2, "（三）", "评价结论"),
            Paragraph((Span("综合得分 "), Span("95.50", strong=True), Span(" 分，评价等级为“优”。"))),
        ),
    ),
]


def section(sections: Sequence[tuple[str, tuple[DocBlock, ...]]], key: str) -> tuple[DocBlock, ...]:
    """The blocks of section ``key``."""
    return dict(sections)[key]


class PreviewApp(App[None]):
    """A bare app around one preview."""

    def __init__(self, sections: Sections | None = None, follow: bool = True) -> None:
        super().__init__()
        self._sections = sections or []
        self._follow = follow

    def compose(self) -> ComposeResult:
        yield ReportPreview(self._sections, follow=self._follow)


class NarrowPreviewApp(PreviewApp):
    """The preview as a 42-column pane, as beside the conversation at 120x40."""

    CSS = "ReportPreview { width: 42; }"


@asynccontextmanager
async def preview_app(sections, size=(80, 24), follow=True, app_type=PreviewApp):  # type: ignore[no-untyped-def]
    """Run a headless app with the preview and wait until it has wrapped everything."""
    app = app_type(sections, follow=follow)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        preview = app.query_one(ReportPreview)
        await settle(app, pilot)
        yield app, pilot, preview


async def settle(app: App[None], pilot) -> None:  # type: ignore[no-untyped-def]
    """Let the background wrapping finish and the screen catch up."""
    await app.workers.wait_for_complete()
    await pilot.pause()


def view_lines(preview: ReportPreview) -> list[str]:
    """The text of every line of the preview as drawn now, trailing spaces removed."""
    return [preview.render_line(y).text.rstrip() for y in range(preview.scrollable_content_region.height)]


def view_width(preview: ReportPreview) -> int:
    return preview.scrollable_content_region.width


def table_lines(lines: list[str]) -> list[str]:
    """The lines of the first table in ``lines``, from its top border to its bottom border."""
    start = next(index for index, line in enumerate(lines) if line.startswith("┌"))
    end = next(index for index in range(start, len(lines)) if lines[index].startswith("└"))
    return lines[start : end + 1]


def bar_positions(line: str) -> list[int]:
    """The cell columns of the vertical table borders in a line."""
    positions = []
    column = 0
    for character in line:
        if character in "│┌┐└┘├┤┼┬┴╞╡╪":
            positions.append(column)
        column += cell_len(character)
    return positions


# --- what the preview draws ------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_heading_and_wrapped_paragraph_are_drawn(size: tuple[int, int]) -> None:
    async with preview_app(SMALL_REPORT, size) as (_app, _pilot, preview):
        lines = view_lines(preview)
        width = view_width(preview)
        assert lines[0] == "某某单位2020年度项目支出绩效自评报告"
        heading = lines.index("一、项目基本情况")
        paragraph = []
        for line in lines[heading + 2 :]:
            if not line:
                break
            paragraph.append(line)
        assert len(paragraph) > 1, "the long paragraph wraps onto several lines"
        assert all(cell_len(line) <= width for line in lines)
        original = section(SMALL_REPORT, "basic")[1].text  # type: ignore[union-attr]
        assert "".join(paragraph).replace(" ", "") == original.replace(" ", "")


async def test_the_screen_shows_the_preview_text() -> None:
    async with preview_app(SMALL_REPORT) as (app, _pilot, _preview):
        screenshot = app.export_screenshot()
        assert "一、项目基本情况" in screenshot
        assert "年初预算数" in screenshot and "483.30" in screenshot


@pytest.mark.parametrize("size", SIZES)
async def test_table_columns_line_up(size: tuple[int, int]) -> None:
    async with preview_app(SMALL_REPORT, size) as (_app, _pilot, preview):
        preview.scroll_to_section("funds")
        await _pilot.pause()
        table = table_lines(view_lines(preview))
        widths = {cell_len(line) for line in table}
        assert len(widths) == 1 and widths.pop() <= view_width(preview)
        assert len({tuple(bar_positions(line)) for line in table}) == 1, "borders at the same columns"
        text = "\n".join(table)
        assert "办公|运行" in text, "a pipe shows as a pipe inside its cell"
        serving = next(index for index, line in enumerate(table) if "服务" in line and "补助" in line)
        assert "补贴" in table[serving + 1] and "服务" in table[serving], (
            "a line break breaks the cell's line"
        )
        ends = {
            cell_len(line[: line.index(amount)]) + len(amount)
            for line in table
            for amount in ("49.00", "120.50", "169.50")
            if amount in line
        }
        assert len(ends) == 1, "the right-aligned amounts end at the same column"


@pytest.mark.parametrize("size", SIZES)
async def test_wide_table_fits_the_width(size: tuple[int, int]) -> None:
    rng = random.Random(7)
    sections = [("sheet", (SHEET_TITLE, indicator_table(rng, 12)))]
    async with preview_app(sections, size) as (_app, _pilot, preview):
        table = table_lines(preview.section_text("sheet"))
        width = view_width(preview)
        assert {cell_len(line) for line in table} == {cell_len(table[0])}
        assert cell_len(table[0]) <= width
        assert len({tuple(bar_positions(line)) for line in table}) == 1
        header = table[1 : next(index for index, line in enumerate(table) if line.startswith("╞"))]
        last_column = "".join(line.split("│")[-2].strip() for line in header)
        assert last_column == "偏差原因分析及改进措施", "the header is shown whole, wrapped if need be"


async def test_a_narrow_pane_shows_a_wide_table_as_records() -> None:
    rng = random.Random(7)
    sections = [("sheet", (SHEET_TITLE, indicator_table(rng, 6))), SMALL_REPORT[2]]
    async with preview_app(sections, (120, 40), app_type=NarrowPreviewApp) as (_app, _pilot, preview):
        width = view_width(preview)
        assert width == 40
        sheet = preview.section_text("sheet")
        assert all(cell_len(line) <= width for line in sheet)
        assert not any("┬" in line or "│" in line for line in sheet), "no grid of one-character columns"
        fields = [line.split("：", 1)[0] for line in sheet if "：" in line and not line.startswith(" ")]
        assert fields[:7] == ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
        assert len([line for line in sheet if line.startswith("三级指标：")]) == 6, "one record per row"
        assert fields.count("一级指标") == 1, "a merged label shows once, on its group's first row"
        assert fields.count("偏差原因分析及改进措施") == 2, "empty cells are left out"
        funds = table_lines(preview.section_text("funds"))
        assert len({tuple(bar_positions(line)) for line in funds}) == 1, "a narrow table stays a grid"
        assert cell_len(funds[0]) <= width


async def test_lists_and_bold_text() -> None:
    async with preview_app(SMALL_REPORT, (120, 40)) as (_app, _pilot, preview):
        lines = preview.section_text("indicators")
        assert "数量指标" in lines
        assert any(line.startswith("• 按期结案率：年度指标值 ≥99%") for line in lines)
        score = preview.section_text("score")
        assert "综合得分 95.50 分，评价等级为“优”。" in [line.rstrip() for line in score]


async def test_headings_stand_out_without_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setattr("textual.constants.COLOR_SYSTEM", "standard")
    async with preview_app(SMALL_REPORT) as (app, _pilot, preview):
        assert app.no_color
        lines = view_lines(preview)

        def style_of(text: str):  # type: ignore[no-untyped-def]
            strip = preview.render_line(lines.index(text))
            return next(segment.style for segment in strip if segment.text.strip())

        title, level2, level3 = (
            style_of("某某单位2020年度项目支出绩效自评报告"),
            style_of("一、项目基本情况"),
            style_of("（一）资金情况"),
        )
        body = style_of("年初预算数 487.00 万元，全年执行数 483.30 万元。")
        assert title.bold and title.reverse
        assert level2.bold and level2.underline and not level2.reverse
        assert level3.bold and not level3.underline
        assert not body.bold and not body.underline and not body.reverse
        title_strip = preview.render_line(0)
        assert title_strip.cell_length == view_width(preview)
        assert all(segment.style.reverse for segment in title_strip if segment.style), (
            "the title is a reversed bar across the whole width"
        )


@given(
    text=st.text(
        alphabet=st.sampled_from(list("项目资金预算执行绩效，。（）“”ABCxyz0123 %≥-")),
        min_size=0,
        max_size=300,
    ),
    width=st.integers(min_value=2, max_value=60),
)
def test_wrapping_never_exceeds_the_width_and_loses_nothing(text: str, width: int) -> None:
    lines = wrap_runs([(text, 0)], width)
    shown = ["".join(line.parts[0::2]) for line in lines]
    for line, words in zip(lines, shown, strict=True):
        assert line.width == cell_len(words)
        assert line.width <= width
    assert "".join(shown).replace(" ", "") == text.replace(" ", "")


async def test_long_chinese_paragraph_wraps_within_the_width() -> None:
    rng = random.Random(3)
    paragraph = chinese_text(rng, 3000) + " https://example.org/" + "x" * 150 + " 结束。"
    async with preview_app([("long", (Heading(1, "一、", "长段落"), plain(paragraph)))]) as (
        _app,
        _pilot,
        preview,
    ):
        width = view_width(preview)
        lines = preview.section_text("long")
        assert len(lines) > 3000 * 2 // width
        assert all(cell_len(line) <= width for line in lines)
        body = [line for line in lines[2:] if line]
        assert "".join(body).replace(" ", "") == paragraph.replace(" ", "")
        assert not any(line[:1] in "，。、；：）" for line in body), "no line starts with closing punctuation"
        assert sum(cell_len(line) >= width - 1 for line in body) > len(body) // 2, "lines are filled"


# --- updates, scrolling ------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_update_section_redraws_only_that_section(size: tuple[int, int]) -> None:
    async with preview_app(SMALL_REPORT, size, follow=False) as (_app, pilot, preview):
        before = {key: preview.cached_lines(key) for key in preview.section_keys}
        assert all(lines is not None for lines in before.values())
        preview.update_section(
            "funds",
            (Heading(2, "（一）", "资金情况"), plain("年初预算数 500.00 万元，全年执行数 499.00 万元。")),
        )
        await pilot.pause()
        for key in preview.section_keys:
            after = preview.cached_lines(key)
            assert after is not None
            if key == "funds":
                assert after != before[key]
            else:
                assert len(after) == len(before[key])
                assert all(new is old for new, old in zip(after, before[key], strict=True))
        lines = view_lines(preview)
        heading = lines.index("（一）资金情况")
        assert lines[heading + 2 : heading + 5] == [
            "年初预算数 500.00 万元，全年执行数 499.00 万元。",
            "",
            "（二）绩效指标完成情况",
        ], "the new text, and the next section moved up behind it"
        assert not any(line.startswith("┌") for line in lines), "the old table is gone"


async def test_update_keeps_the_unchanged_blocks_of_the_section() -> None:
    async with preview_app(SMALL_REPORT) as (_app, pilot, preview):
        before = preview.cached_lines("indicators")
        preview.update_section("indicators", (*section(SMALL_REPORT, "indicators"), plain("新增一段说明。")))
        await pilot.pause()
        after = preview.cached_lines("indicators")
        assert before is not None and after is not None
        assert all(new is old for new, old in zip(after, before[:-1], strict=False))
        assert "新增一段说明。" in [line.rstrip() for line in preview.section_text("indicators")]


@pytest.mark.parametrize("size", SIZES)
async def test_scroll_to_section_puts_its_heading_on_top(size: tuple[int, int]) -> None:
    sections = big_report(pages=30, table_rows=20)
    async with preview_app(sections, size) as (_app, pilot, preview):
        for key, heading in (("s12", "（12）第12部分"), ("s3", "（3）第3部分"), ("s20", "（20）第20部分")):
            preview.scroll_to_section(key)
            await pilot.pause()
            assert view_lines(preview)[0] == heading
            assert preview.section_at_top() == key
        preview.scroll_to_section("<title>")
        await pilot.pause()
        assert preview.section_at_top() == "<title>"


async def test_keys_scroll_at_once() -> None:
    sections = big_report(pages=10, table_rows=0)
    async with preview_app(sections) as (_app, pilot, preview):
        preview.focus()
        height = preview.scrollable_content_region.height
        await pilot.press("down")
        assert preview.scroll_y == 1
        await pilot.press("pagedown")
        assert preview.scroll_y == 1 + height
        await pilot.press("pageup", "up")
        assert preview.scroll_y == 0
        await pilot.press("end")
        assert preview.scroll_y == preview.max_scroll_y > 0
        assert view_lines(preview)[-1].startswith("└") or view_lines(preview)[-2].startswith("└")
        await pilot.press("home")
        assert preview.scroll_y == 0


async def test_follow_scrolls_to_the_change_and_can_be_turned_off() -> None:
    sections = big_report(pages=20, table_rows=0)
    async with preview_app(sections) as (_app, pilot, preview):
        preview.update_section("s15", (*sections[16][1], plain("跟随显示的新段落。")))
        await pilot.pause()
        assert "跟随显示的新段落。" in view_lines(preview)
        preview.follow = False
        preview.scroll_to_section("s2")
        await pilot.pause()
        preview.update_section("s15", (*sections[16][1], plain("不跟随的新段落。")))
        await pilot.pause()
        assert preview.section_at_top() == "s2"
        assert "不跟随的新段落。" not in view_lines(preview)


async def test_an_update_above_the_view_does_not_move_the_text() -> None:
    sections = big_report(pages=20, table_rows=0)
    async with preview_app(sections, follow=False) as (_app, pilot, preview):
        preview.scroll_to_section("s10")
        await pilot.pause()
        before = view_lines(preview)
        preview.update_section("s2", (*sections[3][1], *sections[3][1][1:]))
        preview.update_section("s5", (page_heading(5), plain("短。")))
        await pilot.pause()
        assert view_lines(preview) == before
        assert preview.section_at_top() == "s10"


async def test_resize_rewraps_and_keeps_the_place() -> None:
    sections = big_report(pages=30, table_rows=40)
    async with preview_app(sections, (120, 40)) as (app, pilot, preview):
        preview.scroll_to_section("s17")
        await pilot.pause()
        await pilot.resize_terminal(80, 24)
        await settle(app, pilot)
        assert preview.section_at_top() == "s17"
        assert view_lines(preview)[0] == "（17）第17部分"
        width = view_width(preview)
        assert width < 100
        assert all(cell_len(line) <= width for line in view_lines(preview))
        assert preview.line_count == sum(len(preview.section_text(key)) for key in preview.section_keys)


async def test_hiding_and_showing_keeps_the_place() -> None:
    sections = big_report(pages=20, table_rows=0)
    async with preview_app(sections, follow=False) as (app, pilot, preview):
        preview.scroll_to_section("s7")
        await pilot.pause()
        preview.display = False
        await pilot.pause()
        preview.update_section("s12", (*sections[13][1], plain("隐藏时写入的段落。")))
        preview.display = True
        await settle(app, pilot)
        assert preview.section_at_top() == "s7"
        assert view_lines(preview)[0] == "（7）第7部分"
        preview.scroll_to_section("s12")
        await pilot.pause()
        assert "隐藏时写入的段落。" in "\n".join(preview.section_text("s12"))


async def test_reload_keeps_unchanged_sections_and_the_place() -> None:
    sections = big_report(pages=20, table_rows=30)
    async with preview_app(sections, follow=False) as (app, pilot, preview):
        preview.scroll_to_section("s9")
        await pilot.pause()
        before = {key: preview.cached_lines(key) for key in preview.section_keys}
        reloaded = list(sections)
        reloaded[3] = ("s2", (*sections[3][1], plain("撤销后恢复的段落。")))
        preview.set_sections(reloaded)
        await settle(app, pilot)
        assert preview.section_at_top() == "s9"
        assert view_lines(preview)[0] == "（9）第9部分"
        for key in preview.section_keys:
            if key != "s2":
                after = preview.cached_lines(key)
                assert after is not None and all(
                    new is old for new, old in zip(after, before[key], strict=True)
                )
        assert "撤销后恢复的段落。" in preview.section_text("s2")
        preview.set_sections([("other", (Title("另一份报告"),))])
        await pilot.pause()
        assert preview.scroll_y == 0
        assert view_lines(preview)[0] == "另一份报告"


async def test_sections_given_before_mount_and_errors() -> None:
    preview = ReportPreview([("a", (Title("标题"),))])
    assert preview.section_keys == ["a"]
    with pytest.raises(ValueError, match="duplicate"):
        preview.set_sections([("a", (plain("x"),)), ("a", (plain("y"),))])
    with pytest.raises(KeyError):
        preview.update_section("missing", (plain("x"),))
    async with preview_app([]) as (_app, pilot, empty):
        assert empty.section_at_top() is None
        assert view_lines(empty)[0] == ""
        empty.set_sections([("only", ())])
        await pilot.pause()
        assert empty.section_at_top() == "only"


async def test_two_hundred_page_report_loads_and_updates() -> None:
    sections = big_report(pages=200, table_rows=2000)
    prose = [block for _key, blocks in sections for block in blocks if isinstance(block, Paragraph)]
    assert sum(len(block.text) for block in prose) > 300_000
    async with preview_app(sections) as (app, pilot, preview):
        assert preview.pending == 0
        total = preview.line_count
        assert total == sum(len(preview.section_text(key)) for key in preview.section_keys)

        preview.scroll_to_section("s150")
        await pilot.pause()
        assert view_lines(preview)[0] == "（150）第150部分"
        preview.update_section("s150", (*sections[151][1], plain("第一百五十部分新增的说明。")))
        await pilot.pause()
        assert "第一百五十部分新增的说明。" in view_lines(preview)

        attachment, table = sections[-1][1]
        assert isinstance(table, Table) and table.rows[1500][3] == "≥1500个"
        row = table.rows[1500]
        edited = with_row(table, 1500, (*row[:3], "≥1888个", *row[4:]))
        preview.update_section("<score_sheet>", (attachment, edited))
        await settle(app, pilot)
        text = "\n".join(preview.section_text("<score_sheet>"))
        assert "≥1888个" in text and "≥1500个" not in text
        assert "≥1499个" in text and "≥1999个" in text
        assert preview.line_count == sum(len(preview.section_text(key)) for key in preview.section_keys)


# --- blocks, as the renderer makes them ---------------------------------------------------------


async def test_what_a_user_typed_is_shown_as_typed() -> None:
    typed = "**粗体** 与 | 竖线 | 与 <br> 换行标记"
    sections: Sections = [
        ("a", (Heading(1, "一、", "# 井号开头的标题"), plain("# 井号"), plain(typed))),
        ("b", (BulletList(((Span("- 列表里的 **星号**"),),)),)),
        ("c", (Table(("列 | 一", "列二"), (("a|b", "甲<br>乙"), ("**粗**", "\\|转义")), (LEFT, LEFT)),)),
    ]
    async with preview_app(sections, (120, 40)) as (app, _pilot, preview):
        lines = view_lines(preview)
        assert lines[:5] == ["一、# 井号开头的标题", "", "# 井号", "", typed]
        assert "• - 列表里的 **星号**" in lines
        table = "\n".join(table_lines(lines))
        for cell in ("列 | 一", "a|b", "甲<br>乙", "**粗**", "\\|转义"):
            assert cell in table, cell
        screenshot = app.export_screenshot()
        assert "**粗体**" in screenshot and "&lt;br&gt;" in screenshot  # the SVG escapes < and >


async def test_bold_spans_are_bold_and_the_rest_is_not() -> None:
    async with preview_app(SMALL_REPORT, (120, 40)) as (_app, pilot, preview):
        preview.scroll_to_section("score")
        await pilot.pause()
        lines = view_lines(preview)
        strip = preview.render_line(lines.index("综合得分 95.50 分，评价等级为“优”。"))
        styles = {segment.text: segment.style for segment in strip if segment.text.strip()}
        assert styles["95.50"] is not None and styles["95.50"].bold
        assert not (styles["综合得分 "] and styles["综合得分 "].bold)


async def test_title_facts_and_attachment_are_drawn() -> None:
    sections: Sections = [
        ("<title>", (TITLE,)),
        ("sheet", (SHEET_TITLE, indicator_table(random.Random(1), 2))),
    ]
    async with preview_app(sections, (120, 40)) as (_app, _pilot, preview):
        assert [line.rstrip() for line in preview.section_text("<title>")] == [
            "某某单位2020年度项目支出绩效自评报告",
            "",
            "实施单位：某某单位；评价年度：2020年",
            "",
        ]
        sheet = preview.section_text("sheet")
        assert sheet[:4] == ["附件1 项目支出绩效自评表", "", "（2020年度）", ""]
        heading = preview.render_line(view_lines(preview).index("附件1 项目支出绩效自评表"))
        style = next(segment.style for segment in heading if segment.text.strip())
        assert style is not None and style.bold and style.underline, "drawn as a level-2 heading"


def test_control_characters_and_joiners_do_not_reach_the_screen() -> None:
    lines = [record_text(record) for record in layout_block(plain("甲\t乙\u200d丙\x1b[31m丁"), 40)]
    assert lines == ["甲 乙丙 [31m丁", ""]
    assert cell_lines("  丁\x07戊\r\n\n己  ") == ("丁 戊", "己")


async def test_a_merged_group_has_no_rules_inside_it() -> None:
    rng = random.Random(5)
    rows = (
        *(indicator_row(rng, number, first=number == 0) for number in range(3)),
        ("效益指标", "社会效益指标", *indicator_row(rng, 3)[2:]),
    )
    merges = (Merge(0, 0, 3), Merge(0, 1, 3))
    table = Table(SHEET_HEADER, rows, (LEFT,) * 5 + (RIGHT, RIGHT, LEFT), merges)
    async with preview_app([("sheet", (table,))], (120, 40)) as (_app, _pilot, preview):
        grid = table_lines(preview.section_text("sheet"))
        rules = [line for line in grid if line.startswith(("├", "│ ")) and "─" in line]
        assert len(rules) == 3, "a rule above every row but the first"
        inside, between = rules[:2], rules[2]
        for rule in inside:
            assert rule.startswith("│ ") and rule.split("│")[1].strip() == "", "the 一级 cell stays open"
            assert rule.split("│")[2].lstrip().startswith("├"), "…and so does the 二级 cell"
        assert between.startswith("├─") and "┼" in between, "the next group is ruled off"
        assert {cell_len(line) for line in grid} == {cell_len(grid[0])}
        assert len({tuple(bar_positions(line)) for line in grid}) == 1


async def test_one_changed_row_of_a_long_table_is_the_only_one_laid_out_again() -> None:
    rng = random.Random(11)
    table = indicator_table(rng, 200)
    async with preview_app([("sheet", (SHEET_TITLE, table))], (120, 40), follow=False) as (
        _app,
        pilot,
        preview,
    ):
        before = preview.cached_lines("sheet")
        assert before is not None
        changed = table.rows[100]
        preview.update_section(
            "sheet", (SHEET_TITLE, with_row(table, 100, (*changed[:3], "≥一百个", *changed[4:])))
        )
        await settle(_app, pilot)
        after = preview.cached_lines("sheet")
        assert after is not None and len(after) == len(before)
        body = next(index for index, record in enumerate(after) if record_text(record).startswith("╞"))
        rows_again = [
            record_text(new)
            for new, old in zip(after[body:], before[body:], strict=True)
            if new is not old and record_text(new).startswith("│") and "─" not in record_text(new)
        ]
        assert any("≥一百个" in line for line in rows_again)
        assert set(re.findall(r"│ 指标(\d+)", "\n".join(rows_again))) == {"100"}, "only the changed row"
        assert len(rows_again) <= 4


def test_rows_are_matched_from_both_ends() -> None:
    rows = tuple((str(number), f"第{number}行") for number in range(10))
    assert match_rows(rows, rows) == (10, 0)
    assert match_rows(rows, (*rows[:4], ("x", "改"), *rows[5:])) == (4, 5)
    assert match_rows(rows, rows[:3] + rows[4:]) == (3, 6), "a removed row"
    assert match_rows(rows, (*rows[:7], ("新", "插入"), *rows[7:])) == (7, 3), "an inserted row"
    assert match_rows(rows, tuple(reversed(rows))) == (0, 0)


@pytest.mark.parametrize("size", SIZES)
async def test_the_demo_preview_shows_its_figures_and_the_score_sheet(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    from report.demo import build_demo_report
    from storage.store import ReportStore
    from tests.tui.harness import draft_screen, screen_text
    from tui.app import JixiaoApp
    from tui.session import SCORE_SHEET_KEY

    db = tmp_path / "jixiao.db"
    with ReportStore.open(db) as store:
        created = store.create(build_demo_report())
    assert created.id is not None
    app = JixiaoApp(db, created.id)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)  # type: ignore[arg-type]
        screen = draft_screen(app)
        preview = screen.query_one("#preview", ReportPreview)
        if not preview.region.width:
            await pilot.press("f2")  # narrow: the preview shows on F2
            await settle(app, pilot)  # type: ignore[arg-type]
        assert preview.region.width > 30
        preview.scroll_to_section("overview")
        preview.scroll_to_section(SCORE_SHEET_KEY)
        await settle(app, pilot)  # type: ignore[arg-type]
        shown = screen_text(app)
        assert "附件1 项目支出绩效自评表" in shown
        assert "483.30" in shown and "99.24%" in shown and "9.92" in shown


def test_column_widths_share_the_space() -> None:
    assert column_widths([4, 10, 6], 30) == [4, 10, 6]
    widths = column_widths([4, 40, 4, 60], 50)
    assert sum(widths) <= 50 and widths[0] == 4 and widths[2] == 4
    assert abs(widths[1] - widths[3]) <= 1


@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["", "甲", "项目资金", "a\nb", "长长的一格文字说明"]),
            st.sampled_from(["1", "22", "甲乙\n丙"]),
        ),
        min_size=1,
        max_size=12,
    ),
    edit=st.tuples(st.sampled_from(["replace", "insert", "delete"]), st.integers(0, 11)),
    row=st.tuples(
        st.sampled_from(["", "更长更长的一格新的文字说明", "x"]), st.sampled_from(["", "4444", "新\n行"])
    ),
)
def test_a_table_measured_from_the_one_it_replaced_measures_as_if_new(
    rows: list[tuple[str, str]], edit: tuple[str, int], row: tuple[str, str]
) -> None:
    old = Table(("表头", "列"), tuple(rows))
    kind, at = edit
    at %= len(rows)
    changed = list(rows)
    if kind == "replace":
        changed[at] = row
    elif kind == "insert":
        changed.insert(at, row)
    else:
        del changed[at]
    new = Table(("表头", "列"), tuple(changed))
    previous = TableSource(old)
    previous.layout(30)
    reused, fresh = TableSource(new, previous), TableSource(new)
    assert reused.natural == fresh.natural
    assert reused.breaks == fresh.breaks
    assert reused.cells == fresh.cells and reused.widths == fresh.widths
    laid_out = [reused.layout(30).body_row(index) for index in range(len(changed))]
    assert laid_out == [fresh.layout(30).body_row(index) for index in range(len(changed))]
