"""自评表 layouts and Word documents built inside the tests (python-docx, openpyxl): no binary fixtures.

A form is a list of rows (each a list of cell values, ``None`` for a cell a merge covers) and
the merged regions (row, column, rows, columns); the same form becomes a worksheet
(``form_xlsx``) or a Word table (``add_form_table``), so every layout is tried in both.
The projects, units and figures are made up for the tests.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

Cell = str | int | float | Decimal | None


@dataclass
class Form:
    """A form as rows and merged regions (row, column, rows, columns), 0-based."""

    rows: list[list[Cell]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    percent_cells: list[tuple[int, int]] = field(default_factory=list)  # stored as 0.9364 with a % format

    @property
    def width(self) -> int:
        return max(len(row) for row in self.rows)


# the indicator rows of the made-up street-lamp project: 一级, 二级, 三级, target, actual, weight, score, reason
LAMP_ROWS: list[tuple[str, str, str, str, str, Cell, Cell, str]] = [
    ("产出指标", "数量指标", "维修路灯\n数量", "≥200盏", "215盏", 20, 20, "—"),
    ("产出指标", "数量指标", "更换灯杆数量", "≥30根", "28根", 5, 4.67, "两处道路施工，灯杆移至次年"),
    ("产出指标", "质量指标", "维修合格率", "≥98%", "99%", 10, 10, ""),
    ("产出指标", "时效指标", "完工时间", "2021年11月30日前", "2021年11月20日", 10, 10, "—"),
    ("产出指标", "成本指标", "单盏维修成本", "≤0.05万元", "0.048万元", 5, 5, "—"),
    ("效益指标", "社会效益指标", "夜间出行安全改善", "有效改善", "达成年度指标", 30, 28, "—"),
    ("满意度指标", "服务对象满意度指标", "沿线居民满意度", "≥90%", "93%", 10, 10, "—"),
]


def national_form(
    *,
    unit: str = "万元",
    name: str = "2021年度城区路灯维修项目",
    money: Sequence[Cell] = (120, 118, 110.5),
    rate: Cell = "93.64%",
    execution_score: Cell = 9.36,
    sources: Sequence[Cell] = (100, 18, "—"),
    total: Cell = 97.03,
    grade: str = "评价等级：优",
    spaced_label: bool = True,
) -> Form:
    """The national 2020 layout (nine columns, merged labels), as units fill it in."""
    rows: list[list[Cell]] = [
        ["项目支出绩效自评表", None, None, None, None, None, None, None, None],
        ["（2021年度）", None, None, None, None, None, None, None, None],
        ["项目名称", name, None, None, None, None, None, None, None],
        ["主管部门", "东湖区城市管理局", None, None, "实施单位", None, "东湖区路灯管理所", None, None],
        [
            f"项目资金\n（{unit}）",
            "",
            None,
            "年初预算数",
            "全年预算数",
            "全年执行数",
            "分值",
            "执行率",
            "得分",
        ],
        [None, "年度资金总额", None, *money, 10, rate, execution_score],
        [None, "其中：当年财政拨款", None, "—", sources[0], "—", "—", "—", "—"],
        [None, "上年结转资金", None, "—", sources[1], "—", "—", "—", "—"],
        [None, "其他资金", None, "—", sources[2], "—", "—", "—", "—"],
        ["年度\n总体\n目标", "预期目标", None, None, None, "实际完成情况", None, None, None],
        [
            None,
            "完成城区主干道路灯维修，亮灯率保持在98%以上",
            None,
            None,
            None,
            "全年维修路灯215盏，亮灯率99%",
            None,
            None,
            None,
        ],
        [
            "绩 效 指 标" if spaced_label else "绩效指标",
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析\n及改进措施",
        ],
    ]
    merges = [
        (0, 0, 1, 9),
        (1, 0, 1, 9),
        (2, 1, 1, 8),
        (3, 1, 1, 3),
        (3, 4, 1, 2),
        (3, 6, 1, 3),
        (4, 0, 5, 1),
    ]
    merges += [(4, 1, 1, 2), (5, 1, 1, 2), (6, 1, 1, 2), (7, 1, 1, 2), (8, 1, 1, 2)]
    merges += [(9, 0, 2, 1), (9, 1, 1, 4), (9, 5, 1, 4), (10, 1, 1, 4), (10, 5, 1, 4)]
    first = len(rows)
    _indicator_rows(rows, merges, LAMP_ROWS, first, label_column=True)
    merges.append((first - 1, 0, len(rows) - first + 1, 1))
    rows.append(["总分", None, None, None, None, None, 100, total, grade])
    merges.append((len(rows) - 1, 0, 1, 6))
    return Form(rows, merges)


def _indicator_rows(
    rows: list[list[Cell]],
    merges: list[tuple[int, int, int, int]],
    indicators: Sequence[Sequence[Cell]],
    first: int,
    *,
    label_column: bool,
) -> None:
    """Append indicator rows with their 一级/二级 cells merged over the rows they span."""
    offset = 1 if label_column else 0
    for at, row in enumerate(indicators):
        level1, level2, *rest = row
        previous = indicators[at - 1] if at else None
        cells: list[Cell] = [None] if label_column else []
        cells.append(None if previous is not None and previous[0] == level1 else level1)
        cells.append(None if previous is not None and previous[:2] == row[:2] else level2)
        cells.extend(rest)
        rows.append(cells)
    for column in (0, 1):
        start = 0
        for at in range(1, len(indicators) + 1):
            if at == len(indicators) or indicators[at][: column + 1] != indicators[start][: column + 1]:
                if at - start > 1:
                    merges.append((first + start, column + offset, at - start, 1))
                start = at


def form_xlsx(forms: Sequence[tuple[str, Form]]) -> bytes:
    """A workbook with one sheet per (name, form)."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, form in forms:
        sheet = book.create_sheet(name)
        for r, row in enumerate(form.rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    sheet.cell(r, c, float(value) if isinstance(value, Decimal) else value)
        for r, c in form.percent_cells:
            sheet.cell(r + 1, c + 1).number_format = "0.00%"
        for r, c, rows, columns in form.merges:
            if rows > 1 or columns > 1:
                sheet.merge_cells(
                    start_row=r + 1, start_column=c + 1, end_row=r + rows, end_column=c + columns
                )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def add_form_table(document: Any, form: Form) -> None:
    """The form as a Word table with real merged cells (gridSpan, vMerge), in ``document``."""
    width = form.width
    table = document.add_table(rows=len(form.rows), cols=width)
    table.style = "Table Grid"
    for r, row in enumerate(form.rows):
        for c in range(width):
            value = row[c] if c < len(row) else None
            if value is not None and value != "":
                text = f"{value:f}" if isinstance(value, Decimal) else str(value)
                table.cell(r, c).text = text
    for r, c, rows, columns in form.merges:
        if rows > 1 or columns > 1:
            table.cell(r, c).merge(table.cell(r + rows - 1, c + columns - 1))


def docx_bytes(document: Any) -> bytes:
    """The document saved to bytes."""
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def form_docx(form: Form, *, before: Sequence[str] = ("附件1",)) -> bytes:
    """A Word document holding only the form (after a line or two such as ``附件1``)."""
    import docx

    document = docx.Document()
    for line in before:
        document.add_paragraph(line)
    add_form_table(document, form)
    return docx_bytes(document)


WATER_ROWS: list[tuple[str, str, str, str, Cell, str, Cell, Cell, Cell, str]] = [
    # 一级, 二级, 三级, 指标性质, 年度指标值, 度量单位, 实际完成值, 分值, 得分, 偏差原因
    ("产出指标", "数量指标", "维护供水点", "≥", 40, "个", 42, 30, 30, "—"),
    ("产出指标", "质量指标", "水质检测合格率", "≥", 95, "%", 97, 20, 20, "—"),
    ("产出指标", "成本指标", "维护总成本", "≤", 1329120, "元", 1200000.5, 10, 10, "—"),
    ("效益指标", "社会效益指标", "群众饮水保障", "定性", "有效保障", "", "达成年度指标", 20, 18, "—"),
    ("满意度指标", "服务对象满意度指标", "受益群众满意度", "≥", 90, "%", 92, 10, 10, "—"),
]


def sichuan_form(name: str = "2019年度农村饮水安全维护项目") -> Form:
    """Money in 元, separate 指标性质 and 度量单位 columns, 10 + 90 weights, "0" for nothing."""
    rows: list[list[Cell]] = [
        ["项目名称", name, None, None, None, None, None, None, None, None],
        ["主管部门", "青山县水务局", None, None, None, "实施单位", "青山县供水站", None, None, None],
        [
            "项目资金（元）",
            None,
            None,
            "年初预算数",
            "全年预算数",
            "全年执行数",
            "分值",
            "执行率",
            "得分",
            None,
        ],
        ["年度资金总额", None, None, 1329120, 1329120, Decimal("1200000.50"), 10, 0.9029, 9.03, None],
        ["其中：当年财政拨款", None, None, 1329120, 1329120, Decimal("1200000.50"), None, None, None, None],
        ["上年结转资金", None, None, 0, 0, 0, None, None, None, None],
        ["其他资金", None, None, 0, 0, 0, None, None, None, None],
        ["年度总体目标", "预期目标", None, None, None, "实际完成情况", None, None, None, None],
        [
            None,
            "保障全县农村供水点正常运行",
            None,
            None,
            None,
            "42个供水点全年正常供水",
            None,
            None,
            None,
            None,
        ],
        [
            "一级指标",
            "二级指标",
            "三级指标",
            "指标性质",
            "年度指标值",
            "度量单位",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
        ],
    ]
    merges = [(0, 1, 1, 9), (1, 1, 1, 4), (1, 6, 1, 4), (2, 0, 1, 3), (3, 0, 1, 3), (4, 0, 1, 3)]
    merges += [
        (5, 0, 1, 3),
        (6, 0, 1, 3),
        (7, 0, 2, 1),
        (7, 1, 1, 4),
        (7, 5, 1, 5),
        (8, 1, 1, 4),
        (8, 5, 1, 5),
    ]
    first = len(rows)
    _indicator_rows(rows, merges, WATER_ROWS, first, label_column=False)
    rows.append(["总分", None, None, None, None, None, None, 100, 97.03, None])
    rows.append(["评价等级", "优", None, None, None, None, None, None, None, None])
    merges.append((len(rows) - 2, 0, 1, 7))
    return Form(rows, merges, percent_cells=[(3, 7)])


def older_form(budget_words: tuple[str, str] = ("年初预算数", "全年执行数")) -> Form:
    """A 2018 form: only a budget and an executed amount, 指标值/实际值 headers, "—" for empty."""
    budget, spent = budget_words
    rows: list[list[Cell]] = [
        ["2018年度项目支出绩效自评表", None, None, None, None, None, None],
        ["项目名称", "老年活动中心运行经费", None, None, None, None, None],
        ["主管部门", "河西区民政局", None, "实施单位", "河西区老年活动中心", None, None],
        ["项目资金（万元）", None, budget, spent, "执行率", None, None],
        ["年度资金总额", None, "50.00", "48.00", "96%", None, None],
        ["其中：财政拨款", None, "50.00", "48.00", "—", None, None],
        ["其他资金", None, "—", "—", "—", None, None],
        ["年度总体目标", "全年开展文体活动不少于24次", None, None, None, None, None],
        ["一级指标", "二级指标", "三级指标", "指标值", "实际值", "分值", "得分"],
        ["产出指标", "数量\n指标", "开展活动次数", "≥24次", "26次", 50, 50],
        ["效益指标", "社会效益\n指标", "参与老人人次", "≥3000人次", "3200人次", 30, 30],
        ["满意度指标", "服务对象\n满意度指标", "老人满意度", "≥90%", "95%", 10, 10],
        ["总分", None, None, None, None, 100, 99.6],
    ]
    merges = [(0, 0, 1, 7), (1, 1, 1, 6), (2, 1, 1, 2), (2, 4, 1, 3), (3, 0, 1, 2), (4, 0, 1, 2)]
    merges += [(5, 0, 1, 2), (6, 0, 1, 2), (7, 1, 1, 6), (12, 0, 1, 5)]
    return Form(rows, merges)


_HEADING_NUMBERING = """
<w:abstractNum xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:abstractNumId="90">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:pStyle w:val="Heading1"/>
    <w:lvlText w:val="%1、"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:pStyle w:val="Heading2"/>
    <w:lvlText w:val="（%2）"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:pStyle w:val="Heading3"/>
    <w:lvlText w:val="%3."/></w:lvl>
  <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:pStyle w:val="Heading4"/>
    <w:lvlText w:val="（%4）"/></w:lvl>
</w:abstractNum>"""


def number_headings_automatically(document: Any) -> None:
    """Attach a 公文 multi-level list (一、（一）1.（1）) to the Heading 1–4 styles, as Word does."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(_HEADING_NUMBERING))
    numbering.append(
        parse_xml(
            '<w:num xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:numId="90">'
            '<w:abstractNumId w:val="90"/></w:num>'
        )
    )
    for level in range(1, 5):
        ppr = document.styles[f"Heading {level}"].element.get_or_add_pPr()
        numpr = parse_xml(
            '<w:numPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            '<w:numId w:val="90"/></w:numPr>'
        )
        ppr.insert(0, numpr)
        assert ppr.find(qn("w:numPr")) is not None


def report_docx_from_text(text: str, *, headings: str = "typed") -> bytes:
    """A report's text as a Word document, one paragraph per line.

    ``headings``: ``typed`` keeps every line as written; ``styled`` puts numbered headings on
    Heading 1–4 styles with the number removed from the text (Word would show none);
    ``automatic`` does the same and numbers the Heading styles with Word's automatic numbering;
    ``shifted`` puts the first line (the title) on Heading 1 and the numbered headings one level
    lower (一、 on Heading 2), as many documents do.
    """
    import docx

    from report.importer.headings import numbered_heading

    document = docx.Document()
    if headings == "automatic":
        number_headings_automatically(document)
    shift = 1 if headings == "shifted" else 0
    first = True
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if first and shift:
            document.add_paragraph(line, style="Heading 1")
            first = False
            continue
        first = False
        numbered = numbered_heading(line) if headings != "typed" else None
        if numbered is not None:
            depth, _number, title = numbered
            heading_like = len(title) <= 30 and not any(mark in title for mark in "，。；")
            if depth <= 4 and heading_like:
                document.add_paragraph(title, style=f"Heading {depth + shift}")
                continue
        document.add_paragraph(line)
    return docx_bytes(document)
