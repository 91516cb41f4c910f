"""Import a report written elsewhere: plain text (Word saved as .txt), Markdown, or our own export.

``import_text(data, outlines)`` decodes the bytes, finds the outline's headings and fills a
``Report``. Nothing is dropped: every line of body text ends up in some prose field, and text
that could not go where it belongs is listed in ``ImportResult.unplaced``.

Headings
    Numbered headings (``一、`` ``（一）`` ``1.`` ``1、`` ``（1）``), Markdown ``#`` headings and
    unnumbered lines that name a section are matched against the outlines' section titles,
    fuzzily: parentheses dropped, then the particles 项目/的/情况 ignored, then containment.
    Matching only moves forward through the outline. The outline that matches best is used.

What is read from free text, and what is not (deliberately conservative)
    * title: the short lines before the first heading, joined; the year from the title or,
      failing that, the year the text names most often; the unit when the title names a
      街道办事处/局/学校…;
    * budget lines: numbered items with an amount of money, inside the section that holds the
      budget (``1、基层党建办公室经费49万元，负责…``), read by ``parse_budget_line``;
    * funds: the first ``预算487万`` / ``实际支出483.3万元`` / ``节约3.7万元`` / ``到位资金…`` /
      ``执行率…%`` the text states (a bare ``完成率`` speaks of goals, not money: not taken);
    * indicators: paragraphs opening with a category (``数量指标：…``) stay prose and are
      listed; inside them only a named rate (``解决率达73.3%``) and, under 成本指标, a named
      amount of money (``…经费172483元``) become rows, with that actual and no target, operator
      or weight — the text gives none, so the checks can say so;
    * the claimed total (``综合评分100分``) and grade, from the conclusion section.

Our own Markdown export (``report.render.render_report``) is recognised by its 附件1 score
sheet and read back structurally: the title block, each section's blocks, the budget table and
the score sheet's tables, so an exported report imports as the same report.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from report.entry import level2_from_text, parse_budget_line
from report.errors import ParseError
from report.model import (
    LEVEL1_OF,
    BudgetLine,
    Funds,
    Grade,
    Indicator,
    Level1,
    Level2,
    MoneyUnit,
    Nature,
    Operator,
    Report,
)
from report.money import fold_width, format_money, parse_money
from report.outline import BlockKind, Outline, Section
from report.render import PLACEHOLDER, SCORE_SHEET_TITLE
from report.values import ParsedValue, ValueKind, parse_value

MAX_IMPORT_BYTES = 20 * 1024 * 1024
"""Larger files are refused: no report is that long, and parsing it would hang the app."""

MAX_TITLE_LINES = 3
"""At most this many short lines before the first heading are joined into the title."""
MAX_TITLE_LINE_CHARS = 60
MAX_HEADING_CHARS = 40
"""A numbered line longer than this (parentheses aside) is body text, not a heading."""
MAX_BUDGET_NAME_CHARS = 40
"""A numbered item whose text before the amount is longer than this is prose, not a budget line."""
BINARY_CHAR_SHARE = Decimal("0.01")
"""Decoded text with more than this share of control or private-use characters is binary."""
DEFAULT_TITLE = "导入的报告"

_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "Word（.docx）、WPS 或压缩包"),
    (b"%PDF", "PDF"),
    (b"\xd0\xcf\x11\xe0", "旧版 Word（.doc）或 Excel"),
    (b"{\\rtf", "RTF 富文本"),
    (b"\x89PNG", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
)
_SAVE_AS_TEXT = "请在 Word 或 WPS 中“另存为”纯文本（.txt，UTF-8 编码）或 Markdown 后再导入"

# --- text helpers --------------------------------------------------------------------------------

_PAREN_RE = re.compile(r"[（(][^（）()]*[)）]")
_TITLE_NOISE_RE = re.compile(r"[\s*_#：:。.、，,；;“”\"'《》!！?？]")
_PARTICLES = ("项目", "情况", "的")
_SENTENCE_PUNCT = frozenset("，,。；;！!？?")
_CJK = r"\u4e00-\u9fff"
_NUM = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,15}(?:\.\d+)?)"
_MONEY_UNIT = rf"(亿元|万元|亿(?![{_CJK}])|元|万(?![{_CJK}]))"
_MONEY_RE = re.compile(r"(?<![\d.,])" + _NUM + r"\s*" + _MONEY_UNIT)
_LINK = r"\s*(?:为|是|共|共计|合计|总计|总额|约|达|达到|了|:|：)?\s*"


def _clean(line: str) -> str:
    """A line without its indentation (ASCII or full-width) and invisible characters."""
    return line.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "").strip()


@functools.lru_cache(maxsize=4096)
def _norm_title(title: str) -> str:
    folded = fold_width(title)
    previous = None
    while previous != folded:  # nested parentheses
        previous, folded = folded, _PAREN_RE.sub("", folded)
    return _TITLE_NOISE_RE.sub("", folded)


def _core(title: str) -> str:
    for particle in _PARTICLES:
        title = title.replace(particle, "")
    return title


@functools.lru_cache(maxsize=8192)
def title_score(found: str, known: str) -> int:
    """How well a heading found in a document names a known section title: 3 exact … 0 not at all.

    3: equal once parentheses, spaces and punctuation are dropped; 2: equal once the particles
    项目/的/情况 are dropped too; 1: one contains most of the other, or they are nearly equal.
    """
    a, b = _norm_title(found), _norm_title(known)
    if not a or not b:
        return 0
    if a == b:
        return 3
    ca, cb = _core(a), _core(b)
    if not ca or not cb:
        return 0
    if ca == cb:
        return 2
    short, long = sorted((ca, cb), key=len)
    if len(short) >= 4 and short in long and len(short) / len(long) >= 0.6:
        return 1
    if difflib.SequenceMatcher(None, ca, cb).ratio() >= 0.85:
        return 1
    return 0


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


# --- decoding ------------------------------------------------------------------------------------


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


# --- lines and headings --------------------------------------------------------------------------

_CN_DIGITS = {ch: n for n, ch in enumerate("〇一二三四五六七八九")}
_NUMBERED: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(r"^(?P<n>[一二三四五六七八九十]{1,3})\s*[、.．]\s*(?P<title>.*)$")),
    (2, re.compile(r"^[（(]\s*(?P<n>[一二三四五六七八九十]{1,3})\s*[)）]\s*[、.．]?\s*(?P<title>.*)$")),
    (4, re.compile(r"^[（(]\s*(?P<n>\d{1,2})\s*[)）]\s*[、.．]?\s*(?P<title>.*)$")),
    (3, re.compile(r"^(?P<n>\d{1,2})\s*(?:[、．]|\.(?!\d))\s*(?P<title>.*)$")),
)
_MARKDOWN_HEADING_RE = re.compile(r"^ {0,3}(?P<hashes>#{1,6})[ \t]+(?P<text>.*?)[ \t]*$")
_BOLD_RE = re.compile(r"^\*\*(?P<text>.+)\*\*$")


def _chinese_number(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    if "十" not in token:
        return _CN_DIGITS.get(token) if len(token) == 1 else None
    tens, _, ones = token.partition("十")
    ten = 1 if not tens else _CN_DIGITS.get(tens)
    one = 0 if not ones else _CN_DIGITS.get(ones)
    return None if ten is None or one is None else ten * 10 + one


@dataclass(frozen=True)
class _Heading:
    """A line that may be a heading: its numbering depth (if numbered), number and title."""

    text: str  # the line as written (for keeping it as text when it matches nothing)
    title: str
    depth: int | None
    number: int | None
    declared: bool  # a Markdown heading, or a numbered 一、/（一） line that looks like a heading
    threshold: int  # the title score needed to accept a match


def _numbering(line: str) -> tuple[int, int | None, str] | None:
    folded = fold_width(line)
    for depth, pattern in _NUMBERED:
        match = pattern.match(folded)
        if match is not None:
            return depth, _chinese_number(match["n"]), match["title"].strip()
    return None


def _heading_like(title: str) -> bool:
    core = _PAREN_RE.sub("", fold_width(title)).rstrip("：:").strip()
    if not 1 <= len(core) <= MAX_HEADING_CHARS:
        return False
    return not any(ch in _SENTENCE_PUNCT or ch in "：:" or ch.isdigit() for ch in core)


def _heading_candidate(line: str, *, markdown: bool) -> _Heading | None:
    """How a line could be a heading, or None when it is surely body text."""
    md = _MARKDOWN_HEADING_RE.match(line)
    if markdown:
        if md is None:
            return None
        text = _unescape_heading(md["text"])
        numbered = _numbering(text)
        if numbered is not None:
            depth, number, title = numbered
            return _Heading(line, title, depth, number, True, 1)
        return _Heading(line, text, len(md["hashes"]) - 1, None, True, 1)
    bold = _BOLD_RE.match(line)
    text = bold["text"].strip() if bold else line
    numbered = _numbering(text)
    if numbered is not None:
        depth, number, title = numbered
        if not _heading_like(title):
            return None
        return _Heading(line, title, depth, number, depth <= 2, 1)
    if _heading_like(text) and len(text) <= MAX_HEADING_CHARS:
        return _Heading(line, text, None, None, False, 2)
    return None


def _unescape_heading(text: str) -> str:
    text = re.sub(r"\s+#+$", "", text) if not re.search(r"\\#+$", text) else text
    return text.replace("\\#", "#")


@dataclass
class _Match:
    index: int
    score: int


def _best_match(walk: Sequence[Section], position: int, heading: _Heading) -> _Match | None:
    best: tuple[int, int, int] | None = None
    found: _Match | None = None
    for index in range(position + 1, len(walk)):
        section = walk[index]
        score = title_score(heading.title, section.title)
        if score < heading.threshold:
            continue
        key = (score, 1 if heading.depth == section.depth else 0, -(index - position))
        if best is None or key > best:
            best, found = key, _Match(index, score)
    return found


# --- results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unplaced:
    """Text that could not go where it belongs: where it came from, where it was kept, and why."""

    text: str
    section: str  # the heading it was found under ("" before the first heading)
    placed_in: str  # the field path it was appended to, e.g. "answers.overview.background"
    reason: str


@dataclass
class ImportResult:
    """A report read from a document, and what was and was not recognised in it."""

    report: Report
    outline: Outline
    source: str  # "text", "markdown" or "export" (our own Markdown export)
    found_sections: list[str] = field(default_factory=list)  # section keys whose heading was found
    categories: list[Level2] = field(default_factory=list)  # indicator categories named in the text
    extracted_indicators: int = 0  # indicator rows taken from the text (actual only)
    unplaced: list[Unplaced] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # anything else worth telling, Chinese

    def summary_lines(self) -> list[str]:
        """What was recognised and what was left as plain text, in Chinese, one fact per line."""
        report = self.report
        unit = report.money_unit
        walk = list(self.outline.walk())
        found = set(self.found_sections)
        top = [s for s in self.outline.sections if s.key in found]
        kinds = {"text": "纯文本", "markdown": "Markdown", "export": "jixiao 导出的 Markdown"}
        lines = [
            f"格式：{kinds.get(self.source, self.source)}；提纲：{self.outline.name}",
            f"章节 {len(top)}/{len(self.outline.sections)}，小标题 "
            f"{len(found) - len(top)}/{len(walk) - len(self.outline.sections)}",
        ]
        missing = [s.heading for s in walk if s.key not in found]
        if missing and self.source != "export":
            shown = "、".join(missing[:4]) + (f" 等 {len(missing)} 个" if len(missing) > 4 else "")
            lines.append(f"未找到的标题：{shown}")
        facts = [f"标题：{report.title}", f"年度 {report.year}"]
        if report.unit_name:
            facts.append(f"实施单位 {report.unit_name}")
        lines.append("；".join(facts))
        if report.budget_lines:
            total = sum((line.amount for line in report.budget_lines), Decimal(0))
            lines.append(
                f"预算明细 {len(report.budget_lines)} 行，合计 {format_money(total, unit, with_unit=True)}"
            )
        else:
            lines.append("预算明细：未找到")
        funds = report.funds
        money = [
            (label, amount)
            for label, amount in (
                ("预算", funds.annual_budget),
                ("实际支出", funds.actual_spent),
                ("节约", funds.stated_savings),
                ("到位资金", funds.received),
            )
            if amount is not None
        ]
        if money:
            lines.append(
                "资金："
                + "，".join(
                    f"{label} {format_money(amount, unit, with_unit=True)}" for label, amount in money
                )
            )
        else:
            lines.append("资金：未找到预算数和执行数")
        if funds.stated_execution_rate is not None:
            lines.append(f"执行率（原文）：{(funds.stated_execution_rate * 100).normalize():f}%")
        if self.categories:
            names = "、".join(category.value for category in self.categories)
            lines.append(f"指标类别 {len(self.categories)} 类（原文保留为正文）：{names}")
        if self.extracted_indicators:
            rows = report.indicators[-self.extracted_indicators :] if self.source != "export" else []
            shown = "、".join(f"{row.name} {row.actual}{row.unit}" for row in rows[:4])
            more = f" 等 {len(rows)} 项" if len(rows) > 4 else ""
            lines.append(
                f"从正文取出 {self.extracted_indicators} 项指标的实际值（没有年度指标值、分值，需补填）：{shown}{more}"
            )
        elif report.indicators:
            lines.append(f"绩效指标 {len(report.indicators)} 项")
        if report.claimed_total is not None:
            lines.append(f"自评得分：{report.claimed_total.normalize():f} 分")
        if report.claimed_grade is not None:
            lines.append(f"评价等级：{report.claimed_grade.value}")
        if self.unplaced:
            lines.append(f"{len(self.unplaced)} 段文字无法归入对应的问题，已作为正文保留：")
            for item in self.unplaced[:5]:
                where = item.section or "标题之前"
                lines.append(f"  · {where}：“{_excerpt(item.text)}”（{item.reason}）")
            if len(self.unplaced) > 5:
                lines.append(f"  · 另有 {len(self.unplaced) - 5} 段")
        else:
            lines.append("全部正文都已归入对应章节")
        lines.extend(self.notes)
        return lines


def _excerpt(text: str, length: int = 20) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[:length] + "…"


# --- the entry point -----------------------------------------------------------------------------


def import_text(data: bytes, outlines: Iterable[Outline]) -> ImportResult:
    """Read a report from the bytes of a text or Markdown file, using the best-matching outline.

    ``outlines`` are the outlines of the available templates (e.g. ``load_template(id).outline``
    for each); recognised sections map to the answer of their first prose step. Raises
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


