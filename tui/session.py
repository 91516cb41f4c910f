"""One drafting session: the report, its guided flow, its findings and its preview, kept in step with storage.

No Textual here: the drafting screen shows what this returns, so the behaviour is testable
without a terminal. Every accepted answer is written to the database before the in-memory
report changes; a refused answer, a conflict or a database error changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from prompts.engine import Accepted, Flow, Moved, Progress, Rejected
from prompts.fields import set_field
from prompts.templates import Step, StepKind, Template, load_template
from report.checks import Finding, Severity, check_report
from report.model import Report
from report.money import format_money
from report.outline import BlockKind, Section
from report.scoring import ScoreResult, score_report
from storage.errors import ConflictError, StorageError
from storage.store import Position, ReportStore

if TYPE_CHECKING:
    # the renderer (and wcwidth behind its tables) loads when the preview is first filled, after
    # the first frame: the question and the answer box do not need it
    from report.document import DocBlock

ROWS_LISTED = 15
"""Row steps list every row up to this many; beyond, the last ``ROWS_TAIL``."""
ROWS_TAIL = 8
TITLE_KEY = "__title__"
SCORE_SHEET_KEY = "__score_sheet__"

# which rendered blocks a changed model path can alter (besides prose of its own step)
_PATH_BLOCKS: dict[str, frozenset[BlockKind]] = {
    "funds": frozenset({BlockKind.FUNDS, BlockKind.EXECUTION, BlockKind.SCORE}),
    "budget_lines": frozenset({BlockKind.BUDGET_LINES, BlockKind.FUNDS}),
    "indicators": frozenset({BlockKind.INDICATORS, BlockKind.SCORE}),
    "claimed_total": frozenset({BlockKind.SCORE}),
    "claimed_grade": frozenset({BlockKind.SCORE}),
    "overall_goal": frozenset({BlockKind.OVERALL_GOAL}),
    "stage_goals": frozenset({BlockKind.STAGE_GOALS}),
    "money_unit": frozenset(BlockKind),
}
_TITLE_PATHS = frozenset({"title", "unit_name", "department", "year", "money_unit"})
# the score sheet shows funds, goals and indicators, never the budget lines: adding a budget line
# re-rendered the 2,000-row sheet of a big report for nothing (~150 ms)
_SHEET_PATHS = frozenset(
    {
        "title",
        "unit_name",
        "department",
        "year",
        "money_unit",
        "indicators",
        "overall_goal",
        "overall_goal_actual",
        "claimed_total",
        "claimed_grade",
    }
)


@dataclass
class Reply:
    """What the assistant says after an answer or a command."""

    role: str  # "ok", "error", "info", "reply"
    lines: list[str]
    changed_paths: set[str] = field(default_factory=set)
    moved: bool = False
    keep_text: bool = False  # leave the answer in the box (refused, conflict, error)


@dataclass(frozen=True)
class OutlineEntry:
    """A section in the outline panel with its state."""

    key: str
    heading: str
    depth: int
    state: str  # "done", "partial", "empty", "error"
    done: int
    total: int


STATE_MARKS = {"done": "✓", "partial": "◐", "empty": "○", "error": "✗"}
STATE_NAMES = {"done": "已完成", "partial": "填写中", "empty": "未填", "error": "有错误"}


class DraftSession:
    """The report being drafted, with its flow, findings and rendered sections."""

    def __init__(
        self,
        store: ReportStore,
        report: Report,
        template: Template,
        current_step: str | None,
        drafts: dict[str, str],
    ) -> None:
        self.store = store
        self.report = report
        self.template = template
        self.drafts = dict(drafts)
        self.history: dict[str, list[str]] = {}
        self._findings: list[Finding] | None = None
        self._score: ScoreResult | None = None
        self._progress: Progress | None = None
        self._section_paths: dict[str, tuple[str, ...]] = {}
        self.pending_conflict: tuple[Accepted, str] | None = None
        self.flow = Flow(template, report)
        if self.flow.resume(current_step) is None:
            self._start_at_first_error()

    def _start_at_first_error(self) -> None:
        """A finished report reopens where its first error can be fixed, else at the first step."""
        for finding in self.findings:
            steps = self.steps_for(finding) if finding.severity is Severity.ERROR else []
            if steps:
                self.flow.go_to(steps[0].id)
                return
        if self.template.steps:
            self.flow.go_to(self.template.steps[0].id)

    @classmethod
    def open(cls, store: ReportStore, report_id: int) -> DraftSession:
        """Load a report for editing: resumes at the step the user left, with unsent drafts."""
        loaded = store.load_for_editing(report_id)
        template = load_template(loaded.report.template_id)
        return cls(store, loaded.report, template, loaded.current_step, loaded.drafts)

    @property
    def report_id(self) -> int:
        """The report's database id."""
        assert self.report.id is not None
        return self.report.id

    # ---- what to show ------------------------------------------------------------------------

    @property
    def step(self) -> Step | None:
        """The step being asked (None once every step has been passed)."""
        return self.flow.current

    def question(self) -> list[str]:
        """The current question as lines: place, rows entered so far, question, hint, example, choices.

        The rows come before the question: the conversation shows the end of a long message,
        and at 80x24 eleven budget lines listed after the question pushed it off the screen.
        """
        step = self.step
        if step is None:
            return [
                "所有问题都已问完。",
                "可以 /check 查看问题与得分，/export 导出报告，/goto 跳到任一章节修改。",
            ]
        lines = [f"【{self.flow.section_heading(step)}】"]
        _count, rows = self.row_listing(step)
        if rows:
            lines.append("已录入：")
            lines.extend(f"  {row}" for row in rows)
        required = "" if step.required else "（选填，/skip 跳过）"
        lines.append(f"{step.question}{required}")
        if step.hint:
            lines.append(f"提示：{step.hint}")
        if step.example:
            lines.append(f"示例：{step.example}")
        if step.choices:
            lines.append("可选：" + "  ".join(f"{n}. {c}" for n, c in enumerate(step.choices, 1)))
        gaps = self.flow.suggestion_gaps(step)
        if gaps:
            lines.append(f"提示：{gaps}")
        return lines

    def row_listing(self, step: Step | None = None) -> tuple[int, list[str]]:
        """How many rows a row step has, and the numbered rows as the conversation lists them.

        A long list shows only its end.

        Listing all 191 budget lines of a big report after each one added put ~200 lines into
        the conversation per answer (~25 ms of wrapping each time); the preview holds them all.
        """
        rows = self.flow.rows(step)
        if len(rows) <= ROWS_LISTED:
            return len(rows), rows
        shown = rows[-ROWS_TAIL:]
        return len(rows), [f"……前 {len(rows) - len(shown)} 行见预览（F2）", *shown]

    def suggestion(self) -> str:
        """The suggestion Tab accepts for the current step."""
        step = self.step
        return (self.flow.suggestion_for(step) or "") if step is not None else ""

    def enter_sends(self) -> bool:
        """Values and rows send on Enter; prose sends on ctrl+j."""
        step = self.step
        return step is None or step.kind is not StepKind.TEXT

    def draft_for_step(self) -> str:
        """The unsent text saved for the current step."""
        step = self.step
        return self.drafts.get(step.id, "") if step is not None else ""

    @property
    def findings(self) -> list[Finding]:
        """The check findings of the report as it is now."""
        if self._findings is None:
            self._findings = check_report(self.report, self.template.outline, self.score)
        return self._findings

    @property
    def score(self) -> ScoreResult:
        """The computed score sheet."""
        if self._score is None:
            self._score = score_report(self.report)
        return self._score

    def progress(self) -> Progress:
        """Answered out of applicable steps; kept until the report changes.

        It walks every step, and an indicator step's rows through all indicators: with 2,000 rows
        that took several milliseconds, and the panels ask for it three times per answer.
        """
        if self._progress is None:
            self._progress = self.flow.progress()
        return self._progress

    def counts(self) -> tuple[int, int]:
        """Errors and warnings among the findings."""
        return (
            sum(1 for f in self.findings if f.severity is Severity.ERROR),
            sum(1 for f in self.findings if f.severity is Severity.WARNING),
        )

    def status_line(self) -> str:
        """Progress, score and finding counts in one line (no colour needed to read it)."""
        progress = self.progress()
        errors, warnings = self.counts()
        score = self.score
        return (
            f"进度 {progress.done}/{progress.total} · 计算得分 {score.total:.2f}（{score.grade.value}）"
            f" · 错误 {errors} 警告 {warnings}"
        )

    def outline_entries(self) -> list[OutlineEntry]:
        """Every section with its state: done, partial, empty, or has errors."""
        progress = self.progress()
        error_sections = self._sections_with_errors()
        entries = []
        for section in self.template.outline.walk():
            tally = progress.sections.get(section.key)
            done, total = (tally.done, tally.total) if tally else (0, 0)
            if section.key in error_sections:
                state = "error"
            elif total and done >= total:
                state = "done"
            elif done:
                state = "partial"
            else:
                state = "empty" if total else "done"
            entries.append(OutlineEntry(section.key, section.heading, section.depth, state, done, total))
        return entries

    def _sections_with_errors(self) -> set[str]:
        keys: set[str] = set()
        for finding in self.findings:
            if finding.severity is not Severity.ERROR:
                continue
            for step in self.steps_for(finding):
                keys.update(self._path_keys(step.section))
        return keys

    def _path_keys(self, section_key: str) -> tuple[str, ...]:
        # searched once per section: hundreds of indicator errors each searched the outline again
        path = self._section_paths.get(section_key)
        if path is None:
            path = tuple(s.key for s in self.template.outline.path_to(section_key))
            self._section_paths[section_key] = path
        return path

    def steps_for(self, finding: Finding) -> list[Step]:
        """The steps that fix a finding."""
        where = finding.where
        if where.section and not where.field:
            return list(self.template.steps_in(where.section, subtree=True))[:1]
        if not where.field:
            return []
        return self.flow.steps_for_field(where.field, indicator=where.indicator)

    # ---- preview -----------------------------------------------------------------------------

    def preview_sections(self) -> list[tuple[str, tuple[DocBlock, ...]]]:
        """Every section's document blocks in reading order: title, the outline, the score sheet."""
        from report.render import SCORE_SHEET_PART, TITLE_PART, document_parts

        keys = {TITLE_PART: TITLE_KEY, SCORE_SHEET_PART: SCORE_SHEET_KEY}
        return [
            (keys.get(part.key, part.key), part.blocks)
            for part in document_parts(self.report, self.template.outline)
        ]

    def sections_affected(self, paths: Iterable[str]) -> list[tuple[str, tuple[DocBlock, ...]]]:
        """Build the blocks of only the sections the changed paths can alter."""
        from report.render import score_sheet_blocks, section_blocks, title_blocks

        paths = set(paths)
        kinds: set[BlockKind] = set()
        prose_keys: set[str] = set()
        for path in paths:
            if path.startswith("answers."):
                prose_keys.add(path.removeprefix("answers."))
            kinds |= _PATH_BLOCKS.get(path.split(".")[0], frozenset())
        touched: list[tuple[str, tuple[DocBlock, ...]]] = []
        if paths & _TITLE_PATHS:
            touched.append((TITLE_KEY, title_blocks(self.report)))
        for section in self.template.outline.walk():
            if self._section_uses(section, kinds, prose_keys):
                touched.append((section.key, section_blocks(self.report, section)))
        if paths & _SHEET_PATHS or any(p.startswith("funds.") for p in paths):
            touched.append((SCORE_SHEET_KEY, score_sheet_blocks(self.report)))
        return touched

    @staticmethod
    def _section_uses(section: Section, kinds: set[BlockKind], prose_keys: set[str]) -> bool:
        return any(
            block.kind in kinds or (block.kind is BlockKind.PROSE and block.key in prose_keys)
            for block in section.blocks
        )

    def render_prose_preview(self, text: str) -> tuple[str, tuple[DocBlock, ...]] | None:
        """The current prose step's section built again with unsent text, for the preview while typing."""
        from report.render import section_blocks

        step = self.step
        if step is None or step.kind is not StepKind.TEXT or not step.field.startswith("answers."):
            return None
        key = step.field.removeprefix("answers.")
        section = self.flow.section_of(step)
        saved = self.report.answers.get(key)
        self.report.answers[key] = text
        try:
            return section.key, section_blocks(self.report, section)
        finally:
            if saved is None:
                self.report.answers.pop(key, None)
            else:
                self.report.answers[key] = saved

    def current_section_key(self) -> str | None:
        """The section of the step being asked."""
        step = self.step
        return step.section if step is not None else None

    # ---- answering ---------------------------------------------------------------------------

    def submit(self, raw: str) -> Reply:
        """Answer the current step: persist what is accepted, then update the report."""
        step = self.step
        if step is not None and raw.strip():
            self.history.setdefault(step.id, []).append(raw)
        result = self.flow.answer(raw)
        if isinstance(result, Rejected):
            lines = [result.message]
            if result.hint:
                lines.append(f"  → {result.hint}")
            lines.extend(f"  · {p}" for p in result.problems)
            return Reply("error", lines, keep_text=True)
        return self._persist(result, raw)

    def _persist(self, accepted: Accepted, raw: str) -> Reply:
        step_id = accepted.step_id
        fixes_before = self._offered_fixes()
        after = self.flow.step_after(accepted)
        position = Position(after.id if after else None, cleared_draft=step_id)
        try:
            revision = self.store.apply_many(
                self.report_id, list(accepted.changes), self.report.revision, position=position
            )
        except ConflictError as error:
            self.pending_conflict = (accepted, raw)
            return Reply(
                "error",
                [
                    f"{error.message}",
                    "  → 输入 /reload 载入对方的版本（你的答案留在输入框里），或 /keep 用你的答案覆盖。",
                ],
                keep_text=True,
            )
        except StorageError as error:
            return Reply(
                "error",
                [f"没有保存：{error.message}", "  → 答案仍在输入框中，可稍后再发送。"],
                keep_text=True,
            )
        reload_needed = revision > self.report.revision + 1
        self.report.revision = revision
        if reload_needed:
            self._reload_keeping_position()
        self.flow.apply(accepted)
        self.drafts.pop(step_id, None)
        self._invalidate({path for path, _ in accepted.changes})
        self._save_status()
        lines = [accepted.message]
        lines.extend(f"  {note}" for note in accepted.notes)
        lines.extend(f"  ! {warning}" for warning in accepted.warnings)
        lines.extend(f"  ✗ {problem}" for problem in accepted.problems)
        lines.extend(self._new_fix_lines(fixes_before))
        paths = {path for path, _ in accepted.changes}
        # a follow-up question (an unmet row's 偏差原因) is a move although the answer stays on its step
        moved = accepted.advance or self.step is None or self.step.id != step_id
        return Reply("ok", lines, changed_paths=paths, moved=moved)

    def _invalidate(self, paths: set[str] | None = None) -> None:
        """Forget what was computed from the report; ``paths`` (what changed) may spare the score."""
        self._findings = None
        self._progress = None
        if paths is None or any(path.split(".")[0] in _SCORE_INPUTS for path in paths):
            self._score = None

    def _save_status(self) -> None:
        try:
            progress = self.progress()
            errors, warnings = self.counts()
            self.store.set_status(
                self.report_id,
                progress_done=progress.done,
                progress_total=progress.total,
                errors=errors,
                warnings=warnings,
            )
        except StorageError:
            pass  # the list counts are a convenience; the answer and position are already saved

    def _remember_position(self) -> None:
        step = self.step
        try:
            self.store.set_current_step(self.report_id, step.id if step else None)
        except StorageError:
            return  # a convenience: the user only resumes one step off
        self._save_status()

    def _reload_keeping_position(self) -> None:
        step = self.step
        fresh = self.store.load(self.report_id)
        self._replace_report(fresh, step.id if step else None)

    def _replace_report(self, fresh: Report, step_id: str | None) -> None:
        self.report = fresh
        self.flow = Flow(self.template, fresh, current=step_id)
        self._invalidate()

    # ---- fixes -------------------------------------------------------------------------------

    def fixable(self) -> list[Finding]:
        """The findings that carry a fix, one per distinct change, in the findings' order."""
        seen: set[tuple[str, str]] = set()
        found: list[Finding] = []
        for finding in self.findings:
            fix = finding.fix
            if fix is None or (fix.path, fix.after) in seen:
                continue
            seen.add((fix.path, fix.after))
            found.append(finding)
        return found

    def fix_at_hand(self) -> Finding | None:
        """The fix one key takes: for the step being asked, else stale prose, else the first of all."""
        fixable = self.fixable()
        step = self.step
        if step is not None:
            for finding in fixable:
                if finding.fix is not None and finding.fix.path == step.field:
                    return finding
        # stale prose (what a changed figure leaves behind, and what the reply offered) before row moves
        prose = [f for f in fixable if f.fix is not None and f.fix.path.startswith("answers.")]
        first = prose or fixable
        return first[0] if first else None

    def apply_fix(self, finding: Finding | None = None) -> Reply:
        """Take a finding's fix (default: ``fix_at_hand``) as one recorded change, which /undo reverts."""
        finding = finding if finding is not None else self.fix_at_hand()
        fix = finding.fix if finding is not None else None
        if fix is None:
            return Reply("info", ["没有可自动修正的问题。/check 查看全部问题。"])
        step = self.step
        position = Position(step.id if step else None)
        try:
            revision = self.store.apply_many(
                self.report_id, [(fix.path, fix.value)], self.report.revision, position=position
            )
        except ConflictError as error:
            return Reply("error", [error.message, "  → 输入 /reload 载入最新版本后再 /fix。"])
        except StorageError as error:
            return Reply("error", [f"没有修正：{error.message}"])
        reload_needed = revision > self.report.revision + 1
        self.report.revision = revision
        if reload_needed:
            self._reload_keeping_position()
        else:
            set_field(self.report, fix.path, fix.value)  # type: ignore[arg-type]
        self._invalidate({fix.path})
        self._save_status()
        lines = [
            f"已修正：{fix.label}",
            f"  原文：{fix.before}",
            f"  改为：{fix.after}",
            "  （/undo 可撤销）",
        ]
        return Reply("ok", lines, changed_paths={fix.path})

    def _offered_fixes(self) -> set[tuple[str, str]]:
        if self._findings is None:
            return set()
        return {(f.fix.path, f.fix.after) for f in self._findings if f.fix is not None}

    def _new_fix_lines(self, before: set[tuple[str, str]]) -> list[str]:
        """Say so when an answer made quoted prose stale: the fix, before → after, and how to take it."""
        lines: list[str] = []
        for finding in self.fixable():
            fix = finding.fix
            if fix is None or (fix.path, fix.after) in before or not fix.path.startswith("answers."):
                continue
            lines.append(f"  ! {fix.label}：{fix.before} → {fix.after}（按 F9 或输入 /fix 更新）")
        return lines

    # ---- commands ----------------------------------------------------------------------------

    def back(self) -> Reply:
        """Return to the previous step."""
        return self._moved(self.flow.back())

    def skip(self) -> Reply:
        """Skip the current (optional) step."""
        return self._moved(self.flow.skip())

    def goto(self, ref: str) -> Reply:
        """Jump to a section by number, key or title."""
        return self._moved(self.flow.jump(ref))

    def goto_step(self, step_id: str) -> Reply:
        """Jump to a step by id."""
        return self._moved(self.flow.go_to(step_id))

    def goto_finding(self, finding: Finding) -> Reply:
        """Jump to the step that fixes a finding."""
        steps = self.steps_for(finding)
        if not steps:
            return Reply("info", [f"这条问题没有对应的填写步骤：{finding.hint}"])
        return self.goto_step(steps[0].id)

    def _moved(self, result: Moved | Rejected) -> Reply:
        if isinstance(result, Rejected):
            lines = [result.message] + ([f"  → {result.hint}"] if result.hint else [])
            return Reply("error", lines, keep_text=True)
        self._remember_position()
        return Reply("info", [result.message], moved=True)

    def undo(self) -> Reply:
        """Undo this user's latest saved change and reload the report."""
        step = self.step
        try:
            undone = self.store.undo(self.report_id)
            if undone is None:
                return Reply("info", [self.store.nothing_to_undo(self.report_id)])
            fresh = self.store.load(self.report_id)
        except StorageError as error:
            return Reply("error", [f"撤销失败：{error.message}"])
        self._replace_report(fresh, step.id if step else None)
        return Reply(
            "ok",
            [f"已撤销：{undone.what}（恢复为 {undone.new}）"],
            changed_paths={undone.path} | set(_ALL_PATHS),
        )

    def reload(self) -> Reply:
        """Resolve a conflict by loading the other copy's version."""
        step = self.step
        try:
            fresh = self.store.load(self.report_id)
        except StorageError as error:
            return Reply("error", [f"载入失败：{error.message}"])
        self._replace_report(fresh, step.id if step else None)
        self.pending_conflict = None
        return Reply(
            "ok", ["已载入最新版本。你的答案还在输入框里，可修改后再发送。"], set(_ALL_PATHS), keep_text=True
        )

    def keep_mine(self) -> Reply:
        """Resolve a conflict by writing this copy's answer over the other one."""
        if self.pending_conflict is None:
            return Reply("info", ["当前没有冲突需要处理。"])
        accepted, raw = self.pending_conflict
        try:
            current = self.store.revision(self.report_id)
        except StorageError as error:
            return Reply("error", [f"✗ {error.message}"], keep_text=True)
        self.pending_conflict = None
        self.report.revision = current
        reply = self._persist(accepted, raw)
        reply.lines.insert(0, "已用你的答案覆盖另一处的修改。")
        if reply.role == "ok":
            self._reload_keeping_position()
        return reply

    def save_draft(self, text: str) -> str | None:
        """Save the unsent text of the current step; returns an error message if it could not be saved."""
        step = self.step
        if step is None:
            return None
        if self.drafts.get(step.id, "") == text:
            return None
        try:
            self.store.save_draft(self.report_id, step.id, text)
        except StorageError as error:
            return error.message
        if text.strip():
            self.drafts[step.id] = text
        else:
            self.drafts.pop(step.id, None)
        return None

    def describe_budget(self) -> str:
        """Budget total and lines sum, for the status of a budget step."""
        lines_sum = sum((line.amount for line in self.report.budget_lines), Decimal(0))
        budget = self.report.funds.annual_budget
        unit = self.report.money_unit
        if budget is None:
            return f"明细合计 {format_money(lines_sum, unit, with_unit=True)}"
        return f"明细合计 {format_money(lines_sum, unit)} / 预算 {format_money(budget, unit, with_unit=True)}"


# what score_report reads: a budget line or a prose answer leaves the score of 2,000 indicator
# rows as it was (~3 ms a time to compute again)
_SCORE_INPUTS = frozenset({"funds", "money_unit", "indicators", "weights", "claimed_total"})

_ALL_PATHS = (
    "title",
    "unit_name",
    "department",
    "year",
    "money_unit",
    "funds",
    "budget_lines",
    "indicators",
    "overall_goal",
    "stage_goals",
    "overall_goal_actual",
    "claimed_total",
    "claimed_grade",
)
