"""`check` and `export` start without Textual, and a closed pipe is not an error to shout about."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import REPO, jixiao_executable

WRAPPER = """
import contextlib, io, sys
sys.argv = ["jixiao", *sys.argv[1:]]
from tui.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main()
print(code, sorted({m.split(".")[0] for m in sys.modules} & {"textual", "rich"}))
"""


@pytest.mark.parametrize("verb", [["check", "1"], ["export", "1", "-o", "-"], ["list"], ["history", "1"]])
def test_reading_verbs_never_import_textual(demo_db: Path, verb: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-c", WRAPPER, *verb, "--db", str(demo_db)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    code, loaded = result.stdout.split(" ", 1)
    assert code in {"0", "1"}, result.stderr
    assert loaded.strip() == "[]"


def test_a_reader_that_stops_early_gets_no_error_message(demo_db: Path, tmp_path: Path) -> None:
    process = subprocess.Popen(
        [str(jixiao_executable()), "export", "1", "-o", "-", "--db", str(demo_db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={"JIXIAO_LOG_DIR": str(tmp_path / "logs"), "PATH": "/usr/bin:/bin"},
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # like `| head -0`: the reader is gone before jixiao writes
    err = process.stderr.read()
    process.wait(timeout=30)
    assert err == b""
    assert not (tmp_path / "logs").exists()