# --- free text -----------------------------------------------------------------------------------


@dataclass
class _Layout:
    """Lines assigned to the sections of one outline."""

    outline: Outline
    preamble: list[str] = field(default_factory=list)
    bodies: dict[str, list[str]] = field(default_factory=dict)
    found: list[str] = field(default_factory=list)
    score: int = 0
    unknown_headings: list[tuple[str, str]] = field(default_factory=list)  # (line, section key)

    @property
    def top_found(self) -> int:
        keys = {s.key for s in self.outline.sections}
        return sum(1 for key in self.found if key in keys)


def _lay_out(units: Sequence[str], outline: Outline, *, markdown: bool) -> _Layout:
    walk = list(outline.walk())
    layout = _Layout(outline)
    position = -1
    current: str | None = None
    for unit in units:
        heading = _heading_candidate(unit, markdown=markdown)
        if heading is not None:
            match = _best_match(walk, position, heading)
            if match is not None:
                position = match.index
                current = walk[position].key
                layout.bodies.setdefault(current, [])
                layout.found.append(current)
                layout.score += match.score
                continue
            if current is not None and heading.declared:
                layout.unknown_headings.append((unit, current))
        if current is None:
            layout.preamble.append(unit)
        else:
            layout.bodies[current].append(unit)
    return layout


