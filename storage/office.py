"""Word and Excel files read safely into plain data (``report.importer.structure``).

Given the bytes ``storage.files.read_user_file`` returned, ``read_office`` decides by content
(never by the file name) what the file is and refuses what jixiao will not open:

* an old binary .doc/.xls (OLE2), or a password-protected .docx/.xlsx (also OLE2 inside:
  told apart by its ``EncryptionInfo`` stream);
* a macro-enabled file (.docm/.xlsm, or any ``vbaProject`` part): macros are never run;
* a zip bomb: the central directory is checked before anything is decompressed — member
  count, each member's size, the total size and the compression ratio (``zipfile`` then never
  inflates a member past the size it declared);
* XML entity tricks: a part holding a DTD (``<!DOCTYPE``/``<!ENTITY``) is refused before it is
  parsed, and every part is parsed with defusedxml, which expands no entity and fetches nothing
  (openpyxl uses defusedxml by itself when it is installed, and so it is);
* anything else that is not a Word document or workbook, or is damaged.

Embedded objects, external links and attached templates are never opened or fetched; the
result lists them in ``ignored`` so the import summary can say so. Every refusal is an
``OfficeFileError`` with one Chinese line. python-docx is not needed: the body is read from
WordprocessingML directly, so its numbering and merged cells come out as Word shows them.
openpyxl and defusedxml are imported inside the functions that use them.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from report.importer.structure import DocParagraph, DocTable, Grid, GridCell, OfficeContent, Sheet
from storage.errors import StorageError

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

MAX_MEMBERS = 2000
"""A .docx has ~20 parts, a big workbook a few hundred: more is not an Office file we read."""
MAX_MEMBER_BYTES = 64 * 1024 * 1024
"""The largest part, uncompressed (a 500-page report's document.xml is ~20 MB)."""
MAX_TOTAL_BYTES = 256 * 1024 * 1024
"""All parts together, uncompressed, as the central directory declares them."""
MAX_RATIO = 200
"""A part larger than ``RATIO_FLOOR`` that inflates more than this many times is a bomb."""
RATIO_FLOOR = 1024 * 1024
MAX_SHEET_ROWS = 5000
"""Rows read per worksheet: a 自评表 has a few dozen; a data dump is not a form."""
MAX_SHEET_COLUMNS = 60

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

_WORD_MAIN = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
)
_EXCEL_MAIN = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
)
_MACRO_TYPES = ("macroenabled", "vbaproject", "activex")
_SAVE_DOCX = "请在 Word 或 WPS 中打开，另存为 .docx（Word 文档）后再导入"
_SAVE_XLSX = "请在 Excel 或 WPS 中打开，另存为 .xlsx（Excel 工作簿）后再导入"
_SAVE_EITHER = "请在 Word/Excel 或 WPS 中打开，另存为 .docx 或 .xlsx 后再导入"


class OfficeFileError(StorageError):
    """A Word or Excel file jixiao will not read; ``message`` says why and what to do, in one line."""


def is_office_file(data: bytes) -> bool:
    """Whether the bytes are a zip package or an OLE2 compound file (what Word and Excel save)."""
    return data.startswith((_ZIP_MAGIC, _OLE2_MAGIC))


def read_office(data: bytes, name: str = "文件") -> OfficeContent:
    """A .docx's body or an .xlsx's sheets as plain data; ``OfficeFileError`` for anything refused.

    ``name`` (the path as the user gave it) only goes into the messages.
    """
    if data.startswith(_OLE2_MAGIC):
        raise _ole2_error(data, name)
    if not data.startswith(_ZIP_MAGIC):
        raise OfficeFileError(f"{name} 不是 Word（.docx）或 Excel（.xlsx）文件：{_SAVE_EITHER}")
    package = _Package(data, name)
    main_type, main_part = package.main_part()
    try:
        if main_type in _WORD_MAIN:
            return _read_docx(package, main_part)
        if main_type in _EXCEL_MAIN:
            return _read_xlsx(package, data)
    except RecursionError as error:  # elements nested thousands deep: no document Word writes
        raise OfficeFileError(package.corrupt) from error
    kind = "PowerPoint 演示文稿" if "presentationml" in main_type else "Word 文档或 Excel 工作簿"
    raise OfficeFileError(f"{name} 不是 Word 文档或 Excel 工作簿（是{kind}）：{_SAVE_EITHER}")


