"""Plain text or somebody else's Markdown, read heuristically.

The title is the short lines before the first heading, joined; the year comes from the title or,
failing that, the year the text names most often; the unit from a title that names a
街道办事处/局/学校…. Nothing is dropped: text that could not go where it belongs is kept in some
prose field and listed as unplaced.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

from report.errors import ParseError
from report.importer.figures import _budget_lines, _funds, _money_unit, _score
from report.importer.headings import _MARKDOWN_HEADING_RE, _unescape_heading
from report.importer.indicators import _indicators_from_text
from report.importer.layout import _choose_layout, _has_block, _subtree, _target_of, _Texts
from report.importer.parts import _route
from report.importer.result import ImportResult, SharedOut, Unplaced
from report.model import Indicator, Level2, Report
from report.outline import BlockKind, Outline, Section

MAX_TITLE_LINES = 3
"""At most this many short lines before the first heading are joined into the title."""
MAX_TITLE_LINE_CHARS = 60
DEFAULT_TITLE = "导入的报告"


def _join_cjk(parts: Sequence[str]) -> str:
    """Join lines: no space between two Chinese characters, one space otherwise."""
    text = ""
    for part in parts:
        if text and not (_is_wide(text[-1]) and _is_wide(part[0])):
            text += " "
        text += part
    return text


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
_FACT_RE = re.compile(r"^(实施单位|主管部门|评价年度)[：:]\s*(.+)$")
_UNIT_SUFFIXES = (
    "街道办事处",
    "办事处",
    "人民政府",
    "委员会",
    "卫生院",
    "幼儿园",
    "学校",
    "中学",
    "小学",
    "医院",
    "局",
)


def _unit_name_from(title: str) -> str:
    best = -1
    for suffix in _UNIT_SUFFIXES:
        at = title.find(suffix)
        if at > 0 and (best < 0 or at + len(suffix) < best):
            best = at + len(suffix)
    if best < 0:
        return ""
    unit = re.sub(r"^(?:(?:19|20)\d{2}\s*年度?)", "", title[:best]).strip()
    return unit if len(unit) >= 3 else ""


def read_lines(lines: list[str], outlines: Sequence[Outline], *, markdown: bool = False) -> ImportResult:
    """A report from text lines (stripped, none empty), laid out over the best-matching outline.

    Raises ``ParseError`` when the lines have neither recognisable headings nor budget figures.
    """
    return _TextReader(lines, outlines, markdown).read()


class _TextReader:
    """Plain text or somebody else's Markdown: headings matched by title, bodies read heuristically."""

    def __init__(self, lines: list[str], outlines: Sequence[Outline], markdown: bool) -> None:
        self.lines = lines
        self.outlines = outlines
        self.markdown = markdown
        self.texts = _Texts()
        self.unplaced: list[Unplaced] = []
        self.shared_out: list[SharedOut] = []

    def read(self) -> ImportResult:
        layout = _choose_layout(self.lines, self.outlines, markdown=self.markdown)
        outline = layout.outline
        walk = list(outline.walk())
        all_text = "\n".join(self.lines)
        title_lines, facts, rest = self._preamble(layout.preamble)
        budget_section = next((s for s in walk if _has_block(s, BlockKind.BUDGET_LINES)), None)
        headings_known = len(layout.found) >= 2 or layout.top_found >= 1
        budget_source = (
            layout.bodies.get(budget_section.key, []) if budget_section and headings_known else self.lines
        )
        unit = _money_unit(budget_source, all_text)
        report = Report(
            title=_join_cjk(title_lines) if title_lines else DEFAULT_TITLE, template_id=outline.id
        )
        report.money_unit = unit
        budget_lines, budget_rows = _budget_lines(budget_source, unit)
        report.funds = _funds(all_text, unit)
        if not headings_known and report.funds.annual_budget is None and not budget_lines:
            raise ParseError(
                "没有识别出绩效评价报告的章节标题（如“一、基本情况”），也没有找到预算金额",
                "请确认导入的是项目支出绩效（自）评价报告的文本；标题应单独成行，例如“一、基本情况”",
            )
        report.budget_lines = budget_lines
        self._apply_facts(report, facts)
        if not report.unit_name:
            report.unit_name = _unit_name_from(report.title)
        if "year" not in facts:
            report.year = self._year(report.title, all_text)

        first_target = next((t for t in (_target_of(s) for s in walk) if t), "answers.overview.background")
        if rest:
            self._keep(rest, "", first_target, "位于第一个标题之前")
        categories: list[Level2] = []
        indicators: list[Indicator] = []
        indicator_sections = [s for s in walk if _has_block(s, BlockKind.INDICATORS)]
        unknown = dict(layout.unknown_headings)
        for index, section in enumerate(walk):
            body = layout.bodies.get(section.key)
            if not body:
                continue
            if section is budget_section:
                body = [line for line in body if id(line) not in budget_rows]
            if section in indicator_sections or not indicator_sections:
                _indicators_from_text(body, categories, indicators)
            target = _target_of(section)
            if target is None:
                target, reason = self._fallback(walk, index, first_target)
                self._keep(body, section.heading, target, reason)
                continue
            routing = _route(section, body, target)
            for path, lines in routing.parts.items():
                self.texts.add(path, lines)
            shared = routing.shared_out(
                "".join(s.number.rstrip("、.．") for s in outline.path_to(section.key))
            )
            if shared is not None:
                self.shared_out.append(shared)
            for at, line in enumerate(body):
                if at not in routing.labels and line in unknown and unknown[line] == section.key:
                    self.unplaced.append(
                        Unplaced(line, section.heading, routing.line_targets[at], "未识别的标题，按正文保留")
                    )
        if not layout.found:  # no heading at all: everything is in the preamble, kept above
            _indicators_from_text(self.lines, categories, indicators)
        report.indicators = indicators
        self.texts.fill(report)
        conclusion = next((s for s in walk if _has_block(s, BlockKind.SCORE)), None)
        conclusion_text = "\n".join(layout.bodies.get(conclusion.key, [])) if conclusion else ""
        _score(report, conclusion_text, all_text)
        notes = []
        if not title_lines:
            notes.append(f"没有找到报告标题，暂用“{DEFAULT_TITLE}”，请修改")
        if not _YEAR_RE.search(all_text):
            notes.append(f"正文没有写年度，暂按 {report.year} 年，请核对")
        return ImportResult(
            report=report,
            outline=outline,
            source="markdown" if self.markdown else "text",
            found_sections=list(dict.fromkeys(layout.found)),
            categories=categories,
            extracted_indicators=len(indicators),
            unplaced=self.unplaced,
            shared_out=self.shared_out,
            notes=notes,
        )

    # preamble, facts, year -------------------------------------------------------------------

    def _preamble(self, preamble: list[str]) -> tuple[list[str], dict[str, str], list[str]]:
        title: list[str] = []
        facts: dict[str, str] = {}
        rest: list[str] = []
        for line in preamble:
            md = _MARKDOWN_HEADING_RE.match(line)
            text = _unescape_heading(md["text"]) if md else line
            fact_parts = [part for part in re.split(r"[；;]", text) if _FACT_RE.match(part.strip())]
            if fact_parts:
                for part in fact_parts:
                    match = _FACT_RE.match(part.strip())
                    assert match is not None
                    facts[{"实施单位": "unit", "主管部门": "department", "评价年度": "year"}[match[1]]] = (
                        match[2].strip()
                    )
                continue
            titled = (
                not rest
                and len(title) < MAX_TITLE_LINES
                and len(text) <= MAX_TITLE_LINE_CHARS
                and "。" not in text
                and not re.fullmatch(r"[（(].*[)）]", text)
                and (md is None or len(md["hashes"]) == 1 or not title)
            )
            if titled:
                title.append(text)
            else:
                rest.append(line)
        return title, facts, rest

    @staticmethod
    def _apply_facts(report: Report, facts: dict[str, str]) -> None:
        report.unit_name = facts.get("unit", "")
        report.department = facts.get("department", "")
        year = re.search(r"\d{4}", facts.get("year", ""))
        if year is not None:
            report.year = int(year[0])

    @staticmethod
    def _year(title: str, text: str) -> int:
        in_title = _YEAR_RE.search(title)
        if in_title is not None:
            return int(in_title[1])
        years = Counter(int(match[1]) for match in _YEAR_RE.finditer(text))
        if not years:
            return Report(title="").year
        first = {year: text.find(str(year)) for year in years}
        return max(years, key=lambda year: (years[year], -first[year]))

    # where text goes --------------------------------------------------------------------------

    def _fallback(self, walk: Sequence[Section], index: int, first_target: str) -> tuple[str, str]:
        for section in _subtree(walk[index])[1:]:
            target = _target_of(section)
            if target is not None:
                return target, f"这一节没有自己的问题，已并入“{section.heading}”"
        for section in reversed(walk[:index]):
            target = _target_of(section)
            if target is not None:
                return target, f"这一节没有自己的问题，已并入“{section.heading}”"
        return first_target, "这一节没有自己的问题，已并入第一个问题"

    def _keep(self, lines: Sequence[str], section: str, target: str, reason: str) -> None:
        self.texts.add(target, lines)
        for line in lines:
            self.unplaced.append(Unplaced(line, section, target, reason))