def _choose_layout(units: Sequence[str], outlines: Sequence[Outline], *, markdown: bool) -> _Layout:
    layouts = [_lay_out(units, outline, markdown=markdown) for outline in outlines]
    return max(layouts, key=lambda layout: (layout.score, layout.top_found, -layouts.index(layout)))


def _target_of(section: Section) -> str | None:
    """The field path a section's own text goes to: its first prose block, or a goals field."""
    for block in section.blocks:
        if block.kind is BlockKind.PROSE and block.key:
            return f"answers.{block.key}"
        if block.kind is BlockKind.OVERALL_GOAL:
            return "overall_goal"
        if block.kind is BlockKind.STAGE_GOALS:
            return "stage_goals"
    return None


def _subtree(section: Section) -> list[Section]:
    found = [section]
    for child in section.children:
        found.extend(_subtree(child))
    return found


def _has_block(section: Section, kind: BlockKind) -> bool:
    return any(block.kind is kind for block in section.blocks)


class _Texts:
    """Prose gathered per field path, in document order."""

    def __init__(self) -> None:
        self.parts: dict[str, list[str]] = {}

    def add(self, path: str, lines: Iterable[str]) -> None:
        self.parts.setdefault(path, []).extend(lines)

    def fill(self, report: Report) -> None:
        for path, lines in self.parts.items():
            text = "\n".join(line for line in lines if line)
            if not text:
                continue
            if path.startswith("answers."):
                key = path.removeprefix("answers.")
                report.answers[key] = f"{report.answers[key]}\n{text}" if report.answers.get(key) else text
            elif path == "overall_goal":
                report.overall_goal = _append(report.overall_goal, text)
            elif path == "overall_goal_actual":
                report.overall_goal_actual = _append(report.overall_goal_actual, text)
            elif path == "stage_goals":
                report.stage_goals = _append(report.stage_goals, text)


