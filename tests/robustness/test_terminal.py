"""Terminals: resizing from 200x60 to 40x12 and back while typing, 16 colours, NO_COLOR.

In-process (``App.run_test``, ``pilot.resize_terminal``) for every size step, and once in a real
terminal (tmux) with the variables set before jixiao starts, reading the colours it drew.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import textual.constants

from report.model import MoneyUnit, Report
from storage.store import ReportStore
from tests.robustness.terminal import Terminal, answer_box, flat
from tests.tui.harness import draft_screen, load, new_report, screen_text, send
from tui.app import JixiaoApp
from tui.widgets.answer_box import AnswerBox

SIZES = [(200, 60), (120, 40), (80, 24), (60, 18), (40, 12), (41, 13), (80, 24), (200, 60)]
ENVIRONMENTS = ["default", "16 colours", "NO_COLOR"]


def _environment(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    if name == "16 colours":
        monkeypatch.setenv("TEXTUAL_COLOR_SYSTEM", "standard")
        # Textual reads TEXTUAL_COLOR_SYSTEM once, when textual.constants is first imported
        monkeypatch.setattr(textual.constants, "COLOR_SYSTEM", "standard")
    elif name == "NO_COLOR":
        monkeypatch.setenv("NO_COLOR", "1")


@pytest.mark.parametrize("environment", ENVIRONMENTS)
async def test_resizing_while_typing_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, environment: str
) -> None:
    _environment(monkeypatch, environment)
    db = tmp_path / "jixiao.db"
    report_id = new_report(db)
    app = JixiaoApp(db, report_id)
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.pause()
        if environment == "16 colours":
            assert app.console.color_system == "standard"
        assert app.no_color is (environment == "NO_COLOR")
        box = draft_screen(app).query_one(AnswerBox)
        typed = ""
        for number, (width, height) in enumerate(SIZES):
            await pilot.resize_terminal(width, height)
            assert app.size == (width, height)
            box.focus()
            await pilot.press(*"ab")  # typed keys, then text the way a Chinese input method sends it
            box.insert(f"单位{number}")
            typed += f"ab单位{number}"
            await pilot.pause()
            assert box.text == typed, (width, height)
            rendered = screen_text(app)
            assert rendered.count("\n") == height - 1  # every row drawn, nothing beyond the screen
            if number == 4:  # at 40x12: the preview and the outline open and close again
                await pilot.press("f2")
                await pilot.press("f3")
                await pilot.press("escape")
                assert box.has_focus and box.text == typed
        await send(pilot, typed)  # the same text, sent: it is the answer now
        assert "已记录" in "\n".join(draft_screen(app).query_one("Conversation").transcript()[-2:])  # type: ignore[attr-defined]
        await pilot.resize_terminal(40, 12)
        await send(pilot, "某主管部门")
        await pilot.resize_terminal(200, 60)
        assert app.is_running
    stored = load(db, report_id)
    assert (stored.unit_name, stored.department) == (typed, "某主管部门")


def _box_ends_with(tail: str) -> Callable[[str], bool]:
    return lambda screen: tail in flat(answer_box(screen))


_SGR = re.compile(r"\x1b\[([0-9;]*)m")
_GREYS_256 = {0, 7, 8, 15, 16, 59, 102, 145, 188, 231, *range(232, 256)}


def _colours(raw: str) -> tuple[set[str], set[int], int]:
    """Basic SGR codes, 256-colour indexes and the number of 24-bit colours in captured output."""
    basic: set[str] = set()
    indexed: set[int] = set()
    rgb = 0
    for codes in _SGR.findall(raw):
        parts = codes.split(";")
        index = 0
        while index < len(parts):
            if parts[index] in ("38", "48") and index + 1 < len(parts):
                if parts[index + 1] == "5":
                    indexed.add(int(parts[index + 2]))
                    index += 3
                    continue
                rgb += 1
                index += 5
                continue
            basic.add(parts[index])
            index += 1
    return basic, indexed, rgb


@pytest.mark.parametrize("environment", ["default", "16 colours", "NO_COLOR"])
def test_a_real_terminal_honours_the_colour_settings_and_survives_resizing(
    tmp_path: Path, environment: str
) -> None:
    db = tmp_path / "jixiao.db"
    with ReportStore.open(db) as store:
        created = store.create(Report(title="2020年度终端测试报告", year=2020, money_unit=MoneyUnit.WAN))
    env = {"JIXIAO_DB": str(db), "JIXIAO_LOG_DIR": str(tmp_path / "logs")}
    env |= {"16 colours": {"TEXTUAL_COLOR_SYSTEM": "standard"}, "NO_COLOR": {"NO_COLOR": "1"}}.get(
        environment, {}
    )
    terminal = Terminal(f"jixiao-term-{os.getpid()}-{environment.replace(' ', '')}", size=(200, 60))
    try:
        terminal.start(["open", str(created.id)], env)
        terminal.wait_for("采用建议")
        basic, indexed, rgb = _colours(terminal._tmux("capture-pane", "-p", "-e", "-t", terminal.name))
        if environment == "16 colours":
            assert not indexed and rgb == 0 and basic  # only the 16 basic colours
        elif environment == "NO_COLOR":
            assert indexed and indexed <= _GREYS_256 and rgb == 0  # greys only
        else:
            assert indexed - _GREYS_256  # the default theme does use colours (so the checks above bite)
        typed = ""
        for number, (width, height) in enumerate([(120, 40), (80, 24), (40, 12), (80, 24), (200, 60)]):
            terminal.resize(width, height)
            terminal.type(f"终端{number}")
            typed += f"终端{number}"
            terminal.wait_for(_box_ends_with(flat(typed)[-6:]))
            assert terminal.alive()
        terminal.keys("Enter")
        terminal.wait_for(f"已记录：实施单位“{typed}”")
        terminal.keys("C-q")
        assert terminal.wait_for_exit() == 0
        assert "Traceback" not in terminal.transcript()
    finally:
        terminal.close()
    with ReportStore.open(db) as store:
        assert store.load(created.id or 0).unit_name == typed


# --- the suggestion in the answer box ---------------------------------------------------------------


def _at_a_step_with_a_suggestion(db: Path, draft: str = "") -> int:
    report_id = new_report(db)
    with ReportStore.open(db) as store:
        store.set_current_step(report_id, "work.basis.principles")
        if draft:
            store.save_draft(report_id, "work.basis.principles", draft)
    return report_id


# Regression guard: AnswerBox once kept its Tab suggestion in `suggestion`, which in Textual 8 is
# TextArea's own inline-completion reactive (drawn after the caret, inserted on →, cleared on edit).


async def test_a_restored_draft_is_shown_and_kept_as_it_was(tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    report_id = _at_a_step_with_a_suggestion(db, draft="我的草稿")
    app = JixiaoApp(db, report_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        box = draft_screen(app).query_one(AnswerBox)
        assert box.text == "我的草稿"
        box_row = next(line for line in screen_text(app).splitlines() if "我的草稿" in line)
        await pilot.press("right")  # the caret is at the end already: nothing should change
        await pilot.pause()
        assert box.text == "我的草稿"
        assert "本次评价" not in box_row, box_row


async def test_tab_takes_the_suggestion_after_typing_and_deleting(tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    report_id = _at_a_step_with_a_suggestion(db)
    app = JixiaoApp(db, report_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        box = draft_screen(app).query_one(AnswerBox)
        await pilot.press("x", "backspace", "tab")
        await pilot.pause()
        assert box.text.startswith("本次评价坚持")
