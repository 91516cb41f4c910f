"""Templates: one TOML file per outline, loaded into an ``Outline`` for the renderer and the steps to ask.

File layout::

    id = "eight_part"
    name = "八部分提纲"

    [[section]]            # sections in reading order; ``level`` 1..4 gives the nesting
    key = "overview"
    title = "基本情况"
    level = 1

    [[section.step]]       # the questions of the section above, in order
    id = "overview.title"
    kind = "line"
    field = "title"
    question = "报告的标题是什么？"
    hint = "…"
    example = "…"

Numbers (``一、`` ``（一）`` ``1.`` ``（1）``) are computed from position, never stored. Each
section's render blocks are derived from its steps (see ``_default_render``) unless a step says
``render = "execution prose"``.

A prose step may name a paragraph of ``prompts/phrasing/<phrasing>.toml`` (``compose = "funds_use"``;
the top-level ``phrasing = "…"`` picks the file, ``default`` when absent):
its suggestion is then composed from the report's figures (see ``prompts.compose``). A money step
may name earlier amounts to offer (``suggest_from = ["funds.initial_budget"]``): the first filled in.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from importlib.resources.abc import Traversable
from pathlib import Path

from prompts.compose import DEFAULT_PHRASING, PhrasingError, load_phrasing
from prompts.conditions import Condition, ConditionError, parse_condition, referenced_paths
from prompts.fields import (
    ANSWERS_PREFIX,
    FIELD_LABELS,
    FUNDS_PREFIX,
    MONEY_FUNDS_FIELDS,
    SCORE_FUNDS_FIELD,
    is_answers_path,
    is_known_field,
)
from report.model import Grade, Level2, MoneyUnit
from report.outline import Block, BlockKind, Outline, Section, number_label

PACKAGE = "prompts"
TEMPLATE_DIR = "templates"  # prompts/templates/*.toml (the module templates.py shadows it as a package)
ROW_COMMANDS_HINT = "可一次粘贴多行；「删 3」删除第3行，「改 2 …」改写第2行，「完成」进入下一步"
"""Appended to the hint of every row step (budget lines, indicators) so the commands are discoverable."""
INDICATOR_COMMANDS_HINT = f"{ROW_COMMANDS_HINT}；「移 4 质量」把第4行移到质量指标"
"""The row commands of an indicator step, which can also move a row to another 二级 category."""


class StepKind(StrEnum):
    """What kind of answer a step takes."""

    TEXT = "text"  # prose, may span lines
    LINE = "line"  # one line of text
    MONEY = "money"  # an amount in the report's unit
    BUDGET_LINES = "budget_lines"  # rows: 名称 金额 [用途]
    INDICATORS = "indicators"  # rows: 名称 目标 实际 分值 …
    CHOICE = "choice"  # one of ``choices``
    SCORE = "score"  # a number 0..100
    YEAR = "year"  # 2000..2100
    UNIT = "unit"  # 元 or 万元


ROW_KINDS = frozenset({StepKind.BUDGET_LINES, StepKind.INDICATORS})

_FIELDS_FOR_KIND: dict[StepKind, tuple[str, ...]] = {
    StepKind.TEXT: ("overall_goal", "overall_goal_actual", "stage_goals"),
    StepKind.LINE: ("title", "unit_name", "department"),
    StepKind.MONEY: tuple(FUNDS_PREFIX + name for name in MONEY_FUNDS_FIELDS),
    StepKind.BUDGET_LINES: ("budget_lines",),
    StepKind.INDICATORS: ("indicators",),
    StepKind.CHOICE: ("claimed_grade",),
    StepKind.SCORE: ("claimed_total", SCORE_FUNDS_FIELD),
    StepKind.YEAR: ("year",),
    StepKind.UNIT: ("money_unit",),
}
_KINDS_WITH_ANSWERS = frozenset({StepKind.TEXT, StepKind.LINE, StepKind.CHOICE})
_DEFAULT_FIELD: dict[StepKind, str] = {
    StepKind.BUDGET_LINES: "budget_lines",
    StepKind.INDICATORS: "indicators",
    StepKind.SCORE: "claimed_total",
    StepKind.YEAR: "year",
    StepKind.UNIT: "money_unit",
}
_SHARED_FIELDS = frozenset({"indicators"})  # several steps (one per 二级 category) fill this list

_TOP_KEYS = frozenset({"id", "name", "description", "phrasing", "section"})
_SECTION_KEYS = frozenset({"key", "title", "level", "step"})
_STEP_KEYS = frozenset(
    {
        "id",
        "question",
        "hint",
        "example",
        "suggestion",
        "kind",
        "field",
        "label",
        "required",
        "when",
        "render",
        "choices",
        "level2",
        "compose",
        "suggest_from",
    }
)
RENDER_NONE = "none"
RENDER_PROSE = "prose"
_RENDER_WORDS = frozenset({kind.value for kind in BlockKind} | {RENDER_NONE})
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*$")
_MAX_DEPTH = 4


class TemplateError(ValueError):
    """A template file that cannot be used: names the file, the step or section, and the problem."""

    def __init__(self, file: str, where: str, problem: str) -> None:
        self.file = file
        self.where = where
        self.problem = problem
        super().__init__(f"{file}：{where + '：' if where else ''}{problem}")


@dataclass(frozen=True)
class Step:
    """One question of the guided flow."""

    id: str
    section: str  # the key of the section it belongs to
    kind: StepKind
    field: str  # the model path the answer goes to
    question: str
    hint: str = ""
    example: str = ""
    suggestion: str = ""  # standard wording the user can accept as is
    label: str = ""  # short name used in confirmations: 全年预算数, 数量指标
    required: bool = True
    choices: tuple[str, ...] = ()
    level2: Level2 | None = None  # indicators steps: the one category this step asks for
    when: Condition | None = None
    when_text: str = ""
    render: tuple[str, ...] | None = None  # explicit render words, None = derived from kind and field
    compose: str = ""  # a paragraph of prompts/phrasing composed from the figures, offered for Tab
    suggest_from: tuple[str, ...] = ()  # money steps: offer the first of these amounts that is filled in

    @property
    def is_rows(self) -> bool:
        """True for steps that collect a list of rows (budget lines, indicators)."""
        return self.kind in ROW_KINDS


@dataclass(frozen=True)
class Template:
    """A loaded template: the outline to render and the steps to ask, in order."""

    id: str
    name: str
    outline: Outline
    steps: tuple[Step, ...]
    source: str = ""  # the file it came from
    description: str = ""
    phrasing: str = DEFAULT_PHRASING  # the prompts/phrasing/*.toml its composed paragraphs are worded by
    _by_id: Mapping[str, Step] = field(default_factory=dict, repr=False, compare=False)

    def step(self, step_id: str) -> Step:
        """The step with this id; raises ``KeyError`` when there is none."""
        return self._by_id[step_id]

    def has_step(self, step_id: str) -> bool:
        """True when the template has a step with this id."""
        return step_id in self._by_id

    def steps_in(self, section_key: str, *, subtree: bool = False) -> tuple[Step, ...]:
        """The steps of a section, in order; with ``subtree`` also those of its sub-sections."""
        if not subtree:
            return tuple(step for step in self.steps if step.section == section_key)
        section = self.outline.find(section_key)
        if section is None:
            return ()
        keys = {s.key for s in _walk(section)}
        return tuple(step for step in self.steps if step.section in keys)


def _walk(section: Section) -> list[Section]:
    found = [section]
    for child in section.children:
        found.extend(_walk(child))
    return found


@dataclass
class _RawSection:
    key: str
    title: str
    level: int
    steps: list[Step]
    children: list[_RawSection] = field(default_factory=list)


def _template_dir() -> Traversable:
    return importlib.resources.files(PACKAGE).joinpath(TEMPLATE_DIR)


def available_templates() -> list[tuple[str, str]]:
    """The packaged templates as ``(id, name)``, sorted by id."""
    found: list[tuple[str, str]] = []
    for entry in _template_dir().iterdir():
        if entry.name.endswith(".toml"):
            template = load_template(entry.name[: -len(".toml")])
            found.append((template.id, template.name))
    return sorted(found)


@functools.cache
def load_template(template_id: str) -> Template:
    """Load a packaged template by id (cached); raises ``TemplateError`` for an unknown or bad one."""
    file_name = f"{template_id}.toml"
    if not _ID_RE.match(template_id):
        raise TemplateError(file_name, "", f"“{template_id}”不是有效的模板编号")
    resource = _template_dir().joinpath(file_name)
    if not resource.is_file():
        names = sorted(
            entry.name[: -len(".toml")] for entry in _template_dir().iterdir() if entry.name.endswith(".toml")
        )
        raise TemplateError(file_name, "", f"没有这个模板（可用：{'、'.join(names)}）")
    template = parse_template(resource.read_text(encoding="utf-8"), file_name)
    if template.id != template_id:
        raise TemplateError(file_name, "", f"文件里的 id “{template.id}”与文件名不一致")
    return template


def load_template_file(path: str | Path) -> Template:
    """Load a template from a TOML file anywhere on disk (not cached)."""
    file_path = Path(path)
    try:
        text = file_path.read_text(encoding="utf-8")
    except OSError as error:
        raise TemplateError(str(file_path), "", f"无法读取文件：{error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise TemplateError(str(file_path), "", "文件不是 UTF-8 编码") from error
    return parse_template(text, str(file_path))


def parse_template(text: str, source: str = "<template>") -> Template:
    """Parse and validate template TOML text; ``source`` names the file in errors."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise TemplateError(source, "", f"不是合法的 TOML：{error}") from error
    return _Loader(source).load(data)