def _append(old: str, text: str) -> str:
    return f"{old}\n{text}" if old else text


_ITEM_RE = re.compile(r"^(?:\d{1,2}\s*(?:[、．]|\.(?!\d))|[（(]\s*\d{1,2}\s*[)）])")
_CATEGORY_RE = re.compile(rf"^(?P<cat>[{_CJK}]{{2,10}})\s*[：:]\s*(?P<body>.*)$")
_RATE_RE = re.compile(
    rf"(?P<name>[{_CJK}]{{1,9}}率)\s*(?:达到|达|为|是|约|均为|均达)?\s*(?P<num>\d+(?:\.\d+)?)\s*[%％]"
)
_COST_BEFORE_RE = re.compile(
    rf"(?P<name>[{_CJK}]{{1,12}}?(?:经费|资金|费用|成本))\s*(?:共|合计|累计|为|达)?\s*(?P<num>{_NUM})\s*(?P<unit>万元|元)"
)
_COST_AFTER_RE = re.compile(
    rf"(?:投入|支出|花费|使用)\s*(?P<num>{_NUM})\s*(?P<unit>万元|元)\s*(?:用于|为)?(?P<name>[{_CJK}]{{2,12}})"
)
_COST_NAME_PREFIX_RE = re.compile(r"^(?:累计|共|合计|总共|全年|年内)?(?:投入|支出|使用|花费|安排)?")
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
_TOTAL_RE = re.compile(
    r"(?:综合评分|综合得分|自评得分|自评总分|评价得分|总得分|最终得分|总分|得分|评分)\s*(?:为|是|:|：)?\s*"
    r"(\d{1,3}(?:\.\d{1,2})?)\s*分"
)
_STRONG_TOTAL_RE = re.compile(
    r"(?:综合评分|综合得分|自评得分|自评总分)\s*(?:为|是|:|：)?\s*(\d{1,3}(?:\.\d{1,2})?)\s*分"
)
_GRADE_RE = re.compile(
    r"(?:评价等级|等级|评价结果|评定)\s*(?:为|是|:|：)?\s*[“\"「『]?(优秀|优|良好|良|中等|中|合格|差|不合格)"
)
_GRADE_WORDS = {
    "优秀": Grade.EXCELLENT,
    "优": Grade.EXCELLENT,
    "良好": Grade.GOOD,
    "良": Grade.GOOD,
    "中等": Grade.FAIR,
    "中": Grade.FAIR,
    "合格": Grade.FAIR,
    "差": Grade.POOR,
    "不合格": Grade.POOR,
}
_AMOUNTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("initial_budget", re.compile(r"年初预算(?:数|资金)?" + _LINK + _NUM + r"\s*" + _MONEY_UNIT)),
    (
        "annual_budget",
        re.compile(
            r"(?<!年初)(?:全年预算数|全年预算|年度预算|预算总额|预算资金|预算数|预算)"
            + _LINK
            + _NUM
            + r"\s*"
            + _MONEY_UNIT
        ),
    ),
    (
        "actual_spent",
        re.compile(
            r"(?:全年执行数|实际支出|实际使用|实际执行|执行数|累计支出|共支出|支出总额)"
            + _LINK
            + _NUM
            + r"\s*"
            + _MONEY_UNIT
        ),
    ),
    ("stated_savings", re.compile(r"(?:节约资金|节约|结余资金|结余)" + _LINK + _NUM + r"\s*" + _MONEY_UNIT)),
    ("received", re.compile(r"(?:到位资金|资金到位|实际到位)" + _LINK + _NUM + r"\s*" + _MONEY_UNIT)),
)
_EXECUTION_RATE_RE = re.compile(
    r"(?:预算执行率|资金执行率|执行率|支出率|预算完成率|资金使用率)" + _LINK + r"(\d{1,3}(?:\.\d+)?)\s*[%％]"
)


