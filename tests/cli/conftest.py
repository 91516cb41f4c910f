"""Fixtures for the command-line tests: the installed `jixiao` run in a subprocess on real files."""

from __future__ import annotations

import os
import re
import select
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u4e00-\u9fff]")
SHORT_BUSY_MS = "200"


def jixiao_executable() -> Path:
    """The console script installed next to this interpreter (or on PATH)."""
    beside = Path(sys.executable).parent / "jixiao"
    if beside.exists():
        return beside
    found = shutil.which("jixiao")
    if found is None:
        pytest.skip("the jixiao console script is not installed (pip install -e .)")
    return Path(found)


@dataclass(frozen=True)
class Result:
    """What a user sees from one run: exit code, standard output and standard error."""

    code: int
    out: str
    err: str

    @property
    def everything(self) -> str:
        """stdout and stderr together, for assertions that must hold on both."""
        return self.out + self.err


Run = Callable[..., Result]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """The database file the commands use (not created yet)."""
    return tmp_path / "data" / "jixiao.db"


@pytest.fixture
def log_dir(tmp_path: Path) -> Path:
    """Where crash logs would go; a test fails if one appears (an unexpected exception)."""
    return tmp_path / "logs"


@pytest.fixture
def run(db: Path, log_dir: Path, tmp_path: Path) -> Iterator[Run]:
    """Run ``jixiao ARGS`` in tmp_path on ``db`` (via JIXIAO_DB) and return a ``Result``.

    Keyword arguments: ``env`` (extra variables; a None value removes one), ``cwd``, ``input``
    (stdin text; default: no stdin at all), ``prefix`` (a command to run jixiao under).
    """
    executable = str(jixiao_executable())

    def _run(
        *args: str,
        env: dict[str, str | None] | None = None,
        cwd: Path | None = None,
        input: str | None = None,
        prefix: list[str] | None = None,
    ) -> Result:
        environ = dict(os.environ)
        environ.update({"JIXIAO_DB": str(db), "JIXIAO_LOG_DIR": str(log_dir), "LC_ALL": "C.UTF-8"})
        for key, value in (env or {}).items():
            if value is None:
                environ.pop(key, None)
            else:
                environ[key] = value
        completed = subprocess.run(
            [*(prefix or []), executable, *args],
            input=input,
            stdin=None if input is not None else subprocess.DEVNULL,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=environ,
            cwd=cwd or tmp_path,
            timeout=60,
            check=False,
        )
        return Result(completed.returncode, completed.stdout, completed.stderr)

    yield _run
    crashes = sorted(log_dir.glob("crash-*.log")) if log_dir.exists() else []
    assert not crashes, "an unexpected exception reached the last guard:\n" + crashes[0].read_text()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding only the demo report (#1), made once by `jixiao demo --no-open`."""
    folder = tmp_path_factory.mktemp("demo")
    path = folder / "demo.db"
    environ = {**os.environ, "JIXIAO_DB": str(path), "JIXIAO_LOG_DIR": str(folder / "logs")}
    completed = subprocess.run(
        [str(jixiao_executable()), "demo", "--no-open"],
        capture_output=True,
        text=True,
        env=environ,
        stdin=subprocess.DEVNULL,
        check=False,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == "1\n"
    assert not path.with_name(path.name + "-wal").exists()  # everything is in the one file we copy
    return path


@pytest.fixture
def demo_db(demo_template: Path, db: Path) -> Path:
    """A private copy of the demo database at ``db``; the demo report is #1."""
    db.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(demo_template, db)
    db.chmod(0o600)
    return db


def assert_one_chinese_error(result: Result) -> str:
    """Exit 2, exactly one Chinese line on stderr, no traceback anywhere; returns that line."""
    assert result.code == 2, result
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("jixiao："), lines[0]
    assert CJK.search(lines[0]), lines[0]
    assert "Traceback" not in result.everything
    assert "Error" not in result.err, lines[0]  # no Python exception names leak through
    return lines[0]


def without_root_override() -> list[str]:
    """A command prefix under which file permissions bind, even for root; skip if impossible."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    caps = "-dac_override,-dac_read_search"
    if setpriv is None or subprocess.run([setpriv, f"--bounding-set={caps}", "true"], check=False).returncode:
        pytest.skip(
            "running as root, which ignores file permissions, and setpriv cannot drop that power here"
        )
    return [setpriv, f"--bounding-set={caps}", f"--inh-caps={caps}"]


def converse(args: list[str], answers: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run jixiao on a pseudo-terminal, typing each answer after the next prompt (a full-width colon)."""
    master, slave = os.openpty()
    process = subprocess.Popen(
        [str(jixiao_executable()), *args], stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True
    )
    os.close(slave)
    seen = b""
    deadline = time.monotonic() + 20
    pending = list(answers)
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(master, 4096)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                seen += chunk
                if pending and seen.rstrip().endswith("：".encode()):
                    os.write(master, pending.pop(0).encode() + b"\n")
            elif process.poll() is not None:
                break
        code = process.wait(timeout=20)
    finally:
        os.close(master)
    return code, seen.decode("utf-8", errors="replace")
