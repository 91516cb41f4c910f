"""The text of an imported file: its encoding found, binary files and oversized files refused."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from report.errors import ParseError

MAX_IMPORT_BYTES = 20 * 1024 * 1024
"""Larger files are refused: no report is that long, and parsing it would hang the app."""
BINARY_CHAR_SHARE = Decimal("0.01")
"""Decoded text with more than this share of control or private-use characters is binary."""

_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "Word（.docx）、WPS 或压缩包"),
    (b"%PDF", "PDF"),
    (b"\xd0\xcf\x11\xe0", "旧版 Word（.doc）或 Excel"),
    (b"{\\rtf", "RTF 富文本"),
    (b"\x89PNG", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
)
_SAVE_AS_TEXT = "请在 Word 或 WPS 中“另存为”纯文本（.txt，UTF-8 编码）或 Markdown 后再导入"


def decode_text(data: bytes) -> str:
    """The text of an imported file: UTF-8 (BOM or not), else GB18030/GBK; newlines as ``\\n``.

    Raises ``ParseError`` (Chinese) for empty, oversized, binary or undecodable input.
    """
    if len(data) > MAX_IMPORT_BYTES:
        raise ParseError(
            f"文件有 {len(data) / 1024 / 1024:.1f} MB，超过 20 MB 的导入上限", "请确认选择的是报告的文本文件"
        )
    if not data.strip():
        raise ParseError("文件是空的，没有可导入的内容", "请选择保存为 .txt 或 .md 的报告")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise ParseError("文件像是 UTF-16 编码，但内容无法解码", _SAVE_AS_TEXT) from error
    else:
        for magic, kind in _BINARY_MAGIC:
            if data.startswith(magic):
                raise ParseError(f"这是{kind}文件，不是纯文本", _SAVE_AS_TEXT)
        if b"\0" in data:
            raise ParseError("文件是二进制格式（含有空字节），不是纯文本", _SAVE_AS_TEXT)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError as error:
                raise ParseError(
                    "无法识别文件的文字编码：既不是 UTF-8，也不是 GBK/GB18030",
                    "请用记事本等工具另存为 UTF-8 编码的文本后再导入",
                ) from error
    if _binary_share(text) > BINARY_CHAR_SHARE:
        raise ParseError("文件内容含有大量控制字符，看起来是二进制文件而不是文本", _SAVE_AS_TEXT)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _binary_share(text: str) -> Decimal:
    odd = sum(
        1
        for ch in text
        if (unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f\v") or unicodedata.category(ch) == "Co"
    )
    return Decimal(odd) / Decimal(max(len(text), 1))
