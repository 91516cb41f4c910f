"""The 附件1 自评表 in the national single-grid layout (RULES.md §3, §8), shared by the Word and Excel writers.

``report.render.score_sheet_blocks`` gives the form as five small tables (roles ``sheet.info``,
``sheet.funds``, ``sheet.goals``, ``sheet.indicators``, ``sheet.total``); on paper the form is one
grid of nine columns — a label column and eight — with merged label cells::

    项目名称 | name (8 columns)
    主管部门 | department (3) | 实施单位 (2) | unit (3)
    项目资金 | (blank, 2)        | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分
    （万元） | 年度资金总额 (2)  | figures …
    (5 rows) | 其中：当年财政拨款 / 上年结转资金 / 其他资金
    年度总体 | 预期目标 (4)      | 实际完成情况 (4)
    目标 (2) | goal text (4)     | what was achieved (4)
    绩效指标 | 一级 | 二级 | 三级 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施
    (header  | 一级 and 二级 cells span their rows, as the indicators table's merges say
     + rows) |
    总分 (6 columns)                                     | 100  | total | 评价等级：优

``form_grid`` builds that grid; both writers lay out exactly this, so Word and Excel show the same
form. Pure: no libraries, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from report.document import Align, Attachment, Cell, DocBlock, Figure, Merge, Table, cell_text

COLUMNS = 9
"""The grid's width: the label column and eight."""

COLUMN_WIDTHS_MM: tuple[float, ...] = (19, 17, 19, 36, 25, 25, 18, 19, 47)
"""Each column's width on a landscape A4 page (text block 225 mm wide); the writers scale from these."""

FORM_TITLE = "项目支出绩效自评表"
"""The form's printed title, used when the blocks carry no ``Attachment``."""

_ROLES = ("sheet.info", "sheet.funds", "sheet.goals", "sheet.indicators", "sheet.total")


class GridCell(NamedTuple):
    """One cell of the form: what it shows, and whether it is a printed label of the form.

    Labels (``项目名称``, column headers, ``产出指标``) are centred; ``Figure`` cells are right-aligned
    numbers; other text (what the unit filled in) is left-aligned. (A tuple: a 2,000-row form
    has 18,000 of them.)
    """

    value: Cell = ""
    label: bool = False

    @property
    def text(self) -> str:
        """The text the cell shows."""
        return cell_text(self.value)

    @property
    def align(self) -> Align:
        """How the cell's text is aligned."""
        if isinstance(self.value, Figure):
            return Align.RIGHT
        return Align.CENTER if self.label else Align.LEFT


EMPTY = GridCell()
"""An empty cell (also every cell a merged region covers)."""


@dataclass(frozen=True)
class FormGrid:
    """The 自评表 as one grid: ``rows`` × ``COLUMNS`` cells and the merged regions over them.

    ``merges`` use grid coordinates (row 0 is ``项目名称``; there is no separate header row). A
    region's content is in its top-left cell; the cells it covers are empty ``GridCell``s.
    ``indicator_header`` is the row of the 绩效指标 column headers; ``label``, ``title`` and
    ``note`` are printed above the grid (``附件1``, ``项目支出绩效自评表``, ``（2020年度）``).
    """

    rows: tuple[tuple[GridCell, ...], ...]
    merges: tuple[Merge, ...]
    indicator_header: int
    label: str = ""
    title: str = FORM_TITLE
    note: str = ""
    widths_mm: tuple[float, ...] = field(default=COLUMN_WIDTHS_MM)

    @cached_property
    def merge_at(self) -> dict[tuple[int, int], Merge]:
        """Each merged region by its top-left cell."""
        return {(merge.row, merge.column): merge for merge in self.merges}

    @cached_property
    def covered(self) -> frozenset[tuple[int, int]]:
        """The cells inside a merged region other than its top-left one."""
        return frozenset(
            (row, column)
            for merge in self.merges
            for row in range(merge.row, merge.row + merge.rows)
            for column in range(merge.column, merge.column + merge.columns)
            if (row, column) != (merge.row, merge.column)
        )


