"""The 项目支出绩效自评表 read from a grid (a Word table or a worksheet), in every layout of RULES.md §8.

Columns are found by their header text, never by position: the national 2020 layout, older
forms with only 年初预算数 and 全年执行数 (or 预算数/执行数), forms with separate 指标性质 and
度量单位 columns, 10 + 90 weights. Labels may be written with spaces or line breaks inside
(``绩 效 指 标``); 一级/二级 labels sit in merged cells (the grid already holds the value in
every row they span); ``—``, ``-``, ``/`` and ``无`` mean empty. A grid may hold several forms,
one per project: each starts at its own 项目名称 row.

``find_forms(grid, where)`` gives a ``FormRead`` per form: the figures as a ``Report``'s fields,
where each part was found, and the rows that could not be understood.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from report.entry import level2_from_text
from report.errors import ParseError
from report.importer.structure import Grid, GridCell, cell_text
from report.model import LEVEL1_OF, Funds, Grade, Indicator, Level1, Level2, MoneyUnit, Nature, Operator
from report.money import fold_width
from report.values import ValueKind, normalise_operator, parse_value

EMPTY_MARKS = frozenset({"—", "-", "－", "/", "／", "无", "——", "--", "-—", "\\", "…"})
"""Cells that mean "nothing here" on published forms."""

_SPACE_RE = re.compile(r"\s+")
_OPERATOR_RE = re.compile(r"[≥≤<>=＞＜＝≧≦]|不低于|不少于|不超过|不高于")
_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年")
_NUMBER_RE = re.compile(r"^[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^[-+]?\d+(?:\.\d+)?$")
_GRADES = {
    "优": Grade.EXCELLENT,
    "优秀": Grade.EXCELLENT,
    "良": Grade.GOOD,
    "良好": Grade.GOOD,
    "中": Grade.FAIR,
    "中等": Grade.FAIR,
    "合格": Grade.FAIR,
    "差": Grade.POOR,
    "不合格": Grade.POOR,
}
_LEVEL1_WORDS = {
    "产出指标": Level1.OUTPUT,
    "产出": Level1.OUTPUT,
    "效益指标": Level1.BENEFIT,
    "效益": Level1.BENEFIT,
    "满意度指标": Level1.SATISFACTION,
    "满意度": Level1.SATISFACTION,
    "成本指标": Level1.COST,
    "成本": Level1.COST,
}

# header words of the indicator table, by column role; exact (normalised) matches first
_INDICATOR_HEADERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("level1", ("一级指标", "一级")),
    ("level2", ("二级指标", "二级")),
    ("name", ("三级指标", "三级", "指标名称", "绩效指标名称")),
    ("nature", ("指标性质", "指标方向", "计算符号", "符号")),
    ("target", ("年度指标值", "指标值", "年度目标值", "目标值", "预期指标值", "年度目标", "全年指标值")),
    ("unit", ("度量单位", "计量单位", "单位")),
    ("actual", ("实际完成值", "实际值", "完成值", "全年实际值", "实际完成", "全年完成值")),
    ("weight", ("分值", "权重", "权重分值", "指标分值")),
    ("score", ("得分", "自评得分", "实际得分")),
    (
        "reason",
        ("偏差原因分析及改进措施", "偏差原因分析", "偏差原因", "原因分析", "偏差原因及改进措施", "备注"),
    ),
)
_FUNDS_HEADERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("initial", ("年初预算数", "年初预算")),
    ("annual", ("全年预算数", "全年预算", "调整后预算数", "全年预算数(A)", "全年预算数A")),
    (
        "actual",
        ("全年执行数", "执行数", "实际执行数", "全年执行", "实际支出数", "全年执行数(B)", "全年执行数B"),
    ),
    ("budget", ("预算数", "预算")),
    ("weight", ("分值",)),
    ("rate", ("执行率", "预算执行率", "执行率(B/A)", "执行率B/A")),
    ("score", ("得分",)),
)
_FUNDS_ROWS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("total", ("年度资金总额", "资金总额", "年度资金总额:", "合计")),
    (
        "fiscal_current",
        ("其中:当年财政拨款", "当年财政拨款", "其中:财政拨款", "财政拨款", "其中当年财政拨款"),
    ),
    ("carried_over", ("上年结转资金", "上年结转", "其中:上年结转资金")),
    ("other", ("其他资金", "其他", "其中:其他资金")),
)
_LABELS = frozenset(
    {
        "项目名称",
        "主管部门",
        "实施单位",
        "预算单位",
        "项目单位",
        "年度总体目标",
        "预期目标",
        "实际完成情况",
        "绩效指标",
        "总分",
        "自评得分",
        "评价等级",
    }
    | {word for _role, words in _FUNDS_HEADERS for word in words}
    | {word for _role, words in _FUNDS_ROWS for word in words}
    | {word for _role, words in _INDICATOR_HEADERS for word in words}
)


def norm(text: str) -> str:
    """A label as compared: width folded, every space and line break dropped, ``（）：`` as ASCII."""
    folded = fold_width(text).replace("\u3000", " ")
    return _SPACE_RE.sub("", folded).replace("（", "(").replace("）", ")").replace("：", ":").rstrip(":")


def _bare(label: str) -> str:
    """A category label without what forms add in parentheses: ``数量指标(20分)`` → ``数量指标``."""
    return re.sub(r"\([^()]*\)", "", label)


def _is_empty(text: str) -> bool:
    cleaned = norm(text)
    return not cleaned or cleaned in EMPTY_MARKS


def _clean_text(text: str) -> str:
    """A filled-in text: line breaks inside Chinese words joined, other runs of space kept single."""
    lines = [line.strip() for line in text.replace("\r", "\n").split("\n")]
    joined = ""
    for line in lines:
        if not line:
            continue
        if joined and (_wide(joined[-1]) or _wide(line[0])):
            joined += line
        elif joined:
            joined += " " + line
        else:
            joined = line
    return "" if joined.strip() in EMPTY_MARKS else joined


def _wide(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" or "\u3000" <= ch <= "\u303f"


def decimal_of(cell: GridCell) -> Decimal | None:
    """A number from a cell: a Decimal as it is, text like ``4,870,000`` or ``487.00万元``; None when empty."""
    if isinstance(cell, Decimal):
        return cell
    text = norm(cell).replace("万元", "").replace("元", "").replace("分", "")
    if not text or text in EMPTY_MARKS or not _NUMBER_RE.match(text):
        return None
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def rate_of(cell: GridCell) -> Decimal | None:
    """An execution rate as a fraction: ``99.24%`` → 0.9924; a bare 0.9924 stays, a bare 99.24 is a per cent."""
    if isinstance(cell, Decimal):
        return cell if cell <= Decimal("1.5") else cell / 100
    text = norm(cell)
    if text.endswith(("%", "％")):
        number = decimal_of(text[:-1])
        return None if number is None else number / 100
    number = decimal_of(text)
    if number is None:
        return None
    return number if number <= Decimal("1.5") else number / 100


@dataclass
class FormRead:
    """One 自评表 as read: its figures, where it was, and what could not be understood.

    ``found`` and ``skipped`` are Chinese lines for the import summary.
    """

    where: str
    title: str = ""  # 项目名称
    unit_name: str = ""
    department: str = ""
    year: int | None = None
    money_unit: MoneyUnit = MoneyUnit.WAN
    unit_stated: bool = False  # the 项目资金 label named the unit
    funds: Funds = field(default_factory=Funds)
    stated_execution_score: Decimal | None = None
    overall_goal: str = ""
    overall_goal_actual: str = ""
    indicators: list[Indicator] = field(default_factory=list)
    claimed_total: Decimal | None = None
    claimed_grade: Grade | None = None
    found: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def weights(self) -> dict[Level1, Decimal] | None:
        """The 一级 weights the rows add up to, when every row has a weight and they differ from 50/30/10."""
        if not self.indicators or any(row.weight is None for row in self.indicators):
            return None
        sums: dict[Level1, Decimal] = {}
        for row in self.indicators:
            level = row.effective_level1
            sums[level] = sums.get(level, Decimal(0)) + (row.weight or Decimal(0))
        default = {Level1.OUTPUT: Decimal(50), Level1.BENEFIT: Decimal(30), Level1.SATISFACTION: Decimal(10)}
        return None if sums == default else sums


class _Reader:
    """One grid, read row by row; ``rows`` limits the reading to one form's rows."""

    def __init__(self, grid: Grid, where: str, rows: range) -> None:
        self.grid = grid
        self.where = where
        self.rows = rows
        width = max((len(row) for row in grid.rows), default=0)
        self.normed = [
            [norm(cell_text(cell)) for cell in row] + [""] * (width - len(row)) for row in grid.rows
        ]
        self.indicator_columns: dict[str, int] = {}

    def text(self, row: int, column: int) -> str:
        return self.grid.text(row, column)

    def cell(self, row: int, column: int) -> GridCell:
        """The cell at (row, column), "" outside the grid (rows may be of different lengths)."""
        if 0 <= row < len(self.grid.rows) and 0 <= column < len(self.grid.rows[row]):
            return self.grid.rows[row][column]
        return ""

    def cells(self, row: int) -> Iterator[tuple[int, str]]:
        """(column, text) of a row's cells, a horizontally merged region once."""
        values = self.grid.rows[row]
        for column, cell in enumerate(values):
            if column and (row, column) in self.grid.copies and values[column - 1] == cell:
                continue
            yield column, cell_text(cell)

    def find(
        self, words: Sequence[str], rows: range | None = None, *, prefix: bool = False
    ) -> tuple[int, int] | None:
        """The first cell whose label is one of ``words`` (or begins with one, with ``prefix``)."""
        for row in rows if rows is not None else self.rows:
            for column, cell in enumerate(self.normed[row]):
                if cell in words or (prefix and cell.startswith(tuple(words))):
                    return row, column
        return None

    def value_after(self, row: int, column: int) -> str:
        """The filled-in value right of a label (a merged label's copies skipped), else below it."""
        label = self.normed[row][column]
        for col, text in self.cells(row):
            if col <= column or norm(text) == label:
                continue
            if norm(text) in _LABELS:
                break
            return "" if _is_empty(text) else _clean_text(text)
        return ""

    def headers(self, row: int, table: Sequence[tuple[str, tuple[str, ...]]]) -> dict[str, int]:
        """Column of each role whose header is in this row (exact words first, then containment)."""
        found: dict[str, int] = {}
        taken: set[int] = set()
        for exact in (True, False):
            for role, words in table:
                if role in found:
                    continue
                for column, cell in enumerate(self.normed[row]):
                    if column in taken or not cell:
                        continue
                    hit = (
                        cell in words
                        if exact
                        else any(cell.startswith(word) for word in words if len(word) >= 3)
                    )
                    if hit:
                        found[role] = column
                        taken.update(c for c, other in enumerate(self.normed[row]) if other == cell)
                        break
        return found


