"""A section's text shared out among the section's several questions.

Some sections ask more than one prose question (八部分提纲 七、 asks 主要经验及做法, 存在的问题 and
改进建议). A line that opens with one of those questions' labels (``存在的问题：…``,
``（一）主要经验及做法``, ``3.改进建议``) switches the rest of the section's text to that question;
the label itself is dropped, and text before the first label stays with the first question.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from report.importer.headings import _BOLD_RE, _MARKDOWN_HEADING_RE, _numbering, _unescape_heading
from report.money import fold_width
from report.outline import BlockKind, Section

MAX_LABEL_CHARS = 20
"""Text before a colon longer than this is a sentence, not a label."""

# Each question that shares a section with others: its name as shown to the user first, then the
# ways a report may label it. Compared after ``_norm_label``, so 项目/的/情况/主要/及/和 and
# punctuation do not matter.
_LABELS: dict[str, tuple[str, ...]] = {
    "answers.lessons.experience": ("主要经验及做法", "经验", "做法", "经验体会", "工作经验"),
    "answers.lessons.problems": (
        "存在的问题",
        "存在的问题及原因分析",
        "存在的问题及原因",
        "问题及原因分析",
        "问题及原因",
        "原因分析",
        "问题",
        "不足",
        "存在的不足",
        "问题和不足",
    ),
    "answers.lessons.suggestions": (
        "改进建议",
        "建议",
        "有关建议",
        "意见建议",
        "改进措施",
        "整改措施",
        "下一步工作建议",
        "下一步打算",
        "下一步工作打算",
    ),
    "answers.work.purpose": ("绩效评价目的", "目的"),
    "answers.work.scope": ("评价对象和范围", "对象范围", "评价对象", "评价范围", "范围"),
    "answers.work.basis.principles": ("绩效评价原则", "评价原则", "原则"),
    "answers.work.basis.indicators": ("评价指标体系", "指标体系"),
    "answers.work.basis.methods": ("评价方法", "方法"),
    "answers.work.basis.standards": ("评价标准", "标准"),
    "answers.work.process.preparation": ("前期准备",),
    "answers.work.process.implementation": ("组织实施",),
    "answers.work.process.analysis": ("分析评价",),
    "answers.analysis.process.funds": (
        "资金管理情况",
        "资金管理",
        "资金使用",
        "资金使用和管理",
        "资金到位使用和管理",
        "资金到位和使用",
    ),
    "answers.analysis.process.organisation": ("组织实施情况", "组织管理", "实施管理"),
    "overall_goal": ("年度总体目标", "绩效总目标", "总目标", "年度目标", "总体目标"),
    "stage_goals": ("阶段性目标", "绩效阶段性目标", "阶段目标"),
}

_PROSE_PATHS = {BlockKind.OVERALL_GOAL: "overall_goal", BlockKind.STAGE_GOALS: "stage_goals"}
_LABEL_NOISE_RE = re.compile(
    r"[\s*_#：:。.、，,；;“”\"'《》!！?？（）()]|项目|情况|主要|以及|的|及|和|与|绩效"
)
_LABEL_TAIL_RE = re.compile(r"(?:如下|主要有|主要是|有|是|为|包括)$")
_COLON_RE = re.compile(r"[：:]")


def _norm_label(text: str) -> str:
    return _LABEL_TAIL_RE.sub("", _LABEL_NOISE_RE.sub("", fold_width(text)))


_KNOWN = {path: frozenset(_norm_label(label) for label in labels) for path, labels in _LABELS.items()}


def question_name(path: str) -> str:
    """How the summary names a question: its label (``存在的问题``), or the step id failing that."""
    labels = _LABELS.get(path)
    return labels[0] if labels else path.removeprefix("answers.")


def _prose_paths(section: Section) -> list[str]:
    """The field paths of a section's prose-like blocks, in the order the section shows them."""
    paths = []
    for block in section.blocks:
        if block.kind is BlockKind.PROSE and block.key:
            paths.append(f"answers.{block.key}")
        elif block.kind in _PROSE_PATHS:
            paths.append(_PROSE_PATHS[block.kind])
    return paths


def _label_of(line: str, paths: Sequence[str]) -> tuple[str, str] | None:
    """(path, text after the label) when a line opens with one of these questions' labels."""
    md = _MARKDOWN_HEADING_RE.match(line)
    text = _unescape_heading(md["text"]) if md else line
    bold = _BOLD_RE.match(text)
    text = bold["text"].strip() if bold else text
    numbered = _numbering(text)
    if numbered is not None:
        text = numbered[2]
    colon = _COLON_RE.search(text)
    if colon is not None:
        head, rest = text[: colon.start()], text[colon.end() :].strip()
    else:
        # without a colon only a line that is nothing but the label counts: "问题较多" is a sentence
        head, rest = text, ""
    if len(head) > MAX_LABEL_CHARS:
        return None
    name = _norm_label(head)
    if not name:
        return None
    for path in paths:
        if name in _KNOWN.get(path, ()):
            return path, rest.removeprefix("**").strip()
    return None


@dataclass
class _Routing:
    """Where each piece of a section's text went."""

    parts: dict[str, list[str]] = field(default_factory=dict)  # path -> lines, in document order
    line_targets: dict[int, str] = field(default_factory=dict)  # body line index -> path
    labels: set[int] = field(default_factory=set)  # body line indexes that were labels, dropped
    by_labels: bool = False

    def add(self, path: str, index: int, text: str) -> None:
        self.parts.setdefault(path, []).append(text)
        self.line_targets.setdefault(index, path)


def _route(section: Section, lines: Sequence[str], target: str) -> _Routing:
    """How a section's lines are shared out among its questions (all to ``target`` if it asks one)."""
    paths = _prose_paths(section)
    routing = _Routing()
    if len(paths) < 2:
        for index, line in enumerate(lines):
            routing.add(target, index, line)
        return routing
    current = target
    for index, line in enumerate(lines):
        found = _label_of(line, paths)
        if found is None:
            routing.add(current, index, line)
            continue
        current, rest = found
        routing.labels.add(index)
        routing.line_targets[index] = current
        if rest:
            routing.add(current, index, rest)
    routing.by_labels = bool(routing.labels)
    return routing
