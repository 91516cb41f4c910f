"""The live report preview: what it draws, what an update redraws, where scrolling lands."""

from __future__ import annotations

import random
from contextlib import asynccontextmanager

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from textual.app import App, ComposeResult

from tui.widgets.preview import (
    ReportPreview,
    column_widths,
    parse_inline,
    parse_markdown,
    split_row,
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


def indicator_table(rng: random.Random, rows: int) -> str:
    """A pipe table shaped like the 附件1 indicator table (8 columns, as tabulate writes it)."""
    lines = [
        "| 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |",
        "|:--|:--|:--|:--|:--|--:|--:|:--|",
    ]
    for number in range(rows):
        reason = chinese_text(rng, rng.randint(10, 40)) if number % 3 == 0 else ""
        lines.append(
            f"| 产出指标 | 数量指标 | 指标{number}{chinese_text(rng, rng.randint(4, 14))} "
            f"| ≥{number}个 | {number + 1}个 | 5 | 5.00 | {reason} |"
        )
    return "\n".join(lines)


def big_report(pages: int = 200, table_rows: int = 2000) -> list[tuple[str, str]]:
    """A synthetic report: one section of ~1,500 Chinese characters per page, then a score sheet."""
    rng = random.Random(pages)
    sections = [("<title>", "# 某某单位项目支出绩效自评报告\n\n实施单位：某某单位；评价年度：2020年")]
    for page in range(pages):
        body = "\n\n".join(chinese_text(rng, 300) for _ in range(5))
        sections.append((f"s{page}", f"### （{page}）第{page}部分\n\n{body}"))
    sections.append(("<score_sheet>", "## 附件1 项目支出绩效自评表\n\n" + indicator_table(rng, table_rows)))
    return sections


SMALL_REPORT = [
    ("<title>", "# 某某单位2020年度项目支出绩效自评报告\n\n实施单位：某某单位；评价年度：2020年"),
    (
        "basic",
        "## 一、项目基本情况\n\n"
        + "本项目用于社区服务和基层治理，资金按计划拨付到位，"
        + "管理制度健全，台账完整。" * 6
        + "The budget report follows the national template closely.",
    ),
    (
        "funds",
        "### （一）资金情况\n\n年初预算数 487.00 万元，全年执行数 483.30 万元。\n\n"
        "| 序号 | 名称 | 金额（万元） | 用途 |\n"
        "|:--|:--|--:|:--|\n"
        "| 1 | 办公经费 | 49.00 | 办公\\|运行 |\n"
        "| 2 | 社区服务补助 | 120.50 | 服务<br>补贴 |\n"
        "| 合计 |  | 169.50 |  |",
    ),
    (
        "indicators",
        "### （二）绩效指标完成情况\n\n**数量指标**\n\n"
        "- 按期结案率：年度指标值 ≥99%，实际完成值 99.9%。\n"
        "- 培训人次：年度指标值 ≥1000人次，实际完成值 1200人次。\n\n"
        "1. 第一项说明\n2. 第二项说明",
    ),
    ("score", "### （三）评价结论\n\n综合得分 **95.50** 分，评价等级为“优”。"),
]


class PreviewApp(App[None]):
    """A bare app around one preview."""

    def __init__(self, sections: list[tuple[str, str]] | None = None, follow: bool = True) -> None:
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
        original = SMALL_REPORT[1][1].split("\n\n", 1)[1]
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
        assert "办公|运行" in text, "an escaped pipe shows as a pipe inside its cell"
        serving = next(index for index, line in enumerate(table) if "服务" in line and "补助" in line)
        assert "补贴" in table[serving + 1] and "服务" in table[serving], "<br> breaks the cell's line"
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
    sections = [("sheet", "## 附件1 项目支出绩效自评表\n\n" + indicator_table(rng, 12))]
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
    sections = [("sheet", "## 附件1 项目支出绩效自评表\n\n" + indicator_table(rng, 6)), SMALL_REPORT[2]]
    async with preview_app(sections, (120, 40), app_type=NarrowPreviewApp) as (_app, _pilot, preview):
        width = view_width(preview)
        assert width == 40
        sheet = preview.section_text("sheet")
        assert all(cell_len(line) <= width for line in sheet)
        assert not any("┬" in line or "│" in line for line in sheet), "no grid of one-character columns"
        fields = [line.split("：", 1)[0] for line in sheet if "：" in line and not line.startswith(" ")]
        assert fields[:7] == ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
        assert fields.count("一级指标") == 6, "one record per row"
        assert fields.count("偏差原因分析及改进措施") == 2, "empty cells are left out"
        funds = table_lines(preview.section_text("funds"))
        assert len({tuple(bar_positions(line)) for line in funds}) == 1, "a narrow table stays a grid"
        assert cell_len(funds[0]) <= width


async def test_lists_and_bold_text() -> None:
    async with preview_app(SMALL_REPORT, (120, 40)) as (_app, _pilot, preview):
        lines = preview.section_text("indicators")
        assert "数量指标" in lines
        assert any(line.startswith("• 按期结案率") for line in lines)
        assert any(line.startswith("1. 第一项说明") for line in lines)
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
    async with preview_app([("long", f"## 长段落\n\n{paragraph}")]) as (_app, _pilot, preview):
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
            "funds", "### （一）资金情况\n\n年初预算数 500.00 万元，全年执行数 499.00 万元。"
        )
        await pilot.pause()
        for key in preview.section_keys:
            after = preview.cached_lines(key)
            assert after is not None
            if key == "funds":
                assert after != before[key]
            else:
                assert len(after) == len(before[key])  # type: ignore[arg-type]
                assert all(new is old for new, old in zip(after, before[key], strict=True))  # type: ignore[arg-type]
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
        markdown = SMALL_REPORT[3][1] + "\n\n新增一段说明。"
        preview.update_section("indicators", markdown)
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
        preview.update_section("s15", sections[16][1] + "\n\n跟随显示的新段落。")
        await pilot.pause()
        assert "跟随显示的新段落。" in view_lines(preview)
        preview.follow = False
        preview.scroll_to_section("s2")
        await pilot.pause()
        preview.update_section("s15", sections[16][1] + "\n\n不跟随的新段落。")
        await pilot.pause()
        assert preview.section_at_top() == "s2"
        assert "不跟随的新段落。" not in view_lines(preview)


