"""`jixiao import` of Word and Excel files: several at once, a form into an existing report, bad files."""

from __future__ import annotations

import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import pytest

from tests.cli.conftest import Run, assert_one_chinese_error
from tests.report.office_files import (
    docx_bytes,
    form_docx,
    form_xlsx,
    national_form,
    older_form,
    sichuan_form,
)


def _exported(run: Run, report: str) -> dict[str, object]:
    result = run("export", report, "--format", "json", "-o", "-")
    assert result.code == 0, result.err
    payload: dict[str, object] = json.loads(result.out)
    return payload


def test_several_files_at_once_each_imported_and_one_failure_said(run: Run, tmp_path: Path) -> None:
    (tmp_path / "两个项目.xlsx").write_bytes(form_xlsx([("路灯", national_form()), ("水务", sichuan_form())]))
    (tmp_path / "老年中心.docx").write_bytes(form_docx(older_form()))
    (tmp_path / "旧表.xls").write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600 + "Workbook".encode("utf-16-le")
    )
    result = run("import", "两个项目.xlsx", "旧表.xls", "老年中心.docx")
    assert result.code == 2
    line = assert_one_chinese_error(result.__class__(2, "", result.err))
    assert "旧表.xls" in line and "旧版 Excel 文件（.xls）" in line and "另存为 .xlsx" in line
    out = result.out
    assert (
        "两个项目.xlsx 中有 2 张自评表，已导入为 2 份报告：#1 2021年度城区路灯维修项目支出绩效自评报告、#2 2019年度农村饮水安全维护项目支出绩效自评报告"
        in out
    )
    assert "已导入为报告 #3：老年活动中心运行经费绩效自评报告（2018）" in out
    assert "自评表：工作表“水务”第 1–17 行" in out
    assert "共 3 个文件：导入 2 个，失败 1 个" in out
    listed = run("list").out
    assert all(title in listed for title in ("城区路灯维修", "农村饮水安全维护", "老年活动中心"))
    water = _exported(run, "2")
    assert water["money_unit"] == "元"
    assert Decimal(str(water["funds"]["annual_budget"])) == 1329120  # type: ignore[index]


def test_a_form_into_an_existing_report_is_one_change_and_undoable(
    run: Run, demo_db: Path, tmp_path: Path
) -> None:
    before = _exported(run, "1")
    (tmp_path / "自评表.xlsx").write_bytes(form_xlsx([("自评表", national_form())]))
    result = run("import", "自评表.xlsx", "--into", "1")
    assert result.code == 0, result.err
    assert "（一次修改，可用 jixiao undo 1 撤销）" in result.out
    assert "  · 全年预算数：原报告 487.00 万元，自评表 118.00 万元" in result.out
    after = _exported(run, "1")
    assert after["title"] == before["title"]  # only the figures change
    assert after["answers"] == before["answers"]
    assert Decimal(str(after["funds"]["annual_budget"])) == 118  # type: ignore[index]
    assert len(after["indicators"]) == 7  # type: ignore[arg-type]
    assert str(after["claimed_total"]) == "97.03"
    revisions = {line.split()[0] for line in run("history", "1", "-n", "50").out.splitlines()[2:]}
    assert revisions == {"2"}  # every changed figure in the one revision
    undone = run("undo", "1")
    assert undone.code == 0 and undone.out.startswith("已撤销：")
    restored = _exported(run, "1")
    assert restored["funds"] == before["funds"] and restored["indicators"] == before["indicators"]
    assert restored["claimed_total"] == before["claimed_total"]


def test_into_refuses_a_file_without_a_form_and_several_files(
    run: Run, demo_db: Path, tmp_path: Path
) -> None:
    document = docx.Document()
    for line in ("项目支出绩效自评报告", "一、基本情况", "（一）项目概况", "本项目全年预算100万元。"):
        document.add_paragraph(line)
    (tmp_path / "报告.docx").write_bytes(docx_bytes(document))
    line = assert_one_chinese_error(run("import", "报告.docx", "--into", "1"))
    assert "没有自评表" in line
    (tmp_path / "a.xlsx").write_bytes(form_xlsx([("表", national_form())]))
    assert "一次只能导入一个文件" in assert_one_chinese_error(
        run("import", "a.xlsx", "报告.docx", "--into", "1")
    )
    assert run("history", "1").out.startswith("报告 #1 还没有修改记录")


