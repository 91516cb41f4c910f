"""Fixtures shared with the command-line tests: the installed `jixiao` run in a subprocess on real files."""

from __future__ import annotations

from tests.cli.conftest import db, demo_db, demo_template, log_dir, run

__all__ = ["db", "demo_db", "demo_template", "log_dir", "run"]
