"""The headless guided flow: asks a template's steps one at a time over a Report.

No Textual, no SQLite. The caller (the TUI) shows ``flow.current``, passes what the user typed to
``answer()``, persists ``Accepted.changes`` and then calls ``apply()``, which updates the in-memory
report and moves on. A ``Rejected`` changes nothing. Everything said to the user is Chinese.

Row steps (budget lines, indicators) stay on the step while rows are added; they understand
``删 3`` / ``删除 3``, ``改 2 <新的一行>``, ``移 3 质量`` (an indicator row to another 二级 category)
and ``完成`` (or an empty answer) to move on.

Right after an answer that calls for it, one follow-up question (``FollowUp``) is asked before the
flow goes on: the 偏差原因 of each new indicator row below its target, the 结余原因 when 全年执行数
leaves money unspent. It is skipped with an empty answer or ``skip()``; its made-up step id
(``results.quantity#3``) is what ``step_after`` returns, so storage saves it as the position.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from prompts.compose import (
    SHORTFALL_REASON_KEY,
    Composed,
    compose,
    load_phrasing,
    money_text,
    percent_text,
)
from prompts.conditions import referenced_paths
from prompts.fields import (
    ANSWERS_PREFIX,
    FIELD_LABELS,
    FUNDS_PREFIX,
    MONEY_FUNDS_FIELDS,
    FieldValue,
    get_field,
)
from prompts.fields import set_field as _set_field
from prompts.templates import Step, StepKind, Template
from report import scoring
from report.entry import RowProblem, parse_budget_lines, parse_indicator_rows
from report.errors import ParseError
from report.model import (
    BudgetLine,
    Funds,
    Grade,
    Indicator,
    Level2,
    MoneyUnit,
    Nature,
    Operator,
    Report,
)
from report.money import format_money, has_chinese_numerals, normalise_text, parse_money, round_cent
from report.outline import Section
from report.values import advised_level2, fit_problem, indicator_actual, indicator_target

Change = tuple[str, FieldValue]
"""One model change to persist: a field path and its new value (whole lists for row fields)."""

YEAR_MIN = 2000
YEAR_MAX = 2100
SCORE_MAX = Decimal(100)
MAX_AMOUNT = Decimal(10) ** 15  # beyond any budget; larger numbers overflow decimal formatting
MAX_SHOWN_ROWS = 3  # rows named in a confirmation before "等"

_DONE_WORDS = frozenset({"完成", "好了", "好", "下一步", "继续", "结束", "done", "ok", "next"})
_DELETE_RE = re.compile(r"^(?:删除|删)\s*第?\s*(\d+(?:\s*[,，、\s]\s*\d+)*)\s*行?$")
_EDIT_RE = re.compile(r"^(?:修改|改)\s*第?\s*(\d+)\s*行?\s*[:：]?\s*(\S.*)$", re.DOTALL)
_BARE_COMMAND_RE = re.compile(r"^(?:修改|改|删除|删)\s*(?:第?\s*\d+\s*行?)?$")
# 移 3 质量 / 移动 3 质量指标 / 移 3 到 成本 / 移第3、4项到满意度: rows to another 二级 category
_MOVE_RE = re.compile(
    r"^(?:移动|移)\s*第?\s*(\d+(?:\s*[,，、\s]\s*\d+)*)\s*[行项]?\s*(?:到|至|去|进|入)?\s*(\D.*)?$"
)
_CHOICE_NUMBER_RE = re.compile(r"^\(?(\d{1,2})[).、]?$")
_YEAR_IN_TEXT_RE = re.compile(r"((?:19|20|21)\d{2})\s*年")
_NUMBER_TOKEN_RE = re.compile(r"[一二三四五六七八九十]+|\d+")
_NUMBER_SEPARATORS = frozenset(" .、()/,，-—")
_LEADING_NUMBERS_RE = re.compile(r"^[\s一二三四五六七八九十\d.、()]+")
_CHINESE_DIGITS = {ch: n for n, ch in enumerate("〇一二三四五六七八九")}


# results ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Accepted:
    """An answer understood: what to persist, and what to tell the user.

    ``changes`` is empty when the answer only moves on (``完成``, keeping an old answer, skipping an
    optional step). ``advance`` is false for row steps that keep collecting rows.
    """

    step_id: str
    value: FieldValue
    changes: tuple[Change, ...]
    message: str  # 已记录：全年预算数 487.00 万元
    notes: tuple[str, ...] = ()  # what follows from it: 执行率 99.24%，得 9.92 分
    warnings: tuple[str, ...] = ()  # worth a second look: a rate under 数量指标, a sum over budget
    problems: tuple[str, ...] = ()  # pasted lines that were not recorded, with why
    advance: bool = True


@dataclass(frozen=True)
class Rejected:
    """An answer refused: nothing changes. ``message`` says why, ``hint`` how to fix it."""

    step_id: str | None
    message: str
    hint: str = ""
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class Moved:
    """The flow moved (back, skip, jump): the new current step (None past the last) and a message."""

    step: Step | None
    message: str


@dataclass(frozen=True)
class FollowUp:
    """One question asked right after an answer, about that answer: an unmet row's 偏差原因, a 结余原因.

    ``step`` is made up for it (its id is ``<parent step id>#<what>``, so the position storage
    saves with the answer can bring the user back to it after a crash). ``row`` is the index
    into ``report.indicators`` it asks about (None: the funds shortfall); ``queue`` holds the
    further unmet rows of the same answer, asked next; ``advance`` says whether the flow moves
    past the parent step afterwards (a value step) or stays on it (a row step).
    """

    step: Step
    parent: str
    row: int | None
    queue: tuple[int, ...] = ()
    advance: bool = False


FOLLOW_UP_MARK = "#"
"""Separates a follow-up's parent step id from what it asks about: ``results.quantity#3``."""
SHORTFALL_FOLLOW_UP = "shortfall"
SHORTFALL_PATH = ANSWERS_PREFIX + SHORTFALL_REASON_KEY
_SHORTFALL_TRIGGERS = ("funds.annual_budget", "funds.actual_spent")
_SOURCE_FIELDS = ("funds.annual_budget", "funds.received", "funds.fiscal_current")
_NO_CHOICES = ("没有", "无", "否")


@dataclass(frozen=True)
class Tally:
    """Answered steps out of the steps that apply (those whose ``when`` holds)."""

    done: int = 0
    total: int = 0
    required_done: int = 0
    required_total: int = 0

    @property
    def complete(self) -> bool:
        """True when every required step that applies is answered."""
        return self.required_done == self.required_total

    def plus(self, answered: bool, required: bool) -> Tally:
        """This tally with one more step counted."""
        return Tally(
            self.done + answered,
            self.total + 1,
            self.required_done + (answered and required),
            self.required_total + required,
        )


@dataclass(frozen=True)
class Progress:
    """Progress overall and per section (a section counts its sub-sections' steps too)."""

    overall: Tally
    sections: Mapping[str, Tally]

    @property
    def done(self) -> int:
        """Answered steps overall."""
        return self.overall.done

    @property
    def total(self) -> int:
        """Steps that apply overall."""
        return self.overall.total


# the flow -----------------------------------------------------------------------------------------


