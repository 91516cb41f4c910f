"""Composed suggestions and stale-prose fixes in the real app, at 80x24: Tab, a changed figure, F9, /fix, /undo."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from report.demo import build_demo_report
from storage.store import ReportStore
from tests.tui.harness import draft_screen, last_messages, load, screen_text, send, transcript
from tui.app import JixiaoApp
from tui.widgets.answer_box import AnswerBox

# the funds paragraph each outline composes, and the step that asks for it
FUNDS_STEP = {"eight_part": "analysis.funds.use", "seven_part_2020": "analysis.process.funds"}


def _demo_in(db: Path, template_id: str) -> int:
    report = build_demo_report()
    report.template_id = template_id
    # the funds paragraph is not written yet; nothing else quotes the spending
    report.answers = {k: v for k, v in report.answers.items() if "483.3" not in v and "99.24" not in v}
    with ReportStore.open(db) as store:
        created = store.create(report)
    assert created.id is not None
    return created.id


@pytest.mark.parametrize("template_id", sorted(FUNDS_STEP))
async def test_take_a_suggestion_change_a_figure_fix_the_prose_and_undo(
    tmp_path: Path, template_id: str
) -> None:
    db = tmp_path / "jixiao.db"
    report_id = _demo_in(db, template_id)
    step_id = FUNDS_STEP[template_id]
    app = JixiaoApp(db, report_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await send(pilot, f"/goto {step_id}")
        screen = draft_screen(app)
        box = screen.query_one(AnswerBox)
        placeholder = str(box.placeholder)
        assert "483.30万元" in placeholder and "（Tab 采用）" in placeholder
        assert box.text == ""  # offered, never inserted unasked
        box.focus()
        await pilot.press("tab")
        await pilot.pause()
        taken = box.text
        assert "全年实际支出483.30万元，预算执行率99.24%。" in taken and "结余资金3.70万元" in taken
        await pilot.press("ctrl+j")
        await pilot.pause()
        assert load(db, report_id).answers[step_id] == taken  # once taken, an ordinary answer

        # the spending changes: the conversation offers the fix, before → after
        await send(pilot, "/goto funds.actual_spent")
        await send(pilot, "480")
        said = last_messages(app, 3)
        assert "483.30万元" in said and "480.00万元" in said and "F9" in said
        await send(pilot, "")  # the follow-up asks why money is left: an empty answer skips it
        await pilot.press("f9")
        await pilot.pause()
        fixed = load(db, report_id).answers[step_id]
        # exactly the stale numbers change, nothing else
        assert fixed == taken.replace("483.30", "480.00").replace("99.24", "98.56").replace("3.70", "7.00")
        assert "已修正" in transcript(app)

        await send(pilot, "/undo")
        assert load(db, report_id).answers[step_id] == taken
        await send(pilot, "/fix")
        assert load(db, report_id).answers[step_id] == fixed
        assert "480.00万元" in screen_text(app) or "已修正" in last_messages(app, 2)
    assert load(db, report_id).funds.actual_spent == Decimal("480")