async def test_an_update_above_the_view_does_not_move_the_text() -> None:
    sections = big_report(pages=20, table_rows=0)
    async with preview_app(sections, follow=False) as (_app, pilot, preview):
        preview.scroll_to_section("s10")
        await pilot.pause()
        before = view_lines(preview)
        preview.update_section("s2", sections[3][1] + "\n\n" + sections[3][1])
        preview.update_section("s5", "### （5）第5部分\n\n短。")
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
        preview.update_section("s12", sections[13][1] + "\n\n隐藏时写入的段落。")
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
        reloaded[3] = ("s2", sections[3][1] + "\n\n撤销后恢复的段落。")
        preview.set_sections(reloaded)
        await settle(app, pilot)
        assert preview.section_at_top() == "s9"
        assert view_lines(preview)[0] == "（9）第9部分"
        for key in preview.section_keys:
            if key != "s2":
                after = preview.cached_lines(key)
                assert after is not None and all(
                    new is old for new, old in zip(after, before[key], strict=True)
                )  # type: ignore[arg-type]
        assert "撤销后恢复的段落。" in preview.section_text("s2")
        preview.set_sections([("other", "# 另一份报告")])
        await pilot.pause()
        assert preview.scroll_y == 0
        assert view_lines(preview)[0] == "另一份报告"