class Flow:
    """The guided flow over one template and one report (mutated only by ``apply``)."""

    def __init__(self, template: Template, report: Report, *, current: str | None = None) -> None:
        """Start at the step with id ``current`` when given and known, else at the first step that applies."""
        self.template = template
        self.report = report
        self._steps = template.steps
        self._position = {step.id: n for n, step in enumerate(self._steps)}
        self._ancestors = {
            section.key: tuple(s.key for s in template.outline.path_to(section.key))
            for section in template.outline.walk()
        }
        self._history: list[int] = []
        self._follow_up: FollowUp | None = None
        self._index: int | None = self._next_applicable(-1)
        if current is not None and current in self._position:
            self._index = self._position[current]
        elif current is not None and FOLLOW_UP_MARK in current:
            self.resume(current)

    # state ----------------------------------------------------------------------------------

    @property
    def current(self) -> Step | None:
        """The step being asked, or None when the flow has passed the last step."""
        if self._follow_up is not None:
            return self._follow_up.step
        return None if self._index is None else self._steps[self._index]

    @property
    def finished(self) -> bool:
        """True when the flow has passed the last step."""
        return self._index is None

    def applies(self, step: Step) -> bool:
        """Whether a step is asked, given the answers so far (its ``when`` condition)."""
        return step.when is None or step.when.evaluate(self.report)

    def is_answered(self, step: Step) -> bool:
        """Whether the report holds an answer for this step.

        Row steps count as answered once they have a row (indicator steps: a row of their own
        category). Year and money unit always hold a value, so they count as answered.
        """
        if step.kind is StepKind.BUDGET_LINES:
            return bool(self.report.budget_lines)
        if step.kind is StepKind.INDICATORS:
            return bool(self._row_indices(step))
        value = get_field(self.report, step.field)
        if value is None:
            return False
        if isinstance(value, str):
            return bool(value.strip())
        return True

    def progress(self) -> Progress:
        """Answered out of applicable steps, overall and per section (sub-sections included)."""
        overall = Tally()
        sections: dict[str, Tally] = {key: Tally() for key in self._ancestors}
        for step in self._steps:
            if not self.applies(step):
                continue
            answered = self.is_answered(step)
            overall = overall.plus(answered, step.required)
            for key in self._ancestors[step.section]:
                sections[key] = sections[key].plus(answered, step.required)
        return Progress(overall, sections)

    def resume(self, stored_step_id: str | None = None) -> Step | None:
        """Where to continue: the stored step when it still applies, else the first unanswered required step.

        Returns None (and finishes the flow) when every required step is answered and no step
        was stored. Clears the back history.
        """
        self._history.clear()
        self._follow_up = None
        what = ""
        if stored_step_id is not None and FOLLOW_UP_MARK in stored_step_id:
            # a follow-up question saved with the answer it follows: ask it again if still open
            stored_step_id, _, what = stored_step_id.partition(FOLLOW_UP_MARK)
        if stored_step_id is not None and stored_step_id in self._position:
            step = self._steps[self._position[stored_step_id]]
            if self.applies(step):
                self._index = self._position[stored_step_id]
                self._follow_up = self._stored_follow_up(step, what) if what else None
                return self.current
        for index, step in enumerate(self._steps):
            if step.required and self.applies(step) and not self.is_answered(step):
                self._index = index
                return step
        self._index = None
        return None

    def suggestion_for(self, step: Step) -> str | None:
        """Text the user can accept with Tab; offered, never inserted.

        An answered step offers its answer (to edit it). An unanswered step offers, first that
        applies: the paragraph composed from this report's figures (``step.compose``, when it
        quotes at least one figure), an earlier amount this one usually equals
        (``step.suggest_from``), last year's value carried over (``report.suggestions``), then the
        template's standard wording. This year's figures come before last year's text, which
        would quote last year's numbers. Row steps that already have rows suggest ``完成``;
        follow-up questions offer nothing.
        """
        if self.is_follow_up(step):
            return None
        if step.is_rows:
            carried_rows = self.report.suggestions.get(step.field)
            if carried_rows and not self.is_answered(step):
                return carried_rows
            return "完成" if self.is_answered(step) else (step.suggestion or None)
        value = get_field(self.report, step.field)
        if self.is_answered(step) and value is not None:
            return self._value_text(step, value)
        composed = self.composed(step)
        if composed is not None:
            return composed.text
        for path in step.suggest_from:
            earlier = get_field(self.report, path)
            if isinstance(earlier, Decimal):
                return self._value_text(step, earlier)
        carried = self.report.suggestions.get(step.field)
        if carried:
            return carried
        return step.suggestion or None

    def composed(self, step: Step) -> Composed | None:
        """The step's paragraph composed from the figures, when it has one that quotes a figure."""
        if not step.compose:
            return None
        found = compose(step.compose, self.report, load_phrasing(self.template.phrasing))
        return found if found is not None and found.quoted else None

    def suggestion_gaps(self, step: Step) -> str:
        """Which steps supply the figures the suggestion still shows as （待填写）; "" when none.

        ``建议中的（待填写）：全年执行数（/goto funds.actual_spent）、结余原因（…）``.
        """
        if self.is_answered(step):
            return ""
        composed = self.composed(step)
        if composed is None or not composed.missing:
            return ""
        named: list[str] = []
        for path in composed.missing:
            name = self._supplier(path)
            if name not in named:
                named.append(name)
        return "建议中的（待填写）请先补上：" + "、".join(named)

    def _supplier(self, path: str) -> str:
        """The step that supplies a missing figure, as the hint names it."""
        if path == SHORTFALL_PATH:
            asker = next((s for s in self._steps if s.field in _SHORTFALL_TRIGGERS[1:]), None)
            return f"结余原因（/goto {asker.id}，确认执行数后会问）" if asker is not None else "结余原因"
        if path == "indicators":
            unexplained = [i for i, row in enumerate(self.report.indicators) if self._needs_reason(row)]
            if unexplained:
                steps = self.steps_for_field(path, indicator=unexplained[0])
                where = f"（/goto {steps[0].id}，用「改 行号 …」补写）" if steps else ""
                return f"未达标指标的偏差原因{where}"
        steps = self.steps_for_field(path)
        if not steps:
            return FIELD_LABELS.get(path, path)
        return f"{_label(steps[0])}（/goto {steps[0].id}）"

    def is_follow_up(self, step: Step | None) -> bool:
        """True for a follow-up question (an unmet row's 偏差原因, the 结余原因), not a template step."""
        return step is not None and FOLLOW_UP_MARK in step.id

    def steps_for_field(self, path: str, *, indicator: int | None = None) -> list[Step]:
        """The steps that write a model field, e.g. to fix a check finding's ``Where.field``.

        ``funds`` matches every ``funds.*`` step. For ``indicators`` with an ``indicator`` index
        into ``report.indicators``, the step of that row's category comes first.
        """
        steps = [step for step in self._steps if step.field == path]
        if not steps:
            steps = [step for step in self._steps if step.field.startswith(path + ".")]
        if path == "indicators" and indicator is not None and 0 <= indicator < len(self.report.indicators):
            level2 = self.report.indicators[indicator].level2
            steps.sort(key=lambda step: 0 if step.level2 == level2 else 1 if step.level2 is None else 2)
        return steps

    def section_of(self, step: Step) -> Section:
        """The outline section a step belongs to."""
        section = self.template.outline.find(step.section)
        if section is None:  # pragma: no cover - the loader guarantees it
            raise KeyError(step.section)
        return section

    def section_heading(self, step_or_key: Step | str) -> str:
        """The numbered place of a step or section: ``四（三）1.（2）项目成本（预算）节约情况``."""
        key = step_or_key.section if isinstance(step_or_key, Step) else step_or_key
        trail = self.template.outline.path_to(key)
        if not trail:
            return ""
        numbers = [s.number.rstrip("、") if n < len(trail) - 1 else s.number for n, s in enumerate(trail)]
        return "".join(numbers) + trail[-1].title

    def rows(self, step: Step | None = None) -> list[str]:
        """The rows a row step shows, numbered as ``删``/``改`` expect: ``1. 党建工作经费 49.00 万元``."""
        step = step or self.current
        if step is None or not step.is_rows:
            return []
        if step.kind is StepKind.BUDGET_LINES:
            return [f"{n}. {self._line_text(line)}" for n, line in enumerate(self.report.budget_lines, 1)]
        return [
            f"{n}. {_indicator_text(self.report.indicators[i])}"
            for n, i in enumerate(self._row_indices(step), 1)
        ]

    # moving ---------------------------------------------------------------------------------

    def back(self) -> Moved:
        """Return to the step asked before this one (or the previous one in order).

        From a follow-up question, back is the step it follows.
        """
        if self._follow_up is not None:
            self._follow_up = None
            step = self._steps[self._index] if self._index is not None else None
            return Moved(step, f"回到：{step.question}" if step is not None else "回到上一个问题")
        while self._history:
            index = self._history.pop()
            if self.applies(self._steps[index]):
                self._index = index
                return Moved(self._steps[index], f"回到：{self._steps[index].question}")
        start = len(self._steps) if self._index is None else self._index
        for index in range(start - 1, -1, -1):
            if self.applies(self._steps[index]):
                self._index = index
                return Moved(self._steps[index], f"回到：{self._steps[index].question}")
        return Moved(self.current, "已经是第一个问题")

    def skip(self) -> Moved | Rejected:
        """Move past the current step without answering.

        Optional steps can always be skipped; a required step only when it already holds an answer
        (which is kept). Otherwise a ``Rejected`` says why, and nothing moves.
        """
        step = self.current
        if step is None:
            return Rejected(None, "所有问题都已问完，没有可跳过的问题", "可以用跳转回到任一章节修改")
        if self._follow_up is not None:
            following = self._next_follow_up(self._follow_up, self.report.indicators)
            self._leave_follow_up(self._follow_up, following)
            return Moved(self.current, f"已跳过：{_label(step)}（检查结果中会再提醒）")
        if step.required and not self.is_answered(step):
            hint = f"例如：{step.example}" if step.example else "请按提示回答"
            return Rejected(step.id, f"“{_label(step)}”是必填项，不能跳过", hint)
        kept = "保留原答案" if self.is_answered(step) else "已跳过"
        self._advance()
        return Moved(self.current, f"{kept}：{_label(step)}")

    def go_to(self, step_id: str) -> Moved | Rejected:
        """Go to a step by id (e.g. from ``steps_for_field``), whether or not its condition holds."""
        if step_id not in self._position:
            return Rejected(None, f"没有编号为“{step_id}”的问题")
        self._move_to(self._position[step_id])
        step = self._steps[self._position[step_id]]
        return Moved(step, f"跳到：{self.section_heading(step)} — {step.question}")

    def jump(self, ref: str) -> Moved | Rejected:
        """Go to the first step of a section named by key, number path or title.

        ``四.（三）``, ``四（三）2``, ``4.3.2``, ``analysis.funds``, ``资金到位`` and ``五、综合评价`` all
        work; a step id goes to that step.
        """
        text = ref.strip()
        if not text:
            return Rejected(None, "请写出要跳转的章节", _JUMP_HINT)
        if text in self._position:
            return self.go_to(text)
        section = self._find_section(text)
        if section is None:
            return Rejected(None, f"找不到章节“{text}”", _JUMP_HINT)
        in_subtree = self.template.steps_in(section.key, subtree=True)
        target = next((step for step in in_subtree if self.applies(step)), None)
        if target is None:
            return Rejected(
                None,
                f"“{self.section_heading(section.key)}”目前没有需要回答的问题",
                "这一节的问题取决于前面的回答",
            )
        self._move_to(self._position[target.id])
        return Moved(target, f"跳到：{self.section_heading(section.key)}")

    # answering ------------------------------------------------------------------------------

    def answer(self, raw: str) -> Accepted | Rejected:
        """Parse the user's answer to the current step. Changes nothing: pass an Accepted to ``apply``."""
        step = self.current
        if step is None:
            return Rejected(None, "所有问题都已问完", "可以用跳转回到任一章节修改，或导出报告")
        text = raw.replace("\r\n", "\n").strip()
        if self._follow_up is not None:
            parent = self._steps[self._position[self._follow_up.parent]]
            if self._follow_up.row is None or not self._looks_like_rows(parent, text):
                return self._answer_follow_up(self._follow_up, text)
            step = parent  # more rows pasted while the reason was asked: the row step takes them
        try:
            if step.is_rows:
                return self._answer_rows(step, text)
            if not text:
                return self._empty_answer(step)
            return self._answer_value(step, text)
        except ParseError as error:
            return Rejected(step.id, error.message, error.hint)

    def apply(self, accepted: Accepted) -> None:
        """Write an accepted answer's changes into the report, then move on when it says so.

        The flow only moves when ``accepted`` answers the current step.
        """
        follow_up = self._follow_up_after(accepted)
        answered = self._follow_up
        moves = self._moves_on(accepted)
        for path, value in accepted.changes:
            _set_field(self.report, path, value)
        if answered is not None and accepted.step_id == answered.step.id:
            self._leave_follow_up(answered, follow_up)
            return
        self._follow_up = follow_up
        if moves and follow_up is None:
            self._advance(_settled_paths(accepted))

    def _moves_on(self, accepted: Accepted) -> bool:
        current = self.current
        if self._follow_up is not None and accepted.step_id == self._follow_up.parent:
            current = self._steps[self._position[self._follow_up.parent]]  # answered from its follow-up
        return accepted.advance and current is not None and current.id == accepted.step_id

    def step_after(self, accepted: Accepted) -> Step | None:
        """The step ``apply(accepted)`` would move to, without changing anything.

        Storage saves this position in the answer's own transaction, so a crash never leaves an
        answer saved with the user still placed on the step it answered. Conditions on later
        steps may read the answer, so the changes are tried on the report and put back.
        """
        follow_up = self._follow_up_after(accepted)
        if follow_up is not None:
            return follow_up.step
        answered = self._follow_up
        if answered is not None and accepted.step_id == answered.parent and not accepted.advance:
            return self._steps[self._position[answered.parent]]
        leaving = answered is not None and accepted.step_id == answered.step.id
        if leaving and answered is not None and not answered.advance:
            return self._steps[self._position[answered.parent]]
        if not leaving and not self._moves_on(accepted):
            return self.current
        assert self._index is not None
        before = [(path, get_field(self.report, path)) for path, _ in accepted.changes]
        try:
            for path, value in accepted.changes:
                _put_field(self.report, path, value)
            index = self._next_index(self._index, _settled_paths(accepted))
        finally:
            for path, value in reversed(before):
                _put_field(self.report, path, value)
        return None if index is None else self._steps[index]

    # internals: moving ----------------------------------------------------------------------

    def _next_applicable(self, after: int) -> int | None:
        for index in range(after + 1, len(self._steps)):
            if self.applies(self._steps[index]):
                return index
        return None

    def _advance(self, settled: frozenset[str] = frozenset()) -> None:
        if self._index is None:
            return
        self._history.append(self._index)
        self._index = self._next_index(self._index, settled)

    def _next_index(self, after: int, settled: frozenset[str]) -> int | None:
        """The next step that applies, past those the answer itself settled (``settled`` fields)."""
        index = self._next_applicable(after)
        while index is not None and self._steps[index].field in settled:
            index = self._next_applicable(index)
        return index

    def _move_to(self, index: int) -> None:
        self._follow_up = None
        if self._index is not None and self._index != index:
            self._history.append(self._index)
        self._index = index

    def _find_section(self, text: str) -> Section | None:
        outline = self.template.outline
        by_key = outline.find(text)
        if by_key is not None:
            return by_key
        folded = unicodedata.normalize("NFKC", text).replace(" ", "").replace("\u3000", "")
        numbered = _number_path(folded)
        if numbered:
            section = _section_at(outline.sections, numbered)
            if section is not None:
                return section
        title = _LEADING_NUMBERS_RE.sub("", folded) or folded
        sections = list(outline.walk())
        tests: list[Callable[[Section], bool]] = [
            lambda s: _fold(s.title) == title,
            lambda s: _fold(s.heading) == folded,
            lambda s: title in _fold(s.title),
        ]
        for matches in tests:
            found = next((s for s in sections if matches(s)), None)
            if found is not None:
                return found
        return None

    # internals: values ----------------------------------------------------------------------

    def _empty_answer(self, step: Step) -> Accepted | Rejected:
        if self.is_answered(step):
            return Accepted(step.id, get_field(self.report, step.field), (), f"保留原答案：{_label(step)}")
        if not step.required:
            return Accepted(step.id, None, (), f"已跳过：{_label(step)}")
        hint = f"例如：{step.example}" if step.example else "请按提示回答"
        if step.suggestion:
            hint += "；按 Tab 可采用建议的写法"
        return Rejected(step.id, f"“{_label(step)}”必须填写", hint)

    def _answer_value(self, step: Step, text: str) -> Accepted | Rejected:
        if step.kind is StepKind.TEXT:
            return self._accept(step, text, f"已记录：{_label(step)}（{len(text)} 字）")
        if step.kind is StepKind.LINE:
            if "\n" in text:
                return Rejected(step.id, f"“{_label(step)}”只能写一行", "请删去换行，写成一行")
            return self._accept(
                step, text, f"已记录：{_label(step)}“{text}”", warnings=self._title_warnings(step, text)
            )
        if step.kind is StepKind.MONEY:
            return self._with_settled_sources(step, self._answer_money(step, text))
        if step.kind is StepKind.YEAR:
            return self._answer_year(step, text)
        if step.kind is StepKind.UNIT:
            return self._answer_unit(step, text)
        if step.kind is StepKind.SCORE:
            return self._answer_score(step, text)
        return self._answer_choice(step, text)

    def _accept(
        self,
        step: Step,
        value: FieldValue,
        message: str,
        *,
        notes: Sequence[str] = (),
        warnings: Sequence[str] = (),
        extra: Sequence[Change] = (),
    ) -> Accepted:
        changes = ((step.field, value), *extra)
        return Accepted(step.id, value, changes, message, tuple(notes), tuple(warnings))

    def _answer_money(self, step: Step, text: str) -> Accepted:
        unit = self.report.money_unit
        amount = _checked_amount(parse_money(text, unit), text)
        funds = dataclasses.replace(self.report.funds, **{step.field[len(FUNDS_PREFIX) :]: amount})
        notes, warnings = _funds_consequences(step.field, funds, unit, self.report.budget_lines)
        message = f"已记录：{_label(step)} {format_money(amount, unit, with_unit=True)}"
        if has_chinese_numerals(text):  # say back what the words were read as
            message += f"（按“{text.strip()}”读取）"
        return self._accept(step, amount, message, notes=notes, warnings=warnings)

    def _answer_year(self, step: Step, text: str) -> Accepted | Rejected:
        cleaned = normalise_text(text).replace(" ", "").removesuffix("度").removesuffix("年")
        if not cleaned.isdigit() or len(cleaned) != 4:
            return Rejected(step.id, f"“{text}”不是年份", "请写四位年份，例如 2020")
        year = int(cleaned)
        if not YEAR_MIN <= year <= YEAR_MAX:
            return Rejected(
                step.id, f"{year} 年不在 {YEAR_MIN}–{YEAR_MAX} 之间", "请写评价的预算年度，例如 2020"
            )
        warnings = []
        title_year = _YEAR_IN_TEXT_RE.search(self.report.title)
        if title_year and int(title_year.group(1)) != year:
            warnings.append(f"标题里的 {title_year.group(1)} 年与报告年度 {year} 年不一致，请核对")
        return self._accept(step, year, f"已记录：年度 {year} 年", warnings=warnings)

    def _answer_unit(self, step: Step, text: str) -> Accepted | Rejected:
        cleaned = normalise_text(text).replace(" ", "")
        units = {"万元": MoneyUnit.WAN, "万": MoneyUnit.WAN, "元": MoneyUnit.YUAN}
        number = _CHOICE_NUMBER_RE.match(cleaned)
        if number and 1 <= int(number.group(1)) <= len(step.choices):
            cleaned = step.choices[int(number.group(1)) - 1]
        if cleaned not in units:
            return Rejected(step.id, f"“{text}”不是金额单位", "请输入 1（万元）或 2（元）")
        unit = units[cleaned]
        old = self.report.money_unit
        extra: list[Change] = []
        notes: list[str] = []
        if unit is not old:
            extra = self._converted_amounts(old, unit)
            if extra:
                notes.append(f"已有金额已从{old.value}换算为{unit.value}")
        return self._accept(step, unit, f"已记录：金额单位 {unit.value}", notes=notes, extra=extra)

    def _converted_amounts(self, old: MoneyUnit, new: MoneyUnit) -> list[Change]:
        factor = Decimal(10_000) if old is MoneyUnit.WAN else Decimal(1) / Decimal(10_000)
        changes: list[Change] = []
        for name in MONEY_FUNDS_FIELDS:
            amount: Decimal | None = getattr(self.report.funds, name)
            if amount is not None:
                changes.append((FUNDS_PREFIX + name, _plain(amount * factor)))
        if self.report.budget_lines:
            lines = [
                dataclasses.replace(line, amount=_plain(line.amount * factor))
                for line in self.report.budget_lines
            ]
            changes.append(("budget_lines", lines))
        return changes

    def _answer_score(self, step: Step, text: str) -> Accepted | Rejected:
        if step.field.startswith(FUNDS_PREFIX):  # the 执行率得分, the one score among the funds
            return self._answer_execution_score(step, text)
        cleaned = normalise_text(text).replace(" ", "").removesuffix("分")
        try:
            score = Decimal(cleaned)
        except InvalidOperation:
            return Rejected(step.id, f"“{text}”不是分数", "请写 0 到 100 之间的数，例如 92.5")
        if not score.is_finite() or not 0 <= score <= SCORE_MAX:
            return Rejected(step.id, f"{text} 不在 0 到 100 之间", "总分最高 100 分，例如 92.5")
        grade = scoring.grade_for(score)
        notes = [f"对应等级：{grade.value}"]
        warnings: list[str] = []
        execution = _execution(self.report.funds)
        if execution is not None:
            rate, points = execution
            ceiling = scoring.FULL_SCORE - scoring.EXECUTION_WEIGHT + points
            if score > ceiling:
                warnings.append(
                    f"预算执行率 {_percent(rate)} 只得 {points} 分，总分最高 {ceiling} 分，"
                    f"自评 {_number(score)} 分不可能；请按评分表重新核算"
                )
        claimed = self.report.claimed_grade
        if claimed is not None and claimed is not grade:
            warnings.append(f"已填的等级“{claimed.value}”与 {_number(score)} 分不符，应为“{grade.value}”")
        return self._accept(
            step, score, f"已记录：{_label(step)} {_number(score)} 分", notes=notes, warnings=warnings
        )

    def _answer_execution_score(self, step: Step, text: str) -> Accepted | Rejected:
        """The 执行率得分 the form states: 0–10 with at most two decimals, checked against the rate."""
        cleaned = normalise_text(text).replace(" ", "").removesuffix("分")
        example = "请写 0 到 10 之间、最多两位小数的得分，例如 8.62"
        try:
            score = Decimal(cleaned)
        except InvalidOperation:
            return Rejected(step.id, f"“{text}”不是分数", example)
        if not score.is_finite() or not 0 <= score <= scoring.EXECUTION_WEIGHT:
            return Rejected(step.id, f"{text} 不在 0 到 10 之间", "预算执行率得分最高 10 分；" + example)
        if score != round_cent(score):
            return Rejected(step.id, f"{text} 的小数超过两位", "得分保留两位小数；" + example)
        warnings: list[str] = []
        execution = _execution(self.report.funds)
        if execution is not None and abs(score - execution[1]) >= Decimal("0.01"):
            rate, points = execution
            warnings.append(
                f"执行率 {_percent(rate)} 的得分是 {points:.2f} 分（min(执行率, 100%) × 10，保留两位小数），"
                f"与填报的 {score:.2f} 分不一致"
            )
        return self._accept(step, score, f"已记录：{_label(step)} {score:.2f} 分", warnings=warnings)

    def _answer_choice(self, step: Step, text: str) -> Accepted | Rejected:
        cleaned = normalise_text(text).replace(" ", "")
        folded = {normalise_text(choice).replace(" ", ""): choice for choice in step.choices}
        choice = folded.get(cleaned)
        number = _CHOICE_NUMBER_RE.match(cleaned)
        if choice is None and number and 1 <= int(number.group(1)) <= len(step.choices):
            choice = step.choices[int(number.group(1)) - 1]
        if choice is None:
            listed = "  ".join(f"{n}. {c}" for n, c in enumerate(step.choices, 1))
            return Rejected(step.id, f"“{text}”不是可选的答案", f"请输入序号或选项：{listed}")
        if step.field == "claimed_grade":
            grade = Grade(choice)
            warnings = []
            total = self.report.claimed_total
            if total is not None and scoring.grade_for(total) is not grade:
                warnings.append(
                    f"自评 {_number(total)} 分对应“{scoring.grade_for(total).value}”，不是“{grade.value}”"
                )
            return self._accept(step, grade, f"已记录：{_label(step)} {grade.value}", warnings=warnings)
        return self._accept(step, choice, f"已记录：{_label(step)} — {choice}")

    def _title_warnings(self, step: Step, text: str) -> list[str]:
        if step.field != "title":
            return []
        found = _YEAR_IN_TEXT_RE.search(text)
        if found and int(found.group(1)) != self.report.year:
            return [f"标题里的 {found.group(1)} 年与报告年度 {self.report.year} 年不一致，请核对"]
        return []

    def _value_text(self, step: Step, value: FieldValue) -> str:
        if isinstance(value, Decimal) and step.kind is StepKind.MONEY:
            return f"{format_money(value, self.report.money_unit)}{self.report.money_unit.value}"
        if isinstance(value, Decimal):
            return _number(value)
        if isinstance(value, MoneyUnit | Grade):
            return value.value
        return str(value)

    # internals: follow-up questions --------------------------------------------------------

    def _needs_reason(self, row: Indicator) -> bool:
        """An unmet row (below its target, or a 定性 grade short of 达成) without a 偏差原因."""
        if row.deviation_reason.strip():
            return False
        return scoring.score_indicator(row, self.report.money_unit).met is False

    def _follow_up_after(self, accepted: Accepted) -> FollowUp | None:
        """The follow-up question this answer calls for (None: none), without changing anything.

        Rows: the new or rewritten indicator rows that are unmet and have no 偏差原因, the first
        asked now and the rest queued. Funds: a 全年执行数 or 全年预算数 that leaves money unspent,
        while no 结余原因 is recorded. Answering a follow-up leads to the next queued one.
        """
        answered = self._follow_up
        step = self.current
        if answered is not None and accepted.step_id == answered.parent:
            step, answered = self._steps[self._position[answered.parent]], None
        if step is None or step.id != accepted.step_id:
            return None
        new_rows = _indicator_rows(dict(accepted.changes).get("indicators"))
        if answered is not None:
            return self._next_follow_up(answered, self.report.indicators if new_rows is None else new_rows)
        if step.kind is StepKind.INDICATORS and new_rows is not None:
            if len(new_rows) < len(self.report.indicators):
                return None  # rows were deleted: nothing new to explain
            seen = {_row_key(row) for row in self.report.indicators}
            fresh = [
                i for i, row in enumerate(new_rows) if _row_key(row) not in seen and self._needs_reason(row)
            ]
            if not fresh:
                return None
            first = self._row_question(step, fresh[0], new_rows[fresh[0]])
            return FollowUp(first, step.id, fresh[0], tuple(fresh[1:]))
        if step.field in _SHORTFALL_TRIGGERS and accepted.advance and accepted.changes:
            funds = dataclasses.replace(self.report.funds)
            for path, value in accepted.changes:
                if path.startswith(FUNDS_PREFIX) and (value is None or isinstance(value, Decimal)):
                    setattr(funds, path[len(FUNDS_PREFIX) :], value)
            return self._shortfall_question(step, funds)
        return None

    def _next_follow_up(self, done: FollowUp, rows: Sequence[Indicator]) -> FollowUp | None:
        parent = self._steps[self._position[done.parent]]
        queue = [i for i in done.queue if i < len(rows) and self._needs_reason(rows[i])]
        if not queue:
            return None
        first = self._row_question(parent, queue[0], rows[queue[0]])
        return FollowUp(first, done.parent, queue[0], tuple(queue[1:]))

    def _leave_follow_up(self, done: FollowUp, following: FollowUp | None) -> None:
        self._follow_up = following
        if following is None and done.advance:
            self._advance()

    def _stored_follow_up(self, parent: Step, what: str) -> FollowUp | None:
        """The follow-up a stored position names, when it still asks something."""
        if what == SHORTFALL_FOLLOW_UP:
            return self._shortfall_question(parent, self.report.funds)
        if not what.isdigit() or parent.kind is not StepKind.INDICATORS:
            return None
        index = int(what)
        rows = self.report.indicators
        if index >= len(rows) or not self._needs_reason(rows[index]):
            return None
        return FollowUp(self._row_question(parent, index, rows[index]), parent.id, index)

    def _row_question(self, parent: Step, index: int, row: Indicator) -> Step:
        from report.render import actual_display, target_display  # ~90 ms to import: only when asked

        target, actual = target_display(row) or "（未填）", actual_display(row) or "（未填）"
        return Step(
            id=f"{parent.id}{FOLLOW_UP_MARK}{index}",
            section=parent.section,
            kind=StepKind.LINE,
            field="indicators",
            question=f"「{row.name}」年度指标值 {target}，实际完成 {actual}，没有达到目标。偏差原因和改进措施是什么？",
            hint="一句话写明原因和下一步的改进措施；不写就直接按 Enter 或 F6 跳过，检查结果中会再提醒",
            example="受疫情影响部分活动延期，下年度提前安排并按季度跟踪进度",
            label=f"「{row.name}」的偏差原因",
            required=False,
            level2=parent.level2,
        )

    def _shortfall_question(self, parent: Step, funds: Funds) -> FollowUp | None:
        if self.report.answers.get(SHORTFALL_REASON_KEY, "").strip():
            return None
        rate = scoring.execution_rate(funds)
        if rate is None or rate >= 1 or funds.annual_budget is None or funds.actual_spent is None:
            return None
        unspent = money_text(funds.annual_budget - funds.actual_spent, self.report)
        step = Step(
            id=f"{parent.id}{FOLLOW_UP_MARK}{SHORTFALL_FOLLOW_UP}",
            section=parent.section,
            kind=StepKind.LINE,
            field=SHORTFALL_PATH,
            question=f"预算执行率 {percent_text(rate)}，结余 {unspent}。结余的主要原因是什么？",
            hint="写明没有支出的原因，如采购价格低于预算、项目延期、尾款未到支付期；不写就直接按 Enter 或 F6 跳过",
            example="办公设备集中采购的成交价格低于预算",
            label="结余原因",
            required=False,
        )
        return FollowUp(step, parent.id, None, advance=True)

    def _looks_like_rows(self, parent: Step, text: str) -> bool:
        """Whether text typed at a 偏差原因 question is really more indicator rows (target and actual each)."""
        if not text or normalise_text(text).lower() in _DONE_WORDS:
            return bool(text)
        rows, problems = parse_indicator_rows(text, parent.level2, self.report.money_unit)
        return bool(rows) and not problems and all(row.target and row.actual for row in rows)

    def _answer_follow_up(self, follow_up: FollowUp, text: str) -> Accepted | Rejected:
        step = follow_up.step
        if not text:
            return Accepted(step.id, None, (), f"已跳过：{_label(step)}（检查结果中会再提醒）", advance=False)
        if "\n" in text:
            return Rejected(step.id, f"“{_label(step)}”只能写一行", "请删去换行，写成一句话")
        if follow_up.row is None:
            return Accepted(
                step.id, text, ((SHORTFALL_PATH, text),), f"已记录结余原因：{text}", advance=False
            )
        if _is_row_command(text):  # 移 2 质量 typed as the reply offered it, not a 偏差原因
            return Rejected(
                step.id,
                f"“{text}”是行命令，这里问的是{_label(step)}",
                "先写偏差原因，或直接按 Enter 跳过这个问题，再输入该命令",
            )
        rows = list(self.report.indicators)
        if follow_up.row >= len(rows):
            return Rejected(step.id, "这一行指标已不存在", "按 F6 跳过这个问题")
        row = rows[follow_up.row]
        rows[follow_up.row] = dataclasses.replace(row, deviation_reason=text)
        return Accepted(
            step.id, rows, (("indicators", rows),), f"已记录「{row.name}」的偏差原因：{text}", advance=False
        )

    # internals: sources settled by the figures ----------------------------------------------

    def _with_settled_sources(self, step: Step, accepted: Accepted) -> Accepted:
        """When 到位资金 = 当年财政拨款 = 全年预算数, there is no 上年结转 and no 其他资金: record 没有.

        Only unanswered yes/no questions are settled (an answer the user gave is never
        overwritten); ``apply`` then moves past them instead of asking.
        """
        if step.field not in _SOURCE_FIELDS or not isinstance(accepted.value, Decimal):
            return accepted
        funds = dataclasses.replace(self.report.funds, **{step.field[len(FUNDS_PREFIX) :]: accepted.value})
        if funds.received is None or not funds.received == funds.fiscal_current == funds.annual_budget:
            return accepted
        settled: list[Change] = []
        names: list[str] = []
        for money_field in ("funds.carried_over", "funds.other"):
            gate = self._gate_of(money_field)
            if gate is None or get_field(self.report, gate.field):
                continue
            answer = next(choice for choice in gate.choices if choice in _NO_CHOICES)
            settled.append((gate.field, answer))
            names.append(FIELD_LABELS.get(money_field, money_field))
        if not settled:
            return accepted
        note = f"到位资金、当年财政拨款与全年预算数相同：没有{'和'.join(names)}，已记为「没有」，不再询问"
        changes = (*accepted.changes, *settled)
        return dataclasses.replace(accepted, changes=changes, notes=(*accepted.notes, note))

    def _gate_of(self, money_field: str) -> Step | None:
        """The yes/no step whose answer decides whether ``money_field`` is asked."""
        asker = next((step for step in self._steps if step.field == money_field), None)
        if asker is None or asker.when is None:
            return None
        for path in sorted(referenced_paths(asker.when)):
            gate = next((step for step in self._steps if step.field == path), None)
            if gate is not None and gate.kind is StepKind.CHOICE and set(gate.choices) & set(_NO_CHOICES):
                return gate
        return None

    # internals: rows ------------------------------------------------------------------------

    def _row_indices(self, step: Step) -> list[int]:
        if step.kind is StepKind.BUDGET_LINES:
            return list(range(len(self.report.budget_lines)))
        return [
            i
            for i, indicator in enumerate(self.report.indicators)
            if step.level2 is None or indicator.level2 is step.level2
        ]

    def _answer_rows(self, step: Step, text: str) -> Accepted | Rejected:
        indices = self._row_indices(step)
        command = normalise_text(text).replace("\u3000", " ")
        if not text or command.lower() in _DONE_WORDS:
            if indices:
                return Accepted(step.id, None, (), f"{_label(step)}共 {len(indices)} 行，进入下一步")
            if not step.required:
                return Accepted(step.id, None, (), f"已跳过：{_label(step)}")
            return Rejected(
                step.id,
                f"还没有录入{_label(step)}，至少需要一行",
                f"例如：{step.example}" if step.example else "",
            )
        delete = _DELETE_RE.match(command)
        if delete:
            return self._delete_rows(step, indices, [int(n) for n in re.findall(r"\d+", delete.group(1))])
        move = _move_match(command)
        if move:
            numbers = [int(n) for n in re.findall(r"\d+", move.group(1))]
            return self._move_rows(step, indices, numbers, (move.group(2) or "").strip())
        if _BARE_COMMAND_RE.match(command):
            return Rejected(
                step.id,
                f"“{text}”缺少内容",
                "删除写 删 3；修改写 改 2 后接新的一行，例如 改 2 " + step.example,
            )
        edit = _EDIT_RE.match(command)
        if edit:
            return self._edit_row(step, indices, int(edit.group(1)), text[_edit_body_start(text) :])
        if step.kind is StepKind.BUDGET_LINES:
            return self._add_budget_lines(step, text)
        return self._add_indicators(step, text)

    def _delete_rows(self, step: Step, indices: list[int], numbers: list[int]) -> Accepted | Rejected:
        bad = [n for n in numbers if not 1 <= n <= len(indices)]
        if bad:
            return Rejected(
                step.id, f"没有第 {bad[0]} 行（现有 {len(indices)} 行）", "请先看清行号，例如 删 3"
            )
        doomed = {indices[n - 1] for n in numbers}
        if step.kind is StepKind.BUDGET_LINES:
            gone_lines = [self.report.budget_lines[i].name for i in sorted(doomed)]
            lines = [line for i, line in enumerate(self.report.budget_lines) if i not in doomed]
            message = f"已删除第 {_joined_numbers(numbers)} 行：{'、'.join(gone_lines)}"
            notes = [_budget_total_note(lines, self.report.funds, self.report.money_unit)]
            return Accepted(step.id, lines, (("budget_lines", lines),), message, tuple(notes), advance=False)
        gone = [self.report.indicators[i].name for i in sorted(doomed)]
        rows = [row for i, row in enumerate(self.report.indicators) if i not in doomed]
        message = f"已删除第 {_joined_numbers(numbers)} 行：{'、'.join(gone)}"
        return Accepted(step.id, rows, (("indicators", rows),), message, advance=False)

    def _move_rows(
        self, step: Step, indices: list[int], numbers: list[int], category: str
    ) -> Accepted | Rejected:
        """``移 3 质量``: indicator rows to another 二级 category, each after that category's last row."""
        if step.kind is StepKind.BUDGET_LINES:
            return Rejected(
                step.id,
                "预算明细没有类别，不能“移”",
                "「移 n 类别」用于绩效指标；预算明细请用 删 3 删除、改 2 … 修改",
            )
        bad = [n for n in numbers if not 1 <= n <= len(indices)]
        if bad:
            have = f"现有 {len(indices)} 行" if indices else "这里还没有指标"
            return Rejected(step.id, f"没有第 {bad[0]} 行（{have}）", "请先看清行号，例如 移 3 质量")
        target = _level2_named(category)
        if not isinstance(target, Level2):
            return Rejected(step.id, *_category_refusal(category, target))
        numbers = list(dict.fromkeys(numbers))
        rows = self.report.indicators
        moving = [indices[n - 1] for n in numbers]
        already = [n for n, i in zip(numbers, moving, strict=True) if rows[i].level2 is target]
        if already:
            name = rows[indices[already[0] - 1]].name
            return Rejected(
                step.id, f"第 {already[0]} 行“{name}”已在{target.value}", "请写另一个类别，例如 移 3 质量"
            )
        # a report that keeps 成本指标 as its own 一级 keeps the moved row there too (as the checks' fix)
        level1 = next((row.level1 for row in rows if row.level2 is target), None)
        moved = [dataclasses.replace(rows[i], level2=target, level1=level1) for i in moving]
        kept = [row for i, row in enumerate(rows) if i not in set(moving)]
        last = max((i for i, row in enumerate(kept) if row.level2 is target), default=None)
        # after the category's last row; the first row of a category keeps its place among the others
        at = min(moving) if last is None else last + 1
        new_rows = [*kept[:at], *moved, *kept[at:]]
        sources = "、".join(dict.fromkeys(rows[i].level2.value for i in moving))
        names = "、".join(f"“{rows[i].name}”" for i in moving)
        message = f"已把第 {_joined_numbers(numbers)} 项{names}从{sources}移到{target.value}"
        there = [i for i, row in enumerate(new_rows) if row.level2 is target]
        first = there.index(at) + 1
        places = f"第 {first} 行" if len(moved) == 1 else f"第 {first}–{first + len(moved) - 1} 行"
        notes = [
            f"{_label(step)}现有 {len(indices) - len(moved)} 行；{target.value}现有 {len(there)} 行，移来的是{places}",
            "可继续录入，或输入「完成」进入下一步",
        ]
        warnings = [problem for row in moved if (problem := _fit_warning(row))]
        return Accepted(
            step.id,
            new_rows,
            (("indicators", new_rows),),
            message,
            tuple(notes),
            tuple(warnings),
            advance=False,
        )

    def _edit_row(self, step: Step, indices: list[int], number: int, body: str) -> Accepted | Rejected:
        if not 1 <= number <= len(indices):
            return Rejected(step.id, f"没有第 {number} 行（现有 {len(indices)} 行）", "例如 改 2 新名称 50万")
        index = indices[number - 1]
        unit = self.report.money_unit
        if step.kind is StepKind.BUDGET_LINES:
            lines, problems = _sane_budget_lines(*parse_budget_lines(body, unit))
            if len(lines) != 1 or problems:
                return _edit_rejected(step, lines, problems)
            new_lines = list(self.report.budget_lines)
            new_lines[index] = lines[0]
            message = f"已修改第 {number} 行：{self._line_text(lines[0])}"
            notes = [_budget_total_note(new_lines, self.report.funds, unit)]
            return Accepted(
                step.id, new_lines, (("budget_lines", new_lines),), message, tuple(notes), advance=False
            )
        old = self.report.indicators[index]
        rows, problems = parse_indicator_rows(body, step.level2 or old.level2, unit)
        if len(rows) != 1 or problems:
            return _edit_rejected(step, rows, problems)
        new_rows = list(self.report.indicators)
        new_rows[index] = rows[0]
        warnings = [f"第 {number} 行：{w}" for w in _indicator_warnings(rows[0])]
        message = f"已修改第 {number} 行：{_indicator_text(rows[0])}"
        return Accepted(
            step.id, new_rows, (("indicators", new_rows),), message, warnings=tuple(warnings), advance=False
        )

    def _add_budget_lines(self, step: Step, text: str) -> Accepted | Rejected:
        unit = self.report.money_unit
        added, problems = _sane_budget_lines(*parse_budget_lines(text, unit))
        problem_texts = tuple(_problem_text(problem) for problem in problems)
        if not added:
            first = problems[0] if problems else None
            return Rejected(
                step.id,
                f"没有读出预算明细：{first.message}" if first else "没有读出预算明细",
                "每行写 名称 金额 [用途]，例如 党建工作经费 49万",
                problem_texts,
            )
        lines = [*self.report.budget_lines, *added]
        shown = "；".join(self._line_text(line) for line in added[:MAX_SHOWN_ROWS])
        more = f" 等 {len(added)} 行" if len(added) > MAX_SHOWN_ROWS else ""
        message = f"已记录{_label(step)}：{shown}{more}"
        funds = self.report.funds
        notes = [_budget_total_note(lines, funds, unit), "可继续录入，或输入「完成」进入下一步"]
        warnings = []
        total = sum((line.amount for line in lines), Decimal(0))
        budget = funds.annual_budget if funds.annual_budget is not None else funds.initial_budget
        if funds.actual_spent is not None and budget is not None and total == funds.actual_spent != budget:
            warnings.append("明细合计等于全年执行数而不是预算数：明细看起来是实际支出，请按预算填写")
        return Accepted(
            step.id,
            lines,
            (("budget_lines", lines),),
            message,
            tuple(notes),
            tuple(warnings),
            problem_texts,
            False,
        )

    def _add_indicators(self, step: Step, text: str) -> Accepted | Rejected:
        added, problems = parse_indicator_rows(text, step.level2, self.report.money_unit)
        problem_texts = tuple(_problem_text(problem) for problem in problems)
        if not added:
            first = problems[0] if problems else None
            return Rejected(
                step.id,
                f"没有读出指标：{first.message}" if first else "没有读出指标",
                f"每行写 指标名称 目标值 实际值 分值，例如 {step.example}" if step.example else "",
                problem_texts,
            )
        rows = [*self.report.indicators, *added]
        start = len(self.report.indicators)
        mine = [i for i, row in enumerate(rows) if step.level2 is None or row.level2 is step.level2]
        warnings: list[str] = []
        notes: list[str] = []
        for offset, row in enumerate(added):
            index = start + offset
            place = f"第 {mine.index(index) + 1} 行" if index in mine else f"「{row.name}」"
            if index not in mine:
                notes.append(f"「{row.name}」按行首类别记入{row.level2.value}")
            warnings.extend(f"{place}：{warning}" for warning in _indicator_warnings(row))
            if index in mine and (advice := _move_advice(row, mine.index(index) + 1)):
                warnings.append(advice)
        shown = "；".join(_indicator_text(row) for row in added[:MAX_SHOWN_ROWS])
        more = f" 等 {len(added)} 行" if len(added) > MAX_SHOWN_ROWS else ""
        message = f"已记录{_label(step)}：{shown}{more}"
        weights = [rows[i].weight for i in mine if rows[i].weight is not None]
        weight_total = sum((w for w in weights if w is not None), Decimal(0))
        notes.append(f"{_label(step)}现有 {len(mine)} 行，分值合计 {_number(weight_total)}")
        notes.append("可继续录入，或输入「完成」进入下一步")
        return Accepted(
            step.id,
            rows,
            (("indicators", rows),),
            message,
            tuple(notes),
            tuple(warnings),
            problem_texts,
            False,
        )

    def _line_text(self, line: BudgetLine) -> str:
        text = f"{line.name} {format_money(line.amount, self.report.money_unit, with_unit=True)}"
        return f"{text}（{line.purpose}）" if line.purpose else text