def find_forms(grid: Grid, where: str) -> list[FormRead]:
    """Every 自评表 in a grid: one per 项目名称 row (the whole grid when there is none) that has figures.

    ``where`` names the grid for the summary (``工作表“自评表”``, ``表格 3``).
    """
    if not grid.rows:
        return []
    reader = _Reader(grid, where, range(len(grid.rows)))
    starts = [
        row
        for row in range(len(grid.rows))
        if any(cell in ("项目名称",) or cell.startswith("项目名称:") for cell in reader.normed[row])
    ]
    if not starts:
        starts = [0]
    starts = [_title_rows_before(reader, start) if index else 0 for index, start in enumerate(starts)]
    forms = []
    for index, start in enumerate(starts):
        begin = start
        end = starts[index + 1] if index + 1 < len(starts) else len(grid.rows)
        form = _read_form(_Reader(grid, where, range(begin, end)))
        if form is not None:
            forms.append(form)
    return forms


_TITLE_ROW_RE = re.compile(r"^(?:附件\d*|\(?(?:19|20)\d{2}年度?\)?|.*自评表.*)$")


def is_form_title(text: str) -> bool:
    """Whether a line is what stands above a form: ``附件1``, ``…自评表``, ``（2021年度）``."""
    return bool(_TITLE_ROW_RE.match(norm(text)))