def _money_tokens(text: str) -> list[re.Match[str]]:
    return list(_MONEY_RE.finditer(fold_width(text)))


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


class _TextReader:
    """Plain text or somebody else's Markdown: headings matched by title, bodies read heuristically."""

    def __init__(self, lines: list[str], outlines: Sequence[Outline], markdown: bool) -> None:
        self.lines = lines
        self.outlines = outlines
        self.markdown = markdown
        self.texts = _Texts()
        self.unplaced: list[Unplaced] = []

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
        unit = self._money_unit(budget_source, all_text)
        report = Report(
            title=_join_cjk(title_lines) if title_lines else DEFAULT_TITLE, template_id=outline.id
        )
        report.money_unit = unit
        budget_lines, budget_rows = self._budget_lines(budget_source, unit)
        report.funds = self._funds(all_text, unit)
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
                self._indicators(body, categories, indicators)
            target = _target_of(section)
            if target is not None:
                self.texts.add(target, body)
            else:
                target, reason = self._fallback(walk, index, first_target)
                self._keep(body, section.heading, target, reason)
                continue
            for line in body:
                if line in unknown and unknown[line] == section.key:
                    self.unplaced.append(Unplaced(line, section.heading, target, "未识别的标题，按正文保留"))
        if not layout.found:  # no heading at all: everything is in the preamble, kept above
            self._indicators(self.lines, categories, indicators)
        report.indicators = indicators
        self.texts.fill(report)
        conclusion = next((s for s in walk if _has_block(s, BlockKind.SCORE)), None)
        conclusion_text = "\n".join(layout.bodies.get(conclusion.key, [])) if conclusion else ""
        self._score(report, conclusion_text, all_text)
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

    # money ------------------------------------------------------------------------------------

    @staticmethod
    def _money_unit(budget_source: Sequence[str], all_text: str) -> MoneyUnit:
        units = [
            match[2]
            for line in budget_source
            if _ITEM_RE.match(fold_width(line))
            for match in _money_tokens(line)
        ]
        statement = _AMOUNTS[1][1].search(fold_width(all_text))
        if statement is not None:
            units.append(statement[2])
        if not units:
            return MoneyUnit.WAN
        wan = sum(1 for unit in units if unit.startswith(("万", "亿")))
        return MoneyUnit.WAN if wan * 2 >= len(units) else MoneyUnit.YUAN

    @staticmethod
    def _budget_lines(lines: Sequence[str], unit: MoneyUnit) -> tuple[list[BudgetLine], set[int]]:
        found: list[BudgetLine] = []
        used: set[int] = set()
        for line in lines:
            if not _ITEM_RE.match(fold_width(line)) or not _money_tokens(line):
                continue
            try:
                parsed = parse_budget_line(line, unit)
            except ParseError:
                continue
            if len(parsed.name) > MAX_BUDGET_NAME_CHARS:
                continue
            found.append(parsed)
            used.add(id(line))
        return found, used

    @staticmethod
    def _funds(text: str, unit: MoneyUnit) -> Funds:
        funds = Funds()
        folded = fold_width(text)
        for name, pattern in _AMOUNTS:
            match = pattern.search(folded)
            if match is None:
                continue
            try:
                setattr(funds, name, parse_money(match[1] + match[2], unit))
            except ParseError:
                continue
        if funds.initial_budget is None:
            funds.initial_budget = funds.annual_budget
        elif funds.annual_budget is None:
            funds.annual_budget = funds.initial_budget
        rate = _EXECUTION_RATE_RE.search(folded)
        if rate is not None:
            funds.stated_execution_rate = Decimal(rate[1]) / 100
        return funds

    # indicators and the score -----------------------------------------------------------------

    @staticmethod
    def _indicators(lines: Iterable[str], categories: list[Level2], rows: list[Indicator]) -> None:
        for line in lines:
            match = _CATEGORY_RE.match(fold_width(line))
            category = level2_from_text(match["cat"]) if match else None
            if match is None or category is None:
                continue
            if category not in categories:
                categories.append(category)
            body = match["body"]
            for rate in _RATE_RE.finditer(body):
                rows.append(Indicator(rate["name"], category, unit="%", actual=_plain(rate["num"])))
            if category is Level2.COST:
                for cost in [*_COST_BEFORE_RE.finditer(body), *_COST_AFTER_RE.finditer(body)]:
                    name = _COST_NAME_PREFIX_RE.sub("", cost["name"]) or cost["name"]
                    rows.append(Indicator(name, category, unit=cost["unit"], actual=_plain(cost["num"])))

    @staticmethod
    def _score(report: Report, conclusion: str, all_text: str) -> None:
        folded = fold_width(conclusion)
        total = _TOTAL_RE.search(folded) or _STRONG_TOTAL_RE.search(fold_width(all_text))
        if total is not None:
            report.claimed_total = Decimal(total[1])
        grade = _GRADE_RE.search(folded)
        if grade is not None:
            report.claimed_grade = _GRADE_WORDS[grade[1]]

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