# helpers ------------------------------------------------------------------------------------------

_JUMP_HINT = "可写章节编号（如 四（三）、4.3.2）、标题中的词（如 资金到位）或章节 key"


def _settled_paths(accepted: Accepted) -> frozenset[str]:
    """The answers an answer recorded besides its own (questions it settled, not to be asked)."""
    own = accepted.changes[0][0] if accepted.changes else ""
    return frozenset(path for path, _ in accepted.changes if path != own and path.startswith(ANSWERS_PREFIX))


def _indicator_rows(value: FieldValue) -> list[Indicator] | None:
    """``value`` as indicator rows, or None when it is not a list of them."""
    if not isinstance(value, list):
        return None
    rows = [row for row in value if isinstance(row, Indicator)]
    return rows if len(rows) == len(value) else None


def _row_key(row: Indicator) -> tuple[object, ...]:
    """What makes a row the same row for follow-ups: moving it to another category does not."""
    return (
        row.name,
        row.nature,
        row.operator,
        row.target,
        row.unit,
        row.actual,
        row.weight,
        row.deviation_reason,
    )


def _put_field(report: Report, path: str, value: FieldValue) -> None:
    # a trial write that is put back at once: row lists are assigned, not copied row by row as
    # set_field does (2,000 indicator copies per answer for nothing), and the original rows keep
    # their identity for the renderer's per-row caches
    if path in ("budget_lines", "indicators") and isinstance(value, list):
        setattr(report, path, value)
    else:
        _set_field(report, path, value)


