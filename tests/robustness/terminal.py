"""Run the real `jixiao` in a private tmux server, type into it, read its screen, kill it.

Every ``Terminal`` uses its own tmux socket (``-L``) and no configuration file, so tests never
touch a user's tmux. The program is started with ``exec``, so the pane's process *is* jixiao
and ``kill()`` signals it directly.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pytest

from tests.cli.conftest import jixiao_executable

EXIT_MARK = "[jixiao exit "

# block elements (scrollbars) and box drawing (borders) are not part of any message
_DECORATION = re.compile(r"[\s\u2500-\u259f]")


def tmux_or_skip() -> str:
    """The tmux executable; skips the test (with the reason) where tmux is not installed."""
    found = shutil.which("tmux")
    if found is None:
        pytest.skip("tmux is not installed: the real app cannot be driven in a terminal here")
    return found


def answer_box(screen: str) -> str:
    """The text inside the answer box (the last box drawn with ▔ and ▁ borders), lines joined."""
    lines = screen.splitlines()
    tops = [n for n, line in enumerate(lines) if "▔▔▔▔" in line]
    if not tops:
        return ""
    inside = []
    for line in lines[tops[-1] + 1 :]:
        if "▁▁▁▁" in line:
            break
        inside.append(line.strip().strip("▊▎").strip())
    return "\n".join(inside).strip()


def flat(text: str) -> str:
    """Screen text without spaces, line breaks, borders and scrollbars: wrapped messages become whole."""
    return _DECORATION.sub("", text)


class Terminal:
    """One program in a detached tmux session of a fixed size."""

    def __init__(self, socket: str, name: str = "app", size: tuple[int, int] = (80, 24)) -> None:
        self.tmux = tmux_or_skip()
        self.socket = socket
        self.name = name
        self.size = size
        self.pid: int | None = None

    def _tmux(self, *args: str, check: bool = True) -> str:
        completed = subprocess.run(
            [self.tmux, "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            check=False,
            timeout=20,
        )
        if check and completed.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)} failed: {completed.stderr.strip()}")
        return completed.stdout

    def start(self, args: Sequence[str], env: Mapping[str, str], prefix: Sequence[str] = ()) -> int | None:
        """Start ``[PREFIX…] jixiao ARGS`` with ``env`` added to a UTF-8 xterm environment; its pid.

        The shell prints ``[jixiao exit N]`` when the program ends (``exit_status`` reads it).
        """
        environ = {"TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", **env}
        assignments = " ".join(f"{key}={shlex.quote(value)}" for key, value in environ.items())
        program = shlex.join([*prefix, str(jixiao_executable()), *args])
        # a shell waits for jixiao and prints its exit status: tmux 3.3 sometimes never reaps a
        # program that ends quickly, so its own "pane dead" status cannot be relied on
        command = f'env {assignments} {program}; status=$?; echo; echo "{EXIT_MARK}$status]"'
        width, height = self.size
        for attempt in range(5):
            try:
                # keep the pane after the program ends, so its last words stay readable
                self._tmux(
                    "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height), command,
                    ";", "set-option", "-t", self.name, "remain-on-exit", "on",
                )  # fmt: skip
                break
            except RuntimeError:
                # the previous session was the server's last: it may still be shutting down
                if attempt == 4:
                    raise
                time.sleep(0.2)
        shell = int(self._tmux("display-message", "-p", "-t", self.name, "#{pane_pid}").strip())
        self.pid = self._program_of(shell)
        return self.pid

    def _program_of(self, shell: int, timeout: float = 5.0) -> int | None:
        """The pid of the program the pane's shell runs (None if it already ended)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                children = Path(f"/proc/{shell}/task/{shell}/children").read_text().split()
            except OSError:
                children = []
            if children:
                return int(children[0])
            if self.exit_status() is not None:
                return None
            time.sleep(0.005)
        raise AssertionError(f"the terminal's shell {shell} started no program:\n{self.transcript()}")

    def screen(self) -> str:
        """What the terminal shows now, one line per row ("" once the program is gone)."""
        return self._tmux("capture-pane", "-p", "-t", self.name, check=False)

    def transcript(self) -> str:
        """Everything the terminal printed, scrolled-off lines included (for messages after an exit)."""
        return self._tmux("capture-pane", "-p", "-J", "-S", "-", "-E", "-", "-t", self.name, check=False)

    def type(self, text: str) -> None:
        """Type ``text`` literally (no newlines: use ``keys("Enter")``)."""
        assert "\n" not in text and "\r" not in text, "type lines one by one; Enter is a key"
        if text:
            self._tmux("send-keys", "-t", self.name, "-l", text)

    def keys(self, *keys: str) -> None:
        """Press keys by tmux name: ``Enter``, ``C-j``, ``BSpace``, ``F5`` …"""
        self._tmux("send-keys", "-t", self.name, *keys)

    def paste(self, text: str) -> None:
        """Paste ``text`` the way a terminal does (bracketed, newlines included)."""
        self._tmux("set-buffer", "-b", "robustness", "--", text)
        self._tmux("paste-buffer", "-p", "-d", "-b", "robustness", "-t", self.name)

    def resize(self, width: int, height: int) -> None:
        """Resize the terminal."""
        self._tmux("resize-window", "-t", self.name, "-x", str(width), "-y", str(height))

    def wait_for(self, found: str | Callable[[str], bool], timeout: float = 15.0) -> str:
        """Poll the screen until it shows ``found`` (compared without spaces and borders); the screen."""
        test = found if callable(found) else (lambda screen: flat(found) in flat(screen))
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if test(screen):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"not on screen after {timeout} s: {found!r}\n{screen}")
            if not self.alive():
                raise AssertionError(f"jixiao exited while waiting for {found!r}\n{screen}")
            time.sleep(0.05)

    def alive(self) -> bool:
        """Whether the program still runs."""
        return self.pid is not None and _proc_state(self.pid) not in ("gone", "Z (zombie)")

    def kill(self) -> None:
        """SIGKILL the program (no cleanup of any kind runs), then end the session."""
        if self.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            deadline = time.monotonic() + 5
            while self.alive() and time.monotonic() < deadline:
                time.sleep(0.01)
        self.close()

    def close(self) -> None:
        """End the session and its server (the program gets SIGHUP if it still runs).

        Each session gets a fresh server: tmux 3.3 does not reap a program that ends in the
        second session of a server whose first session was killed, so its exit status never shows.
        """
        self._tmux("kill-server", check=False)
        self.pid = None
        # tmux leaves the socket file of a killed server behind
        folder = Path(os.environ.get("TMUX_TMPDIR") or "/tmp") / f"tmux-{os.getuid()}"
        (folder / self.socket).unlink(missing_ok=True)

    def exit_status(self) -> int | None:
        """The program's exit status once it has ended (None while it runs)."""
        match = re.search(re.escape(EXIT_MARK) + r"(\d+)\]", self.transcript())
        return int(match.group(1)) if match else None

    def wait_for_exit(self, timeout: float = 15.0) -> int:
        """Wait until the program ends; its exit status."""
        deadline = time.monotonic() + timeout
        while (status := self.exit_status()) is None:
            if time.monotonic() > deadline:
                raise AssertionError(f"jixiao still runs after {timeout} s:\n{self.screen()}")
            time.sleep(0.05)
        return status

    def shutdown(self) -> None:
        """End this socket's tmux server (it was started by this object)."""
        self._tmux("kill-server", check=False)


def _proc_state(pid: int) -> str:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return "gone"
    match = re.search(r"^State:\s*(.*)$", status, re.MULTILINE)
    return match.group(1) if match else ""