class _Builder:
    """Rows and merges appended in reading order."""

    def __init__(self) -> None:
        self.rows: list[list[GridCell]] = []
        self.merges: list[Merge] = []

    def row(self, *pieces: tuple[GridCell, int]) -> int:
        """Append a row of (cell, columns spanned) pieces that fill the grid's width; its index."""
        index = len(self.rows)
        cells: list[GridCell] = []
        for cell, span in pieces:
            if span > 1:
                self.merges.append(Merge(index, len(cells), 1, span))
            cells.append(cell)
            cells.extend([EMPTY] * (span - 1))
        if len(cells) != COLUMNS:
            raise ValueError(f"a form row must fill {COLUMNS} columns, not {len(cells)}")
        self.rows.append(cells)
        return index

    def label_column(self, text: str, first: int) -> None:
        """Put a label in column 0 of ``first`` spanning down to the last row appended."""
        self.rows[first][0] = _label(text)
        rows = len(self.rows) - first
        if rows > 1:
            self.merges.append(Merge(first, 0, rows, 1))


def _label(text: str) -> GridCell:
    return GridCell(text, label=True)


def _value(cell: Cell) -> GridCell:
    return GridCell(cell)


def _only_row(table: Table) -> tuple[Cell, ...]:
    if not table.rows:
        raise ValueError(f"the {table.role} table has no row")
    return table.rows[0]


def _sheet_tables(blocks: Iterable[DocBlock]) -> tuple[dict[str, Table], Attachment | None]:
    tables: dict[str, Table] = {}
    attachment = None
    for block in blocks:
        if isinstance(block, Attachment) and attachment is None:
            attachment = block
        elif isinstance(block, Table) and block.role in _ROLES:
            tables.setdefault(block.role, block)
    missing = [role for role in _ROLES if role not in tables]
    if missing:
        raise ValueError(f"the score sheet lacks the table(s) {', '.join(missing)}")
    return tables, attachment


def is_score_sheet(blocks: Sequence[DocBlock]) -> bool:
    """Whether ``blocks`` hold the five tables of the 自评表 (so ``form_grid`` can lay them out)."""
    roles = {block.role for block in blocks if isinstance(block, Table)}
    return all(role in roles for role in _ROLES)


def form_grid(blocks: Iterable[DocBlock]) -> FormGrid:
    """The 自评表 blocks (``report.render.score_sheet_blocks``) as the national single grid.

    Figures stay ``Figure`` cells (a spreadsheet stores their values); the 一级/二级 groups span
    their rows as the indicators table's merges say. Raises ``ValueError`` when a sheet table is
    missing (the blocks did not come from the score sheet).
    """
    tables, attachment = _sheet_tables(blocks)
    grid = _Builder()

    info = _only_row(tables["sheet.info"])
    info_header = tables["sheet.info"].header
    grid.row((_label(info_header[0]), 1), (_value(info[0]), 8))
    grid.row(
        (_label(info_header[1]), 1), (_value(info[1]), 3), (_label(info_header[2]), 2), (_value(info[2]), 3)
    )

    funds = tables["sheet.funds"]
    first = grid.row((EMPTY, 1), (_label(""), 2), *((_label(name), 1) for name in funds.header[1:7]))
    for money_row in funds.rows:
        grid.row((EMPTY, 1), (_label(cell_text(money_row[0])), 2), *((_value(c), 1) for c in money_row[1:7]))
    grid.label_column(funds.header[0], first)

    goals = tables["sheet.goals"]
    goal, achieved = _only_row(goals)
    first = grid.row((EMPTY, 1), (_label("预期目标"), 4), (_label(goals.header[1]), 4))
    grid.row((EMPTY, 1), (_value(goal), 4), (_value(achieved), 4))
    grid.label_column("年度总体目标", first)

    indicators = tables["sheet.indicators"]
    header = grid.row((EMPTY, 1), *((_label(name), 1) for name in indicators.header[:8]))
    body = header + 1
    for row in indicators.rows:
        # 一级/二级 names are the form's own category labels; the rest is what the unit wrote
        values = [GridCell(cell) for cell in row[2:8]]
        values += [EMPTY] * (6 - len(values))
        grid.rows.append([EMPTY, _label(cell_text(row[0])), _label(cell_text(row[1])), *values])
    for merge in indicators.merges:
        grid.merges.append(Merge(body + merge.row, 1 + merge.column, merge.rows, merge.columns))
    grid.label_column("绩效指标", header)

    total_table = tables["sheet.total"]
    full, total, grade = _only_row(total_table)
    grade_text = f"{total_table.header[2]}：{cell_text(grade)}" if cell_text(grade) else ""
    grid.row(
        (_label(total_table.header[0]), 6), (_value(full), 1), (_value(total), 1), (_label(grade_text), 1)
    )

    return FormGrid(
        rows=tuple(tuple(row) for row in grid.rows),
        merges=tuple(grid.merges),
        indicator_header=header,
        label=attachment.label if attachment else "",
        title=attachment.title if attachment else FORM_TITLE,
        note=attachment.note if attachment else "",
    )