def _ole2_error(data: bytes, name: str) -> OfficeFileError:
    def holds(stream: str) -> bool:
        return stream.encode("utf-16-le") in data

    if holds("EncryptionInfo") or holds("EncryptedPackage"):
        return OfficeFileError(
            f"{name} 设置了打开密码（已加密），无法读取：请在 Word/Excel 或 WPS 中取消密码后另存，再导入"
        )
    if holds("WordDocument"):
        return OfficeFileError(f"{name} 是旧版 Word 文件（.doc），无法直接读取：{_SAVE_DOCX}")
    if holds("Workbook") or holds("Book"):
        return OfficeFileError(f"{name} 是旧版 Excel 文件（.xls），无法直接读取：{_SAVE_XLSX}")
    return OfficeFileError(
        f"{name} 是旧版 Office 二进制文件（.doc/.xls）或设置了密码的文件，无法读取：{_SAVE_EITHER}（有密码的请先取消密码）"
    )


# ---- the zip package, bounded before anything is inflated ----------------------------------


class _Package:
    """A zip package whose central directory passed the size checks; parts read by name."""

    def __init__(self, data: bytes, name: str) -> None:
        self.name = name
        self.corrupt = f"{name} 已损坏或不是完整的 Word/Excel 文件，无法读取：{_SAVE_EITHER}"
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
            raise OfficeFileError(self.corrupt) from error
        if len(infos) > MAX_MEMBERS:
            raise OfficeFileError(f"{name} 含有 {len(infos)} 个部件，超过 {MAX_MEMBERS} 个的上限，已拒绝读取")
        total = 0
        names: set[str] = set()
        for info in infos:
            if info.filename in names:
                raise OfficeFileError(self.corrupt)
            names.add(info.filename)
            if info.flag_bits & 0x1:
                raise OfficeFileError(f"{name} 的内容已加密，无法读取：请先取消密码后另存，再导入")
            if info.file_size > MAX_MEMBER_BYTES:
                raise OfficeFileError(
                    f"{name} 中的部件 {info.filename} 解压后有 {_size(info.file_size)}，"
                    f"超过 {_size(MAX_MEMBER_BYTES)} 的上限（可能是“压缩炸弹”），已拒绝读取"
                )
            if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise OfficeFileError(
                    f"{name} 中的部件 {info.filename} 压缩比异常（{info.file_size // max(info.compress_size, 1)} 倍，"
                    "可能是“压缩炸弹”），已拒绝读取"
                )
            total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise OfficeFileError(
                f"{name} 解压后共 {_size(total)}，超过 {_size(MAX_TOTAL_BYTES)} 的上限"
                "（可能是“压缩炸弹”），已拒绝读取"
            )
        self.names = names
        lowered = [entry.lower() for entry in names]
        if any(entry.endswith("vbaproject.bin") for entry in lowered):
            raise _macro_error(name)

    def read(self, part: str) -> bytes | None:
        """A part's bytes (None when absent), refused when it declares a DTD or entities."""
        if part not in self.names:
            return None
        try:
            data = self.zip.read(part)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as error:
            raise OfficeFileError(self.corrupt) from error
        if _declares_dtd(data):
            raise OfficeFileError(
                f"{self.name} 的 {part} 含有 XML 实体声明（DOCTYPE/ENTITY），可能是恶意构造的文件，已拒绝读取："
                "请用 Word/Excel 重新保存后再导入"
            )
        return data

    def xml(self, part: str) -> Element | None:
        """A part parsed with defusedxml (no DTD, no entities, no network); None when absent."""
        data = self.read(part)
        if data is None:
            return None
        return _parse(data, self.name, self.corrupt)

    def main_part(self) -> tuple[str, str]:
        """The content type and the name of the package's main part; macro-enabled types refused."""
        types = self.xml("[Content_Types].xml")
        if types is None:
            raise OfficeFileError(f"{self.name} 是压缩包，不是 Word 文档或 Excel 工作簿：{_SAVE_EITHER}")
        found: tuple[str, str] | None = None
        for override in types.iter(f"{_CT}Override"):
            content_type = (override.get("ContentType") or "").strip()
            part = (override.get("PartName") or "").lstrip("/")
            lowered = content_type.lower()
            if any(word in lowered for word in _MACRO_TYPES):
                raise _macro_error(self.name)
            if found is None and lowered.endswith(".main+xml") and "ml." in lowered:
                found = (content_type, part)
        for default in types.iter(f"{_CT}Default"):
            if any(word in (default.get("ContentType") or "").lower() for word in _MACRO_TYPES):
                raise _macro_error(self.name)
        if found is None or found[1] not in self.names:
            raise OfficeFileError(
                f"{self.name} 不是 Word 文档或 Excel 工作簿（找不到正文部件）：{_SAVE_EITHER}"
            )
        return found

    def relationships(self, part: str) -> list[tuple[str, str, str, bool]]:
        """(id, type, resolved target, external) of a part's relationships."""
        folder, base = posixpath.split(part)
        rels = self.xml(posixpath.join(folder, "_rels", base + ".rels"))
        if rels is None:
            return []
        found = []
        for rel in rels.iter(f"{_REL}Relationship"):
            target = rel.get("Target") or ""
            external = (rel.get("TargetMode") or "") == "External"
            resolved = target if external else posixpath.normpath(posixpath.join(folder, target)).lstrip("/")
            if target.startswith("/"):
                resolved = target.lstrip("/")
            found.append((rel.get("Id") or "", rel.get("Type") or "", resolved, external))
        return found

    def ignored(self) -> tuple[str, ...]:
        """What the import leaves alone: embedded objects and external links, in Chinese."""
        embedded = sum(
            1
            for entry in self.names
            if "/embeddings/" in entry.lower()
            or "/activex/" in entry.lower()
            or entry.lower().endswith(".bin")
        )
        external = 0
        for entry in self.names:
            if not entry.endswith(".rels"):
                continue
            rels = self.xml(entry)
            if rels is None:
                continue
            for rel in rels.iter(f"{_REL}Relationship"):
                if rel.get("TargetMode") == "External" and not (rel.get("Type") or "").endswith("/hyperlink"):
                    external += 1
        external += sum(
            1 for entry in self.names if entry.lower().startswith("xl/externallinks/externallink")
        )
        notes = []
        if embedded:
            notes.append(f"已忽略 {embedded} 个嵌入对象（未打开、未运行）")
        if external:
            notes.append(f"已忽略 {external} 个外部链接（未访问、未更新）")
        return tuple(notes)


