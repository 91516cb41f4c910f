"""Bad environments: damaged, foreign, locked, read-only, full, missing and newer databases.

Each case runs through the command line (a subprocess) and through the app start (the real
`jixiao` in tmux, or the app in-process where the trouble only shows while answering). Each must
end in one clear Chinese line (exit code 2 where the program stops), no traceback anywhere,
no crash log, and nothing overwritten or lost: the file's bytes (or its rows) are compared
before and after.
"""

from __future__ import annotations

import contextlib
import os
import random
import sqlite3
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from report.model import Report
from storage.errors import StorageError
from storage.store import ReportStore
from tests.cli.conftest import (
    CJK,
    REPO,
    SHORT_BUSY_MS,
    Result,
    Run,
    assert_one_chinese_error,
    without_root_override,
)
from tests.robustness.terminal import EXIT_MARK, Terminal, answer_box, flat

NEW = ["new", "--title", "某项目", "--unit", "甲", "--department", "乙", "--year", "2021"]
READING = [["check", "1"], ["list"], ["history", "1"], ["export", "1", "-o", "-"]]
WRITING = [["undo", "1"], ["demo", "--no-open"], NEW]


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    """A private tmux server for this test."""
    term = Terminal(f"jixiao-env-{os.getpid()}-{abs(hash(tmp_path)) % 10**8}")
    yield term
    term.close()
    term.shutdown()


def _siblings(db: Path) -> list[str]:
    return sorted(p.name for p in db.parent.iterdir()) if db.parent.exists() else []


def _no_crash_logs(log_dir: Path) -> None:
    crashes = sorted(log_dir.glob("crash-*.log")) if log_dir.exists() else []
    assert not crashes, "an unexpected exception reached the last guard:\n" + crashes[0].read_text()


def app_refuses(
    terminal: Terminal,
    db: Path,
    log_dir: Path,
    args: Sequence[str],
    env: dict[str, str] | None = None,
    prefix: Sequence[str] = (),
) -> str:
    """Start `jixiao ARGS` in a terminal as a user would: it must stop with exit 2 and one Chinese line."""
    terminal.start(args, {"JIXIAO_DB": str(db), "JIXIAO_LOG_DIR": str(log_dir), **(env or {})}, prefix)
    status = terminal.wait_for_exit()
    printed = [
        line
        for line in terminal.transcript().splitlines()
        if line.strip() and not line.startswith(("Pane is dead", EXIT_MARK))
    ]
    terminal.close()
    assert status == 2, printed
    assert len(printed) == 1, printed
    assert printed[0].startswith("jixiao：") and CJK.search(printed[0]), printed
    assert "Traceback" not in printed[0] and "Error" not in printed[0]
    _no_crash_logs(log_dir)
    return printed[0]


def _every_verb_refuses(run: Run, words: str, verbs: Sequence[Sequence[str]], **kwargs: object) -> None:
    for verb in verbs:
        line = assert_one_chinese_error(run(*verb, **kwargs))
        assert words in line, line


# --- a damaged database --------------------------------------------------------------------------


