"""Composed suggestions and stale-prose fixes in the real app, at 80x24: Tab, a changed figure, F9, /fix, /undo."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from textual.widgets import OptionList

from report.demo import build_demo_report
from storage.store import ReportStore
from tests.tui.harness import draft_screen, last_messages, load, new_report, screen_text, send, transcript
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


async def test_f9_in_the_findings_list_takes_the_highlighted_findings_fix(tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    with ReportStore.open(db) as store:
        created = store.create(build_demo_report())
    assert created.id is not None
    app = JixiaoApp(db, created.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await send(pilot, "/goto funds.actual_spent")
        await send(pilot, "480")
        await send(pilot, "")  # skip the 结余原因
        screen = draft_screen(app)
        findings = screen.query_one("#findings", OptionList)
        fixable = [n for n, f in enumerate(screen.session.findings) if f.fix and "节约情况" in f.fix.label]
        assert fixable, [f.message for f in screen.session.findings]
        option = findings.get_option_at_index(fixable[0])
        assert "可修正（F9）：比预算少3.7万元；执行率99.24% → 比预算少7.00万元；执行率98.56%" in str(
            option.prompt
        )
        findings.focus()
        findings.highlighted = fixable[0]
        await pilot.press("f9")
        await pilot.pause()
        answers = load(db, created.id).answers
        assert answers["analysis.performance.savings"].startswith("支出比预算少7.00万元，执行率98.56%；")
        assert answers["analysis.funds.use"].startswith("全年共支出483.3万元")  # the other one is left
        await send(pilot, "/fix 999")
        assert "没有第 999 条问题" in last_messages(app, 1)


async def test_an_unmet_row_asks_for_its_reason_and_equal_sources_are_not_asked(tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    report_id = new_report(db)
    app = JixiaoApp(db, report_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await send(pilot, "/goto funds.initial_budget")
        await send(pilot, "487万")
        box = draft_screen(app).query_one(AnswerBox)
        assert "487.00万元" in str(box.placeholder)  # 全年预算数 offers 年初预算数
        await pilot.press("tab", "enter")
        await pilot.pause()
        await send(pilot, "483.3")
        assert "结余的主要原因是什么" in last_messages(app, 1)
        await send(pilot, "办公设备集中采购成交价低于预算")
        for _ in range(2):  # 到位资金 and 当年财政拨款 offer 全年预算数
            assert "487.00万元" in str(box.placeholder)
            await pilot.press("tab", "enter")
            await pilot.pause()
        assert "没有上年结转资金和其他资金，已记为「没有」" in transcript(app)
        step = draft_screen(app).session.step
        assert step is not None and step.id == "overview.budget_lines"
        stored = load(db, report_id)
        assert stored.answers["funds.has_carried_over"] == stored.answers["funds.has_other"] == "没有"
        assert stored.answers["funds.shortfall_reason"] == "办公设备集中采购成交价低于预算"

        await send(pilot, "/goto results.quantity")
        await send(pilot, "开展培训 ≥1000人次 实际900人次 分值10")
        assert "「开展培训」年度指标值 ≥1000人次，实际完成 900人次" in last_messages(app, 1)
        await send(pilot, "场地改造，下半年集中补训")
        assert load(db, report_id).indicators[0].deviation_reason == "场地改造，下半年集中补训"
        assert "数量指标：完成了多少工作量" in last_messages(app, 1)