def _docx_with(part: str, content: bytes) -> bytes:
    document = docx.Document()
    document.add_paragraph("正文")
    source = zipfile.ZipFile(io.BytesIO(docx_bytes(document)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != part:
                target.writestr(info, source.read(info.filename))
        target.writestr(part, content)
    return out.getvalue()


_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600 + "WordDocument".encode("utf-16-le")
_LOCKED = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600 + "EncryptionInfo".encode("utf-16-le")
_ENTITY = (
    b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
    b"<w:t>&b;</w:t></w:r></w:p></w:body></w:document>"
)


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("旧报告.doc", lambda: _DOC, "另存为 .docx"),
        ("加密.docx", lambda: _LOCKED, "设置了打开密码"),
        ("坏了.docx", lambda: form_docx(national_form())[:3000], "已损坏"),
        (
            "宏.docm",
            lambda: _docx_with("word/vbaProject.bin", b"\0" * 32),
            "从不运行宏",
        ),
        ("炸弹.docx", lambda: _docx_with("word/media/x.bin", b"\0" * 3_000_000), "压缩炸弹"),
        ("实体.docx", lambda: _docx_with("word/document.xml", _ENTITY), "实体声明"),
    ],
)
def test_bad_office_files_are_one_chinese_line_and_nothing_is_stored(
    run: Run, db: Path, tmp_path: Path, name: str, content: object, words: str
) -> None:
    assert callable(content)
    (tmp_path / name).write_bytes(content())
    line = assert_one_chinese_error(run("import", name))
    assert words in line and name in line
    assert not db.exists()  # nothing stored, not even an empty database


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_export_then_import_gives_the_same_figures(run: Run, demo_db: Path, kind: str) -> None:
    pytest.importorskip(f"report.writers.{kind}")
    assert run("export", "1", "--format", kind, "-o", f"demo.{kind}").code == 0
    imported = run("import", f"demo.{kind}")
    assert imported.code == 0, imported.err
    assert imported.out.startswith("已导入为报告 #2：")
    demo, back = _exported(run, "1"), _exported(run, "2")
    for name in ("initial_budget", "annual_budget", "actual_spent", "fiscal_current"):
        assert Decimal(str(back["funds"][name])) == Decimal(str(demo["funds"][name])), name  # type: ignore[index]
    fields = ("name", "level2", "target", "unit", "actual", "weight")
    assert [{f: row.get(f) for f in fields} for row in back["indicators"]] == [  # type: ignore[attr-defined, union-attr]
        {f: row.get(f) for f in fields}
        for row in demo["indicators"]  # type: ignore[attr-defined, union-attr]
    ]
    if kind == "docx":
        assert [line["amount"] for line in back["budget_lines"]] == [  # type: ignore[index, union-attr]
            line["amount"]
            for line in demo["budget_lines"]  # type: ignore[index, union-attr]
        ]
        assert Decimal(str(back["claimed_total"])) == Decimal(str(demo["claimed_total"])) == 100


def test_a_text_report_imports_beside_office_files(run: Run, tmp_path: Path) -> None:
    (tmp_path / "往年.txt").write_text(
        "2019年度东湖区路灯维修项目支出绩效自评报告\n一、基本情况\n（一）项目概况\n全年预算80万元。\n"
        "五、综合评价情况及评价结论\n综合评分92分。\n",
        encoding="utf-8",
    )
    (tmp_path / "今年.xlsx").write_bytes(form_xlsx([("自评表", national_form())]))
    result = run("import", "往年.txt", "今年.xlsx")
    assert result.code == 0, result.err
    assert "【往年.txt】" in result.out and "【今年.xlsx】" in result.out
    assert "共 2 个文件：导入 2 个，失败 0 个" in result.out
    assert json.loads(run("export", "1", "--format", "json", "-o", "-").out)["funds"]["annual_budget"] == "80"