def _title_rows_before(reader: _Reader, start: int) -> int:
    """The row a form starts at: its 项目名称 row, or the title rows (``附件1``, ``…自评表``, ``（2021年度）``) above it."""
    begin = start
    while begin - 1 >= 0 and start - begin < 3:
        cells = {cell for cell in reader.normed[begin - 1] if cell}
        if not cells or not all(_TITLE_ROW_RE.match(cell) for cell in cells):
            break
        begin -= 1
    return begin


def looks_like_form(grid: Grid) -> bool:
    """Whether a grid holds a 自评表: a 项目资金/年度资金总额 block or a 三级指标 header."""
    for row in grid.rows:
        for cell in row:
            text = norm(cell_text(cell))
            if text.startswith(("项目资金", "年度资金总额")) or text in ("三级指标", "三级"):
                return True
    return False


def _read_form(reader: _Reader) -> FormRead | None:
    rows = reader.rows
    first, last = rows.start + 1, rows.stop
    form = FormRead(where=f"{reader.where}第 {first}–{last} 行")
    _info(reader, form)
    funds_found = _funds(reader, form)
    _goals(reader, form)
    indicators_found = _indicators(reader, form)
    _total(reader, form)
    if not funds_found and not indicators_found:
        return None
    return form


def _info(reader: _Reader, form: FormRead) -> None:
    for attribute, words in (
        ("title", ("项目名称",)),
        ("department", ("主管部门",)),
        ("unit_name", ("实施单位", "预算单位", "项目单位")),
    ):
        at = reader.find(words)
        if at is not None:
            setattr(form, attribute, reader.value_after(*at))
            continue
        inline = reader.find(tuple(f"{word}:" for word in words), prefix=True)
        if inline is not None:
            text = reader.text(*inline)
            value = re.split(r"[:：]", text, maxsplit=1)[-1]
            setattr(form, attribute, _clean_text(value.split("\n")[0]))
    for row in reader.rows:
        for cell in reader.normed[row]:
            match = _YEAR_RE.search(cell)
            if match is not None and ("年度" in cell or "自评表" in cell or "评价" in cell):
                form.year = int(match[1])
                return
    match = _YEAR_RE.search(form.title)
    if match is not None:
        form.year = int(match[1])


