"""The import and carry-over glue the home screen and the command line use (no Textual involved)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from prompts.templates import load_template
from report.demo import build_demo_report
from report.serialize import report_to_dict
from tui.importing import import_report_file, next_year_from, standard_answers
from tui.services import UserFacingError


def test_the_sample_imports_with_its_summary(sample_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "上年报告.txt"
    copy.write_bytes(sample_path.read_text(encoding="utf-8").encode("gb18030"))
    outcome = import_report_file(copy)
    assert outcome.report.funds.annual_budget == Decimal(487)
    assert "预算明细 11 行，合计 483.30 万元" in outcome.summary
    assert outcome.recognised


def test_a_json_export_imports_exactly_even_named_txt(tmp_path: Path) -> None:
    demo = build_demo_report()
    for name in ("demo.json", "demo.txt"):
        path = tmp_path / name
        path.write_text(json.dumps(report_to_dict(demo), ensure_ascii=False), encoding="utf-8")
        outcome = import_report_file(path)
        assert outcome.report == demo
        assert not outcome.recognised
        assert outcome.summary == [f"已导入 jixiao 导出的报告：{demo.title}（2020 年度）"]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (None, "找不到文件"),
        (b"", "空文件"),
        (b"PK\x03\x04\x14\x00\x06\x00\x00\x00", "另存为"),
        ("随便写的一段话，没有任何标题。".encode(), "章节标题"),
        (b'{"format": "other"}', "不是 jixiao 导出的报告"),
    ],
)
def test_bad_files_raise_one_chinese_message(tmp_path: Path, content: bytes | None, words: str) -> None:
    path = tmp_path / "报告.txt"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(UserFacingError, match=words):
        import_report_file(path)


def test_standard_answers_are_the_templates_suggested_texts() -> None:
    standard = standard_answers("eight_part")
    template = load_template("eight_part")
    assert standard["work.purpose"] == template.step("work.purpose").suggestion
    assert standard["funds.has_other"] == "没有"
    assert "overview.background" not in standard  # no standard text for a project's own description
    assert standard_answers("no_such_template") == {}


def test_next_year_from_carries_the_standard_texts() -> None:
    previous = build_demo_report()
    previous.answers["other"] = standard_answers("eight_part")["other"]
    report = next_year_from(previous, 2021)
    assert report.year == 2021 and report.title.startswith("2021年度")
    assert report.answers["other"] == previous.answers["other"]
    assert "overview.background" not in report.answers
    assert report.suggestions["answers.overview.background"] == previous.answers["overview.background"]