def _size(count: int) -> str:
    return f"{count / 1024 / 1024:.0f} MB" if count >= 1024 * 1024 else f"{count / 1024:.0f} KB"


def _macro_error(name: str) -> OfficeFileError:
    return OfficeFileError(
        f"{name} 是含有宏的文件（.docm/.xlsm）：jixiao 从不运行宏，不导入此类文件；"
        "请在 Word/Excel 中另存为不含宏的 .docx 或 .xlsx 后再导入"
    )


_DTD_MARKS = tuple(
    mark.encode(encoding)
    for mark in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("ascii", "utf-16-le", "utf-16-be")
)


def _declares_dtd(data: bytes) -> bool:
    upper = data.upper()
    return any(mark in upper for mark in _DTD_MARKS[:2]) or any(mark in data for mark in _DTD_MARKS[2:])


def _parse(data: bytes, name: str, corrupt: str) -> Element:
    from defusedxml import DefusedXmlException  # type: ignore[import-untyped]
    from defusedxml.ElementTree import ParseError as XmlParseError  # type: ignore[import-untyped]
    from defusedxml.ElementTree import fromstring

    try:
        root: Element = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
        return root
    except DefusedXmlException as error:
        raise OfficeFileError(
            f"{name} 含有 XML 实体声明（DOCTYPE/ENTITY），可能是恶意构造的文件，已拒绝读取：请用 Word/Excel 重新保存后再导入"
        ) from error
    except (XmlParseError, ValueError) as error:
        raise OfficeFileError(corrupt) from error


# ---- Word ---------------------------------------------------------------------------------


_HEADING_STYLE_RE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)


@dataclass
class _Style:
    name: str
    based_on: str | None = None
    outline: int | None = None  # 0-based outline level
    num_id: str | None = None
    ilvl: int | None = None


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    style: str | None = None  # the paragraph style linked to this level
    legal: bool = False


