"""Security: private files, no writing through symlinks, bounded imports, no shell, no eval, no network."""

from __future__ import annotations

import ast
import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from prompts.conditions import ConditionError, parse_condition
from prompts.engine import Accepted, Flow
from prompts.templates import TemplateError, load_template, parse_template
from report.errors import ParseError
from report.importer import import_text
from report.model import Report
from storage.store import ReportStore
from tests.cli.conftest import REPO, Result, Run, assert_one_chinese_error, jixiao_executable
from tests.robustness.terminal import Terminal, answer_box, flat

MB = 1024 * 1024
PACKAGES = ["report", "prompts", "storage", "tui"]  # everything that ships; tests and benchmarks excluded


def _mode(path: Path) -> str:
    return oct(path.stat().st_mode & 0o777)


def _run_with_umask(args: list[str], db: Path, cwd: Path, mask: int = 0) -> Result:
    completed = subprocess.run(
        [str(jixiao_executable()), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "JIXIAO_DB": str(db), "JIXIAO_LOG_DIR": str(cwd / "logs")},
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
        preexec_fn=lambda: os.umask(mask),
    )
    return Result(completed.returncode, completed.stdout, completed.stderr)


# --- private files -----------------------------------------------------------------------------------


def test_a_new_database_its_folder_and_its_side_files_are_private_even_with_umask_0(tmp_path: Path) -> None:
    db = tmp_path / "data" / "jixiao.db"
    created = _run_with_umask(
        ["new", "--title", "某项目", "--unit", "甲", "--department", "乙", "--year", "2021"], db, tmp_path
    )
    assert created.code == 0, created
    assert _mode(db.parent) == "0o700" and _mode(db) == "0o600"
    with ReportStore.open(db):  # while open, SQLite keeps -wal and -shm beside it
        sides = [p for p in db.parent.iterdir() if p != db]
        assert sides and all(_mode(p) == "0o600" for p in sides), [(p.name, _mode(p)) for p in sides]


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_exports_are_private_even_with_umask_0(demo_db: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"out.{fmt}"
    result = _run_with_umask(["export", "1", "--format", fmt, "-o", str(out)], demo_db, tmp_path)
    assert result.code == 0, result
    assert _mode(out) == "0o600"
    forced = _run_with_umask(["export", "1", "--format", fmt, "-o", str(out), "--force"], demo_db, tmp_path)
    assert forced.code == 0 and _mode(out) == "0o600"


# --- symlinks --------------------------------------------------------------------------------------


def test_export_never_writes_through_a_symlink(run: Run, demo_db: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("别人的文件，不能被覆盖", encoding="utf-8")
    link = tmp_path / "report.md"
    link.symlink_to(victim)
    line = assert_one_chinese_error(run("export", "1", "-o", str(link)))
    assert "符号链接" in line
    assert victim.read_text(encoding="utf-8") == "别人的文件，不能被覆盖"
    # a link to a file that does not exist yet: nothing may be created at its target either
    target = tmp_path / "elsewhere" / "planted.md"
    target.parent.mkdir()
    dangling = tmp_path / "dangling.md"
    dangling.symlink_to(target)
    assert "符号链接" in assert_one_chinese_error(run("export", "1", "-o", str(dangling)))
    assert not target.exists()
    # the default name (标题-年度.md in the current folder) gets the same care
    default = tmp_path / "2020年度青岚街道工作经费项目支出绩效自评报告.md"  # the title names the year
    default.symlink_to(victim)
    assert "符号链接" in assert_one_chinese_error(run("export", "1"))
    # --force replaces the link itself with a new private file; what it pointed to stays as it was
    forced = run("export", "1", "-o", str(link), "--force")
    assert forced.code == 0, forced
    assert not link.is_symlink() and link.read_text(encoding="utf-8").startswith("# ")
    assert _mode(link) == "0o600"
    assert victim.read_text(encoding="utf-8") == "别人的文件，不能被覆盖"
    assert not target.exists()


# --- bounded imports ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["big.txt", "big.md", "big.json"])
def test_imports_over_20_mb_are_refused_before_reading(run: Run, db: Path, tmp_path: Path, name: str) -> None:
    big = tmp_path / name
    with big.open("wb") as handle:  # sparse: 20 MB and one byte, without using the disk
        handle.truncate(20 * MB + 1)
    line = assert_one_chinese_error(run("import", str(big)))
    assert "超过 20 MB" in line
    assert not db.exists()  # refused before the database was even opened
    # the app's import and the pure importer refuse it as well
    from tui.importing import import_report_file
    from tui.services import UserFacingError

    with pytest.raises(UserFacingError, match="超过 20 MB"):
        import_report_file(big)
    with pytest.raises(ParseError, match="超过 20 MB"):
        import_text(b"x" * (20 * MB + 1), [load_template("eight_part").outline])


@pytest.mark.parametrize("kind", ["device", "pipe"])
def test_a_device_or_a_pipe_is_not_imported(run: Run, db: Path, tmp_path: Path, kind: str) -> None:
    # before: /dev/zero (size 0) was read until memory ran out; a pipe waited for a writer forever
    if kind == "device":
        source = Path("/dev/zero")
    else:
        source = tmp_path / "report.txt"
        os.mkfifo(source)
    line = assert_one_chinese_error(run("import", str(source)))
    assert "不是普通文件" in line
    assert not db.exists()


# --- no shell, no evaluation ---------------------------------------------------------------------------

_EVALUATING = {"eval", "exec", "compile", "__import__", "breakpoint", "input_eval"}
_SHELL_ATTRIBUTES = {
    ("os", "system"),
    ("os", "popen"),
    ("os", "execl"),
    ("os", "execlp"),
    ("os", "execv"),
    ("os", "execvp"),
    ("os", "spawnl"),
    ("os", "spawnv"),
    ("os", "startfile"),
    ("importlib", "import_module"),
    ("asyncio", "create_subprocess_shell"),
}
_UNSAFE_MODULES = {"pickle", "cPickle", "marshal", "shelve", "dill", "cloudpickle", "yaml", "code", "codeop"}


def _findings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        where = f"{path.relative_to(REPO)}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = (
                [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            )
            found += [f"{where} imports {name}" for name in names if name.split(".")[0] in _UNSAFE_MODULES]
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in _EVALUATING:
            found.append(f"{where} calls {func.id}()")
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and (func.value.id, func.attr) in _SHELL_ATTRIBUTES
        ):
            found.append(f"{where} calls {func.value.id}.{func.attr}()")
        for keyword in node.keywords:
            if keyword.arg == "shell" and not (
                isinstance(keyword.value, ast.Constant) and keyword.value.value is False
            ):
                found.append(f"{where} passes shell=…")
    return found


def test_the_scan_finds_what_it_looks_for(tmp_path: Path) -> None:
    sample = REPO / "tests" / "robustness" / "_scan_sample.py"
    sample.write_text(
        "import pickle\nimport subprocess, os\neval('1')\nos.system('ls')\nsubprocess.run('ls', shell=True)\n",
        encoding="utf-8",
    )
    try:
        assert len(_findings(sample)) == 4
    finally:
        sample.unlink()


def test_no_shipped_code_runs_a_shell_or_evaluates_text() -> None:
    files = [path for package in PACKAGES for path in sorted((REPO / package).rglob("*.py"))]
    assert len(files) > 20
    findings = [finding for path in files for finding in _findings(path)]
    assert findings == []


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('touch {marker}')",
        "year > 2000 or __import__('os').system('touch {marker}')",
        "exec(\"open('{marker}', 'w')\")",
        "funds.carried_over > 0 and open('{marker}', 'w')",
        "(lambda: open('{marker}', 'w'))()",
    ],
)
def test_template_conditions_are_parsed_never_evaluated(tmp_path: Path, text: str) -> None:
    marker = tmp_path / "pwned"
    with pytest.raises(ConditionError):
        parse_condition(text.format(marker=marker))
    # the same text as the when-condition of a shipped template: the template is refused
    source = (REPO / "prompts" / "templates" / "eight_part.toml").read_text(encoding="utf-8")
    good = "when = 'answers.funds.has_carried_over == \"有\"'"
    assert good in source
    parse_template(source, "eight_part.toml")
    with pytest.raises(TemplateError, match="when"):
        parse_template(source.replace(good, f"when = {json.dumps(text.format(marker=marker))}"), "evil.toml")
    assert not marker.exists()
    # a real condition is a small tree of data, read against the report, not code
    condition = parse_condition("answers.funds.has_carried_over == '有' and funds.carried_over > 0")
    assert condition.evaluate(Report(title="")) is False
    assert type(condition).__name__ in {"AllOf", "AnyOf", "Not", "Compare", "FieldRef"}


