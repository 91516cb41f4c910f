"""Every advertised key does what it says, on every screen, with the widget that has focus by default.

The keys come from the bindings themselves (the screen's, the focused answer box's, the app's and
each dialog's), so a new binding, or a widget that starts swallowing one of them (a TextArea's F6
selects the line, its F7 selects all), fails here until its effect is checked. Each key is the one
the user presses: the primary F-key as well as its ctrl fallback.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import DataTable, OptionList

from report.model import Level2, Report
from storage.store import ReportStore
from tests.tui.harness import draft_screen, last_messages, load, new_report, screen_text, send
from tui.app import JixiaoApp
from tui.screens.dialogs import (
    DIALOG_FORMATS,
    ConfirmDialog,
    ExportDialog,
    HelpScreen,
    NewReportDialog,
    PathDialog,
)
from tui.screens.draft import DraftScreen
from tui.screens.home import HomeScreen
from tui.widgets.answer_box import AnswerBox

SIZES = [(80, 24), (120, 40)]
TITLE = "2020年度测试街道工作经费项目支出绩效自评报告"

Effect = Callable[[Pilot[int], str], Awaitable[None]]


def keys_of(bindings: list[BindingType]) -> list[tuple[str, str]]:
    """(key, action) for every key of every binding, the primary key of each first."""
    return [(binding.key, binding.action) for binding in Binding.make_bindings(bindings)]


def shown(widget: Widget) -> bool:
    """Whether the widget takes up room on the screen now."""
    return widget.display and widget.region.width > 0


async def press(pilot: Pilot[int], key: str) -> None:
    """Press one key and let the app settle."""
    await pilot.press(key)
    await pilot.pause()
    await pilot.pause()


# ---- the drafting screen ---------------------------------------------------------------------------


def _box(pilot: Pilot[int]) -> AnswerBox:
    return draft_screen(pilot.app).query_one(AnswerBox)  # type: ignore[arg-type]


async def _focus_box(pilot: Pilot[int]) -> None:
    screen = draft_screen(pilot.app)  # type: ignore[arg-type]
    screen.action_focus_answer()
    await pilot.pause()
    assert pilot.app.focused is screen.query_one(AnswerBox)


async def _help(pilot: Pilot[int], key: str) -> None:
    await press(pilot, key)
    assert isinstance(pilot.app.screen, HelpScreen), key
    assert "帮助 · 填写报告" in screen_text(pilot.app)  # type: ignore[arg-type]
    await press(pilot, "escape")


async def _toggle_panel(pilot: Pilot[int], key: str, selector: str) -> None:
    panel = draft_screen(pilot.app).query_one(selector)  # type: ignore[arg-type]
    before = shown(panel)
    await press(pilot, key)
    assert shown(panel) is not before, f"{key} did not toggle {selector}"
    await press(pilot, key)  # and back, from wherever the first press left the focus
    assert shown(panel) is before, f"{key} did not toggle {selector} back"


async def _preview(pilot: Pilot[int], key: str) -> None:
    await _toggle_panel(pilot, key, "#preview")


async def _outline(pilot: Pilot[int], key: str) -> None:
    await _toggle_panel(pilot, key, "#side")


async def _export(pilot: Pilot[int], key: str) -> None:
    await press(pilot, key)
    assert isinstance(pilot.app.screen, ModalScreen), key
    assert "导出" in screen_text(pilot.app)  # type: ignore[arg-type]
    await press(pilot, "escape")
    draft_screen(pilot.app)  # type: ignore[arg-type]


async def _back(pilot: Pilot[int], key: str) -> None:
    await send(pilot, "/goto overview.project")  # a jump, so there is somewhere to go back to
    await _focus_box(pilot)
    session = draft_screen(pilot.app).session  # type: ignore[arg-type]
    before = session.step
    await press(pilot, key)
    assert session.step is not before, key
    assert session.step is not None and session.step.id == "overview.unit_name"
    assert "实施单位" in last_messages(pilot.app, 1)  # type: ignore[arg-type]


async def _skip(pilot: Pilot[int], key: str) -> None:
    await send(pilot, "/goto 一")  # the title, already answered: skipping keeps it
    await _focus_box(pilot)
    session = draft_screen(pilot.app).session  # type: ignore[arg-type]
    assert session.step is not None and session.step.id == "overview.title"
    await press(pilot, key)
    assert "保留原答案：报告标题" in last_messages(pilot.app, 3), key  # type: ignore[arg-type]
    assert session.step is not None and session.step.id == "overview.unit_name"


async def _undo(pilot: Pilot[int], key: str) -> None:
    db: Path = pilot.app.db_path  # type: ignore[attr-defined]
    report_id = draft_screen(pilot.app).session.report_id  # type: ignore[arg-type]
    await send(pilot, "/goto 一")
    await send(pilot, f"{TITLE}（撤销前）")
    assert load(db, report_id).title.endswith("（撤销前）")
    await _focus_box(pilot)
    _box(pilot).set_text("正在输入的字")
    await press(pilot, key)
    assert "已撤销" in last_messages(pilot.app, 3), key  # type: ignore[arg-type]
    assert load(db, report_id).title == TITLE
    assert _box(pilot).text == "正在输入的字"  # undoing a saved answer keeps what is being typed
    _box(pilot).set_text("")


async def _check(pilot: Pilot[int], key: str) -> None:
    await press(pilot, key)
    assert "计算得分" in last_messages(pilot.app, 2), key  # type: ignore[arg-type]
    assert pilot.app.focused is draft_screen(pilot.app).query_one("#findings", OptionList)  # type: ignore[arg-type]
    await press(pilot, "escape")


async def _home(pilot: Pilot[int], key: str) -> None:
    report_id = draft_screen(pilot.app).session.report_id  # type: ignore[arg-type]
    await press(pilot, key)
    assert isinstance(pilot.app.screen, HomeScreen), key
    assert pilot.app.screen.selected_id() == report_id
    await press(pilot, "enter")  # and open it again
    draft_screen(pilot.app)  # type: ignore[arg-type]


async def _focus_answer(pilot: Pilot[int], key: str) -> None:
    screen = draft_screen(pilot.app)  # type: ignore[arg-type]
    _box(pilot).set_text("未发送的字")
    await press(pilot, key)  # from the answer box: it stays there, the text kept
    assert pilot.app.focused is _box(pilot) and _box(pilot).text == "未发送的字"
    screen.query_one("#outline", OptionList).focus()
    await pilot.pause()
    await press(pilot, key)  # from the outline: back to the answer box
    assert pilot.app.focused is _box(pilot), key
    _box(pilot).set_text("")


async def _send(pilot: Pilot[int], key: str) -> None:
    db: Path = pilot.app.db_path  # type: ignore[attr-defined]
    report_id = draft_screen(pilot.app).session.report_id  # type: ignore[arg-type]
    await send(pilot, "/goto 一")
    await _focus_box(pilot)
    _box(pilot).set_text(f"{TITLE}（{key}）")
    await press(pilot, key)
    assert load(db, report_id).title == f"{TITLE}（{key}）", key
    await send(pilot, "/goto 一")
    await send(pilot, TITLE)


async def _fix(pilot: Pilot[int], key: str) -> None:
    db: Path = pilot.app.db_path  # type: ignore[attr-defined]
    report_id = draft_screen(pilot.app).session.report_id  # type: ignore[arg-type]
    await send(pilot, "/goto 二")
    await send(pilot, "/skip")  # the section's optional summary: on to 数量指标
    name = f"诉求解决率{key}"
    await send(pilot, f"{name} ≥80% 实际85% 分值5")  # a rate under 数量指标: the fix moves it
    await _focus_box(pilot)
    await press(pilot, key)
    assert "已修正" in last_messages(pilot.app, 3), key  # type: ignore[arg-type]
    [row] = [row for row in load(db, report_id).indicators if row.name == name]
    assert row.level2 is Level2.QUALITY


async def _palette(pilot: Pilot[int], key: str) -> None:
    await press(pilot, key)
    assert isinstance(pilot.app.screen, CommandPalette), key
    await press(pilot, "escape")
    draft_screen(pilot.app)  # type: ignore[arg-type]


DRAFT_EFFECTS: dict[str, Effect] = {
    "help": _help,
    "toggle_preview": _preview,
    "toggle_side": _outline,
    "export": _export,
    "back": _back,
    "skip": _skip,
    "undo": _undo,
    "check": _check,
    "home": _home,
    "fix": _fix,
    "focus_answer": _focus_answer,
    "send": _send,
    "command_palette": _palette,
}


@pytest.mark.parametrize("size", SIZES)
async def test_every_drafting_key_works_from_the_answer_box(tmp_path: Path, size: tuple[int, int]) -> None:
    db = tmp_path / "jixiao.db"
    report_id = new_report(db, TITLE)
    app = JixiaoApp(db, report_id)
    keys = [*keys_of(DraftScreen.BINDINGS), *keys_of(AnswerBox.BINDINGS), *keys_of(JixiaoApp.BINDINGS)]
    assert ("f6", "skip") in keys and ("f7", "undo") in keys
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for key, action in keys:
            if action == "quit":
                continue  # last, below: it ends the app
            assert action in DRAFT_EFFECTS, f"{key} → {action}: add what the user sees to DRAFT_EFFECTS"
            await _focus_box(pilot)
            await DRAFT_EFFECTS[action](pilot, key)
        await _focus_box(pilot)
        await press(pilot, "ctrl+q")
    assert app.return_code == 0


# ---- the report list -------------------------------------------------------------------------------


def _home_screen(pilot: Pilot[int]) -> HomeScreen:
    screen = pilot.app.screen
    assert isinstance(screen, HomeScreen), f"expected the report list, got {type(screen).__name__}"
    return screen


def _status(pilot: Pilot[int]) -> str:
    return str(_home_screen(pilot).query_one("#home-status").render())


async def _dialog_closed_by_escape(pilot: Pilot[int], key: str, kind: type[Screen[Any]], words: str) -> None:
    await press(pilot, key)
    assert isinstance(pilot.app.screen, kind), key
    assert words in screen_text(pilot.app)  # type: ignore[arg-type]
    await press(pilot, "escape")
    _home_screen(pilot)


async def _back_home(pilot: Pilot[int]) -> None:
    await press(pilot, "ctrl+o")
    _home_screen(pilot)


async def _open(pilot: Pilot[int], key: str) -> None:
    chosen = _home_screen(pilot).selected_id()
    await press(pilot, key)
    assert draft_screen(pilot.app).session.report_id == chosen, key  # type: ignore[arg-type]
    await _back_home(pilot)


async def _new(pilot: Pilot[int], key: str) -> None:
    await _dialog_closed_by_escape(pilot, key, NewReportDialog, "新建报告")


async def _duplicate(pilot: Pilot[int], key: str) -> None:
    await press(pilot, key)
    assert "✓ 已复制为" in _status(pilot), key


async def _next_year(pilot: Pilot[int], key: str) -> None:
    await press(pilot, key)
    assert draft_screen(pilot.app).session.report.year == 2021, key  # type: ignore[arg-type]
    await _back_home(pilot)


async def _import(pilot: Pilot[int], key: str) -> None:
    await _dialog_closed_by_escape(pilot, key, PathDialog, "导入往年报告")


async def _home_export(pilot: Pilot[int], key: str) -> None:
    await press(pilot, key)
    assert isinstance(pilot.app.screen, ModalScreen) and "导出" in screen_text(pilot.app), key  # type: ignore[arg-type]
    await press(pilot, "escape")
    _home_screen(pilot)


async def _delete(pilot: Pilot[int], key: str) -> None:
    await press(pilot, key)
    assert isinstance(pilot.app.screen, ConfirmDialog) and "删除报告" in screen_text(pilot.app), key  # type: ignore[arg-type]
    await press(pilot, "n")
    assert "已取消删除" in _status(pilot)


async def _demo(pilot: Pilot[int], key: str) -> None:
    await press(pilot, key)
    assert "青岚街道" in draft_screen(pilot.app).session.report.title, key  # type: ignore[arg-type]
    await _back_home(pilot)


async def _refresh(pilot: Pilot[int], key: str) -> None:
    title = f"另一处新建的报告 {key}"
    with ReportStore.open(pilot.app.db_path) as store:  # type: ignore[attr-defined]
        store.create(Report(title=title, year=2020))
    assert title not in screen_text(pilot.app)  # type: ignore[arg-type]
    await press(pilot, key)
    assert title in screen_text(pilot.app), key  # type: ignore[arg-type]


async def _last_row(pilot: Pilot[int], key: str) -> None:
    table = _home_screen(pilot).query_one("#reports", DataTable)
    table.move_cursor(row=0)
    await press(pilot, key)
    assert table.cursor_row == table.row_count - 1 > 0, key


async def _home_help(pilot: Pilot[int], key: str) -> None:
    await _dialog_closed_by_escape(pilot, key, HelpScreen, "帮助 · 报告列表")


async def _palette_on_home(pilot: Pilot[int], key: str) -> None:
    await press(pilot, key)
    assert isinstance(pilot.app.screen, CommandPalette), key
    await press(pilot, "escape")
    _home_screen(pilot)


HOME_EFFECTS: dict[str, Effect] = {
    "open_report": _open,
    "new_report": _new,
    "duplicate": _duplicate,
    "next_year": _next_year,
    "import_file": _import,
    "export": _home_export,
    "delete": _delete,
    "demo": _demo,
    "refresh": _refresh,
    "last_row": _last_row,
    "help": _home_help,
    "command_palette": _palette_on_home,
}


@pytest.mark.parametrize("size", SIZES)
async def test_every_list_key_works_from_the_list(tmp_path: Path, size: tuple[int, int]) -> None:
    db = tmp_path / "jixiao.db"
    new_report(db, TITLE)
    new_report(db, "2020年度另一个项目支出绩效自评报告")
    app = JixiaoApp(db)
    keys = [*keys_of(HomeScreen.BINDINGS), *keys_of(JixiaoApp.BINDINGS)]
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        table = _home_screen(pilot).query_one("#reports", DataTable)
        for key, action in keys:
            if action.removeprefix("app.") == "quit":
                continue
            assert action in HOME_EFFECTS, f"{key} → {action}: add what the user sees to HOME_EFFECTS"
            assert pilot.app.focused is table  # the list has the focus, as when the screen opens
            await HOME_EFFECTS[action](pilot, key)
            table = _home_screen(pilot).query_one("#reports", DataTable)
        quit_keys = [key for key, action in keys if action.removeprefix("app.") == "quit"]
        assert quit_keys[0] == "q"
        await press(pilot, "q")
    assert app.return_code == 0


# ---- dialogs ---------------------------------------------------------------------------------------


def _dialogs() -> list[tuple[Screen[Any], dict[str, object]]]:
    """Each dialog, and what each of its actions closes it with."""
    return [
        (ConfirmDialog("删除报告 #1「测试」？"), {"answer(True)": True, "answer(False)": False}),
        (NewReportDialog([("eight_part", "八部分")], 2020), {"cancel": None}),
        (PathDialog("导入往年报告", "文件路径", ""), {"cancel": None}),
        (ExportDialog(Path("/tmp"), {name: f"报告.{name}" for _, name in DIALOG_FORMATS}), {"cancel": None}),
        (HelpScreen("报告列表", ["F1 本帮助"]), {"close": None}),
    ]


@pytest.mark.parametrize("size", SIZES)
async def test_every_dialog_key_closes_its_dialog(tmp_path: Path, size: tuple[int, int]) -> None:
    app = JixiaoApp(tmp_path / "jixiao.db")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for make in range(len(_dialogs())):
            first, results = _dialogs()[make]
            for key, action in keys_of(type(first).BINDINGS):
                assert action in results, f"{type(first).__name__}: {key} → {action}: add its result"
                dialog, _ = _dialogs()[make]
                closed: list[object] = []
                app.push_screen(dialog, closed.append)
                await pilot.pause()
                focused = app.focused  # the widget the dialog focuses when it opens
                await press(pilot, key)
                assert closed == [results[action]], f"{type(dialog).__name__}: {key} (focus on {focused})"
                assert isinstance(app.screen, HomeScreen)
