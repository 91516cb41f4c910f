"""Drafting a report end to end in the real app, at 80x24 and 120x40: the screen and the database."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from prompts.templates import StepKind
from report.model import Level2
from tests.tui.harness import draft_screen, last_messages, load, new_report, screen_text, send, transcript
from tui.app import JixiaoApp
from tui.widgets.answer_box import AnswerBox

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES)
async def test_draft_a_small_report_end_to_end(tmp_path: Path, size: tuple[int, int]) -> None:
    db = tmp_path / "jixiao.db"
    report_id = new_report(db)
    app = JixiaoApp(db, report_id)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        # the title came with the new report, so the flow resumes at the first empty step
        assert "项目实施单位的全称是什么" in transcript(app)
        await send(pilot, "/back")
        assert "报告的标题是什么" in last_messages(app, 1)
        await send(pilot, "2020年度测试街道工作经费项目支出绩效自评报告（修订）")
        assert load(db, report_id).title.endswith("（修订）")
        # one-line text, year and the money-unit choice
        await send(pilot, "测试街道办事处")
        await send(pilot, "测试区人民政府")
        await send(pilot, "2020")
        await send(pilot, "1")
        # prose sends with ctrl+j; Enter inside prose only breaks the line
        await send(pilot, "本项目保障街道日常运转。\n覆盖党建、城管和民生服务。")
        assert "已记录" in last_messages(app, 2)
        # money: a refused input changes nothing, the corrected one is recorded
        await send(pilot, "487万")
        await send(pilot, "487 万元")
        await send(pilot, "abc")
        assert "“abc”不是金额" in last_messages(app)
        assert load(db, report_id).funds.actual_spent is None
        await send(pilot, "483.3")
        assert "执行率 99.24%，得 9.92 分" in transcript(app)
        stored = load(db, report_id)
        assert (stored.funds.annual_budget, stored.funds.actual_spent) == (Decimal("487"), Decimal("483.3"))
        # jump to the budget lines by section number, then paste several lines at once
        await send(pilot, "/goto 一（一）")
        screen = draft_screen(app)
        for _ in range(20):  # walk through the section: amounts, then "no" to the yes/no questions
            step = screen.session.step
            if step is None or step.is_rows:
                break
            await send(pilot, {StepKind.CHOICE: "2", StepKind.MONEY: "487万"}.get(step.kind, "项目情况说明"))
        await send(pilot, "党建经费 49万 用于党员教育\n综合办公室经费 185.03万\n坏行没有金额")
        said = last_messages(app, 2)
        assert "合计 234.03 / 预算 487.00 万元，尚差 252.97" in said
        assert "第 3 行" in said and "没有找到金额" in said
        await send(pilot, "改 2 综合办公室经费 438万 办公运转")
        await send(pilot, "删 1")
        rows = load(db, report_id).budget_lines
        assert [(row.name, row.amount) for row in rows] == [("综合办公室经费", Decimal("438"))]
        # indicator rows
        await send(pilot, "/goto 二")
        await send(pilot, "/skip")  # the section opens with an optional summary
        assert screen.session.step is not None and screen.session.step.level2 is Level2.QUANTITY
        await send(pilot, "开展培训 ≥1000人次 实际1050人次 分值10\n群众诉求解决率 ≥80% 实际73.3% 分值5")
        assert "应放入质量指标" in last_messages(app, 2)
        indicators = load(db, report_id).indicators
        assert [(i.name, i.target, i.unit, i.actual) for i in indicators] == [
            ("开展培训", "1000", "人次", "1050"),
            ("群众诉求解决率", "80", "%", "73.3"),
        ]
        # undo reverts the last saved change, in the database too
        await send(pilot, "/undo")
        assert "已撤销" in last_messages(app, 2)
        assert load(db, report_id).indicators == []
        # the status line shows progress, the computed score and the finding counts
        top_line = screen_text(app).splitlines()[0]
        assert "进度" in top_line and "计算得分" in top_line and "错误" in top_line


@pytest.mark.parametrize("size", SIZES)
async def test_export_from_the_drafting_screen(
    tmp_path: Path, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "jixiao.db"
    report_id = new_report(db, "导出测试报告")
    app = JixiaoApp(db, report_id)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await send(pilot, "/export")
        await pilot.pause()
        dialog_input = app.screen.query_one("#path")
        assert str(tmp_path / "导出测试报告-2020.md") == dialog_input.value  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
    written = tmp_path / "导出测试报告-2020.md"
    assert written.read_text(encoding="utf-8").startswith("# 导出测试报告")
    assert oct(written.stat().st_mode & 0o777) == "0o600"


async def test_reopening_restores_the_step_and_the_unsent_draft(tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    report_id = new_report(db)
    app = JixiaoApp(db, report_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for answer in ["某单位", "某部门", "2020", "1"]:
            await send(pilot, answer)
        screen = draft_screen(app)
        assert screen.session.step is not None
        step_id = screen.session.step.id
        box = screen.query_one(AnswerBox)
        box.focus()
        box.insert("还没写完的项目概况草稿")
        await pilot.pause(0.8)  # the draft is saved within a second of the last keystroke
    app = JixiaoApp(db, report_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = draft_screen(app)
        assert screen.session.step is not None and screen.session.step.id == step_id
        assert screen.query_one(AnswerBox).text == "还没写完的项目概况草稿"
        assert "已恢复上次未发送的草稿" in transcript(app)


async def test_a_conflict_keeps_the_answer_in_the_box(tmp_path: Path) -> None:
    from storage.store import ReportStore

    db = tmp_path / "jixiao.db"
    report_id = new_report(db)
    app = JixiaoApp(db, report_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        with ReportStore.open(db) as other:  # another person over SSH edits the title meanwhile
            other.apply(report_id, "unit_name", "别人填的单位", other.revision(report_id))
        assert "项目实施单位的全称是什么" in last_messages(app, 1)
        await send(pilot, "我填的单位")
        assert "/reload" in last_messages(app)
        assert draft_screen(app).query_one(AnswerBox).text == "我填的单位"
        assert load(db, report_id).unit_name == "别人填的单位"
        await send(pilot, "/keep")
        assert load(db, report_id).unit_name == "我填的单位"


async def test_the_command_palette_jumps_to_a_section(tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    report_id = new_report(db)
    app = JixiaoApp(db, report_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert "搜索命令或章节" in screen_text(app)
        palette_input = app.screen.query_one("CommandInput")
        palette_input.value = "跳到 （二）项目绩效目标"  # type: ignore[attr-defined]
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert "跳到" in last_messages(app, 2)
        step = draft_screen(app).session.step
        assert step is not None and step.section.startswith("overview.goals")


async def test_pasted_lines_arrive_whole_and_ctrl_fallback_keys_work(tmp_path: Path) -> None:
    from textual import events

    db = tmp_path / "jixiao.db"
    report_id = new_report(db)
    app = JixiaoApp(db, report_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await send(pilot, "/goto 一（一）")
        screen = draft_screen(app)
        for _ in range(20):
            step = screen.session.step
            if step is None or step.is_rows:
                break
            await send(pilot, {StepKind.CHOICE: "2", StepKind.MONEY: "487万"}.get(step.kind, "项目情况说明"))
        box = screen.query_one(AnswerBox)
        box.focus()
        # a bracketed paste reaches the app, which hands it to the focused widget
        app.post_message(events.Paste("甲办公室经费 100万\n乙办公室经费 200万\n丙办公室经费 187万"))
        await pilot.pause()
        assert box.text.count("\n") == 2  # the paste is one text with its newlines, not three sends
        await pilot.press("enter")
        await pilot.pause()
        assert len(load(db, report_id).budget_lines) == 3
        assert "合计 487.00 / 预算 487.00 万元" in last_messages(app, 2)
        await pilot.press("ctrl+backslash")  # F7's fallback: undo
        await pilot.pause()
        assert load(db, report_id).budget_lines == []
        await pilot.press("ctrl+g")  # F5's fallback: back
        await pilot.pause()
        assert "回到" in last_messages(app, 2)


async def test_next_year_offers_last_years_figures_for_tab(tmp_path: Path) -> None:
    from report.demo import build_demo_report
    from storage.store import ReportStore
    from tui.importing import next_year_from

    db = tmp_path / "jixiao.db"
    with ReportStore.open(db) as store:
        previous = store.create(build_demo_report())
        created = store.create(next_year_from(previous, 2021))
    assert created.id is not None and created.funds.annual_budget is None
    app = JixiaoApp(db, created.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await send(pilot, "/goto funds.annual_budget")
        box = draft_screen(app).query_one(AnswerBox)
        assert "（Tab 采用）" in str(box.placeholder)
        await pilot.press("tab")
        await pilot.pause()
        assert box.text.startswith("487")
        await pilot.press("enter")
        await pilot.pause()
    assert load(db, created.id).funds.annual_budget == Decimal("487")


@pytest.mark.parametrize("size", SIZES)
async def test_a_refused_answer_is_selected_so_typing_replaces_it(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    db = tmp_path / "jixiao.db"
    report_id = new_report(db)
    app = JixiaoApp(db, report_id)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await send(pilot, "/goto overview.project")
        await send(pilot, "本项目保障街道日常运转。")
        screen = draft_screen(app)
        assert screen.session.step is not None and screen.session.step.id == "funds.initial_budget"
        box = screen.query_one(AnswerBox)
        await send(pilot, "一百多万")  # a vague amount: refused
        assert "“一百多万”不是金额" in last_messages(app, 2)
        assert (box.text, box.selected_text) == ("一百多万", "一百多万")
        await pilot.press(*"118.6")
        assert box.text == "118.6"  # replaced, not "一百多万118.6"
        await pilot.press("enter")
        await pilot.pause()
        assert load(db, report_id).funds.initial_budget == Decimal("118.6")
        # the arrow keys edit the refused text instead of replacing it
        await send(pilot, "12o")
        assert "“12o”不是金额" in last_messages(app, 2) and box.selected_text == "12o"
        await pilot.press("right", "backspace", "0")
        assert box.text == "120"
        await pilot.press("enter")
        await pilot.pause()
        assert load(db, report_id).funds.annual_budget == Decimal("120")
        # Up on a selected answer moves the caret rather than recalling an earlier answer
        await send(pilot, "9x")
        await pilot.press("up", "1")
        assert box.text == "19x"


@pytest.mark.parametrize("size", SIZES)
async def test_one_line_texts_fit_the_width_without_a_stray_separator(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    from rich.cells import cell_len

    from report.demo import build_demo_report
    from storage.store import ReportStore

    db = tmp_path / "jixiao.db"
    with ReportStore.open(db) as store:
        report_id = store.create(build_demo_report()).id
    app = JixiaoApp(db, report_id)
    long_heading = "（二）绩效评价原则、评价指标体系、评价方法"
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.pause(0.2)
        lines = screen_text(app).splitlines()
        header, keys_line, key_bar = lines[0], lines[-2], lines[-1]
        title = draft_screen(app).session.report.title
        assert header.startswith(" 进度 ") and not header.rstrip().endswith("·")
        assert header.rstrip().endswith(title if size[0] >= 120 else "…") and cell_len(header) <= size[0]
        assert "Tab 采用建议" in screen_text(app) and not keys_line.rstrip().endswith("·")
        assert key_bar.rstrip().endswith(("检查", "命令"))  # whole hints, never a bare "F8"
        if size[0] < 120:
            await pilot.press("f3")  # the outline takes the whole width: the headings fit whole
            await pilot.pause()
            assert f"{long_heading} 3/3" in screen_text(app)
            return
        # the 32-column outline: one row per section, a long heading shortened, its count kept
        shown = screen_text(app)
        assert "评价指标体\n" not in shown and "\n系、评价方法" not in shown
        [row] = [line for line in shown.splitlines() if "（二）绩效评价原则" in line]
        side = row.split("│")[0]
        assert "… 3/3" in side and long_heading not in side


@pytest.mark.parametrize("size", SIZES)
async def test_move_an_indicator_row_to_another_category(tmp_path: Path, size: tuple[int, int]) -> None:
    from textual.widgets import OptionList

    db = tmp_path / "jixiao.db"
    report_id = new_report(db)
    app = JixiaoApp(db, report_id)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await send(pilot, "/goto 二")
        await send(pilot, "/skip")
        screen = draft_screen(app)
        assert "「移 4 质量」把第4行移到质量指标" in last_messages(app, 1)  # the step's hint
        await send(pilot, "开展培训 ≥1000人次 实际1050人次 分值10\n群众来访诉求解决率 ≥80% 实际85% 分值5")
        said = last_messages(app, 2)
        assert "输入「移 2 质量」即可把第 2 行移到质量指标" in said and "「移 n 质量」换类别" in said
        # the finding says the same when the user picks it in the findings list
        findings = screen.session.findings
        [mismatch] = [i for i, f in enumerate(findings) if f.where.indicator == 1 and f.fix is not None]
        await pilot.press("f8")
        await pilot.pause()
        listed = screen.query_one("#findings", OptionList)
        listed.highlighted = next(
            n for n in range(listed.option_count) if listed.get_option_at_index(n).id == f"finding:{mismatch}"
        )
        await pilot.press("enter")
        await pilot.pause()
        assert "在本步输入「移 2 质量」即可移过去" in transcript(app)
        assert screen.session.step is not None and screen.session.step.level2 is Level2.QUANTITY
        await send(pilot, "移 2 质量")
        assert "已把第 2 项“群众来访诉求解决率”从数量指标移到质量指标" in last_messages(app, 2)
        stored = load(db, report_id).indicators
        assert [(row.name, row.level2) for row in stored] == [
            ("开展培训", Level2.QUANTITY),
            ("群众来访诉求解决率", Level2.QUALITY),
        ]
        await send(pilot, "移 5 质量")
        assert "没有第 5 行（现有 1 行）" in last_messages(app, 1)