def test_answers_and_imported_text_that_look_like_code_are_kept_as_text(
    run: Run, db: Path, tmp_path: Path
) -> None:
    marker = tmp_path / "pwned"
    payloads = [
        f"$(touch {marker})",
        f"`touch {marker}`",
        f"__import__('os').system('touch {marker}')",
        f"{{{{ open('{marker}', 'w') }}}}",
    ]
    template = load_template("eight_part")
    report = Report(title="某项目")
    for payload in payloads:
        result = Flow(template, report, current="goals.overall").answer(payload)
        assert isinstance(result, Accepted) and result.value == payload
    from report.demo import build_demo_report
    from report.render import render_report

    old = build_demo_report()
    old.overall_goal = "\n".join(payloads)
    text_file = tmp_path / "old.md"
    text_file.write_text(render_report(old, template.outline), encoding="utf-8")
    assert run("import", str(text_file)).code == 0
    with ReportStore.open(db) as store:
        assert store.load(1).overall_goal == old.overall_goal
    assert not marker.exists()


# --- no network --------------------------------------------------------------------------------------

_NO_NETWORK = """
import os
import socket

_LOG = os.environ["JIXIAO_NET_LOG"]


def _refuse(*args, **kwargs):
    with open(_LOG, "a", encoding="utf-8") as log:
        log.write(repr(args) + "\\n")
    raise OSError("network access is disabled in this test")


socket.socket.connect = _refuse
socket.socket.connect_ex = _refuse
socket.socket.sendto = _refuse
socket.create_connection = _refuse
socket.getaddrinfo = _refuse
"""