@dataclass
class _Numbering:
    """numbering.xml: each num's abstract definition, its levels, and the counters Word keeps."""

    abstract_of: dict[str, str] = field(default_factory=dict)
    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)
    overrides: dict[str, dict[int, int]] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)

    def level_for_style(self, num_id: str, style_id: str) -> int | None:
        levels = self.levels.get(self.abstract_of.get(num_id, ""), {})
        return next((ilvl for ilvl, level in levels.items() if level.style == style_id), None)

    def next_number(self, num_id: str, ilvl: int) -> str:
        """Advance the counter of (num, level) as Word does and return the number it shows."""
        abstract = self.abstract_of.get(num_id)
        if abstract is None:
            return ""
        levels = self.levels.get(abstract, {})
        level = levels.get(ilvl)
        if level is None:
            return ""
        # a num that overrides its start values is a list of its own (Word restarts it); others share
        counters = self.counters.setdefault(num_id if num_id in self.overrides else abstract, {})
        starts = {i: self.overrides.get(num_id, {}).get(i, lv.start) for i, lv in levels.items()}
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else starts.get(ilvl, 1)
        for deeper in [key for key in counters if key > ilvl]:
            del counters[deeper]
        if level.fmt in ("bullet", "none"):
            return ""

        def value(match: re.Match[str]) -> str:
            at = int(match[1]) - 1
            count = counters.get(at, starts.get(at, 1))
            fmt = "decimal" if level.legal else levels.get(at, _Level()).fmt
            return _format_number(count, fmt)

        return re.sub(r"%(\d)", value, level.text)


_CN = "〇一二三四五六七八九"
_STEMS = "甲乙丙丁戊己庚辛壬癸"


def _chinese(number: int) -> str:
    if number < 10:
        return _CN[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        return ("" if tens == 1 else _CN[tens]) + "十" + (_CN[ones] if ones else "")
    return str(number)


def _roman(number: int) -> str:
    pairs = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
             (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))  # fmt: skip
    text = ""
    for size, letters in pairs:
        while number >= size:
            text, number = text + letters, number - size
    return text


