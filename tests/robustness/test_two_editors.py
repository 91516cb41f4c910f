"""Two editors on one report: no update is silently lost, and the later writer can resolve its conflict.

Two processes (each a ``ReportStore`` on the same file, as two people over SSH would have)
interleave 1,000 edits on a few shared fields. Each editor works like the drafting screen: it
writes with the revision it last saw, reloads when the store says others wrote meanwhile, and on
``ConflictError`` either reloads (dropping its value) or keeps its value by writing again with
the revision the error names. Every attempt is logged; the test then proves from the logs and
the database that every successful write is in the final report or was overwritten by a later
successful write, and that no write went through over a change its writer had not seen.

Then the same two-writer situation in the command line (``jixiao undo`` while another program
holds the write lock) and in the app (answering while another program holds it).
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from report.model import BudgetLine, Report
from report.serialize import get_path, path_to_json
from storage.errors import ConflictError
from storage.store import ReportStore
from tests.cli.conftest import REPO, SHORT_BUSY_MS, Run, assert_one_chinese_error

EDITS = 1_000
PATHS = ("title", "unit_name", "answers.overview.background", "funds.annual_budget", "budget_lines")


def _value(path: str, who: str, number: int) -> object:
    """A value no other edit writes, of the right type for ``path``."""
    if path == "funds.annual_budget":
        return Decimal(number * 2 + (who == "B"))
    if path == "budget_lines":
        return [BudgetLine(name=f"{who}经费{number}", amount=Decimal(number))]
    return f"{who}{number}"


def editor(db: str, who: str, edits: int, seed: int, log: str, go: str) -> None:
    """One editor process: ``edits`` writes to random shared paths, every attempt logged as JSON lines."""
    import random

    rng = random.Random(seed)
    store = ReportStore.open(db, busy_timeout_ms=10_000)
    while not Path(go).exists():  # both editors start together
        time.sleep(0.001)
    base = store.load(1).revision
    with open(log, "w", encoding="utf-8") as out:

        def note(**event: Any) -> None:
            out.write(json.dumps({"who": who, **event}, ensure_ascii=False) + "\n")

        for number in range(edits):
            path = rng.choice(PATHS)
            value = _value(path, who, number)
            shown = path_to_json(path, value)
            time.sleep(rng.uniform(0, 0.002))  # thinking: the other editor may write meanwhile
            attempt_base = base
            while True:
                try:
                    revision = store.apply(1, path, value, attempt_base)
                except ConflictError as error:
                    note(
                        n=number,
                        path=path,
                        value=shown,
                        base=attempt_base,
                        result="conflict",
                        current=error.current_revision,
                        paths=list(error.paths),
                        message=error.message,
                    )
                    if rng.random() < 0.5:  # reload: take the other editor's value
                        base = store.load(1).revision
                        note(n=number, path=path, result="reloaded", base=base)
                        break
                    attempt_base = error.current_revision  # keep mine: write over theirs
                    continue
                note(n=number, path=path, value=shown, base=attempt_base, result="ok", revision=revision)
                # the drafting screen reloads when others wrote meanwhile, else it knows the state
                base = store.load(1).revision if revision > attempt_base + 1 else revision
                break
    store.close()


def _run_editors(tmp_path: Path, edits_each: int) -> tuple[list[dict[str, Any]], Report, Path]:
    db = tmp_path / "shared.db"
    with ReportStore.open(db) as store:
        store.create(Report(title="两人同时编辑的报告"))
    go = tmp_path / "go"
    processes = []
    for who, seed in (("A", 1), ("B", 2)):
        code = (
            "from tests.robustness.test_two_editors import editor; "
            f"editor({str(db)!r}, {who!r}, {edits_each}, {seed}, {str(tmp_path / who)!r}, {str(go)!r})"
        )
        processes.append(subprocess.Popen([sys.executable, "-c", code], cwd=REPO))
    time.sleep(0.3)
    go.touch()
    for process in processes:
        assert process.wait(timeout=300) == 0
    events = []
    for who in ("A", "B"):
        events += [json.loads(line) for line in (tmp_path / who).read_text(encoding="utf-8").splitlines()]
    with ReportStore.open(db) as store:
        final = store.load(1)
    return events, final, db


def test_two_processes_interleave_a_thousand_edits_and_lose_none(tmp_path: Path) -> None:
    events, final, db = _run_editors(tmp_path, EDITS // 2)
    done = [e for e in events if e["result"] == "ok"]
    conflicts = [e for e in events if e["result"] == "conflict"]
    # every edit ended: written (possibly after keeping it through conflicts) or given up on reload
    outcomes = Counter((e["who"], e["n"]) for e in events if e["result"] in ("ok", "reloaded"))
    assert len(outcomes) == EDITS and set(outcomes.values()) == {1}
    # each successful write is one revision, numbered without gaps or repeats across both editors
    revisions = sorted(e["revision"] for e in done)
    assert revisions == list(range(2, 2 + len(done)))
    assert final.revision == 1 + len(done)
    # nothing silently lost: per field, the final value is the latest successful write
    for path in PATHS:
        writes = [e for e in done if e["path"] == path]
        if writes:
            assert (
                path_to_json(path, get_path(final, path)) == max(writes, key=lambda e: e["revision"])["value"]
            )
    # no write went over a change its writer had not seen: between its base and its revision
    # nobody else wrote that field (else it had to be a conflict)
    for write in done:
        overwritten = [
            e
            for e in done
            if e["path"] == write["path"] and write["base"] < e["revision"] < write["revision"]
        ]
        assert not overwritten, (write, overwritten)
    # and every conflict named the field and said what to do, in Chinese
    assert len(conflicts) >= 20, len(conflicts)
    for conflict in conflicts:
        assert conflict["paths"] == [conflict["path"]]
        assert conflict["current"] > conflict["base"]
        assert "您的修改未保存" in conflict["message"] and "再保存一次" in conflict["message"]
    kept = {(e["who"], e["n"]) for e in conflicts} & {(e["who"], e["n"]) for e in done}
    assert kept, "no editor kept its value after a conflict"
    assert any(e["result"] == "reloaded" for e in events)
    # the history records every successful write, with its value
    conn = sqlite3.connect(db)
    try:
        rows = dict(
            ((revision, path), new)
            for revision, path, new in conn.execute(
                "SELECT revision, path, new FROM revisions WHERE report_id = 1"
            )
        )
    finally:
        conn.close()
    for write in done:
        assert json.loads(rows[(write["revision"], write["path"])]) == write["value"]


def test_keeping_my_value_after_a_conflict_writes_it_over_theirs(tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    with ReportStore.open(db) as mine, ReportStore.open(db) as theirs:
        report = mine.create(Report(title="标题"))
        assert report.id is not None
        theirs.apply(report.id, "unit_name", "他们的单位", report.revision)
        with pytest.raises(ConflictError) as caught:
            mine.apply(report.id, "unit_name", "我的单位", report.revision)
        assert mine.load(report.id).unit_name == "他们的单位"  # the refused write changed nothing
        mine.apply(report.id, "unit_name", "我的单位", caught.value.current_revision)
        assert theirs.load(report.id).unit_name == "我的单位"
        history = theirs.history(report.id)
        assert [(h.new, h.old) for h in history[:2]] == [("我的单位", "他们的单位"), ("他们的单位", "（空）")]


# --- the command line and the app, while another program holds the write lock ------------------------


def _hold_write_lock(db: Path, seconds: float) -> subprocess.Popen[str]:
    """Another program: takes the write lock, says so on stdout, holds it for ``seconds``."""
    code = (
        "import sqlite3, sys, time\n"
        f"conn = sqlite3.connect({str(db)!r}, isolation_level=None)\n"
        "conn.execute('BEGIN IMMEDIATE')\n"
        "print('locked', flush=True)\n"
        f"time.sleep({seconds})\n"
        "conn.execute('ROLLBACK')\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    return holder


def test_cli_undo_while_another_program_writes_is_one_line_then_works(run: Run, demo_db: Path) -> None:
    with ReportStore.open(demo_db) as before:  # someone's edit, for undo to revert
        before.apply(1, "unit_name", "改过的单位", before.revision(1))
        revision, history = before.revision(1), len(before.history(1, limit=1000))
    holder = _hold_write_lock(demo_db, 30)
    try:
        result = run("undo", "1", env={"JIXIAO_BUSY_TIMEOUT_MS": SHORT_BUSY_MS})
        line = assert_one_chinese_error(result)
        assert "占用" in line and "稍后重试" in line and str(demo_db) in line
    finally:
        holder.kill()
        holder.wait()
    with ReportStore.open(demo_db) as after:
        assert after.revision(1) == revision  # nothing was written
        assert len(after.history(1, limit=1000)) == history
    again = run("undo", "1", env={"JIXIAO_BUSY_TIMEOUT_MS": SHORT_BUSY_MS})
    assert again.code == 0 and again.out.startswith("已撤销"), again


async def test_answering_while_another_program_holds_the_database_keeps_the_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.tui.harness import draft_screen, last_messages, load, new_report, send
    from tui.app import JixiaoApp
    from tui.widgets.answer_box import AnswerBox

    monkeypatch.setenv("JIXIAO_BUSY_TIMEOUT_MS", SHORT_BUSY_MS)
    db = tmp_path / "jixiao.db"
    report_id = new_report(db)
    app = JixiaoApp(db, report_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        holder = _hold_write_lock(db, 30)
        try:
            await send(pilot, "被锁住时填的单位")
            said = last_messages(app, 2)
            assert "没有保存" in said and "正被其他程序占用" in said and "答案仍在输入框中" in said
            assert draft_screen(app).query_one(AnswerBox).text == "被锁住时填的单位"
            assert load(db, report_id).unit_name == ""
        finally:
            holder.kill()
            holder.wait()
        await send(pilot, "被锁住时填的单位")  # once the other program is done, sending again saves it
        assert "已记录" in last_messages(app, 2)
        assert load(db, report_id).unit_name == "被锁住时填的单位"
        assert app.is_running


async def test_a_draft_not_saved_while_the_database_was_locked_is_saved_afterwards(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.tui.harness import draft_screen, new_report
    from tui.app import JixiaoApp
    from tui.widgets.answer_box import AnswerBox

    monkeypatch.setenv("JIXIAO_BUSY_TIMEOUT_MS", "50")
    db = tmp_path / "jixiao.db"
    report_id = new_report(db)
    app = JixiaoApp(db, report_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        holder = _hold_write_lock(db, 2)
        try:
            box = draft_screen(app).query_one(AnswerBox)
            box.focus()
            box.insert("锁住时输入的草稿")
            await pilot.pause(1.0)  # the autosave tried (and failed) at least once
        finally:
            holder.wait()
        await pilot.pause(1.5)  # nothing typed since; the lock is gone
        with ReportStore.open(db) as store:
            assert store.drafts(report_id).get("overview.unit_name") == "锁住时输入的草稿"