def _plain(number: str) -> str:
    """A number as the text wrote it, without thousands separators."""
    return number.replace(",", "")


# --- our own Markdown export ---------------------------------------------------------------------

_FACTS_LINE_RE = re.compile(
    r"^(?:实施单位：(?P<unit>.*?)；)?(?:主管部门：(?P<dept>.*?)；)?评价年度：(?P<year>\d{1,4})年$"
)
_TABLE_RULE_RE = re.compile(r"^\|[\s:|-]+\|$")
_RECEIVED_RE = re.compile(r"到位资金 ([\d,]+(?:\.\d+)?) (万元|元)")
_CLAIMED_TOTAL_RE = re.compile(r"报告自评得分为 (\d+(?:\.\d+)?) 分")
_CLAIMED_GRADE_RE = re.compile(r"报告自评等级为“(优|良|中|差)”")


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
                report.indicators = self._indicator_rows(rows[1:])

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

    @staticmethod
    def _indicator_rows(rows: Sequence[list[str]]) -> list[Indicator]:
        indicators: list[Indicator] = []
        level1: Level1 | None = None
        level2: Level2 | None = None
        for row in rows:
            if len(row) < 8 or row[0] == PLACEHOLDER:
                continue
            if row[0]:
                level1 = next((level for level in Level1 if level.value == row[0]), level1)
            if row[1]:
                level2 = next((level for level in Level2 if level.value == row[1]), level2)
            if level2 is None:
                continue
            indicators.append(_indicator_from_sheet(row, level1, level2))
        return indicators

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