def _funds(reader: _Reader, form: FormRead) -> bool:
    at = reader.find(("项目资金",), prefix=True)
    total_at = reader.find(_FUNDS_ROWS[0][1])
    if at is None and total_at is None:
        return False
    header_row = at[0] if at is not None else max((total_at or (0, 0))[0] - 1, reader.rows.start)
    label = reader.normed[at[0]][at[1]] if at is not None else ""
    if "万元" in label:
        form.money_unit, form.unit_stated = MoneyUnit.WAN, True
    elif "元" in label:
        form.money_unit, form.unit_stated = MoneyUnit.YUAN, True
    columns = reader.headers(header_row, _FUNDS_HEADERS)
    if not {"initial", "annual", "actual", "budget"} & columns.keys():
        columns = reader.headers(header_row + 1, _FUNDS_HEADERS) if header_row + 1 in reader.rows else {}
        header_row += 1
    funds = form.funds
    found_rows: list[str] = []
    for row in range(header_row + 1, min(header_row + 8, reader.rows.stop)):
        kind = next(
            (
                role
                for role, words in _FUNDS_ROWS
                for cell in reader.normed[row]
                if cell in words
                or (role != "other" and any(cell.startswith(w) for w in words if len(w) >= 4))
            ),
            None,
        )
        if kind is None:
            if any(cell.startswith(("年度总体目标", "绩效指标", "一级指标")) for cell in reader.normed[row]):
                break
            figures = [decimal_of(reader.cell(row, column)) for column in columns.values()]
            label = next(
                (
                    text
                    for _col, text in reader.cells(row)
                    if text and decimal_of(text) is None and not norm(text).startswith("项目资金")
                ),
                "",
            )
            if label and any(figure is not None for figure in figures):
                form.skipped.append(
                    f"{reader.where}第 {row + 1} 行：“{_clean_text(label)}”不是资金栏目，未导入"
                )
            continue

        def figure(role: str, row: int = row) -> Decimal | None:
            return decimal_of(reader.cell(row, columns[role])) if role in columns else None

        if kind == "total":
            initial, annual, actual, budget = (
                figure("initial"),
                figure("annual"),
                figure("actual"),
                figure("budget"),
            )
            funds.initial_budget = initial if initial is not None else budget
            funds.annual_budget = (
                annual if annual is not None else (budget if budget is not None else initial)
            )
            if funds.initial_budget == 0 and funds.annual_budget:
                funds.initial_budget = None  # "0" for "not filled in" on older forms
            funds.actual_spent = actual
            if "rate" in columns:
                funds.stated_execution_rate = rate_of(reader.cell(row, columns["rate"]))
            if "score" in columns:
                form.stated_execution_score = figure("score")
        else:
            amount = next(
                (
                    value
                    for value in (figure("annual"), figure("budget"), figure("initial"))
                    if value is not None
                ),
                None,
            )
            setattr(funds, kind, amount)
        found_rows.append(kind)
    if not found_rows:
        form.skipped.append(
            f"{reader.where}第 {header_row + 1} 行：找到“项目资金”但没有“年度资金总额”行，资金未导入"
        )
        return False
    unit = form.money_unit.value if form.unit_stated else f"{form.money_unit.value}（表中未写明，按万元）"
    form.found.append(f"项目资金（{unit}）：{reader.where}第 {header_row + 1} 行起")
    return True


