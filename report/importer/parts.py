"""A section's text shared out among the section's several questions.

Some sections ask more than one prose question (八部分提纲 七、 asks 主要经验及做法, 存在的问题 and
改进建议). A line that opens with one of those questions' labels (``存在的问题：…``,
``（一）主要经验及做法``, ``3.改进建议``) switches the rest of the section's text to that question;
the label itself is dropped, and text before the first label stays with the first question.

Without any label, the text is cut into sentences and each goes by what it says, where the section
asks about experience, problems or suggestions: a sentence with clear evidence (``不足``,
``有待`` → 存在的问题; ``建议``, ``下一步`` → 改进建议; ``经验``, ``机制`` → 主要经验及做法) goes to
that question, one without follows the sentence before it. Text with no evidence at all stays with
the first question, as it would without this module.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from report.importer.headings import _BOLD_RE, _MARKDOWN_HEADING_RE, _numbering, _unescape_heading
from report.importer.result import SharedOut
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

# What each question of a lessons section is about, for text that names no question.
_TOPICS: dict[str, str] = {
    "answers.lessons.experience": "experience",
    "answers.lessons.problems": "problems",
    "answers.lessons.suggestions": "suggestions",
}
# Evidence, strongest first: advice about the future outranks a problem it mentions ("针对存在的
# 问题，建议…"), a problem outranks the experience it names ("经验不足"), and what was done outranks
# the soft verbs of advice ("建立了…机制，进一步加强了…").
_SUGGESTION_RE = re.compile(
    r"建议|今后|下一步|下阶段|下一阶段|下年度|下一年度|明年|来年|以后年度|应当|应该"
    r"|(?<![相响适反供对答])应(?=进一步|加强|建立|完善|健全|提高|做好|强化|注重|加大|严格|及时)"
    r"|(?<![模虚草])拟(?=于|将|在|对|从|进一步|继续|加强|开展|建立|完善|增设|调整)"
)
_PROBLEM_RE = re.compile(
    r"问题|不足|存在|有待|流于形式|不够|滞后|偏差|欠缺|薄弱|不到位|不规范|不及时|不完善|不健全"
    r"|不合理|不明确|不充分|不对等|不匹配|不平衡|未能|未完成|未达到|未达标|未实现|尚未|缺乏|缺少"
    r"|难以|无法|短板|差距|原因|偏低|偏高|较慢|较低"
    r"|困难(?!群众|家庭|户|人员|职工|学生|老人|对象|儿童|党员)"
)
# "不存在问题", "未发现明显偏差" deny a problem; "解决了…问题" reports a success
_DENIED_RE = re.compile(
    r"(?:未|没有)(?:发现|出现)[^，,。；;！!？?]{0,8}?(?:问题|偏差|困难|滞后|差距)"
    r"|(?:并无|没有|不|未|无)(?:明显|任何|重大)?"
    r"(?:存在(?:的)?(?:明显|任何|重大)?(?:问题|偏差|困难|滞后|差距)?|问题|偏差|困难|滞后|差距)"
)
_SOLVED_RE = re.compile(r"解决|化解|办结|处置|整改到位|得到整改")
_EXPERIENCE_RE = re.compile(r"经验|做法|成效|机制|创新|亮点|特色|成功|有效|取得|探索|建立|形成|推行")
_SOFT_SUGGESTION_RE = re.compile(r"进一步|加强|强化|加大")
_SENTENCE_RE = re.compile(r"[^。；;！!？?]*[。；;！!？?]+[”’」』）)]*|[^。；;！!？?]+$")

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
    by_content: bool = False
    paths: tuple[str, ...] = ()  # the section's questions, in order

    def shared_out(self, section: str) -> SharedOut | None:
        """What the summary says about this section, or None when nothing left the first question."""
        placed = tuple(path for path in self.paths if any(self.parts.get(path, ())))
        if not (self.by_labels or self.by_content) or placed in ((), self.paths[:1]):
            return None
        return SharedOut(section, self.by_labels, tuple(question_name(path) for path in placed))

    def add(self, path: str, index: int, text: str) -> None:
        self.parts.setdefault(path, []).append(text)
        self.line_targets.setdefault(index, path)


def _topic(sentence: str, topics: frozenset[str]) -> str | None:
    """What a sentence is clearly about, among ``topics``; None without clear evidence."""
    text = _DENIED_RE.sub("", sentence)
    if _SOLVED_RE.search(text):
        text = text.replace("问题", "")
    evidence = (
        ("suggestions", _SUGGESTION_RE.search(sentence)),
        ("problems", _PROBLEM_RE.search(text)),
        ("experience", _EXPERIENCE_RE.search(sentence)),
        ("suggestions", "了" not in sentence and _SOFT_SUGGESTION_RE.search(sentence)),
    )
    return next((topic for topic, found in evidence if found and topic in topics), None)


def _sentences(line: str) -> list[str]:
    """A line cut after 。；！？ (closing quotes stay with their sentence)."""
    return [piece for piece in _SENTENCE_RE.findall(line) if piece.strip()] or [line]


def _by_content(lines: Sequence[str], paths: Sequence[str], routing: _Routing) -> bool:
    """Share unlabelled lines out sentence by sentence; False when no sentence gives evidence."""
    by_topic = {_TOPICS[path]: path for path in paths if path in _TOPICS}
    if len(by_topic) < 2:
        return False
    topics = frozenset(by_topic)
    current = paths[0]
    placed: list[tuple[int, str, str]] = []  # (line index, path, sentence)
    evidence = False
    for index, line in enumerate(lines):
        for sentence in _sentences(line):
            topic = _topic(sentence, topics)
            if topic is not None:
                current, evidence = by_topic[topic], True
            placed.append((index, current, sentence))
    if not evidence:
        return False
    # the sentences of one line that go to one question stay one line of its answer
    pieces: dict[tuple[int, str], list[str]] = {}
    for index, path, sentence in placed:
        pieces.setdefault((index, path), []).append(sentence)
    for (index, path), sentences in pieces.items():
        routing.add(path, index, "".join(sentences).strip())
    return True


def _route(section: Section, lines: Sequence[str], target: str) -> _Routing:
    """How a section's lines are shared out among its questions (all to ``target`` if it asks one)."""
    paths = _prose_paths(section)
    routing = _Routing(paths=tuple(paths))
    if len(paths) < 2:
        for index, line in enumerate(lines):
            routing.add(target, index, line)
        return routing
    found = [_label_of(line, paths) for line in lines]
    if not any(found) and _by_content(lines, paths, routing):
        routing.by_content = True
        return routing
    current = target
    for index, (line, label) in enumerate(zip(lines, found, strict=True)):
        if label is None:
            routing.add(current, index, line)
            continue
        current, rest = label
        routing.labels.add(index)
        routing.line_targets[index] = current
        if rest:
            routing.add(current, index, rest)
    routing.by_labels = bool(routing.labels)
    return routing
