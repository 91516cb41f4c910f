"""Drive the real app in tests: open a report, type answers, read the conversation and the database."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from prompts.templates import StepKind
from report.model import MoneyUnit, Report
from storage.store import ReportStore
from tui.app import JixiaoApp
from tui.screens.draft import DraftScreen
from tui.widgets.answer_box import AnswerBox
from tui.widgets.conversation import Conversation


def new_report(db: Path, title: str = "2020年度测试街道工作经费项目支出绩效自评报告") -> int:
    """Create an empty report in a fresh database; its id."""
    with ReportStore.open(db) as store:
        created = store.create(Report(title=title, year=2020, money_unit=MoneyUnit.WAN))
    assert created.id is not None
    return created.id


def load(db: Path, report_id: int) -> Report:
    """The report as stored in the database now."""
    with ReportStore.open(db) as store:
        return store.load(report_id)


def draft_screen(app: JixiaoApp) -> DraftScreen:
    """The drafting screen (fails the test when another screen is on top)."""
    screen = app.screen
    assert isinstance(screen, DraftScreen), f"expected the drafting screen, got {type(screen).__name__}"
    return screen


async def send(pilot: Pilot[int], text: str) -> None:
    """Put text in the answer box as a paste would, then send it with the step's sending key."""
    screen = draft_screen(pilot.app)  # type: ignore[arg-type]
    box = screen.query_one(AnswerBox)
    box.focus()
    box.set_text(text)
    step = screen.session.step
    prose = step is not None and step.kind is StepKind.TEXT and not text.startswith("/")
    await pilot.press("ctrl+j" if prose else "enter")
    await pilot.pause()


def transcript(app: JixiaoApp) -> str:
    """Everything said in the conversation so far."""
    return "\n".join(draft_screen(app).query_one(Conversation).transcript())


def last_messages(app: JixiaoApp, count: int = 3) -> str:
    """The newest messages of the conversation."""
    return "\n".join(draft_screen(app).query_one(Conversation).transcript()[-count:])


def screen_text(app: JixiaoApp) -> str:
    """What the terminal shows now, as plain text, one line per row."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip).rstrip() for strip in strips)
