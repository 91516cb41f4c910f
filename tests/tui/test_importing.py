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


def test_a_workbook_of_two_forms_gives_two_outcomes(tmp_path: Path) -> None:
    from tests.report.office_files import form_xlsx, national_form, sichuan_form

    path = tmp_path / "自评表.xlsx"
    path.write_bytes(form_xlsx([("路灯", national_form()), ("水务", sichuan_form())]))
    outcome = import_report_file(path)
    assert [item.report.title for item in outcome.outcomes] == [
        "2021年度城区路灯维修项目支出绩效自评报告",
        "2019年度农村饮水安全维护项目支出绩效自评报告",
    ]
    assert all(item.recognised and item.form is not None for item in outcome.outcomes)
    assert "自评表：工作表“水务”第 1–17 行" in outcome.more[0].summary


def test_form_changes_convert_the_forms_money_to_the_reports_unit(tmp_path: Path) -> None:
    from tests.report.office_files import form_xlsx, sichuan_form
    from tui.importing import form_changes

    path = tmp_path / "元.xlsx"
    path.write_bytes(form_xlsx([("水务", sichuan_form())]))
    demo = build_demo_report()  # in 万元, with budget lines
    changes, differences = form_changes(demo, import_report_file(path), path)
    assert changes["funds.annual_budget"] == Decimal("132.912")
    assert "money_unit" not in changes
    assert "全年预算数：原报告 487.00 万元，自评表 132.91 万元" in differences


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_i_key_imports_a_workbook_of_two_forms(tmp_path: Path, size: tuple[int, int]) -> None:
    from storage.store import ReportStore
    from tests.report.office_files import form_xlsx, national_form, sichuan_form
    from tests.tui.harness import draft_screen, screen_text
    from tui.app import JixiaoApp

    path = tmp_path / "两张表.xlsx"
    path.write_bytes(form_xlsx([("路灯", national_form()), ("水务", sichuan_form())]))
    db = tmp_path / "jixiao.db"
    app = JixiaoApp(db)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        assert ".docx / .xlsx" in screen_text(app)  # the dialog says Word and Excel files are welcome
        app.screen.query_one("#path").value = str(path)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        report = draft_screen(app).session.report
        assert report.title == "2021年度城区路灯维修项目支出绩效自评报告"
        assert report.funds.annual_budget == 118 and len(report.indicators) == 7
        messages = "\n".join(n.message for n in app._notifications)
        assert (
            "文件中有 2 张自评表，另外的已导入为：#2 2019年度农村饮水安全维护项目支出绩效自评报告" in messages
        )
    with ReportStore.open(db) as store:
        assert [s.title for s in sorted(store.list_summaries(), key=lambda s: s.id)] == [
            "2021年度城区路灯维修项目支出绩效自评报告",
            "2019年度农村饮水安全维护项目支出绩效自评报告",
        ]
