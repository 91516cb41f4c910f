"""Reading Word and Excel files safely: what is refused (one Chinese line each) and what is ignored.

Every file is made here: a python-docx or openpyxl file, rewritten where a test needs a part
that no library writes on purpose (a DTD, a macro project, a zip bomb).
"""

from __future__ import annotations

import io
import zipfile

import docx
import openpyxl
import pytest

from report.importer.structure import DocParagraph, DocTable
from storage import office
from storage.office import OfficeFileError, read_office
from tests.report.office_files import docx_bytes, form_xlsx, national_form


def _docx(*lines: str) -> bytes:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    return docx_bytes(document)


def _rewrite(data: bytes, replace: dict[str, bytes], *, drop: tuple[str, ...] = ()) -> bytes:
    """The package with some parts replaced or added (and some dropped)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename in drop or info.filename in replace:
                continue
            target.writestr(info, source.read(info.filename))
        for name, content in replace.items():
            target.writestr(name, content)
    return out.getvalue()


def _ole2(*streams: str) -> bytes:
    """The start of an OLE2 compound file naming the given streams in its directory."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    return header + b"".join(name.encode("utf-16-le") + b"\0\0" for name in streams) + b"\0" * 512


def _refused(data: bytes) -> str:
    with pytest.raises(OfficeFileError) as caught:
        read_office(data, "上报.docx")
    message = caught.value.message
    assert "\n" not in message and "上报.docx" in message
    return message


# --- what is read -----------------------------------------------------------------------------


def test_a_docx_body_in_document_order_with_merged_cells_resolved() -> None:
    document = docx.Document()
    document.add_paragraph("第一段")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).text = "一级"
    table.cell(0, 0).merge(table.cell(2, 0))
    table.cell(0, 1).text = "横跨两列"
    table.cell(0, 1).merge(table.cell(0, 2))
    table.cell(1, 1).text = "第一行\n第二行"
    document.add_paragraph("第二段")
    content = read_office(docx_bytes(document))
    assert content.kind == "docx"
    first, grid_block, last = content.body
    assert isinstance(first, DocParagraph) and first.text == "第一段" and first.index == 1
    assert isinstance(last, DocParagraph) and last.index == 2
    assert isinstance(grid_block, DocTable) and grid_block.after_paragraph == 1
    grid = grid_block.grid
    assert [row[0] for row in grid.rows] == ["一级", "一级", "一级"]  # vMerge: the value in every row
    assert grid.rows[0][1:] == ("横跨两列", "横跨两列")  # gridSpan
    assert grid.rows[1][1] == "第一行\n第二行"
    assert {(1, 0), (2, 0), (0, 2)} <= grid.copies and (0, 0) not in grid.copies


def test_xlsx_numbers_are_exact_decimals_and_percent_cells_read_as_percent() -> None:
    content = read_office(form_xlsx([("自评表", national_form(money=(120, 118, 110.5)))]))
    (sheet,) = content.sheets
    assert sheet.name == "自评表"
    row = next(row for row in sheet.grid.rows if row[1] == "年度资金总额")
    assert [str(cell) for cell in row[3:6]] == ["120", "118", "110.5"]
    book = openpyxl.Workbook()
    book.active["A1"] = 0.9924
    book.active["A1"].number_format = "0.00%"
    book.active["A2"] = 483.3
    out = io.BytesIO()
    book.save(out)
    grid = read_office(out.getvalue()).sheets[0].grid
    assert grid.text(0, 0) == "99.24%" and grid.text(1, 0) == "483.3"


def test_openpyxl_parses_with_defusedxml() -> None:
    import openpyxl as library

    assert library.DEFUSEDXML is True


# --- what is refused ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("streams", "words"),
    [
        (("WordDocument",), "旧版 Word 文件（.doc）"),
        (("Workbook",), "旧版 Excel 文件（.xls）"),
        (("EncryptionInfo", "EncryptedPackage"), "设置了打开密码"),
        ((), "旧版 Office 二进制文件"),
    ],
)
def test_old_binary_and_password_protected_files_say_what_to_do(streams: tuple[str, ...], words: str) -> None:
    message = _refused(_ole2(*streams))
    assert words in message
    assert "另存为" in message or "取消密码" in message


