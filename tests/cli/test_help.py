"""`--help` speaks Chinese for every verb; `--version`; usage errors are one Chinese line."""

from __future__ import annotations

import re
from importlib.metadata import version

import pytest
from wcwidth import wcswidth

from tests.cli.conftest import Run, assert_one_chinese_error

VERB_PHRASES = {
    "": "项目支出绩效（自）评价报告的终端助手",
    "open": "打开一份报告继续填写",
    "new": "新建一份报告",
    "list": "列出数据库中的报告",
    "check": "有错误时退出码为 1",
    "export": "导出报告：Markdown、Word（公文格式）、Excel（自评表）或 JSON",
    "import": "导入报告",
    "history": "查看报告的修改记录",
    "undo": "撤销你对报告最近的一次修改",
    "demo": "示例报告",
}


@pytest.mark.parametrize("verb", sorted(VERB_PHRASES))
def test_help_is_chinese_for_every_verb(run: Run, verb: str) -> None:
    result = run(*([verb] if verb else []), "--help")
    assert result.code == 0 and result.err == "", result
    assert result.out.startswith(f"用法：jixiao{' ' + verb if verb else ''}")
    assert VERB_PHRASES[verb] in result.out
    assert "显示本帮助并退出" in result.out
    for english in ("usage:", "options:", "positional arguments", "show this help"):
        assert english not in result.out


@pytest.mark.parametrize("verb", ["new", "export", "history"])
def test_help_texts_start_in_one_column_despite_wide_chinese_names(run: Run, verb: str) -> None:
    columns = set()
    for line in run(verb, "--help").out.splitlines():
        match = re.match(r"^  -\S.*?\s{2,}(?=\S)", line)
        if match:
            columns.add(wcswidth(match.group(0)))
    assert len(columns) == 1, run(verb, "--help").out


def test_version_prints_the_installed_version(run: Run) -> None:
    result = run("--version")
    assert (result.code, result.out, result.err) == (0, f"jixiao {version('jixiao')}\n", "")


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (["nosuchverb"], "jixiao --help"),
        (["list", "extra"], "jixiao list --help"),
        (["check"], "jixiao check --help"),
        (["check", "1", "--format", "xml"], "jixiao check --help"),
        (["history", "1", "-n", "abc"], "jixiao history --help"),
        (["history", "1", "-n", "-5"], "jixiao history --help"),
        (["export", "1", "--fo", "md"], "jixiao export --help"),
    ],
)
def test_usage_errors_are_one_chinese_line_with_where_to_look(run: Run, args: list[str], hint: str) -> None:
    line = assert_one_chinese_error(run(*args))
    assert f"（用 {hint} 查看用法）" in line
    for english in ("invalid", "choose from", "argument", "ambiguous", "expected", "required"):
        assert english not in line
