"""The conversation as one line-API view: what it draws, where it wraps, scrolling back, selecting text."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from textual import events
from textual.app import App, ComposeResult
from textual.geometry import Offset
from textual.selection import SELECT_ALL, Selection

from report.demo import build_demo_report
from storage.store import ReportStore
from tests.tui.harness import draft_screen, screen_text, send
from tui.app import JixiaoApp
from tui.widgets.answer_box import AnswerBox
from tui.widgets.conversation import Conversation, layout_message, wrap_text

SIZES = [(80, 24), (120, 40)]
LONG_ROW = "城市管理服务中心经费 34万 用于市容环境整治、数字城管案件办理和环卫设施维护"


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, int]:
    """The demo report in a fresh database, no user key map."""
    monkeypatch.setenv("JIXIAO_KEYS", str(tmp_path / "no-keys.toml"))
    db = tmp_path / "jixiao.db"
    with ReportStore.open(db) as store:
        created = store.create(build_demo_report())
    assert created.id is not None
    return db, created.id


def _rows(app: JixiaoApp) -> list[str]:
    return screen_text(app).splitlines()


def _conversation(app: JixiaoApp) -> Conversation:
    return draft_screen(app).query_one(Conversation)


# --- in the app ---------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_answers_are_drawn_with_their_labels_and_rows_wrap_under_their_text(
    demo: tuple[Path, int], size: tuple[int, int]
) -> None:
    db, report_id = demo
    app = JixiaoApp(db, report_id)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await send(pilot, "/goto overview.budget_lines")
        await send(pilot, LONG_ROW)
        rows = _rows(app)
        # the listing's new row 12, whose continuation line hangs under its text
        numbered = next(index for index, row in enumerate(rows) if "12. 城市管理服务中心经费" in row)
        first, after = rows[numbered], rows[numbered + 1]
        text_column = cell_len(first[: first.index("城市管理")])
        continuation = after[after.index("│") + 1 :] if size[0] >= 120 else after
        offset = cell_len(after) - cell_len(continuation)
        assert cell_len(continuation) - cell_len(continuation.lstrip(" ")) + offset == text_column
        assert continuation.strip() and "12." not in continuation
        # above the listing, the row as understood: one page up with the keys
        await pilot.press("shift+tab", "pageup")
        assert any("助手 ✓ 已记录预算明细：城市管理" in row for row in _rows(app))
        draft_screen(app).query_one(AnswerBox).focus()
        # a refusal: the reason, marked by a symbol as well as a colour, newest at the bottom
        await send(pilot, "abc")
        conversation = _conversation(app)
        shown = conversation.visible_lines()
        assert any(line.startswith("助手 ✗ 没有读出预算明细") for line in shown)
        assert "“abc”未录入" in "".join(shown[-4:])
        assert conversation.scroll_y == conversation.max_scroll_y > 0


@pytest.mark.parametrize("size", SIZES)
async def test_the_newest_message_stays_at_the_bottom_and_keys_scroll_back(
    demo: tuple[Path, int], size: tuple[int, int]
) -> None:
    db, report_id = demo
    app = JixiaoApp(db, report_id)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await send(pilot, "/goto overview.budget_lines")
        for number in range(1, 31):
            await send(pilot, f"不是金额{number}")
        conversation = _conversation(app)
        assert len(conversation.transcript()) > 60
        shown = conversation.visible_lines()
        assert "不是金额30" in "\n".join(shown[-6:])
        assert not any("正在编辑：" in line for line in shown)
        # back with the keys: Shift+Tab from the answer box to the conversation, then Home
        await pilot.press("shift+tab")
        assert app.focused is conversation
        await pilot.press("pageup")
        assert conversation.scroll_y < conversation.max_scroll_y
        await pilot.press("home")
        assert conversation.scroll_y == 0
        assert any("正在编辑：" in line for line in conversation.visible_lines())
        assert any("正在编辑：" in row for row in _rows(app))
        assert any("助手 › 【一（一）项目概况】" in row for row in _rows(app))  # the first question
        # scrolled up, a new reply does not pull the view away; what the user sends does
        conversation.add("info", "后台消息")
        await pilot.pause()
        assert conversation.scroll_y == 0
        await pilot.press("end")
        assert conversation.scroll_y == conversation.max_scroll_y
        await pilot.press("home")
        draft_screen(app).query_one(AnswerBox).focus()
        await send(pilot, "仍然不是金额")
        assert "“仍然不是金额”里没有找到金额" in "".join(conversation.visible_lines())


async def test_the_first_frame_shows_the_question_above_the_answer_box(demo: tuple[Path, int]) -> None:
    db, report_id = demo
    app = JixiaoApp(db, report_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        conversation = _conversation(app)
        shown = conversation.visible_lines()
        assert shown[-1].startswith("示例：")
        assert any("预算资金主要用在哪些方面" in line for line in shown)
        assert conversation.scroll_y == conversation.max_scroll_y


async def test_selected_text_is_copied_as_written(demo: tuple[Path, int]) -> None:
    db, report_id = demo
    app = JixiaoApp(db, report_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await send(pilot, "/goto overview.budget_lines")
        await send(pilot, LONG_ROW)
        conversation = _conversation(app)
        lines = conversation.visible_lines()
        top = round(conversation.scroll_y)
        numbered = next(index for index, line in enumerate(lines) if line.startswith("  12. "))
        # the cell under the pointer maps to the character under it, Chinese being two cells wide
        region = conversation.content_region
        cell = cell_len("  12. 城市")
        widget, offset = app.screen.get_widget_and_offset_at(region.x + cell, region.y + numbered)
        assert widget is conversation and offset == Offset(len("  12. 城市"), top + numbered)
        # a drag from the row's number to the end of its continuation line: one line, no indent
        selection = Selection(Offset(2, top + numbered), Offset(len(lines[numbered + 1]), top + numbered + 1))
        text, _ending = conversation.get_selection(selection) or ("", "")
        assert (
            text == "12. 城市管理服务中心经费 34.00 万元（用于市容环境整治、数字城管案件办理和环卫设施维护）"
        )
        # selecting everything highlights it and copies every message
        app.screen.selections = {conversation: SELECT_ALL}
        await pilot.pause()
        copied = app.screen.get_selected_text() or ""
        assert copied.startswith("提示 · 正在编辑：")
        assert "我 › 城市管理服务中心经费 34万" in copied
        strip = conversation.render_line(0)
        assert any(segment.style and segment.style.bgcolor for segment in strip)


async def test_the_mouse_selects_a_wrapped_row_and_the_wheel_scrolls_back(demo: tuple[Path, int]) -> None:
    db, report_id = demo
    app = JixiaoApp(db, report_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        conversation = _conversation(app)
        lines = conversation.visible_lines()
        row = next(index for index, line in enumerate(lines) if line.startswith("  7. "))
        # a drag from "7." to the end of the row's continuation line (the view has one cell of padding)
        end = 1 + cell_len(lines[row + 1])
        await pilot.mouse_down(conversation, offset=(3, row))
        await pilot.hover(conversation, offset=(end, row + 1))
        await pilot.mouse_up(conversation, offset=(end, row + 1))
        await pilot.pause()
        assert app.screen.get_selected_text() == (
            "7. 城市管理服务中心经费 34.00 万元（市容环境整治、数字城管案件办理和环卫设施维护）"
        )
        # the wheel scrolls back three lines at a time
        bottom = conversation.scroll_y
        assert bottom > 3
        conversation.post_message(events.MouseScrollUp(conversation, 5, 5, 0, -1, 0, False, False, False))
        await pilot.pause()
        assert conversation.scroll_y < bottom


async def test_no_color_still_marks_who_speaks(
    demo: tuple[Path, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    db, report_id = demo
    app = JixiaoApp(db, report_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await send(pilot, "/goto overview.budget_lines")
        await send(pilot, "abc")
        text = screen_text(app)
        assert "我 › abc" in text and "助手 ✗ 没有读出预算明细" in text


# --- the widget alone ---------------------------------------------------------------------------


class _ConversationApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Conversation()


async def test_a_narrower_view_rewraps_and_keeps_following() -> None:
    app = _ConversationApp()
    async with app.run_test(size=(60, 10)) as pilot:
        conversation = app.query_one(Conversation)
        for number in range(20):
            conversation.add("reply", f"第 {number} 条：" + "很长的说明文字" * 8)
        await pilot.pause()
        wide = conversation.line_count
        await pilot.resize_terminal(40, 10)
        await pilot.pause()
        assert conversation.line_count > wide
        assert conversation.scroll_y == conversation.max_scroll_y
        assert "很长的说明文字" in conversation.visible_lines()[-1]
        assert all(
            cell_len(line) <= conversation.scrollable_content_region.width
            for line in conversation.visible_lines()
        )


async def test_a_long_session_drops_the_oldest_messages_only() -> None:
    from tui.widgets import conversation as module

    app = _ConversationApp()
    async with app.run_test(size=(60, 10)) as pilot:
        conversation = app.query_one(Conversation)
        for number in range(module.MAX_MESSAGES + 5):
            conversation.add("info", f"消息 {number}")
        await pilot.pause()
        kept = conversation.transcript()
        assert len(kept) <= module.MAX_MESSAGES
        assert kept[-1] == f"提示 · 消息 {module.MAX_MESSAGES + 4}"
        assert conversation.visible_lines()[-1] == f"提示 · 消息 {module.MAX_MESSAGES + 4}"


# --- wrapping -----------------------------------------------------------------------------------


def test_chinese_is_two_cells_wide_and_closing_marks_stay_with_their_text() -> None:
    assert wrap_text("一二三四五六", 6) == ["一二三", "四五六"]
    # "，" may not begin a line: the character before it moves down with it
    assert wrap_text("一二三，四五", 6) == ["一二", "三，四", "五"]
    # Latin words break at spaces; a word longer than the line is split
    assert wrap_text("alpha beta gamma", 11) == ["alpha beta", "gamma"]
    assert wrap_text("abcdefghij", 4) == ["abcd", "efgh", "ij"]
    # the first line can be shorter (a label stands before it)
    assert wrap_text("一二三四五六七八", 8, first_width=4) == ["一二", "三四五六", "七八"]


def test_listed_lines_hang_under_their_text() -> None:
    records, joins = layout_message(
        "info", "已录入：\n  7. 城市管理服务中心经费 34.00 万元（市容环境整治）", 30, True
    )
    lines = ["".join(record[1::2]) for record in records]
    assert lines[0] == ""
    assert lines[1] == "提示 · 已录入："
    assert lines[2].startswith("  7. 城市管理")
    assert lines[3].startswith("     ") and not lines[3].startswith("      ")
    assert joins[3] is not None and joins[3].indent == 5


@given(st.text(alphabet="一二三，。（）ab 12.万元", max_size=60), st.integers(min_value=12, max_value=40))
def test_no_wrapped_line_is_wider_than_the_view(text: str, width: int) -> None:
    for role in ("user", "error", "info"):
        records, _joins = layout_message(role, text, width, False)
        for record in records:
            assert record[0] == cell_len("".join(record[1::2]))
            assert record[0] <= width
    joined = "".join(line.replace(" ", "") for line in wrap_text(text, width))
    assert joined == text.replace(" ", "")