@pytest.mark.parametrize("cut", ["header", "half", "last page"])
def test_a_truncated_database_is_refused_untouched(
    run: Run, demo_db: Path, log_dir: Path, terminal: Terminal, cut: str
) -> None:
    data = demo_db.read_bytes()
    keep = {"header": 100, "half": len(data) // 2, "last page": len(data) - 4096}[cut]
    demo_db.write_bytes(data[:keep])
    before = demo_db.read_bytes()
    _every_verb_refuses(run, "已损坏", [*READING, *WRITING])
    for args in (["open", "1"], []):
        assert "已损坏" in app_refuses(terminal, demo_db, log_dir, args)
    assert demo_db.read_bytes() == before


def test_damaged_text_in_the_database_is_reported_as_damage(
    run: Run, demo_db: Path, log_dir: Path, terminal: Terminal
) -> None:
    # a flipped byte inside a stored text: invalid UTF-8 that SQLite itself does not check
    conn = sqlite3.connect(demo_db)
    conn.execute("UPDATE reports SET title = CAST(X'E4B8A0E4' AS TEXT) WHERE id = 1")
    conn.commit()
    conn.close()
    before = demo_db.read_bytes()
    # before: "数据库…操作失败（Could not decode to UTF-8 column 'title' with text '…'）；…请重试"
    for verb in (["list"], ["check", "1"], ["undo", "1"]):
        line = assert_one_chinese_error(run(*verb))
        assert "已损坏（其中的文字已损坏）" in line and "Could not" not in line
    assert "已损坏" in app_refuses(terminal, demo_db, log_dir, ["open", "1"])
    assert demo_db.read_bytes() == before


def _damage(data: bytes, rng: random.Random) -> bytes:
    damaged = bytearray(data)
    kind = rng.choice(["bytes", "page", "truncate"])
    if kind == "bytes":
        for _ in range(rng.randint(1, 20)):
            damaged[rng.randrange(100, len(damaged))] = rng.randrange(256)
    elif kind == "page":
        page = rng.randrange(1, len(damaged) // 4096)
        damaged[page * 4096 : (page + 1) * 4096] = rng.randbytes(4096)
    else:
        del damaged[rng.randrange(100, len(damaged)) :]
    return bytes(damaged)


_ODD_VALUES: list[object] = [
    None,
    0,
    -1,
    2**62,
    1.5,
    "",
    "garbage",
    "2020-13-45",
    "{",
    "null",
    b"\x00\xff",
    "万元",
]


def _odd_cells(db: Path, rng: random.Random) -> None:
    """What another program (or a hand edit) might leave: wrong types and nonsense in random cells."""
    conn = sqlite3.connect(db)
    tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    tables = [t for t in tables if not t.startswith("sqlite_")]
    for _ in range(rng.randint(1, 3)):
        table = rng.choice(tables)
        column = rng.choice([row[1] for row in conn.execute(f"PRAGMA table_info({table})")])
        with contextlib.suppress(sqlite3.Error):  # a constraint may refuse it
            conn.execute(
                f"UPDATE {table} SET {column} = ? WHERE rowid IN (SELECT rowid FROM {table} ORDER BY random() LIMIT 2)",
                (rng.choice(_ODD_VALUES),),
            )
    conn.commit()
    conn.close()


def _use_every_call(db: Path) -> None:
    """Every store call the CLI and the app make; only StorageError may come out."""
    with ReportStore.open(db, busy_timeout_ms=100) as store:
        store.list_summaries()
        for call in (
            lambda: store.load_for_editing(1),
            lambda: store.history(1, limit=1000),
            lambda: store.find("1"),
            lambda: store.find("2020"),
            lambda: store.drafts(1),
            lambda: store.current_step(1),
            lambda: store.undo(1),
            lambda: store.apply(1, "title", "新标题", store.revision(1)),
            lambda: store.apply(1, "budget_lines", [], store.revision(1)),
            lambda: store.save_draft(1, "goals.overall", "草稿"),
            lambda: store.create(store.load(1)),
        ):
            try:
                call()
            except StorageError as error:
                assert CJK.search(error.message) and str(db) in error.message, error.message


@pytest.mark.parametrize("kind", ["damaged bytes", "odd cells"])
def test_a_damaged_database_only_ever_raises_storage_errors(demo_db: Path, tmp_path: Path, kind: str) -> None:
    # before the fixes: UnicodeDecodeError, ValueError (dates, revision numbers), TypeError (a blob)
    data = demo_db.read_bytes()
    refused = 0
    for seed in range(60):
        rng = random.Random(seed)
        db = tmp_path / f"damaged-{seed}.db"
        if kind == "damaged bytes":
            db.write_bytes(_damage(data, rng))
        else:
            db.write_bytes(data)
            _odd_cells(db, rng)
        try:
            _use_every_call(db)
        except StorageError as error:
            refused += 1
            assert "已损坏" in error.message or "只读" in error.message, error.message
    assert refused > 0


# --- not SQLite, newer schema --------------------------------------------------------------------


def test_a_text_file_in_place_of_the_database_stops_the_app_untouched(
    db: Path, log_dir: Path, terminal: Terminal
) -> None:
    db.parent.mkdir(parents=True)
    db.write_text("我的工作笔记：明天交自评报告。\n" * 40, encoding="utf-8")
    before = db.read_bytes()
    for args in (["open", "1"], []):
        assert "不是有效的 jixiao 数据库" in app_refuses(terminal, db, log_dir, args)
    assert db.read_bytes() == before and _siblings(db) == [db.name]


def test_a_database_from_a_newer_jixiao_stops_cli_and_app_untouched(
    run: Run, demo_db: Path, log_dir: Path, terminal: Terminal
) -> None:
    conn = sqlite3.connect(demo_db)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = demo_db.read_bytes()
    _every_verb_refuses(run, "更新版本", [["check", "1"], ["list"], *WRITING])
    for args in (["open", "1"], []):
        assert "更新版本" in app_refuses(terminal, demo_db, log_dir, args)
    assert demo_db.read_bytes() == before


# --- locked by another writer ---------------------------------------------------------------------


def _hold_write_lock(db: Path) -> subprocess.Popen[str]:
    code = (
        "import sqlite3, time\n"
        f"conn = sqlite3.connect({str(db)!r}, isolation_level=None)\n"
        "conn.execute('BEGIN IMMEDIATE')\n"
        "print('locked', flush=True)\n"
        "time.sleep(60)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    return holder


def _new_report(db: Path) -> int:
    with ReportStore.open(db) as store:
        created = store.create(Report(title="2020年度测试项目支出绩效自评报告", year=2020))
    assert created.id is not None
    return created.id


def _answer_in_the_app(
    terminal: Terminal, db: Path, log_dir: Path, report_id: int, text: str, **env: str
) -> str:
    """Open the report in a terminal, answer the first question, return the screen; quits with ctrl+q."""
    terminal.start(["open", str(report_id)], {"JIXIAO_DB": str(db), "JIXIAO_LOG_DIR": str(log_dir), **env})
    terminal.wait_for("采用建议")
    terminal.type(text)
    terminal.wait_for(lambda screen: flat(text) in flat(answer_box(screen)))
    terminal.keys("Enter")
    screen = terminal.wait_for("没有保存")
    assert flat(text) in flat(answer_box(screen)), "the answer left the box"
    terminal.keys("C-q")
    assert terminal.wait_for_exit() == 0
    assert "Traceback" not in terminal.transcript()
    terminal.close()
    _no_crash_logs(log_dir)
    return screen


def test_a_database_locked_past_the_timeout_refuses_writes_and_keeps_the_answer(
    run: Run, db: Path, log_dir: Path, terminal: Terminal
) -> None:
    report_id = _new_report(db)
    holder = _hold_write_lock(db)
    try:
        _every_verb_refuses(
            run, "占用", [NEW, ["demo", "--no-open"]], env={"JIXIAO_BUSY_TIMEOUT_MS": SHORT_BUSY_MS}
        )
        # the app still opens (reading is never blocked); the answer is refused in words and kept
        screen = _answer_in_the_app(
            terminal, db, log_dir, report_id, "锁住时的单位", JIXIAO_BUSY_TIMEOUT_MS=SHORT_BUSY_MS
        )
        assert "占用" in flat(screen) and "答案仍在输入框中" in flat(screen)
    finally:
        holder.kill()
        holder.wait()
    with ReportStore.open(db) as store:
        assert [s.id for s in store.list_summaries()] == [report_id]
        assert store.load(report_id).unit_name == "" and store.revision(report_id) == 1


# --- read-only ----------------------------------------------------------------------------------


def test_a_read_only_folder_stops_cli_and_app_untouched(
    run: Run, demo_db: Path, log_dir: Path, terminal: Terminal
) -> None:
    prefix = without_root_override()
    before = demo_db.read_bytes()
    demo_db.parent.chmod(0o500)
    try:
        _every_verb_refuses(run, "只读", [["check", "1"], ["undo", "1"], NEW], prefix=prefix)
        for args in (["open", "1"], []):
            assert "只读" in app_refuses(terminal, demo_db, log_dir, args, prefix=prefix)
    finally:
        demo_db.parent.chmod(0o700)
    assert demo_db.read_bytes() == before and _siblings(demo_db) == [demo_db.name]


def test_a_read_only_database_file_refuses_answers_in_words(
    run: Run, db: Path, log_dir: Path, terminal: Terminal
) -> None:
    prefix = without_root_override()
    report_id = _new_report(db)
    with ReportStore.open(db) as store:
        store.apply(report_id, "department", "某部门", 1)  # something for undo to revert
    db.chmod(0o400)
    before = db.read_bytes()
    try:
        line = assert_one_chinese_error(run("undo", str(report_id), prefix=prefix))
        assert "只读" in line
        terminal.start(
            ["open", str(report_id)], {"JIXIAO_DB": str(db), "JIXIAO_LOG_DIR": str(log_dir)}, prefix
        )
        terminal.wait_for("采用建议")
        terminal.type("只读时的单位")
        terminal.wait_for(lambda screen: "只读时的单位" in flat(answer_box(screen)))
        terminal.keys("Enter")
        screen = terminal.wait_for("没有保存")
        assert "只读" in flat(screen) and "只读时的单位" in flat(answer_box(screen))
        terminal.keys("C-q")
        assert terminal.wait_for_exit() == 0
        assert "Traceback" not in terminal.transcript()
    finally:
        db.chmod(0o600)
    assert db.read_bytes() == before
    _no_crash_logs(log_dir)


# --- a full disk ----------------------------------------------------------------------------------

# runs the `jixiao` command with every database it opens unable to grow (SQLite's max_page_count),
# as if the disk were full
_FULL_DISK_JIXIAO = """
import sys
import storage.db

_prepare = storage.db._prepare


def _prepare_on_a_full_disk(conn, *args):
    _prepare(conn, *args)
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")


storage.db._prepare = _prepare_on_a_full_disk
from tui.cli import main

sys.exit(main(sys.argv[1:]))
"""


def test_a_full_disk_refuses_the_change_and_keeps_what_was_there(
    run: Run, demo_db: Path, tmp_path: Path, log_dir: Path
) -> None:
    big = tmp_path / "big.json"
    exported = run("export", "1", "--format", "json", "-o", "-").out
    big.write_text(exported.replace("本项目", "本项目" + "很长的说明" * 20_000, 1), encoding="utf-8")
    script = tmp_path / "full_disk_jixiao.py"
    script.write_text(_FULL_DISK_JIXIAO, encoding="utf-8")
    with ReportStore.open(demo_db) as store:
        before = (store.list_summaries(), store.load(1))
    environ = {
        **os.environ,
        "JIXIAO_DB": str(demo_db),
        "JIXIAO_LOG_DIR": str(log_dir),
        "PYTHONPATH": str(REPO),
    }
    for verb in (["import", str(big)], ["demo", "--no-open"]):
        completed = subprocess.run(
            [sys.executable, str(script), *verb],
            capture_output=True,
            text=True,
            env=environ,
            stdin=subprocess.DEVNULL,
            timeout=60,
            check=False,
        )
        if verb[0] == "demo" and completed.returncode == 0:
            continue  # resetting the demo in place may fit in the pages it has
        line = assert_one_chinese_error(Result(completed.returncode, completed.stdout, completed.stderr))
        assert "磁盘空间不足" in line and "未保存" in line
    with ReportStore.open(demo_db) as store:
        assert [s.id for s in store.list_summaries()] == [s.id for s in before[0]]
        assert store.load(1) == before[1]
    _no_crash_logs(log_dir)


async def test_answering_on_a_full_disk_keeps_the_answer_in_the_box(tmp_path: Path) -> None:
    from tests.tui.harness import draft_screen, last_messages, load, new_report, send
    from tui.app import JixiaoApp
    from tui.widgets.answer_box import AnswerBox

    db = tmp_path / "jixiao.db"
    report_id = new_report(db)
    app = JixiaoApp(db, report_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        pages = app.store.db.conn.execute("PRAGMA page_count").fetchone()[0]
        app.store.db.conn.execute(f"PRAGMA max_page_count = {pages}")
        long_name = "某某街道办事处" * 3000  # needs pages the "disk" does not have
        await send(pilot, long_name)
        said = last_messages(app, 2)
        assert "没有保存" in said and "磁盘空间不足" in said and "答案仍在输入框中" in said
        assert draft_screen(app).query_one(AnswerBox).text == long_name
        assert app.is_running
    assert load(db, report_id).unit_name == ""


# --- a data folder that does not exist yet ---------------------------------------------------------


def test_a_missing_data_folder_is_created_by_new_and_demo_and_named_by_check(
    run: Run, tmp_path: Path, log_dir: Path, terminal: Terminal
) -> None:
    missing = tmp_path / "not" / "there" / "jixiao.db"
    env = {"JIXIAO_DB": str(missing)}
    line = assert_one_chinese_error(run("check", "1", env=env))
    assert "不存在" in line and str(missing) in line
    assert "不存在" in app_refuses(terminal, missing, log_dir, ["open", "1"])
    assert not (tmp_path / "not").exists()  # a mistyped path leaves nothing behind
    listed = run("list", env=env)
    assert listed.code == 0 and "还没有报告" in listed.out and not (tmp_path / "not").exists()
    created = run(*NEW, env=env)
    assert created.code == 0 and created.out.startswith("已新建报告 #1")
    assert oct(missing.parent.stat().st_mode & 0o777) == "0o700"
    assert oct(missing.stat().st_mode & 0o777) == "0o600"
    other = tmp_path / "demo" / "data" / "jixiao.db"
    demo = run("demo", "--no-open", env={"JIXIAO_DB": str(other)})
    assert demo.code == 0 and demo.out == "1\n" and other.exists()
    # the app's home screen on a new folder starts an empty database there
    fresh = tmp_path / "home" / "data" / "jixiao.db"
    terminal.start([], {"JIXIAO_DB": str(fresh), "JIXIAO_LOG_DIR": str(log_dir)})
    terminal.wait_for("数据库中还没有报告")
    terminal.keys("C-q")
    assert terminal.wait_for_exit() == 0
    assert fresh.exists() and oct(fresh.stat().st_mode & 0o777) == "0o600"
    _no_crash_logs(log_dir)