class _Loader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.step_ids: dict[str, str] = {}  # step id -> section key
        self.field_owner: dict[str, str] = {}  # field path -> step id
        self.section_keys: set[str] = set()
        self.phrasing = DEFAULT_PHRASING

    def fail(self, where: str, problem: str) -> TemplateError:
        return TemplateError(self.source, where, problem)

    def load(self, data: dict[str, object]) -> Template:
        unknown = sorted(set(data) - _TOP_KEYS)
        if unknown:
            raise self.fail("", f"未知的键“{unknown[0]}”（可用：id、name、description、phrasing、section）")
        template_id = self._text(data, "id", "", required=True)
        if not _ID_RE.match(template_id):
            raise self.fail("", f"模板 id “{template_id}”只能用小写字母、数字、下划线")
        name = self._text(data, "name", "", required=True)
        description = self._text(data, "description", "")
        self.phrasing = self._text(data, "phrasing", "") or DEFAULT_PHRASING
        raw_sections = data.get("section")
        if not isinstance(raw_sections, list) or not raw_sections:
            raise self.fail("", "没有任何章节（需要 [[section]]）")
        roots = self._tree([self._section(raw, n) for n, raw in enumerate(raw_sections, 1)])
        sections = tuple(self._build(raw, index) for index, raw in enumerate(roots, 1))
        steps = tuple(step for raw in roots for step in self._steps_depth_first(raw))
        outline = Outline(id=template_id, name=name, sections=sections)
        return Template(
            id=template_id,
            name=name,
            outline=outline,
            steps=steps,
            source=self.source,
            description=description,
            phrasing=self.phrasing,
            _by_id={step.id: step for step in steps},
        )

    # sections -------------------------------------------------------------------------------

    def _section(self, raw: object, position: int) -> _RawSection:
        where = f"第 {position} 个章节"
        if not isinstance(raw, dict):
            raise self.fail(where, "章节应是一个表（[[section]]）")
        key = raw.get("key")
        if isinstance(key, str) and key:
            where = f"章节 {key}"
        unknown = sorted(set(raw) - _SECTION_KEYS)
        if unknown:
            raise self.fail(where, f"未知的键“{unknown[0]}”（可用：key、title、level、step）")
        key = self._text(raw, "key", where, required=True)
        if not _ID_RE.match(key):
            raise self.fail(where, "key 只能用小写字母、数字、下划线和点")
        if key in self.section_keys:
            raise self.fail(where, "章节 key 重复")
        self.section_keys.add(key)
        title = self._text(raw, "title", where, required=True)
        level = raw.get("level")
        if not isinstance(level, int) or isinstance(level, bool) or not 1 <= level <= _MAX_DEPTH:
            raise self.fail(where, f"level 必须是 1 到 {_MAX_DEPTH} 的整数")
        raw_steps = raw.get("step", [])
        if not isinstance(raw_steps, list):
            raise self.fail(where, "step 应是 [[section.step]] 列表")
        steps = [self._step(step, key, n) for n, step in enumerate(raw_steps, 1)]
        return _RawSection(key=key, title=title, level=level, steps=steps)

    def _tree(self, flat: list[_RawSection]) -> list[_RawSection]:
        roots: list[_RawSection] = []
        trail: list[_RawSection] = []
        for section in flat:
            parent_level = trail[-1].level if trail else 0
            if section.level > parent_level + 1:
                raise self.fail(
                    f"章节 {section.key}",
                    f"层级从 {parent_level} 跳到 {section.level}，中间缺少一级",
                )
            while trail and trail[-1].level >= section.level:
                trail.pop()
            (trail[-1].children if trail else roots).append(section)
            trail.append(section)
        for section in flat:
            if not section.steps and not section.children:
                raise self.fail(f"章节 {section.key}", "既没有问题（step）也没有下级章节")
        return roots

    def _build(self, raw: _RawSection, index: int) -> Section:
        children = tuple(self._build(child, n) for n, child in enumerate(raw.children, 1))
        return Section(
            key=raw.key,
            title=raw.title,
            depth=raw.level,
            number=number_label(raw.level, index),
            blocks=_blocks_of(raw.steps),
            children=children,
        )

    def _steps_depth_first(self, raw: _RawSection) -> list[Step]:
        steps = list(raw.steps)
        for child in raw.children:
            steps.extend(self._steps_depth_first(child))
        return steps

    # steps ----------------------------------------------------------------------------------

    def _step(self, raw: object, section_key: str, position: int) -> Step:
        where = f"章节 {section_key} 的第 {position} 个步骤"
        if not isinstance(raw, dict):
            raise self.fail(where, "步骤应是一个表（[[section.step]]）")
        step_id = raw.get("id")
        if isinstance(step_id, str) and step_id:
            where = f"步骤 {step_id}"
        unknown = sorted(set(raw) - _STEP_KEYS)
        if unknown:
            raise self.fail(where, f"未知的键“{unknown[0]}”（可用：{'、'.join(sorted(_STEP_KEYS))}）")
        step_id = self._text(raw, "id", where, required=True)
        if not _ID_RE.match(step_id):
            raise self.fail(where, "id 只能用小写字母、数字、下划线和点")
        if step_id in self.step_ids:
            raise self.fail(where, f"步骤 id 重复（章节 {self.step_ids[step_id]} 已有同名步骤）")
        self.step_ids[step_id] = section_key
        question = self._text(raw, "question", where, required=True)
        kind_text = self._text(raw, "kind", where, required=True)
        try:
            kind = StepKind(kind_text)
        except ValueError:
            names = "、".join(kind.value for kind in StepKind)
            raise self.fail(where, f"未知的类型“{kind_text}”（可用：{names}）") from None
        field_path = self._field(raw, kind, step_id, where)
        required = raw.get("required", True)
        if not isinstance(required, bool):
            raise self.fail(where, "required 应是 true 或 false")
        choices = self._choices(raw, kind, field_path, where)
        level2 = self._level2(raw, kind, where)
        when, when_text = self._when(raw, where)
        render = self._render(raw, where)
        if render is not None and RENDER_PROSE in render and not is_answers_path(field_path):
            raise self.fail(where, f"render “prose” 只适用于写入 answers.* 的步骤（这里写入 {field_path}）")
        hint = self._text(raw, "hint", where)
        if kind in ROW_KINDS and "完成" not in hint:
            commands = INDICATOR_COMMANDS_HINT if kind is StepKind.INDICATORS else ROW_COMMANDS_HINT
            hint = f"{hint}；{commands}" if hint else commands
        suggestion = self._text(raw, "suggestion", where)
        if suggestion and choices and suggestion not in choices:
            raise self.fail(where, f"建议答案“{suggestion}”不在 choices 中")
        compose = self._compose(raw, kind, field_path, where)
        suggest_from = self._suggest_from(raw, kind, where)
        label = self._text(raw, "label", where) or (
            level2.value if level2 is not None else FIELD_LABELS.get(field_path, "")
        )
        step = Step(
            id=step_id,
            section=section_key,
            kind=kind,
            field=field_path,
            question=question,
            hint=hint,
            example=self._text(raw, "example", where),
            suggestion=suggestion,
            label=label,
            required=required,
            choices=choices,
            level2=level2,
            when=when,
            when_text=when_text,
            render=render,
            compose=compose,
            suggest_from=suggest_from,
        )
        if field_path not in _SHARED_FIELDS:
            if field_path in self.field_owner:
                raise self.fail(where, f"字段 {field_path} 已由步骤 {self.field_owner[field_path]} 填写")
            self.field_owner[field_path] = step_id
        else:
            self.field_owner.setdefault(field_path, step_id)
        return step

    def _text(self, raw: Mapping[str, object], key: str, where: str, *, required: bool = False) -> str:
        value = raw.get(key, "")
        if not isinstance(value, str):
            raise self.fail(where, f"{key} 应是文字")
        value = value.strip()
        if required and not value:
            raise self.fail(where, f"缺少 {key}")
        return value

    def _field(self, raw: Mapping[str, object], kind: StepKind, step_id: str, where: str) -> str:
        path = self._text(raw, "field", where)
        if not path:
            if kind in _KINDS_WITH_ANSWERS:
                return ANSWERS_PREFIX + step_id
            if kind in _DEFAULT_FIELD:
                return _DEFAULT_FIELD[kind]
            raise self.fail(where, f"类型 {kind.value} 必须指定 field")
        if not is_known_field(path):
            raise self.fail(where, f"字段“{path}”不存在")
        allowed = _FIELDS_FOR_KIND[kind]
        if path in allowed or (is_answers_path(path) and kind in _KINDS_WITH_ANSWERS):
            return path
        choices = "、".join(allowed) + ("、answers.<步骤id>" if kind in _KINDS_WITH_ANSWERS else "")
        raise self.fail(where, f"类型 {kind.value} 不能写入字段“{path}”（可写：{choices}）")

    def _choices(
        self, raw: Mapping[str, object], kind: StepKind, field_path: str, where: str
    ) -> tuple[str, ...]:
        value = raw.get("choices")
        if kind is StepKind.UNIT:
            if value is not None:
                raise self.fail(where, "金额单位的选项是固定的（万元、元），不要写 choices")
            return tuple(unit.value for unit in (MoneyUnit.WAN, MoneyUnit.YUAN))
        if kind is not StepKind.CHOICE:
            if value is not None:
                raise self.fail(where, f"只有 choice 类型可以有 choices（这里是 {kind.value}）")
            return ()
        if not isinstance(value, list) or not value:
            raise self.fail(where, "选择题缺少 choices")
        if not all(isinstance(item, str) and item.strip() for item in value):
            raise self.fail(where, "choices 的每一项都应是非空文字")
        choices = tuple(str(item).strip() for item in value)
        if len(set(choices)) != len(choices):
            raise self.fail(where, "choices 有重复项")
        if field_path == "claimed_grade":
            grades = {grade.value for grade in Grade}
            bad = [choice for choice in choices if choice not in grades]
            if bad:
                raise self.fail(where, f"评价等级的选项只能是 优、良、中、差，不能是“{bad[0]}”")
        return choices

    def _level2(self, raw: Mapping[str, object], kind: StepKind, where: str) -> Level2 | None:
        value = raw.get("level2")
        if value is None:
            return None
        if kind is not StepKind.INDICATORS:
            raise self.fail(where, "只有 indicators 步骤可以指定 level2")
        try:
            return Level2(str(value))
        except ValueError:
            names = "、".join(level2.value for level2 in Level2)
            raise self.fail(where, f"level2 “{value}”不是二级指标（可用：{names}）") from None

    def _compose(self, raw: Mapping[str, object], kind: StepKind, field_path: str, where: str) -> str:
        name = self._text(raw, "compose", where)
        if not name:
            return ""
        if kind is not StepKind.TEXT:
            raise self.fail(where, f"compose 只适用于 text 类型的步骤（这里是 {kind.value}）")
        try:
            phrasing = load_phrasing(self.phrasing)
        except PhrasingError as error:
            raise self.fail(where, f"措辞文件有误：{error}") from None
        if name not in phrasing.paragraphs:
            names = "、".join(sorted(phrasing.paragraphs))
            raise self.fail(where, f"措辞文件中没有段落“{name}”（可用：{names}）")
        return name

    def _suggest_from(self, raw: Mapping[str, object], kind: StepKind, where: str) -> tuple[str, ...]:
        value = raw.get("suggest_from")
        if value is None:
            return ()
        paths = [value] if isinstance(value, str) else value
        if not isinstance(paths, list) or not all(isinstance(p, str) and p for p in paths):
            raise self.fail(where, "suggest_from 应是字段路径或字段路径的列表")
        if kind is not StepKind.MONEY:
            raise self.fail(where, f"suggest_from 只适用于 money 类型的步骤（这里是 {kind.value}）")
        for path in paths:
            if path not in _FIELDS_FOR_KIND[StepKind.MONEY]:
                raise self.fail(where, f"suggest_from 的“{path}”不是金额字段")
            if path not in self.field_owner:
                raise self.fail(where, f"suggest_from 的“{path}”不是前面步骤填写的字段")
        return tuple(str(p) for p in paths)

    def _when(self, raw: Mapping[str, object], where: str) -> tuple[Condition | None, str]:
        text = self._text(raw, "when", where)
        if not text:
            return None, ""
        try:
            condition = parse_condition(text)
        except ConditionError as error:
            raise self.fail(where, f"when 条件“{text}”有误：{error}") from None
        for path in sorted(referenced_paths(condition)):
            if not is_known_field(path):
                raise self.fail(where, f"when 条件引用了不存在的字段“{path}”")
            if path not in self.field_owner:
                raise self.fail(where, f"when 条件引用的“{path}”不是前面步骤填写的字段")
        return condition, text

    def _render(self, raw: Mapping[str, object], where: str) -> tuple[str, ...] | None:
        value = raw.get("render")
        if value is None:
            return None
        if isinstance(value, str):
            words = tuple(value.replace(",", " ").split())
        elif isinstance(value, list) and all(isinstance(item, str) for item in value):
            words = tuple(str(item).strip() for item in value)
        else:
            raise self.fail(where, "render 应是文字或文字列表")
        if not words:
            raise self.fail(where, 'render 为空（不显示请写 "none"）')
        for word in words:
            if word not in _RENDER_WORDS:
                names = "、".join(sorted(_RENDER_WORDS))
                raise self.fail(where, f"未知的 render “{word}”（可用：{names}）")
        return words