async def test_sections_given_before_mount_and_errors() -> None:
    preview = ReportPreview([("a", "# 标题")])
    assert preview.section_keys == ["a"]
    with pytest.raises(ValueError, match="duplicate"):
        preview.set_sections([("a", "x"), ("a", "y")])
    with pytest.raises(KeyError):
        preview.update_section("missing", "x")
    async with preview_app([]) as (_app, pilot, empty):
        assert empty.section_at_top() is None
        assert view_lines(empty)[0] == ""
        empty.set_sections([("only", "")])
        await pilot.pause()
        assert empty.section_at_top() == "only"


async def test_two_hundred_page_report_loads_and_updates() -> None:
    sections = big_report(pages=200, table_rows=2000)
    assert sum(len(markdown) for _key, markdown in sections) > 300_000
    async with preview_app(sections) as (app, pilot, preview):
        assert preview.pending == 0
        total = preview.line_count
        assert total == sum(len(preview.section_text(key)) for key in preview.section_keys)

        preview.scroll_to_section("s150")
        await pilot.pause()
        assert view_lines(preview)[0] == "（150）第150部分"
        preview.update_section("s150", sections[151][1] + "\n\n第一百五十部分新增的说明。")
        await pilot.pause()
        assert "第一百五十部分新增的说明。" in view_lines(preview)

        sheet = sections[-1][1]
        edited = sheet.replace("| ≥1500个 |", "| ≥1888个 |")
        assert edited != sheet
        preview.update_section("<score_sheet>", edited)
        await settle(app, pilot)
        text = "\n".join(preview.section_text("<score_sheet>"))
        assert "≥1888个" in text and "≥1500个" not in text
        assert "≥1499个" in text and "≥1999个" in text
        assert preview.line_count == sum(len(preview.section_text(key)) for key in preview.section_keys)


# --- the parser ---------------------------------------------------------------------------------


def test_inline_markup() -> None:
    assert parse_inline("综合得分 **95** 分") == ((("综合得分 ", False), ("95", True), (" 分", False)),)
    assert parse_inline("a\\*b\\|c **未闭合") == ((("a*b|c **未闭合", False),),)
    assert parse_inline("服务<br>补贴") == ((("服务", False),), (("补贴", False),))


def test_table_rows_split_at_unescaped_pipes_only() -> None:
    assert split_row("| a\\|b | c |") == ["a\\|b", "c"]
    assert split_row("| 路径\\\\ | 下一格 |") == ["路径\\\\", "下一格"]
    assert split_row("|  | x |") == ["", "x"]


def test_blocks_are_recognised() -> None:
    blocks = parse_markdown(
        "## 标题 ##\n\n\\# 不是标题\n\n- 一项\n  续行\n- 二项\n\n| a | b |\n|--|--:|\n| 1 | 2 |\n\n---"
    )
    kinds = [type(block).__name__ for block in blocks]
    assert kinds == ["Heading", "Paragraph", "ListBlock", "Table", "Rule"]
    assert blocks[0].text == ((("标题", False),),)  # type: ignore[union-attr]
    assert blocks[1].text == ((("# 不是标题", False),),)  # type: ignore[union-attr]
    assert [item.text for item in blocks[2].items] == [((("一项续行", False),),), ((("二项", False),),)]  # type: ignore[union-attr]
    assert blocks[3].aligns == ("left", "right")  # type: ignore[union-attr]


def test_column_widths_share_the_space() -> None:
    assert column_widths([4, 10, 6], 30) == [4, 10, 6]
    widths = column_widths([4, 40, 4, 60], 50)
    assert sum(widths) <= 50 and widths[0] == 4 and widths[2] == 4
    assert abs(widths[1] - widths[3]) <= 1


def test_control_characters_and_joiners_do_not_reach_the_screen() -> None:
    blocks = parse_markdown("甲\t乙\u200d丙\r\n\r\n丁\x07戊")
    assert [block.text for block in blocks] == [((("甲 乙丙", False),),), ((("丁 戊", False),),)]  # type: ignore[union-attr]
