"""Our own Markdown export (``report.render.render_report``), read back block by block.

Recognised by its 附件1 score sheet: the title block, each section's blocks, the budget table and
the score sheet's tables, so an exported report imports as the same report.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from report.importer.headings import _MARKDOWN_HEADING_RE, _unescape_heading
from report.importer.indicators import _indicators_from_sheet
from report.importer.layout import _lay_out, _subtree, _target_of, _Texts
from report.importer.result import ImportResult, Unplaced
from report.importer.tables import _budget_table, _decimal, _table
from report.model import Funds, Grade, MoneyUnit, Report
from report.outline import BlockKind, Outline, Section
from report.render import PLACEHOLDER, SCORE_SHEET_TITLE

_FACTS_LINE_RE = re.compile(
    r"^(?:实施单位：(?P<unit>.*?)；)?(?:主管部门：(?P<dept>.*?)；)?评价年度：(?P<year>\d{1,4})年$"
)
_RECEIVED_RE = re.compile(r"到位资金 ([\d,]+(?:\.\d+)?) (万元|元)")
_CLAIMED_TOTAL_RE = re.compile(r"报告自评得分为 (\d+(?:\.\d+)?) 分")
_CLAIMED_GRADE_RE = re.compile(r"报告自评等级为“(优|良|中|差)”")
_STATED_EXECUTION_SCORE_RE = re.compile(r"报告填报的预算执行率得分为 (\d+(?:\.\d+)?) 分")


_ESCAPED_PROSE_RE = re.compile(r"^\\(?=[#><]|```|~~~|([-*_=+~`])(?:[ \t]*\1){2,}[ \t]*$)")


def _prose_text(paragraphs: Sequence[str]) -> str:
    if len(paragraphs) == 1 and paragraphs[0] == PLACEHOLDER:
        return ""
    return "\n".join(_ESCAPED_PROSE_RE.sub("", paragraph) for paragraph in paragraphs)


class _ExportReader:
    """Our own Markdown export, read back block by block; None when it is not quite ours."""

    def __init__(self, text: str, outlines: Sequence[Outline]) -> None:
        self.paragraphs = self._paragraphs(text)
        self.outlines = outlines
        self.unplaced: list[Unplaced] = []

    @staticmethod
    def _paragraphs(text: str) -> list[str]:
        result: list[str] = []
        for chunk in re.split(r"\n[ \t]*\n", text):
            lines = [line.rstrip() for line in chunk.strip("\n").split("\n")]
            current: list[str] = []
            for line in lines:
                if _MARKDOWN_HEADING_RE.match(line):
                    if current:
                        result.append("\n".join(current))
                        current = []
                    result.append(line.strip())
                elif line.strip():
                    current.append(line)
            if current:
                result.append("\n".join(current))
        return result

    def read(self) -> ImportResult | None:
        paragraphs = self.paragraphs
        sheet_at = paragraphs.index(f"## {SCORE_SHEET_TITLE}")
        body, sheet = paragraphs[:sheet_at], paragraphs[sheet_at + 1 :]
        title_match = _MARKDOWN_HEADING_RE.match(body[0]) if body else None
        if title_match is None or len(title_match["hashes"]) != 1:
            return None
        layouts = [_lay_out(body[1:], outline, markdown=True) for outline in self.outlines]
        layout = max(layouts, key=lambda item: (item.score, -layouts.index(item)))
        outline = layout.outline
        if layout.top_found == 0:
            return None
        report = Report(title=_unescape_heading(title_match["text"]), template_id=outline.id)
        facts = _FACTS_LINE_RE.match(layout.preamble[0]) if layout.preamble else None
        if facts is not None:
            report.unit_name = facts["unit"] or ""
            report.department = facts["dept"] or ""
            report.year = int(facts["year"])
        for line in layout.preamble[1 if facts else 0 :]:
            self.unplaced.append(Unplaced(line, "", "", "标题之后的文字无法归位，未导入"))
        self._sheet(report, sheet)
        texts = _Texts()
        for section in outline.walk():
            paragraphs_here = layout.bodies.get(section.key, [])
            if not section.blocks:
                if paragraphs_here:
                    target = next((t for t in map(_target_of, _subtree(section)) if t), None)
                    self._keep(texts, paragraphs_here, section, target, "这一节没有自己的问题")
                continue
            if not self._section(report, texts, section, paragraphs_here):
                self._keep(
                    texts, paragraphs_here, section, _target_of(section), "内容与导出格式不符，按正文保留"
                )
        texts.fill(report)
        return ImportResult(
            report=report,
            outline=outline,
            source="export",
            found_sections=list(dict.fromkeys(layout.found)),
            extracted_indicators=0,
            unplaced=self.unplaced,
        )

    def _keep(
        self, texts: _Texts, paragraphs: Sequence[str], section: Section, target: str | None, reason: str
    ) -> None:
        path = target or "answers.overview.background"
        texts.add(path, paragraphs)
        for paragraph in paragraphs:
            self.unplaced.append(Unplaced(paragraph, section.heading, path, reason))

    # the score sheet --------------------------------------------------------------------------

    def _sheet(self, report: Report, sheet: Sequence[str]) -> None:
        for paragraph in sheet:
            rows = _table(paragraph)
            if not rows:
                continue
            header = rows[0]
            if header[0].startswith("项目资金（"):
                unit = header[0].removeprefix("项目资金（").removesuffix("）")
                report.money_unit = MoneyUnit.YUAN if unit == MoneyUnit.YUAN.value else MoneyUnit.WAN
                self._money_rows(report.funds, rows[1:])
            elif header[0] == "年度总体目标（预期目标）" and len(rows) > 1 and len(rows[1]) >= 2:
                report.overall_goal, report.overall_goal_actual = rows[1][0], rows[1][1]
            elif header[0] == "一级指标":
                report.indicators = _indicators_from_sheet(rows[1:])

    @staticmethod
    def _money_rows(funds: Funds, rows: Sequence[list[str]]) -> None:
        cells = {row[0]: row for row in rows if row}
        total = cells.get("年度资金总额", [])
        if len(total) >= 4:
            funds.initial_budget = _decimal(total[1])
            funds.annual_budget = _decimal(total[2])
            funds.actual_spent = _decimal(total[3])
        for label, name in (
            ("其中：当年财政拨款", "fiscal_current"),
            ("上年结转资金", "carried_over"),
            ("其他资金", "other"),
        ):
            row = cells.get(label, [])
            if len(row) >= 3:
                setattr(funds, name, _decimal(row[2]))

    # sections ---------------------------------------------------------------------------------

    def _section(self, report: Report, texts: _Texts, section: Section, paragraphs: list[str]) -> bool:
        parts = self._split(report, section, paragraphs, filtered=True)
        if parts is None:  # an older export that showed every category in every indicators block
            parts = self._split(report, section, paragraphs, filtered=False)
        if parts is None:
            return False
        for block, chunk in zip(section.blocks, parts, strict=True):
            if block.kind is BlockKind.FUNDS:
                received = _RECEIVED_RE.search(chunk[0])
                if received is not None:
                    report.funds.received = _decimal(received[1])
            elif block.kind is BlockKind.BUDGET_LINES:
                report.budget_lines = _budget_table(chunk[0])
            elif block.kind is BlockKind.SCORE:
                total = _CLAIMED_TOTAL_RE.search(chunk[0])
                grade = _CLAIMED_GRADE_RE.search(chunk[0])
                report.claimed_total = Decimal(total[1]) if total else None
                report.claimed_grade = Grade(grade[1]) if grade else None
                stated = _STATED_EXECUTION_SCORE_RE.search(chunk[0])
                report.funds.stated_execution_score = Decimal(stated[1]) if stated else None
            elif block.kind is BlockKind.PROSE:
                texts.add(f"answers.{block.key}", [_prose_text(chunk)])
            elif block.kind is BlockKind.OVERALL_GOAL:
                report.overall_goal = _prose_text(chunk)
            elif block.kind is BlockKind.STAGE_GOALS:
                report.stage_goals = _prose_text(chunk)
        return True

    def _split(
        self, report: Report, section: Section, paragraphs: list[str], *, filtered: bool
    ) -> list[list[str]] | None:
        """The paragraphs of each block of a section, or None when they do not fit the blocks.

        Generated blocks take a known number of paragraphs; the prose blocks share the rest. With
        several prose blocks and not exactly one paragraph each, the Markdown does not say where
        one answer ends: all of it goes to the first, and ``unplaced`` says so.
        """
        sizes: list[int | None] = []
        for block in section.blocks:
            if block.kind in _VARIABLE:
                sizes.append(None)
            elif block.kind is BlockKind.INDICATORS:
                sizes.append(_indicator_paragraphs(report, block.key if filtered else ""))
            else:
                sizes.append(1)
        open_blocks = sizes.count(None)
        spare = len(paragraphs) - sum(size for size in sizes if size is not None)
        if spare < open_blocks or (open_blocks == 0 and spare != 0):
            return None
        first_open = sizes.index(None) if open_blocks else -1
        parts: list[list[str]] = []
        start = 0
        for index, (block, size) in enumerate(zip(section.blocks, sizes, strict=True)):
            count = size if size is not None else (spare - open_blocks + 1 if index == first_open else 1)
            chunk = paragraphs[start : start + count]
            start += count
            if not _fits(block.kind, chunk):
                return None
            parts.append(chunk)
        if open_blocks > 1 and spare != open_blocks:
            variable = [i for i, block in enumerate(section.blocks) if block.kind in _VARIABLE]
            merged = [p for i in variable for p in parts[i] if p != PLACEHOLDER] or [PLACEHOLDER]
            for i in variable:
                parts[i] = merged if i == first_open else [PLACEHOLDER]
            self.unplaced.append(
                Unplaced(
                    "\n".join(merged),
                    section.heading,
                    _target_of(section) or "",
                    f"这一节有 {open_blocks} 个问题，无法区分各自的回答，已全部放入第一个问题",
                )
            )
        return parts


_VARIABLE = frozenset({BlockKind.PROSE, BlockKind.OVERALL_GOAL, BlockKind.STAGE_GOALS})


def _fits(kind: BlockKind, chunk: Sequence[str]) -> bool:
    """Whether paragraphs look like what a block of this kind renders."""
    if not chunk:
        return False
    first = chunk[0]
    if kind in _VARIABLE:
        return True
    if kind is BlockKind.FUNDS:
        return first.startswith(("年初预算数 ", "全年预算数 "))
    if kind is BlockKind.BUDGET_LINES:
        return first == PLACEHOLDER or first.startswith("|")
    if kind is BlockKind.EXECUTION:
        return first.startswith("预算执行率")
    if kind is BlockKind.SCORE:
        return first.startswith("按评分规则计算")
    if kind is BlockKind.INDICATORS:
        return list(chunk) == [PLACEHOLDER] or first.startswith("**")
    return False


def _indicator_paragraphs(report: Report, key: str) -> int:
    """How many paragraphs an indicators block renders: a bold heading and a list per category.

    ``key`` lists the categories the block shows ("" = all), as the template gives it.
    """
    wanted = {name for name in key.split(",") if name}
    groups = {row.level2 for row in report.indicators if not wanted or row.level2.value in wanted}
    return 2 * len(groups) if groups else 1