@pytest.fixture
def no_network(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Environment for a subprocess whose every connection attempt is refused and logged."""
    folder = tmp_path / "no-network"
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(_NO_NETWORK, encoding="utf-8")
    log = tmp_path / "connections.log"
    yield {"PYTHONPATH": f"{folder}{os.pathsep}{REPO}", "JIXIAO_NET_LOG": str(log)}
    assert not log.exists(), "jixiao tried to connect: " + log.read_text(encoding="utf-8")


def test_the_no_network_guard_catches_a_connection(no_network: dict[str, str], tmp_path: Path) -> None:
    code = (
        "import socket\ntry:\n    socket.create_connection(('example.org', 80))\nexcept OSError:\n    pass\n"
    )
    subprocess.run([sys.executable, "-c", code], env={**os.environ, **no_network}, check=True, timeout=30)
    log = Path(no_network["JIXIAO_NET_LOG"])
    assert "example.org" in log.read_text(encoding="utf-8")
    log.unlink()


def test_no_verb_opens_a_network_connection(run: Run, tmp_path: Path, no_network: dict[str, str]) -> None:
    env: dict[str, str | None] = dict(no_network)
    assert run("demo", "--no-open", env=env).code == 0
    for verb in (
        ["new", "--title", "某项目", "--unit", "甲", "--department", "乙", "--year", "2021"],
        ["list"],
        ["check", "1"],
        ["history", "1"],
        ["export", "1", "-o", "demo.md"],
        ["export", "1", "--format", "json", "-o", "demo.json"],
        ["import", "demo.json"],
        ["import", "demo.md"],
        ["undo", "1"],
        ["--help"],
        ["--version"],
    ):
        assert run(*verb, env=env).code in (0, 1), verb


def test_the_app_opens_no_network_connection(db: Path, tmp_path: Path, no_network: dict[str, str]) -> None:
    with ReportStore.open(db) as store:
        created = store.create(Report(title="2020年度测试项目支出绩效自评报告", year=2020))
    terminal = Terminal(f"jixiao-net-{os.getpid()}")
    try:
        terminal.start(
            ["open", str(created.id)],
            {"JIXIAO_DB": str(db), "JIXIAO_LOG_DIR": str(tmp_path / "logs"), **no_network},
        )
        terminal.wait_for("采用建议")
        terminal.type("联网测试单位")
        terminal.wait_for(lambda screen: "联网测试单位" in flat(answer_box(screen)))
        terminal.keys("Enter")
        terminal.wait_for("已记录")
        terminal.keys("F2")  # the preview, then back
        terminal.keys("Escape")
        terminal.keys("C-q")
        assert terminal.wait_for_exit() == 0
    finally:
        terminal.close()
    with ReportStore.open(db) as store:
        assert store.load(created.id or 0).unit_name == "联网测试单位"


async def test_an_in_process_session_opens_no_network_connection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.tui.harness import load, new_report, send
    from tui.app import JixiaoApp

    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args[1:3])
        raise OSError("network access is disabled in this test")

    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "jixiao.db"
    report_id = new_report(db)
    app = JixiaoApp(db, report_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await send(pilot, "某单位")
        await send(pilot, "/check")
        await send(pilot, "/export")
        await pilot.press("enter")
        await pilot.pause()
    assert attempts == []
    assert load(db, report_id).unit_name == "某单位"


# --- texts shown in notifications ---------------------------------------------------------------------


async def _notifications_after(tmp_path: Path, case: str) -> list[str]:
    """What the toasts say after an action whose message holds a path or an imported title."""
    from textual.widgets._toast import Toast

    from tests.tui.harness import new_report
    from tui.app import JixiaoApp

    db = tmp_path / "jixiao.db"
    report_id = new_report(db, "导出测试报告")
    app = JixiaoApp(db, None)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        if case == "missing file":
            app.import_file(tmp_path / "2020年报告[/]终稿.txt")
        elif case == "export path":
            app.ask_export(report_id)
            await pilot.pause()
            app.screen.query_one("#path").value = str(tmp_path / "报告[v2].md")  # type: ignore[attr-defined]
            await pilot.press("enter")
        else:
            with ReportStore.open(db) as store:
                data = store.load(report_id)
            data.title = "[@click=app.quit]点我[/]往年报告"
            from report.serialize import report_to_dict

            path = tmp_path / "old.json"
            path.write_text(json.dumps(report_to_dict(data), ensure_ascii=False), encoding="utf-8")
            app.import_file(path)
        await pilot.pause(0.5)
        assert app.is_running
        return [toast.render().plain for toast in app.screen.query(Toast)]


@pytest.mark.parametrize("case", ["missing file", "export path", "imported title"])
async def test_notifications_show_paths_and_titles_literally(tmp_path: Path, case: str) -> None:
    shown = "\n".join(await _notifications_after(tmp_path, case))
    expected = {
        "missing file": "[/]终稿",
        "export path": "报告[v2].md",
        "imported title": "[@click=app.quit]",
    }
    assert expected[case] in shown, shown