def _goals(reader: _Reader, form: FormRead) -> None:
    at = reader.find(("年度总体目标",), prefix=True)
    if at is None:
        return
    row, column = at
    goal_col: int | None = column if "预期目标" in reader.normed[row][column] else None
    actual_col: int | None = None
    header_row = row
    for candidate in (row, row + 1):
        if candidate not in reader.rows:
            continue
        for col, cell in enumerate(reader.normed[candidate]):
            if col == column and candidate == row:
                continue
            if cell.startswith("预期目标") and goal_col is None:
                goal_col, header_row = col, candidate
            elif cell.startswith(("实际完成情况", "实际完成")) and actual_col is None:
                actual_col, header_row = col, candidate
        if goal_col is not None or actual_col is not None:
            break
    value_row = header_row + 1
    if goal_col is None and actual_col is None:
        values = [text for col, text in reader.cells(row) if col > column and not _is_empty(text)]
        values = [text for text in values if norm(text) != reader.normed[row][column]]
        form.overall_goal = _clean_text(values[0]) if values else ""
        form.overall_goal_actual = _clean_text(values[1]) if len(values) > 1 else ""
    elif value_row in reader.rows:
        if goal_col is not None:
            form.overall_goal = _goal_text(reader, value_row, goal_col)
        if actual_col is not None:
            form.overall_goal_actual = _goal_text(reader, value_row, actual_col)
    if form.overall_goal or form.overall_goal_actual:
        form.found.append(f"年度总体目标：{reader.where}第 {row + 1} 行")


def _goal_text(reader: _Reader, row: int, column: int) -> str:
    text = reader.text(row, column)
    return "" if norm(text) in _LABELS or _is_empty(text) else _clean_text(text)


def _indicators(reader: _Reader, form: FormRead) -> bool:
    at = reader.find(("三级指标", "三级", "指标名称", "绩效指标名称"))
    if at is None:
        return False
    header_row = at[0]
    columns = reader.headers(header_row, _INDICATOR_HEADERS)
    if header_row + 1 in reader.rows:
        below = reader.headers(header_row + 1, _INDICATOR_HEADERS)
        if {"target", "actual", "weight"} & below.keys() and not {"target", "actual"} & columns.keys():
            columns.update({role: col for role, col in below.items() if role not in columns})
            header_row += 1
    if "name" not in columns:
        return False
    reader.indicator_columns = columns
    level1: Level1 | None = None
    level2: Level2 | None = None
    count = 0
    for row in range(header_row + 1, reader.rows.stop):
        normed = reader.normed[row]
        if any(cell in ("总分", "合计", "总计") or cell.startswith(("总分", "评价等级")) for cell in normed):
            break
        name = _clean_text(reader.text(row, columns["name"]))
        if "level1" in columns:
            level1 = _LEVEL1_WORDS.get(_bare(normed[columns["level1"]]), level1)
        if "level2" in columns:
            found = level2_from_text(_bare(normed[columns["level2"]]))
            level2 = found if found is not None else (level2 if not normed[columns["level2"]] else None)
        if not name or norm(name) in _LABELS:
            continue
        if level2 is None:
            words = normed[columns["level2"]] if "level2" in columns else ""
            form.skipped.append(
                f"{reader.where}第 {row + 1} 行：指标“{name}”的二级指标“{words or '（空）'}”无法识别，未导入"
            )
            continue
        form.indicators.append(_indicator(reader, row, columns, name, level1, level2))
        count += 1
    form.found.append(f"绩效指标 {count} 项：{reader.where}第 {at[0] + 1} 行起")
    return count > 0


