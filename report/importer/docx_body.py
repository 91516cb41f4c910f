"""A Word document's body as the lines the text reader reads, with the numbers Word adds itself.

Headings numbered by Word's automatic numbering carry no number in their text. Each paragraph
gets, in this order: the number typed in its text (kept as it is); else the number Word shows
(``DocParagraph.number``) when it is a 公文 number (``一、`` ``（一）`` ``1.`` ``（1）``); else, for a
heading (by style or outline level), the 公文 number synthesised from its level and its position
among the headings of that level under the same parent. Tables that are no 自评表 become lines
too: a budget table (名称/金额/用途) one numbered line per budget line, any other table one line per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from report.importer.form import decimal_of, is_form_title, norm
from report.importer.headings import numbered_heading
from report.importer.structure import DocParagraph, DocTable, Grid

_CN = "〇一二三四五六七八九"


def _chinese(number: int) -> str:
    if number < 10:
        return _CN[number]
    tens, ones = divmod(number, 10)
    return ("" if tens == 1 else _CN[tens % 10]) + "十" + (_CN[ones] if ones else "")


def gongwen_number(level: int, position: int) -> str:
    """The 公文 number of the ``position``-th (1-based) heading of ``level``: 一、 （一） 1. （1）."""
    if level <= 1:
        return f"{_chinese(position)}、"
    if level == 2:
        return f"（{_chinese(position)}）"
    if level == 3:
        return f"{position}."
    return f"（{position}）"


@dataclass
class BodyLines:
    """The body as text lines, where each line came from, and what the tables were taken as."""

    lines: list[str] = field(default_factory=list)
    origin: list[str] = field(default_factory=list)  # per line: "第 12 段" or "表格 2 第 3 行"
    numbered: int = 0  # headings whose number came from Word's automatic numbering
    synthesised: int = 0  # headings numbered here from their style's level
    notes: list[str] = field(default_factory=list)


def body_lines(blocks: Sequence[DocParagraph | DocTable], forms: set[int]) -> BodyLines:
    """The lines of a body, skipping the tables whose index is in ``forms`` (read as 自评表)."""
    result = BodyLines()
    counters: dict[int, int] = {}
    title_at = _heading_used_as_title(blocks)
    shift = 0
    if title_at is not None:
        title = blocks[title_at]
        assert isinstance(title, DocParagraph) and title.heading_level is not None
        shift = title.heading_level
    for at, block in enumerate(blocks):
        if isinstance(block, DocTable):
            if block.index not in forms:
                _table_lines(block, result)
                continue
            # the form's own title lines (附件1, 项目支出绩效自评表, （2021年度）) belong to the form
            for _ in range(3):
                if not result.lines or len(result.lines[-1]) > 30 or not is_form_title(result.lines[-1]):
                    break
                result.lines.pop()
                result.origin.pop()
            continue
        text = block.text.strip()
        if not text:
            continue
        level = block.heading_level
        if at == title_at:
            level = None
        elif level is not None:
            level = max(1, level - shift)
        typed = numbered_heading(text)
        if level is not None and level <= 4:
            counters[level] = counters.get(level, 0) + 1
            for deeper in [key for key in counters if key > level]:
                del counters[deeper]
        if typed is not None:
            line = text
        elif block.number and numbered_heading(block.number + text) is not None:
            line = block.number + text
            result.numbered += 1 if level is not None or block.list_level is not None else 0
        elif level is not None and level <= 4:
            line = gongwen_number(level, counters[level]) + text
            result.synthesised += 1
        elif block.number:
            line = f"{block.number} {text}"
        else:
            line = text
        for part in line.split("\n"):
            if part.strip():
                result.lines.append(part.strip())
                result.origin.append(f"第 {block.index} 段")
    return result


def _heading_used_as_title(blocks: Sequence[DocParagraph | DocTable]) -> int | None:
    """The first paragraph, when it is a heading above all the others (``Heading 1`` for the title)."""
    paragraphs = [
        (at, block)
        for at, block in enumerate(blocks)
        if isinstance(block, DocParagraph) and block.text.strip()
    ]
    if not paragraphs:
        return None
    first_at, first = paragraphs[0]
    if first.heading_level is None or first.number or numbered_heading(first.text.strip()) is not None:
        return None
    others = [block.heading_level for _at, block in paragraphs[1:] if block.heading_level is not None]
    if not others or min(others) <= first.heading_level:
        return None
    return first_at


def _table_lines(table: DocTable, result: BodyLines) -> None:
    grid = table.grid
    budget = _budget_columns(grid)
    if budget is not None:
        name_col, amount_col, purpose_col, unit = budget
        count = 0
        for row in range(1, len(grid.rows)):
            name = grid.text(row, name_col).strip()
            amount = decimal_of(grid.rows[row][amount_col]) if amount_col < len(grid.rows[row]) else None
            if not name or amount is None or norm(name) in ("合计", "总计", "小计"):
                continue
            count += 1
            purpose = grid.text(row, purpose_col).strip() if purpose_col is not None else ""
            line = f"{count}、{name}{amount:f}{unit}" + (f"，{purpose}" if purpose else "")
            result.lines.append(line.replace("\n", ""))
            result.origin.append(f"表格 {table.index} 第 {row + 1} 行")
        result.notes.append(
            f"表格 {table.index}（第 {table.after_paragraph} 段之后）：按预算明细读取 {count} 行"
        )
        return
    for row in range(len(grid.rows)):
        cells: list[str] = []
        for column, _cell in enumerate(grid.rows[row]):
            text = grid.text(row, column).strip()
            if text and (row, column) not in grid.copies and text not in cells:
                cells.append(text.replace("\n", " "))
        if cells:
            result.lines.append("　".join(cells))
            result.origin.append(f"表格 {table.index} 第 {row + 1} 行")
    result.notes.append(
        f"表格 {table.index}（第 {table.after_paragraph} 段之后）：不是自评表，按正文逐行保留"
    )


def _budget_columns(grid: Grid) -> tuple[int, int, int | None, str] | None:
    """(name, amount, purpose, unit) columns of a budget table's header row, or None."""
    if len(grid.rows) < 2:
        return None
    header = [norm(grid.text(0, column)) for column in range(len(grid.rows[0]))]
    amount = next(
        (c for c, text in enumerate(header) if text.startswith(("金额", "预算金额", "预算数"))), None
    )
    name = next(
        (c for c, text in enumerate(header) if text in ("名称", "项目", "项目名称", "支出内容", "明细")), None
    )
    if amount is None or name is None:
        return None
    purpose = next(
        (c for c, text in enumerate(header) if text.startswith(("用途", "主要用途", "说明"))), None
    )
    unit = "元" if "(元)" in header[amount] else "万元"
    return name, amount, purpose, unit