def _parsed(text: str) -> ParsedValue | None:
    if not text:
        return None
    try:
        return parse_value(text)
    except ParseError:
        return None


def _indicator_from_sheet(row: Sequence[str], level1: Level1 | None, level2: Level2) -> Indicator:
    """One 三级 row of the score sheet: name, 年度指标值, 实际完成值, 分值, 得分, 偏差原因."""
    _l1, _l2, name, target_text, actual_text, weight_text, score_text, reason = row[:8]
    target, actual = _parsed(target_text), _parsed(actual_text)
    shown = target if target is not None else actual
    qualitative = shown is not None and shown.kind is ValueKind.QUALITATIVE
    if qualitative:
        operator: Operator | None = Operator.QUALITATIVE
        unit = ""
    else:
        operator = target.operator if target is not None else None
        unit = target.unit if target is not None else (actual.unit if actual is not None else "")
    return Indicator(
        name=name,
        level2=level2,
        level1=level1 if level1 is not None and level1 is not LEVEL1_OF[level2] else None,
        nature=Nature.QUALITATIVE if qualitative else Nature.QUANTITATIVE,
        operator=operator,
        target=target.text() if target is not None else target_text,
        unit=unit,
        actual=actual.text() if actual is not None else actual_text,
        weight=_decimal(weight_text),
        score=_decimal(score_text) if qualitative else None,
        deviation_reason=reason,
    )
