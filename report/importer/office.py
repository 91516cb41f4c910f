"""Reports from Word and Excel content (``structure.OfficeContent``): the prose, the 自评表, or both.

``import_office`` gives one ``ImportResult`` per report the file holds:

* a workbook: one per 自评表 found on its sheets (one per project);
* a Word document: its body goes through the text reader (``docx_body`` supplies the numbers
  Word's automatic numbering shows); a 自评表 table in it (usually 附件1) is read as a form and
  its figures are taken over the prose's, the differences listed; further forms in the same
  document give a report each; a document that is only a form gives the form's report.

``form_figures`` says which fields a form sets and how they differ from a report's, for
``jixiao import --into``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from report.errors import ParseError
from report.importer.docx_body import body_lines
from report.importer.form import FormRead, find_forms, looks_like_form
from report.importer.result import ImportResult
from report.importer.structure import DocTable, OfficeContent
from report.importer.text_reader import DEFAULT_TITLE, read_lines
from report.model import Funds, Grade, Level2, MoneyUnit, Report
from report.money import format_money
from report.outline import Outline
from report.serialize import get_path, set_path

_FUNDS_LABELS = {
    "initial_budget": "年初预算数",
    "annual_budget": "全年预算数",
    "actual_spent": "全年执行数",
    "fiscal_current": "当年财政拨款",
    "carried_over": "上年结转资金",
    "other": "其他资金",
}
_TEN_THOUSAND = Decimal(10000)


def import_office(content: OfficeContent, outlines: Iterable[Outline]) -> list[ImportResult]:
    """Every report a .docx or .xlsx holds (see the module docstring); ``ParseError`` when none."""
    choices = list(outlines)
    if not choices:
        raise ParseError("没有可用的提纲，无法识别报告结构", "请检查模板文件是否齐全")
    if content.kind == "xlsx":
        return _workbook(content, choices)
    return _document(content, choices)


def _workbook(content: OfficeContent, outlines: Sequence[Outline]) -> list[ImportResult]:
    forms = [form for sheet in content.sheets for form in find_forms(sheet.grid, f"工作表“{sheet.name}”")]
    if not forms:
        names = "、".join(f"“{sheet.name}”" for sheet in content.sheets[:5]) or "（无工作表）"
        raise ParseError(
            f"工作簿的工作表 {names} 中没有找到项目支出绩效自评表（没有“项目资金”“年度资金总额”或“三级指标”）",
            "请确认选择的是自评表；表头应写有“项目资金（万元）”“年初预算数”“三级指标”等栏目",
        )
    results = [form_result(form, outlines[0], "xlsx") for form in forms]
    for result in results:
        result.notes.extend(content.ignored)
    return results


def _document(content: OfficeContent, outlines: Sequence[Outline]) -> list[ImportResult]:
    forms: list[tuple[DocTable, FormRead]] = []
    for block in content.body:
        if isinstance(block, DocTable) and looks_like_form(block.grid):
            where = f"表格 {block.index}（第 {block.after_paragraph} 段之后）"
            for form in find_forms(block.grid, where):
                if forms and _continues(forms[-1][1], form):
                    _join(forms[-1][1], form)
                    forms.append((block, forms[-1][1]))
                else:
                    forms.append((block, form))
    form_tables = {table.index for table, _form in forms}
    forms = [
        (table, form) for at, (table, form) in enumerate(forms) if all(form is not f for _t, f in forms[:at])
    ]
    body = body_lines(content.body, form_tables)
    written = list(body.lines)
    jixiao = any(line.startswith(_JIXIAO_SCORE_TEXT) for line in body.lines)
    if jixiao:
        _drop_generated(body.lines, body.origin)
    paragraphs = sum(1 for block in content.body if not isinstance(block, DocTable))
    prose: ImportResult | None = None
    problem: ParseError | None = None
    if body.lines:
        try:
            prose = read_lines(body.lines, outlines)
        except ParseError as error:
            problem = error
    if prose is None:
        if not forms:
            raise problem or ParseError(
                "Word 文档中没有文字，也没有自评表", "请确认选择的是项目支出绩效（自）评价报告或自评表"
            )
        results = [form_result(form, outlines[0], "docx") for _table, form in forms]
        if len(body.lines) > 3 or any(len(line) > 30 for line in body.lines):
            results[0].kept_aside.append(
                f"正文 {len(body.lines)} 行（第 1–{paragraphs} 段）看不出报告的章节结构，未导入；只导入了自评表"
            )
    else:
        prose.source = "docx"
        numbering = []
        if body.numbered:
            numbering.append(f"Word 自动编号的标题 {body.numbered} 个")
        if body.synthesised:
            numbering.append(f"按标题样式补上编号 {body.synthesised} 个")
        extra = f"（{'，'.join(numbering)}）" if numbering else ""
        prose.where.append(f"正文：第 1–{paragraphs} 段{extra}")
        prose.where.extend(body.notes)
        _where_unplaced(prose, body.lines, body.origin)
        results = [prose]
        if forms:
            first = forms[0][1]
            prose.form = first
            report = prose.report
            report.unit_name = report.unit_name or first.unit_name
            report.department = report.department or first.department
            prose.where.append(f"自评表：{first.where}")
            prose.where.extend(first.found)
            prose.kept_aside.extend(first.skipped)
            differences = apply_form(prose.report, first, against="正文")
            if differences:
                prose.notes.append("正文与自评表不一致之处（已取自评表的数字）：")
                prose.notes.extend(f"  · {line}" for line in differences)
            results.extend(form_result(form, outlines[0], "docx") for _table, form in forms[1:])
        _stated_claim(prose, written)
        if jixiao and prose.report.funds.received is None:
            received = next(
                (_RECEIVED_RE.search(line) for line in written if _GENERATED_RE.match(line)), None
            )
            if received is not None:
                prose.report.funds.received = Decimal(received[1].replace(",", ""))
    for result in results:
        result.notes.extend(content.ignored)
    return results


_JIXIAO_SCORE_TEXT = "按评分规则计算，综合得分"
_GENERATED_RE = re.compile(
    r"^(?:(?:年初预算数|全年预算数) [\d,.]+ (?:万元|元)，.*全年执行数 |预算执行率 [\d.]+%（全年执行数 |"
    + _JIXIAO_SCORE_TEXT
    + r"|预算执行率（待填写）|（待填写）$)"
)
_RECEIVED_RE = re.compile(r"到位资金 ([\d,]+(?:\.\d+)?) (?:万元|元)")
_ITEM_RE = re.compile(r"^.+：年度指标值 .+，实际完成值 .+。$")


def _drop_generated(lines: list[str], origin: list[str]) -> None:
    """A Word file jixiao wrote: drop the paragraphs it generates from the figures (funds, 执行率,
    score, indicator lists), which the figures already hold, so they do not land in the prose."""
    categories = {level.value for level in Level2}
    keep: list[int] = []
    for index, line in enumerate(lines):
        if _GENERATED_RE.match(line):
            continue
        if line in categories and index + 1 < len(lines) and _ITEM_RE.match(lines[index + 1]):
            continue
        if (
            _ITEM_RE.match(line)
            and keep
            and (lines[keep[-1]] in categories or _ITEM_RE.match(lines[keep[-1]]))
        ):
            continue
        keep.append(index)
    kept_lines = [lines[index] for index in keep]
    kept_origin = [origin[index] for index in keep]
    lines[:] = kept_lines
    origin[:] = kept_origin


_CLAIMED_TOTAL_RE = re.compile(r"报告自评得分为\s*(\d+(?:\.\d+)?)\s*分")
_CLAIMED_GRADE_RE = re.compile(r"报告自评等级为“(优|良|中|差)”")


def _stated_claim(result: ImportResult, lines: Sequence[str]) -> None:
    """A report written by jixiao states its claim in words ("报告自评得分为 100.00 分"): that claim
    wins over its 附件1, whose 自评得分 cell is the score computed by the rules."""
    text = "\n".join(lines)
    total = _CLAIMED_TOTAL_RE.search(text)
    grade = _CLAIMED_GRADE_RE.search(text)
    report = result.report
    if total is not None:
        claimed = Decimal(total[1])
        if report.claimed_total is not None and claimed != report.claimed_total:
            result.notes.append(
                f"自评得分按正文所写的 {claimed:f} 分（附件1 中的 {report.claimed_total:f} 分是按评分规则算出的得分）"
            )
        report.claimed_total = claimed
    if grade is not None:
        report.claimed_grade = Grade(grade[1])


def _continues(previous: FormRead, form: FormRead) -> bool:
    """Whether a table holds the rest of the form before it (a form split over two tables, or pages)."""
    has_funds = form.funds.annual_budget is not None or form.funds.initial_budget is not None
    return not form.title and not has_funds and bool(form.indicators) and not previous.indicators


def _join(previous: FormRead, rest: FormRead) -> None:
    previous.indicators = rest.indicators
    previous.claimed_total = (
        previous.claimed_total if previous.claimed_total is not None else rest.claimed_total
    )
    previous.claimed_grade = previous.claimed_grade or rest.claimed_grade
    previous.overall_goal = previous.overall_goal or rest.overall_goal
    previous.overall_goal_actual = previous.overall_goal_actual or rest.overall_goal_actual
    previous.found.extend(rest.found)
    previous.skipped.extend(rest.skipped)
    previous.where += f"，续 {rest.where}"


def _where_unplaced(result: ImportResult, lines: Sequence[str], origin: Sequence[str]) -> None:
    """Say in which paragraph each piece of unplaced text was."""
    at = {line: origin[index] for index, line in enumerate(lines)}
    places = [at[item.text] for item in result.unplaced if item.text in at]
    if places:
        shown = "、".join(dict.fromkeys(places[:6]))
        more = " 等" if len(places) > 6 else ""
        result.where.append(f"未能归入对应问题的文字在：{shown}{more}")


def form_result(form: FormRead, outline: Outline, source: str) -> ImportResult:
    """A new report from a form alone: its figures, the prose steps empty."""
    title = form.title or DEFAULT_TITLE
    if form.title and not form.title.endswith("报告"):
        title = f"{form.title}{'支出' if form.title.endswith('项目') else ''}绩效自评报告"
    report = Report(title=title, unit_name=form.unit_name, department=form.department, template_id=outline.id)
    notes: list[str] = []
    if form.year is not None:
        report.year = form.year
    else:
        notes.append(f"自评表没有写年度，暂按 {report.year} 年，请核对")
    report.money_unit = form.money_unit
    apply_form(report, form, against="")
    if not form.unit_stated:
        notes.append("自评表的“项目资金”栏没有写明金额单位，暂按万元，请核对")
    if form.stated_execution_score is not None:
        notes.append(f"执行率得分（表中所填）：{form.stated_execution_score:f} 分")
    return ImportResult(
        report=report,
        outline=outline,
        source=source,
        where=[f"自评表：{form.where}", *form.found],
        kept_aside=list(form.skipped),
        notes=notes,
        form_only=True,
        form=form,
    )


def _convert(amount: Decimal | None, source: MoneyUnit, target: MoneyUnit) -> Decimal | None:
    if amount is None or source is target:
        return amount
    return amount / _TEN_THOUSAND if target is MoneyUnit.WAN else amount * _TEN_THOUSAND


def form_figures(report: Report, form: FormRead) -> dict[str, object]:
    """The fields a form sets, as field paths → values in ``report``'s money unit (or the form's, for a report without money).

    Only what the form states: an empty cell leaves the report's value alone.
    """
    has_money = bool(report.budget_lines) or any(
        getattr(report.funds, name) is not None for name in _FUNDS_LABELS
    )
    unit = report.money_unit if has_money or not form.unit_stated else form.money_unit
    figures: dict[str, object] = {}
    if unit is not report.money_unit:
        figures["money_unit"] = unit
    funds: Funds = form.funds
    for name in _FUNDS_LABELS:
        value = _convert(getattr(funds, name), form.money_unit, unit)
        if value is not None:
            figures[f"funds.{name}"] = value
    if funds.stated_execution_rate is not None:
        figures["funds.stated_execution_rate"] = funds.stated_execution_rate
    if form.stated_execution_score is not None:
        figures["funds.stated_execution_score"] = form.stated_execution_score
    if form.overall_goal:
        figures["overall_goal"] = form.overall_goal
    if form.overall_goal_actual:
        figures["overall_goal_actual"] = form.overall_goal_actual
    if form.indicators:
        figures["indicators"] = list(form.indicators)
        figures["weights"] = form.weights
    if form.claimed_total is not None:
        figures["claimed_total"] = form.claimed_total
    if form.claimed_grade is not None:
        figures["claimed_grade"] = form.claimed_grade
    return figures


def figure_differences(report: Report, figures: dict[str, object], against: str) -> list[str]:
    """One Chinese line per figure where ``report`` states something else (``against`` names it: 正文, 原报告)."""
    unit = figures.get("money_unit", report.money_unit)
    assert isinstance(unit, MoneyUnit)
    lines = []
    for path, new in figures.items():
        old = get_path(report, path)
        if old is None or old == new or path in ("weights", "money_unit"):
            continue
        name = path.removeprefix("funds.")
        if name in _FUNDS_LABELS and isinstance(old, Decimal) and isinstance(new, Decimal):
            old_value = _convert(old, report.money_unit, unit) or Decimal(0)
            if old_value == new:
                continue
            lines.append(
                f"{_FUNDS_LABELS[name]}：{against} {format_money(old_value, unit, with_unit=True)}，"
                f"自评表 {format_money(new, unit, with_unit=True)}"
            )
        elif path == "indicators" and isinstance(old, list) and isinstance(new, list):
            if old:
                lines.append(f"绩效指标：{against} {len(old)} 项，自评表 {len(new)} 项（改用自评表的指标）")
        elif path == "claimed_total" and isinstance(old, Decimal) and isinstance(new, Decimal):
            lines.append(f"自评得分：{against} {old:f} 分，自评表 {new:f} 分")
        elif path == "funds.stated_execution_rate" and isinstance(old, Decimal) and isinstance(new, Decimal):
            lines.append(f"执行率：{against} {old * 100:.2f}%，自评表 {new * 100:.2f}%")
        elif path == "claimed_grade":
            lines.append(f"评价等级：{against} {old}，自评表 {new}")
        elif path in ("overall_goal", "overall_goal_actual") and old:
            label = "年度总体目标" if path == "overall_goal" else "总体目标实际完成情况"
            lines.append(f"{label}：{against}与自评表的文字不同（改用自评表的）")
    return lines


def apply_form(report: Report, form: FormRead, *, against: str) -> list[str]:
    """Set a form's figures on ``report`` in place; the differences from what it held (when ``against`` names it)."""
    figures = form_figures(report, form)
    differences = figure_differences(report, figures, against) if against else []
    converted = [name for name in _FUNDS_LABELS if f"funds.{name}" in figures]
    for path, value in figures.items():
        if path == "money_unit":
            continue
        set_path(report, path, value)
    if "money_unit" in figures:
        unit = figures["money_unit"]
        assert isinstance(unit, MoneyUnit)
        report.money_unit = unit
    if against and form.money_unit is not report.money_unit and converted:
        differences.append(
            f"自评表的金额单位是{form.money_unit.value}，已换算为报告的{report.money_unit.value}"
        )
    return differences