def _indicator(
    reader: _Reader, row: int, columns: dict[str, int], name: str, level1: Level1 | None, level2: Level2
) -> Indicator:
    def cell(role: str) -> str:
        if role not in columns:
            return ""
        text = reader.text(row, columns[role])
        return "" if _is_empty(text) else _clean_text(text)

    def raw(role: str) -> GridCell:
        return reader.cell(row, columns[role]) if role in columns else ""

    nature_text = norm(cell("nature"))
    unit = norm(cell("unit"))
    qualitative = nature_text == "定性"
    operator: Operator | None = None
    if nature_text and not qualitative:
        try:
            operator = normalise_operator(nature_text)
        except ParseError:
            operator = {"正向": Operator.GE, "反向": Operator.LE, "等于": Operator.EQ}.get(nature_text)
    target_text, actual_text = cell("target"), cell("actual")
    target, target_unit, target_operator, target_qual = _value(target_text, unit, operator)
    actual, actual_unit, _op, actual_qual = _value(actual_text, unit, None)
    qualitative = qualitative or target_qual or (not target_text and actual_qual)
    return Indicator(
        name=name,
        level2=level2,
        level1=level1 if level1 is not None and level1 is not LEVEL1_OF[level2] else None,
        nature=Nature.QUALITATIVE if qualitative else Nature.QUANTITATIVE,
        operator=Operator.QUALITATIVE if qualitative else (target_operator or operator),
        target=target,
        unit="" if qualitative else (target_unit or actual_unit or unit),
        actual=actual,
        weight=decimal_of(raw("weight")),
        score=decimal_of(raw("score")),
        deviation_reason=cell("reason"),
    )


def _value(text: str, unit: str, operator: Operator | None) -> tuple[str, str, Operator | None, bool]:
    """(value text, unit, operator, qualitative) of a target or actual as written, with the columns' unit and operator."""
    if not text:
        return "", "", None, False
    written = norm(text)
    if unit and _NUMBER_RE.match(written.lstrip("≥≤<>=＞＜＝")):
        written += unit
    if operator is not None and operator is not Operator.QUALITATIVE and not _OPERATOR_RE.match(written):
        written = operator.value + written
    try:
        parsed = parse_value(written)
    except ParseError:
        return text, unit, None, False
    qualitative = parsed.kind is ValueKind.QUALITATIVE
    return parsed.text(), parsed.unit, parsed.operator, qualitative


def _total(reader: _Reader, form: FormRead) -> None:
    at = reader.find(("总分", "合计", "总计", "自评总分"))
    if at is None:
        at = reader.find(("总分",), prefix=True)
    if at is not None:
        row, column = at
        numbers: list[tuple[int, Decimal]] = []
        label_col: int | None = None
        for col, text in reader.cells(row):
            if norm(text) in ("自评得分", "得分", "自评总分"):
                label_col = col
            number = decimal_of(text) if col > column and norm(text) != reader.normed[row][column] else None
            if number is not None:
                numbers.append((col, number))
        claimed: Decimal | None = None
        score_col, weight_col = reader.indicator_columns.get("score"), reader.indicator_columns.get("weight")
        if score_col is not None:
            claimed = decimal_of(reader.cell(row, score_col))
        if claimed is None and label_col is not None:
            after = [number for col, number in numbers if col > label_col]
            below = decimal_of(reader.cell(row + 1, label_col)) if row + 1 in reader.rows else None
            claimed = after[0] if after else below
        if claimed is None and len(numbers) >= 2:
            claimed = numbers[-1][1]
        elif claimed is None and numbers and numbers[0][0] != weight_col:
            claimed = numbers[0][1]
        form.claimed_total = claimed
        if claimed is not None:
            form.found.append(f"自评得分 {claimed:f} 分：{reader.where}第 {row + 1} 行")
    grade_at = reader.find(("评价等级",), prefix=True)
    if grade_at is not None:
        row, column = grade_at
        own = reader.normed[row][column].removeprefix("评价等级").lstrip(":")
        candidates = [own, norm(reader.value_after(row, column))]
        if row + 1 in reader.rows:
            candidates.append(reader.normed[row + 1][column])
        form.claimed_grade = next((_GRADES[word] for word in candidates if word in _GRADES), None)