def test_a_damaged_zip_is_refused() -> None:
    data = _docx("正文")
    assert "已损坏" in _refused(data[: len(data) // 2])
    assert "已损坏" in _refused(b"PK\x03\x04\x14\x00\x06\x00\x00\x00")


def test_macro_enabled_files_are_refused_and_never_run() -> None:
    data = _docx("正文")
    types = zipfile.ZipFile(io.BytesIO(data)).read("[Content_Types].xml").decode()
    docm = types.replace(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml",
    )
    assert "含有宏" in _refused(_rewrite(data, {"[Content_Types].xml": docm.encode()}))
    assert "含有宏" in _refused(_rewrite(data, {"word/vbaProject.bin": b"\0" * 64}))


def test_a_zip_bomb_is_refused_before_it_is_inflated() -> None:
    bomb = _rewrite(_docx("正文"), {"word/media/filler.bin": b"\0" * (4 * 1024 * 1024)})
    assert "压缩炸弹" in _refused(bomb)


def test_an_oversized_part_and_too_many_parts_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    data = _rewrite(_docx("正文"), {"word/media/photo.bin": os.urandom(1_000_000)})
    monkeypatch.setattr(office, "MAX_MEMBER_BYTES", 500_000)
    assert "超过" in _refused(data) and "word/media/photo.bin" in _refused(data)
    monkeypatch.setattr(office, "MAX_MEMBER_BYTES", 64 * 1024 * 1024)
    monkeypatch.setattr(office, "MAX_TOTAL_BYTES", 1_200_000)
    assert "解压后共" in _refused(data)
    monkeypatch.setattr(office, "MAX_TOTAL_BYTES", 256 * 1024 * 1024)
    monkeypatch.setattr(office, "MAX_MEMBERS", 5)
    assert "部件" in _refused(data)


_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "哈哈哈哈哈哈哈哈哈哈">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
    + ']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>&i;</w:t></w:r></w:p></w:body></w:document>"
)
_EXTERNAL = (
    '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>&secret;</w:t></w:r></w:p></w:body></w:document>"
)


@pytest.mark.parametrize("xml", [_LAUGHS, _EXTERNAL], ids=["billion-laughs", "external-entity"])
def test_xml_entity_tricks_are_never_expanded(xml: str, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _rewrite(_docx("正文"), {"word/document.xml": xml.encode()})
    assert "实体声明" in _refused(data)
    # and were the quick scan fooled, defusedxml still refuses to parse it
    monkeypatch.setattr(office, "_declares_dtd", lambda _data: False)
    assert "实体声明" in _refused(data)


def test_an_entity_trick_in_a_workbook_part_is_refused() -> None:
    data = form_xlsx([("表", national_form())])
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    doctype = '<!DOCTYPE x [<!ENTITY e SYSTEM "http://example.invalid/x">]>'
    head, mark, rest = sheet.partition("?>")
    tricked = head + mark + doctype + rest if mark else doctype + sheet
    assert "实体声明" in _refused(_rewrite(data, {"xl/worksheets/sheet1.xml": tricked.encode()}))


def test_other_zip_files_are_not_taken_for_office_files() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "是压缩包" in _refused(out.getvalue())


# --- what is ignored ----------------------------------------------------------------------------


def test_embedded_objects_and_external_links_are_ignored_and_said() -> None:
    data = _docx("正文一段")
    rels = zipfile.ZipFile(io.BytesIO(data)).read("word/_rels/document.xml.rels").decode()
    linked = rels.replace(
        "</Relationships>",
        '<Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'attachedTemplate" Target="http://example.invalid/template.dotm" TargetMode="External"/>'
        '<Relationship Id="rIdH" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'hyperlink" Target="https://www.mof.gov.cn/" TargetMode="External"/></Relationships>',
    )
    package = _rewrite(
        data,
        {"word/_rels/document.xml.rels": linked.encode(), "word/embeddings/oleObject1.bin": b"\1" * 100},
    )
    content = read_office(package)
    assert [block.text for block in content.body if isinstance(block, DocParagraph)] == ["正文一段"]
    assert content.ignored == (
        "已忽略 1 个嵌入对象（未打开、未运行）",
        "已忽略 1 个外部链接（未访问、未更新）",
    )


def test_a_macro_enabled_workbook_is_refused() -> None:
    data = form_xlsx([("表", national_form())])
    types = zipfile.ZipFile(io.BytesIO(data)).read("[Content_Types].xml").decode()
    xlsm = types.replace(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    assert xlsm != types
    assert ".xlsm" in _refused(_rewrite(data, {"[Content_Types].xml": xlsm.encode()}))


def test_elements_nested_thousands_deep_are_a_damaged_file_not_a_crash() -> None:
    deep = "<w:sdt><w:sdtContent>" * 5000 + "</w:sdtContent></w:sdt>" * 5000
    xml = (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        f"{deep}</w:body></w:document>"
    )
    assert "已损坏" in _refused(_rewrite(_docx("正文"), {"word/document.xml": xml.encode()}))