def _default_render(step: Step) -> tuple[str, ...]:
    """What a step shows in its section when the template does not say."""
    if step.kind in (StepKind.TEXT, StepKind.LINE) and is_answers_path(step.field):
        return (RENDER_PROSE,)
    if step.field in ("overall_goal", "overall_goal_actual"):
        return (BlockKind.OVERALL_GOAL.value,)
    if step.field == "stage_goals":
        return (BlockKind.STAGE_GOALS.value,)
    if step.kind is StepKind.MONEY:
        return (BlockKind.FUNDS.value,)
    if step.kind is StepKind.BUDGET_LINES:
        return (BlockKind.BUDGET_LINES.value,)
    if step.kind is StepKind.INDICATORS:
        return (BlockKind.INDICATORS.value,)
    if step.field in ("claimed_total", "claimed_grade"):
        return (BlockKind.SCORE.value,)
    return ()  # title, unit, year, money unit and control questions show elsewhere or not at all


def _indicator_filter(steps: list[Step]) -> str:
    """The INDICATORS block key: the 二级 categories this section reports, comma-joined; "" = all."""
    indicator_steps = [step for step in steps if step.kind is StepKind.INDICATORS]
    if not indicator_steps or any(step.level2 is None for step in indicator_steps):
        return ""
    asked = {step.level2 for step in indicator_steps}
    if asked >= set(Level2):
        return ""
    return ",".join(level2.value for level2 in Level2 if level2 in asked)


def _blocks_of(steps: list[Step]) -> tuple[Block, ...]:
    blocks: list[Block] = []
    for step in steps:
        words = step.render if step.render is not None else _default_render(step)
        for word in words:
            if word == RENDER_NONE:
                continue
            if word == RENDER_PROSE:
                block = Block(BlockKind.PROSE, step.id)
            elif word == BlockKind.INDICATORS.value:
                block = Block(BlockKind.INDICATORS, _indicator_filter(steps))
            else:
                block = Block(BlockKind(word))
            if block not in blocks:
                blocks.append(block)
    return tuple(blocks)
