"""The layers stay clean: report and prompts load neither Textual nor sqlite-utils; storage no Textual."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def _modules_after(statement: str) -> set[str]:
    code = f"import sys, json; {statement}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(json.loads(out))


@pytest.mark.parametrize("package", ["report", "prompts"])
def test_domain_and_prompts_load_no_ui_and_no_database(package: str) -> None:
    modules = _modules_after(
        f"import {package}, pkgutil, importlib; "
        f"[importlib.import_module(m.name) for m in pkgutil.walk_packages({package}.__path__, '{package}.')]"
    )
    assert not {m for m in modules if m.split(".")[0] in {"textual", "sqlite_utils", "sqlite3"}}


def test_storage_loads_no_textual() -> None:
    modules = _modules_after(
        "import storage, pkgutil, importlib; "
        "[importlib.import_module(m.name) for m in pkgutil.walk_packages(storage.__path__, 'storage.')]"
    )
    assert not {m for m in modules if m.split(".")[0] == "textual"}
