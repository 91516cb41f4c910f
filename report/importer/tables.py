"""The pipe tables of our own Markdown export: cells, rows, numbers, and the budget table."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from report.model import BudgetLine

_TABLE_RULE_RE = re.compile(r"^\|[\s:|-]+\|$")


def _table_cells(line: str) -> list[str]:
    """The cells of one pipe-table row, unescaped (``\\|`` → ``|``) and with ``<br>`` as newlines."""
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    cells: list[str] = []
    current = ""
    index = 0
    while index < len(body):
        ch = body[index]
        if ch == "\\" and index + 1 < len(body):
            current += body[index + 1]
            index += 2
            continue
        if ch == "|":
            cells.append(current)
            current = ""
        else:
            current += ch
        index += 1
    if current.strip():
        cells.append(current)
    return [cell.strip().replace("<br>", "\n") for cell in cells]


def _table(paragraph: str) -> list[list[str]] | None:
    """A pipe table's rows (header first, rule dropped), or None when the paragraph is no table."""
    lines = paragraph.split("\n")
    if len(lines) < 2 or not all(line.lstrip().startswith("|") for line in lines):
        return None
    rows = [_table_cells(line) for line in lines]
    if _TABLE_RULE_RE.match(lines[1].strip()):
        del rows[1]
    return rows


def _decimal(text: str) -> Decimal | None:
    cleaned = text.replace(",", "").strip()
    if not cleaned:
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def _budget_table(paragraph: str) -> list[BudgetLine]:
    rows = _table(paragraph)
    if not rows:
        return []
    lines = []
    for row in rows[1:]:
        if len(row) < 4 or row[0] == "合计":
            continue
        amount = _decimal(row[2])
        if amount is None:
            continue
        lines.append(BudgetLine(name=row[1], amount=amount, purpose=row[3]))
    return lines
