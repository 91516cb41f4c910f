"""``import_text``: decode the file, then read it as our own export or as free text."""

from __future__ import annotations

from collections.abc import Iterable

from report.errors import ParseError
from report.importer.decoding import decode_text
from report.importer.export_reader import _ExportReader
from report.importer.headings import _MARKDOWN_HEADING_RE
from report.importer.result import ImportResult
from report.importer.text_reader import _TextReader
from report.outline import Outline
from report.render import SCORE_SHEET_TITLE


def _clean(line: str) -> str:
    """A line without its indentation (ASCII or full-width) and invisible characters."""
    return line.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "").strip()


def import_text(data: bytes, outlines: Iterable[Outline]) -> ImportResult:
    """Read a report from the bytes of a text or Markdown file, using the best-matching outline.

    ``outlines`` are the outlines of the available templates (e.g. ``load_template(id).outline``
    for each); recognised sections map to the answer of their first prose step, or, where a
    section asks several, to the step a line's label names (``存在的问题：…``). Raises
    ``ParseError`` (Chinese) for empty, binary, oversized or undecodable files and for documents
    with neither recognisable headings nor budget figures; nothing is imported then.
    """
    choices = list(outlines)
    if not choices:
        raise ParseError("没有可用的提纲，无法识别报告结构", "请检查模板文件是否齐全")
    text = decode_text(data)
    lines = [_clean(line) for line in text.split("\n")]
    markdown = sum(1 for line in lines if _MARKDOWN_HEADING_RE.match(line)) >= 2
    if markdown and f"## {SCORE_SHEET_TITLE}" in lines:
        exported = _ExportReader(text, choices).read()
        if exported is not None:
            return exported
    return _TextReader([line for line in lines if line], choices, markdown).read()