def _label(step: Step) -> str:
    return step.label or step.question.rstrip("？?。")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "").replace("\u3000", "")


def _chinese_number(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    if "十" not in token:
        return _CHINESE_DIGITS.get(token) if len(token) == 1 else None
    tens_text, _, ones_text = token.partition("十")
    tens = 1 if not tens_text else _CHINESE_DIGITS.get(tens_text)
    ones = 0 if not ones_text else _CHINESE_DIGITS.get(ones_text)
    if tens is None or ones is None or len(tens_text) > 1 or len(ones_text) > 1:
        return None
    return tens * 10 + ones


def _number_path(text: str) -> list[int]:
    """``四(三)2`` → [4, 3, 2]; [] when the text is not made of numbers and separators only."""
    tokens = _NUMBER_TOKEN_RE.findall(text)
    leftover = _NUMBER_TOKEN_RE.sub("", text)
    if not tokens or any(ch not in _NUMBER_SEPARATORS for ch in leftover):
        return []
    numbers = [_chinese_number(token) for token in tokens]
    return [n for n in numbers if n is not None] if all(n is not None for n in numbers) else []


def _section_at(sections: tuple[Section, ...], path: list[int]) -> Section | None:
    found: Section | None = None
    level = sections
    for number in path:
        if not 1 <= number <= len(level):
            return None
        found = level[number - 1]
        level = found.children
    return found


def _edit_body_start(text: str) -> int:
    """Where the new row starts in ``改 2 新名称 50万`` (in the original, unfolded text)."""
    match = re.match(r"^\s*(?:修改|改)\s*第?\s*[0-9０-９]+\s*行?\s*[:：]?\s*", text)
    return match.end() if match else 0


def _edit_rejected(step: Step, rows: Sequence[object], problems: list[RowProblem]) -> Rejected:
    if problems:
        return Rejected(step.id, f"没有读懂修改的内容：{problems[0].message}", f"例如：改 2 {step.example}")
    return Rejected(step.id, f"修改一行时只能写一行，这里读出了 {len(rows)} 行", f"例如：改 2 {step.example}")


def _checked_amount(amount: Decimal, text: str) -> Decimal:
    if amount >= MAX_AMOUNT:
        raise ParseError(f"“{text.strip()}”金额过大", "请核对位数和单位，例如 487万 或 4,870,000元")
    return amount


def _sane_budget_lines(
    lines: list[BudgetLine], problems: list[RowProblem]
) -> tuple[list[BudgetLine], list[RowProblem]]:
    """Move lines with an impossible amount to the problems (their line number is not known here)."""
    kept = [line for line in lines if line.amount < MAX_AMOUNT]
    too_large = [
        RowProblem(0, line.name, f"“{line.name}”的金额过大；请核对位数和单位")
        for line in lines
        if line.amount >= MAX_AMOUNT
    ]
    return kept, [*problems, *too_large]


def _problem_text(problem: RowProblem) -> str:
    if problem.line_no == 0:
        return f"“{problem.text}”未录入：{problem.message}"
    return f"第 {problem.line_no} 行“{problem.text}”未录入：{problem.message}"


def _joined_numbers(numbers: list[int]) -> str:
    return "、".join(str(n) for n in numbers)


def _number(value: Decimal) -> str:
    """A score or weight as people write it: 100, 99.92, 4.2."""
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return f"{value.normalize():f}"


def _plain(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _percent(fraction: Decimal) -> str:
    return f"{round_cent(fraction * 100)}%"


def _value_display(indicator: Indicator, value: str) -> str:
    if indicator.nature is Nature.QUALITATIVE or not value:
        return value
    return f"{value}{indicator.unit}"


def _indicator_text(indicator: Indicator) -> str:
    parts = [indicator.name]
    if indicator.target:
        operator = indicator.operator
        shown = operator.value if operator is not None and operator is not Operator.QUALITATIVE else ""
        parts.append(f"{shown}{_value_display(indicator, indicator.target)}")
    if indicator.actual:
        parts.append(f"实际 {_value_display(indicator, indicator.actual)}")
    if indicator.weight is not None:
        parts.append(f"分值 {_number(indicator.weight)}")
    if indicator.score is not None:
        parts.append(f"得分 {_number(indicator.score)}")
    if indicator.deviation_reason:
        parts.append(f"偏差：{indicator.deviation_reason}")
    return " ".join(parts)


def _indicator_warnings(indicator: Indicator) -> list[str]:
    warnings: list[str] = []
    value = indicator_target(indicator) or indicator_actual(indicator)
    if value is not None:
        problem = fit_problem(indicator.level2, value, indicator.name)
        if problem:
            warnings.append(problem)
    if not indicator.target:
        warnings.append(f"「{indicator.name}」缺少年度指标值（目标）")
    if not indicator.actual:
        warnings.append(f"「{indicator.name}」缺少实际完成值，可用「改 行号 …」补上")
    return warnings


def _short_category(level2: Level2) -> str:
    """What to type after 移 n: 质量 for 质量指标, 满意度 for 服务对象满意度指标."""
    return level2.value.removesuffix("指标").removeprefix("服务对象")


def _level2_named(text: str) -> Level2 | list[Level2]:
    """The 二级 category a typed name means: any unambiguous prefix (质量, 社会效益) or part (满意度).

    The candidates when there are several or none (an empty list).
    """
    name = re.sub(r"\s+", "", text).removesuffix("类别").removesuffix("类")
    if not name:
        return []
    for candidates in (
        [level2 for level2 in Level2 if level2.value == name],
        [level2 for level2 in Level2 if level2.value.startswith(name)],
        [level2 for level2 in Level2 if name in level2.value],
    ):
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            return candidates
    return []


def _category_refusal(typed: str, candidates: list[Level2]) -> tuple[str, str]:
    """Why ``移 n <typed>`` names no single category, and what to write instead."""
    every = "、".join(_short_category(level2) for level2 in Level2)
    if not typed:
        return "“移”缺少要移到的类别", f"例如 移 3 质量；可移到：{every}"
    if candidates:
        named = "、".join(level2.value for level2 in candidates)
        return f"“{typed}”可指{named}", f"请写得更具体，例如 移 3 {_short_category(candidates[0])}"
    return f"没有“{typed}”这个指标类别", f"可移到：{every}；例如 移 3 质量"


def _is_row_command(text: str) -> bool:
    """Whether the text is a row command (删 3, 改 2 …, 移 3 质量) rather than an answer."""
    command = normalise_text(text).replace("\u3000", " ")
    return bool(_move_match(command) or _DELETE_RE.match(command) or _EDIT_RE.match(command))


def _move_match(command: str) -> re.Match[str] | None:
    """``移 3 质量`` as a command; a row that merely starts so (``移5G基站建设数 ≥10个``) has figures after."""
    move = _MOVE_RE.match(command)
    return move if move and not re.search(r"\d", move.group(2) or "") else None


def _fit_warning(row: Indicator) -> str | None:
    """Why the row's value does not fit its category, if it does not."""
    value = indicator_target(row) or indicator_actual(row)
    return fit_problem(row.level2, value, row.name) if value is not None else None


def move_command(rows: Sequence[Indicator], index: int, target: Level2) -> str:
    """The command that moves ``rows[index]`` to ``target`` on its category's step: ``移 2 质量``."""
    number = 1 + sum(1 for row in rows[:index] if row.level2 is rows[index].level2)
    return f"移 {number} {_short_category(target)}"


def _move_advice(row: Indicator, number: int) -> str | None:
    """``输入「移 2 质量」把它移到质量指标`` for a row whose value belongs in another category."""
    value = indicator_target(row) or indicator_actual(row)
    home = advised_level2(row.level2, value, row.name) if value is not None else None
    if home is None:
        return None
    return f"输入「移 {number} {_short_category(home)}」即可把第 {number} 行移到{home.value}"


def _execution(funds: Funds) -> tuple[Decimal, Decimal] | None:
    """预算执行率 (a fraction, 4 places) and its score (2 places), or None when not computable."""
    rate = scoring.execution_rate(funds)
    if rate is None:
        return None
    return rate, scoring.execution_score(rate)


def _budget_total_note(lines: Sequence[BudgetLine], funds: Funds, unit: MoneyUnit) -> str:
    """``合计 234.03 / 预算 487.00 万元，尚差 252.97``."""
    total = sum((line.amount for line in lines), Decimal(0))
    budget = funds.annual_budget if funds.annual_budget is not None else funds.initial_budget
    if budget is None:
        return f"明细合计 {format_money(total, unit, with_unit=True)}（还没有填写全年预算数）"
    head = f"合计 {format_money(total, unit)} / 预算 {format_money(budget, unit, with_unit=True)}"
    gap = budget - total
    if round_cent(gap) == 0:
        return f"{head}，与预算相符"
    if gap > 0:
        return f"{head}，尚差 {format_money(gap, unit)}"
    return f"{head}，超出 {format_money(-gap, unit)}"


def _funds_consequences(
    path: str, funds: Funds, unit: MoneyUnit, lines: Sequence[BudgetLine]
) -> tuple[list[str], list[str]]:
    """What follows from a new amount: 执行率 and its score, savings, 到位率, the sources' sum."""
    notes: list[str] = []
    warnings: list[str] = []
    field_name = path[len(FUNDS_PREFIX) :]
    budget, spent = funds.annual_budget, funds.actual_spent
    if field_name in ("annual_budget", "actual_spent") and budget is not None and spent is not None:
        execution = _execution(funds)
        if execution is not None:
            rate, points = execution
            notes.append(f"执行率 {_percent(rate)}，得 {points} 分")
        if spent < budget:
            notes.append(f"节约 {format_money(budget - spent, unit, with_unit=True)}")
        elif spent > budget:
            warnings.append(
                f"全年执行数超过全年预算数 {format_money(spent - budget, unit, with_unit=True)}，请核对"
            )
        initial = funds.initial_budget
        if initial is not None and budget == spent and initial > budget:
            warnings.append("全年预算数被调减到与执行数正好相等，请确认是否为真实的预算调整")
    if field_name == "annual_budget" and lines:
        notes.append(_budget_total_note(lines, funds, unit))
    if field_name == "received" and funds.received is not None and budget:
        arrival = funds.received / budget
        notes.append(f"到位率 {_percent(arrival)}")
        if arrival > 1:
            warnings.append("到位资金多于全年预算数，到位率不应超过 100%，请核对")
    if (
        field_name in ("fiscal_current", "carried_over", "other", "received")
        and funds.fiscal_current is not None
    ):
        parts = [funds.fiscal_current, funds.carried_over, funds.other]
        sources = sum((part for part in parts if part is not None), Decimal(0))
        received = funds.received
        if received is not None:
            if sources == received:
                notes.append(f"资金来源合计 {format_money(sources, unit, with_unit=True)}，与到位资金相符")
            elif sources < received:
                notes.append(
                    f"资金来源合计 {format_money(sources, unit, with_unit=True)}，"
                    f"比到位资金少 {format_money(received - sources, unit)}（可能来自上年结转或其他资金）"
                )
            else:
                warnings.append(
                    f"资金来源合计 {format_money(sources, unit, with_unit=True)}，"
                    f"多于到位资金 {format_money(received, unit, with_unit=True)}，请核对"
                )
    return notes, warnings