def _format_number(number: int, fmt: str) -> str:
    """A counter in one of Word's number formats (the ones Chinese documents use)."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "japaneseCounting"):
        return _chinese(number)
    if fmt == "ideographTraditional" and 1 <= number <= 10:
        return _STEMS[number - 1]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= number <= 20:
        return chr(0x2460 + number - 1)
    if fmt == "decimalZero":
        return f"{number:02d}"
    if fmt in ("upperLetter", "lowerLetter") and number >= 1:
        letter = chr(ord("A") + (number - 1) % 26) * ((number - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman") and number >= 1:
        return _roman(number) if fmt == "upperRoman" else _roman(number).lower()
    return str(number)


def _val(element: Element | None, tag: str) -> str | None:
    if element is None:
        return None
    found = element.find(f"{_W}{tag}")
    return None if found is None else found.get(f"{_W}val")


def _int(text: str | None) -> int | None:
    return int(text) if text is not None and text.strip().lstrip("-").isdigit() else None


def _styles(root: Element | None) -> dict[str, _Style]:
    styles: dict[str, _Style] = {}
    if root is None:
        return styles
    for style in root.iter(f"{_W}style"):
        if style.get(f"{_W}type") not in (None, "paragraph"):
            continue
        style_id = style.get(f"{_W}styleId") or ""
        ppr = style.find(f"{_W}pPr")
        numpr = ppr.find(f"{_W}numPr") if ppr is not None else None
        styles[style_id] = _Style(
            name=_val(style, "name") or style_id,
            based_on=_val(style, "basedOn"),
            outline=_int(_val(ppr, "outlineLvl")),
            num_id=_val(numpr, "numId"),
            ilvl=_int(_val(numpr, "ilvl")),
        )
    return styles


def _numbering(root: Element | None) -> _Numbering:
    numbering = _Numbering()
    if root is None:
        return numbering
    for abstract in root.iter(f"{_W}abstractNum"):
        levels: dict[int, _Level] = {}
        for lvl in abstract.iter(f"{_W}lvl"):
            ilvl = _int(lvl.get(f"{_W}ilvl"))
            if ilvl is None:
                continue
            levels[ilvl] = _Level(
                start=_int(_val(lvl, "start")) or (0 if _val(lvl, "start") == "0" else 1),
                fmt=_val(lvl, "numFmt") or "decimal",
                text=_val(lvl, "lvlText") or "",
                style=_val(lvl, "pStyle"),
                legal=lvl.find(f"{_W}isLgl") is not None,
            )
        numbering.levels[abstract.get(f"{_W}abstractNumId") or ""] = levels
    for num in root.iter(f"{_W}num"):
        num_id = num.get(f"{_W}numId") or ""
        numbering.abstract_of[num_id] = _val(num, "abstractNumId") or ""
        for override in num.iter(f"{_W}lvlOverride"):
            ilvl = _int(override.get(f"{_W}ilvl"))
            start = _int(_val(override, "startOverride"))
            if ilvl is not None and start is not None:
                numbering.overrides.setdefault(num_id, {})[ilvl] = start
    return numbering


_SKIPPED = frozenset(
    {f"{_W}pPr", f"{_W}rPr", f"{_W}delText", f"{_W}instrText", f"{_W}del", _MC_FALLBACK, f"{_W}tblPr"}
)


def _text_of(element: Element) -> str:
    """The text Word shows for a paragraph or cell: runs, tabs and breaks; deleted text left out."""
    parts: list[str] = []

    def walk(node: Element) -> None:
        for child in node:
            tag = child.tag
            if tag in _SKIPPED:
                continue
            if tag == f"{_W}t":
                parts.append(child.text or "")
            elif tag == f"{_W}tab":
                parts.append("\t")
            elif tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
            elif tag == f"{_W}noBreakHyphen":
                parts.append("-")
            elif tag == f"{_W}p" and parts:
                parts.append("\n")
                walk(child)
            else:
                walk(child)

    walk(element)
    return "".join(parts)


class _WordBody:
    """Walks document.xml's body, numbering paragraphs as Word would."""

    def __init__(self, styles: dict[str, _Style], numbering: _Numbering) -> None:
        self.styles = styles
        self.numbering = numbering
        self.blocks: list[DocParagraph | DocTable] = []
        self.paragraphs = 0
        self.tables = 0

    def _chain(self, style_id: str | None) -> Iterator[tuple[str, _Style]]:
        seen: set[str] = set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            yield style_id, self.styles[style_id]
            style_id = self.styles[style_id].based_on

    def body(self, node: Element) -> None:
        for child in node:
            if child.tag == f"{_W}p":
                self.paragraph(child)
            elif child.tag == f"{_W}tbl":
                self.table(child)
            elif child.tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins"):
                self.body(child)

    def paragraph(self, node: Element) -> None:
        self.paragraphs += 1
        ppr = node.find(f"{_W}pPr")
        style_id = _val(ppr, "pStyle") or "Normal"
        numpr = ppr.find(f"{_W}numPr") if ppr is not None else None
        num_id, ilvl = _val(numpr, "numId"), _int(_val(numpr, "ilvl"))
        outline = _int(_val(ppr, "outlineLvl"))
        name = self.styles[style_id].name if style_id in self.styles else style_id
        heading: int | None = None
        for _sid, style in self._chain(style_id):
            if num_id is None and style.num_id is not None:
                num_id = style.num_id
                ilvl = ilvl if ilvl is not None else style.ilvl
            if outline is None and style.outline is not None:
                outline = style.outline
            named = _HEADING_STYLE_RE.match(style.name.strip())
            if heading is None and named is not None:
                heading = int(named[1])
        if outline is not None and 0 <= outline <= 8:
            heading = outline + 1
        elif outline == 9:
            heading = None
        number = ""
        level: int | None = None
        if num_id is not None and num_id != "0":
            if ilvl is None:
                ilvl = self.numbering.level_for_style(num_id, style_id) or 0
            level = ilvl
            number = self.numbering.next_number(num_id, ilvl)
        text = _text_of(node).strip()
        self.blocks.append(DocParagraph(text, self.paragraphs, name, heading, level, number))

    def table(self, node: Element) -> None:
        self.tables += 1
        rows: list[list[str | None]] = []
        origin: list[list[bool]] = []
        for tr in node.findall(f"{_W}tr")[:MAX_SHEET_ROWS]:  # a form has dozens of rows, as a sheet does
            row: list[str | None] = []
            first: list[bool] = []
            trpr = tr.find(f"{_W}trPr")
            before = _int(_val(trpr, "gridBefore")) or 0
            row.extend([""] * min(before, MAX_SHEET_COLUMNS))
            first.extend([True] * min(before, MAX_SHEET_COLUMNS))
            for tc in _row_cells(tr):
                tcpr = tc.find(f"{_W}tcPr")
                span = max(1, min(_int(_val(tcpr, "gridSpan")) or 1, MAX_SHEET_COLUMNS))
                vmerge = tcpr.find(f"{_W}vMerge") if tcpr is not None else None
                continues = vmerge is not None and (vmerge.get(f"{_W}val") or "continue") == "continue"
                text = None if continues else _text_of(tc).strip()
                for offset in range(span):
                    row.append(text)
                    first.append(offset == 0 and not continues)
                if len(row) >= MAX_SHEET_COLUMNS:
                    break
            rows.append(row[:MAX_SHEET_COLUMNS])
            del first[MAX_SHEET_COLUMNS:]
            origin.append(first)
        width = max((len(row) for row in rows), default=0)
        cells: list[tuple[GridCell, ...]] = []
        copies: set[tuple[int, int]] = set()
        for r, row in enumerate(rows):
            row.extend([""] * (width - len(row)))
            origin[r].extend([True] * (width - len(origin[r])))
            filled: list[GridCell] = []
            for c, value in enumerate(row):
                if value is None:  # a vertical merge continues: the value of the cell above
                    value = str(cells[r - 1][c]) if r and c < len(cells[r - 1]) else ""
                filled.append(value)
                if not origin[r][c]:
                    copies.add((r, c))
            cells.append(tuple(filled))
        self.blocks.append(DocTable(Grid(tuple(cells), frozenset(copies)), self.tables, self.paragraphs))


def _row_cells(node: Element) -> Iterator[Element]:
    """The cells of a table row, also those wrapped in a content control; never a nested table's."""
    for child in node:
        if child.tag == f"{_W}tc":
            yield child
        elif child.tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"):
            yield from _row_cells(child)


def _read_docx(package: _Package, main_part: str) -> OfficeContent:
    document = package.xml(main_part)
    if document is None:
        raise OfficeFileError(package.corrupt)
    targets = {
        kind.rsplit("/", 1)[-1]: target
        for _id, kind, target, external in package.relationships(main_part)
        if not external
    }
    styles = _styles(package.xml(targets["styles"]) if "styles" in targets else None)
    numbering = _numbering(package.xml(targets["numbering"]) if "numbering" in targets else None)
    body = document.find(f"{_W}body")
    walker = _WordBody(styles, numbering)
    if body is not None:
        walker.body(body)
    return OfficeContent("docx", body=tuple(walker.blocks), ignored=package.ignored())


# ---- Excel --------------------------------------------------------------------------------


def _cell_value(value: Any, number_format: str) -> GridCell:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float | Decimal):
        number = Decimal(value) if isinstance(value, int | Decimal) else Decimal(repr(value))
        if not number.is_finite():
            return ""
        if "%" in number_format:
            percent = (number * 100).normalize()
            return f"{percent:f}%"
        return number
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").strip()


def _read_xlsx(package: _Package, data: bytes) -> OfficeContent:
    import warnings

    import openpyxl  # type: ignore[import-untyped]

    for entry in package.names:  # every XML part openpyxl may parse: no DTD anywhere
        if entry.endswith((".xml", ".rels", ".vml")):
            package.read(entry)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter(
                "ignore"
            )  # "unsupported extension", "no default style": not the user's business
            book = openpyxl.load_workbook(
                io.BytesIO(data),
                read_only=False,
                data_only=True,
                keep_links=False,
                keep_vba=False,
                rich_text=False,
            )
    except (
        Exception
    ) as error:  # openpyxl parses what a stranger wrote: anything it trips on is a damaged file
        raise OfficeFileError(package.corrupt) from error
    sheets = []
    try:
        for worksheet in book.worksheets:
            rows_total = min(worksheet.max_row, MAX_SHEET_ROWS)
            columns_total = min(worksheet.max_column, MAX_SHEET_COLUMNS)
            rows: list[list[GridCell]] = []
            for row in worksheet.iter_rows(min_row=1, max_row=rows_total, max_col=columns_total):
                rows.append([_cell_value(cell.value, cell.number_format or "") for cell in row])
            copies: set[tuple[int, int]] = set()
            budget = (
                2 * rows_total * columns_total
            )  # overlapping ranges (no Excel writes them) cannot hang us
            for merged in worksheet.merged_cells.ranges:
                budget -= max(0, min(merged.max_row, rows_total) - merged.min_row + 1) * max(
                    0, min(merged.max_col, columns_total) - merged.min_col + 1
                )
                if budget < 0:
                    break
                top, left = merged.min_row - 1, merged.min_col - 1
                if top >= len(rows) or left >= columns_total:
                    continue
                value = rows[top][left]
                for r in range(top, min(merged.max_row, rows_total)):
                    for c in range(left, min(merged.max_col, columns_total)):
                        if (r, c) != (top, left):
                            rows[r][c] = value
                            copies.add((r, c))
            sheets.append(Sheet(worksheet.title, Grid(tuple(tuple(row) for row in rows), frozenset(copies))))
    except Exception as error:  # see load_workbook above
        raise OfficeFileError(package.corrupt) from error
    finally:
        book.close()
    return OfficeContent("xlsx", sheets=tuple(sheets), ignored=package.ignored())
