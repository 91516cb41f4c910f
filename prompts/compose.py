"""Paragraphs composed from a report's own figures, worded by data: ``prompts/phrasing/*.toml``.

The guided flow offers these as the dimmed suggestion that Tab takes, for the questions whose
answer restates figures (资金到位、资金使用、节约、绩效目标完成情况、评价结论、实际完成情况).
Nothing here decides wording: a phrasing file does, so a province changes its sentences without
code. This module only computes the figures, in the report's money unit and as the report
prints them, and fills them in.

The phrasing file::

    [paragraph.funds_use]                     # a template step names it: compose = "funds_use"
    when = "spent_known"                      # optional: the paragraph applies only then
    categories = ["质量指标"]                  # optional: counts and rows of these categories only
    sentences = [
      { text = "全年实际支出{actual_spent}，预算执行率{execution_rate}。" },
      { when = "savings and not shortfall_explained", text = "结余资金{savings}，原因是{shortfall_reason}。" },
      { include = "funds_arrival" },          # another paragraph's sentences, here
    ]

    [rows.unmet_row]                          # how one row of a list reads: {unmet:unmet_row}
    join = "；"
    sentences = [ { text = "「{name}」年度指标值{target}，实际完成{actual}" } ]

The mini-language: ``{name}`` is a figure (``FIGURES`` and ``ROW_FIGURES``/``CATEGORY_FIGURES``
inside a row format); ``{list:format}`` is a list (``unmet``, ``met``, ``categories``) written row
by row with a row format and joined by its ``join``. ``when`` names boolean facts (``FACTS``; a
list name is true when the list has rows) joined by ``and``, ``or`` and ``not`` (``and`` binds
tighter; no parentheses). Every sentence whose ``when`` holds is written, in order.

Nothing is invented: a figure the report does not have yet is written （待填写） and reported in
``Composed.missing`` with the field paths that supply it, so the caller can name the step.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from report.model import Indicator, Level2, Nature, Operator, QualGrade, Report
from report.money import format_money, round_cent
from report.scoring import ScoreResult, execution_rate, execution_score, score_report

PLACEHOLDER = "（待填写）"
"""What a missing figure reads as: the renderer's mark for a gap (``report.render.PLACEHOLDER``)."""
PACKAGE = "prompts"
PHRASING_DIR = "phrasing"
DEFAULT_PHRASING = "default"
SHORTFALL_REASON_KEY = "funds.shortfall_reason"
"""``report.answers`` key of the reason the user gave for a 执行率 below 100%."""

FIGURES: dict[str, tuple[str, ...]] = {
    "year": (),
    "money_unit": (),
    "initial_budget": ("funds.initial_budget",),
    "annual_budget": ("funds.annual_budget",),
    "actual_spent": ("funds.actual_spent",),
    "received": ("funds.received",),
    "unreceived": ("funds.received", "funds.annual_budget"),
    "fiscal_current": ("funds.fiscal_current",),
    "carried_over": ("funds.carried_over",),
    "other": ("funds.other",),
    "savings": ("funds.annual_budget", "funds.actual_spent"),
    "overspending": ("funds.annual_budget", "funds.actual_spent"),
    "execution_rate": ("funds.annual_budget", "funds.actual_spent"),
    "execution_score": ("funds.annual_budget", "funds.actual_spent"),
    "arrival_rate": ("funds.received", "funds.annual_budget"),
    "shortfall_reason": ("answers." + SHORTFALL_REASON_KEY,),
    "indicator_count": ("indicators",),
    "met_count": ("indicators",),
    "unmet_count": ("indicators",),
    "unscored_count": ("indicators",),
    "total": ("indicators", "funds.annual_budget", "funds.actual_spent"),
    "grade": ("indicators", "funds.annual_budget", "funds.actual_spent"),
    "claimed_total": ("claimed_total",),
    "claimed_grade": ("claimed_grade",),
}
"""Every report figure a phrasing may name, with the field paths that supply it when missing."""

ROW_FIGURES: dict[str, tuple[str, ...]] = {
    "name": (),
    "category": (),
    "target": ("indicators",),
    "actual": ("indicators",),
    "score": ("indicators",),
    "weight": ("indicators",),
    "reason": ("indicators",),
}
"""Figures of one indicator row (``unmet``, ``met`` lists)."""

CATEGORY_FIGURES: dict[str, tuple[str, ...]] = {
    "category": (),
    "count": (),
    "met_count": (),
    "unmet_count": (),
}
"""Figures of one 二级 category (``categories`` list)."""

FACTS: frozenset[str] = frozenset(
    {
        "budget_known",
        "spent_known",
        "budget_unchanged",
        "budget_adjusted",
        "received_known",
        "fully_received",
        "partly_received",
        "sources_known",
        "has_carried_over",
        "has_other",
        "savings",
        "overspent",
        "on_budget",
        "shortfall",
        "shortfall_explained",
        "has_rows",
        "all_met",
        "some_unmet",
        "has_unscored",
        "scored",
        # rows and categories
        "has_reason",
        "qualitative",
    }
)
"""Every boolean fact a ``when`` may name (besides list names)."""

LISTS: frozenset[str] = frozenset({"unmet", "met", "categories"})
"""The lists a ``{list:format}`` placeholder may write."""

_PLACEHOLDER_RE = re.compile(r"\{([a-z_]+)(?::([a-z_]+))?\}")
_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_ALL_VALUES = frozenset(FIGURES) | frozenset(ROW_FIGURES) | frozenset(CATEGORY_FIGURES)


class PhrasingError(ValueError):
    """A phrasing file that cannot be used: names the file, the paragraph and the problem (Chinese)."""


# the wording, as loaded -----------------------------------------------------------------------


@dataclass(frozen=True)
class Condition:
    """``a and not b or c``: any of the conjunctions holds; a conjunction is (negated, name) terms."""

    any_of: tuple[tuple[tuple[bool, str], ...], ...]

    def holds(self, scope: Scope) -> bool:
        """Whether the condition holds for the figures of ``scope``."""
        return any(all(scope.fact(name) != negated for negated, name in terms) for terms in self.any_of)


@dataclass(frozen=True)
class Sentence:
    """One piece of wording: written when ``when`` holds (or always); or another paragraph's sentences."""

    text: str = ""
    when: Condition | None = None
    include: str = ""


@dataclass(frozen=True)
class RowFormat:
    """How each row of a list reads, what joins the rows, and how a long list is cut short.

    With ``most`` > 0 only the first ``most`` rows are written, then ``more`` with ``{count}``
    (the list's length, e.g. ``等{count}项``).
    """

    sentences: tuple[Sentence, ...]
    join: str = "；"
    most: int = 0
    more: str = ""


@dataclass(frozen=True)
class Paragraph:
    """A composed paragraph: its sentences, when it applies, and the categories it speaks of."""

    sentences: tuple[Sentence, ...]
    when: Condition | None = None
    categories: tuple[Level2, ...] = ()


@dataclass(frozen=True)
class Phrasing:
    """A loaded phrasing file: paragraphs by name and row formats by name."""

    name: str
    paragraphs: Mapping[str, Paragraph]
    rows: Mapping[str, RowFormat]


@dataclass(frozen=True)
class Composed:
    """A composed paragraph, the figures still missing from it and where they come from.

    ``missing`` holds the field paths whose absence left a （待填写） in ``text``, in the order
    met; ``quoted`` counts the figures the text actually quotes (0: nothing figure-based applies).
    """

    text: str
    missing: tuple[str, ...] = ()
    quoted: int = 0


# the figures ----------------------------------------------------------------------------------


Lazy = Callable[[], object]
"""A figure, fact or list computed only when a sentence reads it (indicator lists of big reports)."""


@dataclass
class Scope:
    """Figures (text, None when missing), facts and lists of one level: report, category or row.

    Any entry may be a ``Lazy`` callable, computed on first use and kept: a paragraph about the
    funds never walks 2,000 indicator rows.
    """

    values: dict[str, str | Lazy | None] = field(default_factory=dict)
    facts: dict[str, bool | Lazy] = field(default_factory=dict)
    lists: dict[str, list[Scope] | Lazy] = field(default_factory=dict)
    sources: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    parent: Scope | None = None
    fill: Callable[[Scope], None] | None = None  # fills values and facts on first use (a row)

    def _ready(self) -> Scope:
        if self.fill is not None:
            fill, self.fill = self.fill, None
            fill(self)
        return self

    def _value_here(self, name: str) -> str | None:
        value = self.values[name]
        if callable(value):
            value = self.values[name] = _text_or_none(value())
        return value

    def _list_here(self, name: str) -> list[Scope]:
        rows = self.lists[name]
        if callable(rows):
            made = rows()
            rows = [row for row in made if isinstance(row, Scope)] if isinstance(made, list) else []
            for row in rows:
                row.parent = self
            self.lists[name] = rows
        return rows

    def value(self, name: str) -> tuple[bool, str | None, tuple[str, ...]]:
        """(found, text or None when missing, the paths that supply it), looked up outwards."""
        scope: Scope | None = self
        while scope is not None:
            if name in scope._ready().values:
                return True, scope._value_here(name), scope.sources.get(name, ())
            scope = scope.parent
        return False, None, ()

    def fact(self, name: str) -> bool:
        """A fact, or whether a list has rows, looked up outwards; unknown names are false."""
        scope: Scope | None = self
        while scope is not None:
            if name in scope._ready().facts:
                fact = scope.facts[name]
                if callable(fact):
                    fact = scope.facts[name] = bool(fact())
                return fact
            if name in scope.lists:
                return bool(scope._list_here(name))
            scope = scope.parent
        return False

    def rows(self, name: str) -> list[Scope]:
        """A list, looked up outwards ([] when unknown)."""
        scope: Scope | None = self
        while scope is not None:
            if name in scope.lists:
                return scope._list_here(name)
            scope = scope.parent
        return []

    def texts(self) -> list[str]:
        """Every figure text of this scope and of the rows under it (for tests and checks)."""
        self._ready()
        found = [text for text in (self._value_here(name) for name in list(self.values)) if text]
        for name in list(self.lists):
            for row in self._list_here(name):
                found.extend(row.texts())
        return found


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


def money_text(amount: Decimal, report: Report) -> str:
    """An amount as composed prose writes it: two decimals and the report's unit, ``487.00万元``."""
    return f"{format_money(amount, report.money_unit)}{report.money_unit.value}"


def percent_text(fraction: Decimal) -> str:
    """A fraction as a percentage with two decimals: 0.9924 → ``99.24%``."""
    return f"{round_cent(fraction * 100):.2f}%"


def score_text(score: Decimal) -> str:
    """A score with two decimals: ``97.45``."""
    return f"{round_cent(score):.2f}"


@functools.lru_cache(maxsize=16_384)
def _shown(target: str, actual: str, unit: str, operator: Operator | None) -> tuple[str, str]:
    """A row's 年度指标值 and 实际完成值 as the report prints them, remembered (parsing is the cost)."""
    # the renderer (and its table writers) costs ~90 ms to import; loading a template must not pay it
    from report.render import actual_display, target_display

    row = Indicator("", Level2.QUANTITY, operator=operator, target=target, unit=unit, actual=actual)
    return target_display(row), actual_display(row)


def _row_scope(report: Report, index: int, result: ScoreResult) -> Scope:
    """One indicator row's figures, worked out when a sentence first reads them (long lists are cut short)."""
    return Scope(sources=ROW_FIGURES, fill=functools.partial(_fill_row, report, index, result))


def _fill_row(report: Report, index: int, result: ScoreResult, scope: Scope) -> None:
    indicator = report.indicators[index]
    item = result.indicators[index]
    target, actual = _shown(indicator.target, indicator.actual, indicator.unit, indicator.operator)
    # a reason is quoted inside a list joined by ；, so its own ； would split it
    reason = indicator.deviation_reason.strip().rstrip("。；;，,").replace("；", "，").replace(";", "，")
    scope.values.update(
        {
            "name": indicator.name,
            "category": indicator.level2.value,
            "target": target or None,
            "actual": actual or None,
            "score": None if item.score is None else score_text(item.score),
            "weight": None if indicator.weight is None else score_text(indicator.weight),
            "reason": reason or None,
        }
    )
    qualitative = indicator.nature is Nature.QUALITATIVE or indicator.operator is Operator.QUALITATIVE
    scope.facts.update({"has_reason": bool(reason), "qualitative": qualitative})


def _counted(rows: list[tuple[int, bool | None]]) -> dict[str, int]:
    return {
        "indicator_count": len(rows),
        "met_count": sum(1 for _, met in rows if met is True),
        "unmet_count": sum(1 for _, met in rows if met is False),
        "unscored_count": sum(1 for _, met in rows if met is None),
    }


def _met(report: Report, index: int, result: ScoreResult) -> bool | None:
    """Met, unmet, or unknown: 定性 rows are met only at 达成年度指标."""
    met = result.indicators[index].met
    if met is None and report.indicators[index].actual.strip() == QualGrade.MET.value:
        return True
    return met


class _Rows:
    """The indicator rows a paragraph speaks of, scored once, and only when a sentence asks."""

    def __init__(self, report: Report, categories: tuple[Level2, ...]) -> None:
        self.report = report
        self.categories = categories

    @functools.cached_property
    def result(self) -> ScoreResult:
        return score_report(self.report)

    @functools.cached_property
    def rows(self) -> list[tuple[int, bool | None]]:
        report, result = self.report, self.result
        return [
            (index, _met(report, index, result))
            for index, indicator in enumerate(report.indicators)
            if not self.categories or indicator.level2 in self.categories
        ]

    @functools.cached_property
    def counts(self) -> dict[str, int]:
        return _counted(self.rows)

    def count(self, name: str) -> str | None:
        return str(self.counts[name]) if self.rows else None

    def scored(self) -> bool:
        return execution_rate(self.report.funds) is not None and bool(self.report.indicators)

    def listed(self, met: bool) -> list[Scope]:
        return [_row_scope(self.report, i, self.result) for i, state in self.rows if state is met]


def figures(report: Report, categories: tuple[Level2, ...] = ()) -> Scope:
    """The report's figures as composed prose quotes them; indicator counts and lists of ``categories`` only.

    An empty ``categories`` means every category. Indicator figures are computed when first read.
    """
    funds = report.funds
    budget, spent, received = funds.annual_budget, funds.actual_spent, funds.received
    rate = execution_rate(funds)
    rows = _Rows(report, categories)

    def money(amount: Decimal | None) -> str | None:
        return None if amount is None else money_text(amount, report)

    reason = report.answers.get(SHORTFALL_REASON_KEY, "").strip().rstrip("。；;，,")
    values: dict[str, str | Lazy | None] = {
        "year": str(report.year),
        "money_unit": report.money_unit.value,
        "initial_budget": money(funds.initial_budget),
        "annual_budget": money(budget),
        "actual_spent": money(spent),
        "received": money(received),
        "unreceived": money(budget - received) if budget is not None and received is not None else None,
        "fiscal_current": money(funds.fiscal_current),
        "carried_over": money(funds.carried_over),
        "other": money(funds.other),
        "savings": money(budget - spent) if budget is not None and spent is not None else None,
        "overspending": money(spent - budget) if budget is not None and spent is not None else None,
        "execution_rate": None if rate is None else percent_text(rate),
        "execution_score": None if rate is None else score_text(execution_score(rate)),
        "arrival_rate": percent_text(received / budget) if received is not None and budget else None,
        "shortfall_reason": reason or None,
        **{name: functools.partial(rows.count, name) for name in _counted([])},
        "total": lambda: score_text(rows.result.total) if rows.scored() else None,
        "grade": lambda: rows.result.grade.value if rows.scored() else None,
        "claimed_total": None if report.claimed_total is None else score_text(report.claimed_total),
        "claimed_grade": None if report.claimed_grade is None else report.claimed_grade.value,
    }
    both = budget is not None and spent is not None
    initial = funds.initial_budget
    facts: dict[str, bool | Lazy] = {
        "budget_known": budget is not None,
        "spent_known": spent is not None,
        "budget_unchanged": initial is not None and budget is not None and initial == budget,
        "budget_adjusted": initial is not None and budget is not None and initial != budget,
        "received_known": received is not None,
        "fully_received": received is not None and budget is not None and received >= budget,
        "partly_received": received is not None and budget is not None and received < budget,
        "sources_known": funds.fiscal_current is not None,
        "has_carried_over": bool(funds.carried_over),
        "has_other": bool(funds.other),
        "savings": both and spent < budget,  # type: ignore[operator]
        "overspent": both and spent > budget,  # type: ignore[operator]
        "on_budget": both and spent == budget,
        "shortfall": rate is not None and rate < 1,
        "shortfall_explained": bool(reason),
        "has_rows": lambda: bool(rows.rows),
        "all_met": lambda: bool(rows.rows) and rows.counts["met_count"] == len(rows.rows),
        "some_unmet": lambda: rows.counts["unmet_count"] > 0,
        "has_unscored": lambda: rows.counts["unscored_count"] > 0,
        "scored": rows.scored,
    }
    scope = Scope(values, facts, sources=FIGURES)
    scope.lists["unmet"] = functools.partial(rows.listed, False)
    scope.lists["met"] = functools.partial(rows.listed, True)
    scope.lists["categories"] = lambda: _category_scopes(report, rows.rows, rows.result)
    return scope


def _category_scopes(report: Report, rows: list[tuple[int, bool | None]], result: ScoreResult) -> list[Scope]:
    scopes: list[Scope] = []
    for level2 in Level2:
        mine = [(i, met) for i, met in rows if report.indicators[i].level2 is level2]
        if not mine:
            continue
        counts = _counted(mine)
        values: dict[str, str | Lazy | None] = {
            "category": level2.value,
            "count": str(counts["indicator_count"]),
            "met_count": str(counts["met_count"]),
            "unmet_count": str(counts["unmet_count"]),
        }
        facts: dict[str, bool | Lazy] = {
            "all_met": counts["met_count"] == len(mine),
            "some_unmet": counts["unmet_count"] > 0,
            "has_unscored": counts["unscored_count"] > 0,
        }
        scope = Scope(values, facts, sources=CATEGORY_FIGURES)
        scope.lists["unmet"] = functools.partial(_listed, report, mine, result, False)
        scope.lists["met"] = functools.partial(_listed, report, mine, result, True)
        scopes.append(scope)
    return scopes


def _listed(
    report: Report, rows: list[tuple[int, bool | None]], result: ScoreResult, met: bool
) -> list[Scope]:
    return [_row_scope(report, i, result) for i, state in rows if state is met]


# composing ------------------------------------------------------------------------------------


@dataclass
class _Writer:
    phrasing: Phrasing
    missing: list[str] = field(default_factory=list)
    quoted: int = 0

    def sentences(self, sentences: tuple[Sentence, ...], scope: Scope, depth: int = 0) -> str:
        parts: list[str] = []
        for sentence in sentences:
            if sentence.when is not None and not sentence.when.holds(scope):
                continue
            if sentence.include:
                included = self.phrasing.paragraphs[sentence.include]
                if depth < _MAX_INCLUDE_DEPTH and (included.when is None or included.when.holds(scope)):
                    parts.append(self.sentences(included.sentences, scope, depth + 1))
                continue
            parts.append(_PLACEHOLDER_RE.sub(functools.partial(self._fill, scope), sentence.text))
        return "".join(parts)

    def _fill(self, scope: Scope, match: re.Match[str]) -> str:
        name, row_format = match.group(1), match.group(2)
        if row_format is not None:
            rows = scope.rows(name)
            form = self.phrasing.rows[row_format]
            shown = rows[: form.most] if form.most else rows
            written = [self.sentences(form.sentences, row) for row in shown]
            listed = form.join.join(piece for piece in written if piece)
            if len(shown) < len(rows):
                listed += form.more.replace("{count}", str(len(rows)))
            return listed
        _found, text, sources = scope.value(name)
        if text is None:
            for path in sources:
                if path not in self.missing:
                    self.missing.append(path)
            return PLACEHOLDER
        if name not in ("year", "money_unit"):
            self.quoted += 1
        return text


_MAX_INCLUDE_DEPTH = 3


def compose(name: str, report: Report, phrasing: Phrasing | None = None) -> Composed | None:
    """The paragraph ``name`` composed from the report's current figures; None when it does not apply.

    A paragraph does not apply when its ``when`` fails or its text comes out empty.
    """
    wording = phrasing if phrasing is not None else load_phrasing()
    paragraph = wording.paragraphs.get(name)
    if paragraph is None:
        return None
    scope = figures(report, paragraph.categories)
    if paragraph.when is not None and not paragraph.when.holds(scope):
        return None
    writer = _Writer(wording)
    text = writer.sentences(paragraph.sentences, scope).strip()
    if not text:
        return None
    return Composed(text, tuple(writer.missing), writer.quoted)


# loading --------------------------------------------------------------------------------------


def _phrasing_dir() -> importlib.resources.abc.Traversable:
    return importlib.resources.files(PACKAGE).joinpath(PHRASING_DIR)


@functools.cache
def load_phrasing(name: str = DEFAULT_PHRASING) -> Phrasing:
    """A packaged phrasing file by name (cached); raises ``PhrasingError`` for an unknown or bad one."""
    file_name = f"{name}.toml"
    if not _NAME_RE.match(name):
        raise PhrasingError(f"{file_name}：“{name}”不是有效的措辞文件名")
    resource = _phrasing_dir().joinpath(file_name)
    if not resource.is_file():
        raise PhrasingError(f"{file_name}：没有这个措辞文件")
    return parse_phrasing(resource.read_text(encoding="utf-8"), name)


def parse_phrasing(text: str, name: str = "<phrasing>") -> Phrasing:
    """Parse and check phrasing TOML: every placeholder, list, format, fact and include must exist."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PhrasingError(f"{name}：不是合法的 TOML：{error}") from error
    unknown = sorted(set(data) - {"paragraph", "rows"})
    if unknown:
        raise PhrasingError(f"{name}：未知的键“{unknown[0]}”（可用：paragraph、rows）")
    raw_rows = _table(data.get("rows", {}), name, "rows")
    raw_paragraphs = _table(data.get("paragraph", {}), name, "paragraph")
    row_names = frozenset(raw_rows)
    paragraph_names = frozenset(raw_paragraphs)
    check = functools.partial(_sentences, row_names=row_names, paragraph_names=paragraph_names)
    rows: dict[str, RowFormat] = {}
    for key, raw in raw_rows.items():
        where = f"{name}：rows.{key}"
        table = _table(raw, name, f"rows.{key}")
        _only(table, {"join", "sentences", "most", "more"}, where)
        join, most, more = table.get("join", "；"), table.get("most", 0), table.get("more", "")
        if not isinstance(join, str) or not isinstance(more, str):
            raise PhrasingError(f"{where}：join 和 more 应是文字")
        if not isinstance(most, int) or isinstance(most, bool) or most < 0:
            raise PhrasingError(f"{where}：most 应是不小于 0 的整数（0 表示全部列出）")
        if set(_PLACEHOLDER_RE.findall(more)) - {("count", "")}:
            raise PhrasingError(f'{where}：more 只能用 {{count}}，例如 "等{{count}}项"')
        rows[key] = RowFormat(check(table.get("sentences"), where), join, most, more)
    paragraphs: dict[str, Paragraph] = {}
    for key, raw in raw_paragraphs.items():
        where = f"{name}：paragraph.{key}"
        table = _table(raw, name, f"paragraph.{key}")
        _only(table, {"when", "categories", "sentences"}, where)
        when = _condition(table.get("when"), where)
        paragraphs[key] = Paragraph(check(table.get("sentences"), where), when, _categories(table, where))
    _check_includes(paragraphs, name)
    return Phrasing(name, paragraphs, rows)


def _table(raw: object, name: str, where: str) -> dict[str, object]:
    if not isinstance(raw, dict):
        raise PhrasingError(f"{name}：{where} 应是一个表")
    return raw


def _only(table: Mapping[str, object], keys: set[str], where: str) -> None:
    unknown = sorted(set(table) - keys)
    if unknown:
        raise PhrasingError(f"{where}：未知的键“{unknown[0]}”（可用：{'、'.join(sorted(keys))}）")


def _categories(table: Mapping[str, object], where: str) -> tuple[Level2, ...]:
    raw = table.get("categories", [])
    if not isinstance(raw, list):
        raise PhrasingError(f"{where}：categories 应是二级指标名称的列表")
    found: list[Level2] = []
    for item in raw:
        try:
            found.append(Level2(str(item)))
        except ValueError:
            names = "、".join(level2.value for level2 in Level2)
            raise PhrasingError(f"{where}：“{item}”不是二级指标（可用：{names}）") from None
    return tuple(found)


def _sentences(
    raw: object, where: str, *, row_names: frozenset[str], paragraph_names: frozenset[str]
) -> tuple[Sentence, ...]:
    if not isinstance(raw, list) or not raw:
        raise PhrasingError(f"{where}：缺少 sentences（句子列表）")
    sentences: list[Sentence] = []
    for position, item in enumerate(raw, 1):
        here = f"{where} 第 {position} 句"
        if not isinstance(item, dict):
            raise PhrasingError(f'{here}：应写成 {{ text = "…" }}')
        _only(item, {"text", "when", "include"}, here)
        text, include = item.get("text", ""), item.get("include", "")
        if not isinstance(text, str) or not isinstance(include, str):
            raise PhrasingError(f"{here}：text 和 include 应是文字")
        if bool(text) == bool(include):
            raise PhrasingError(f"{here}：要么写 text，要么写 include")
        if include and include not in paragraph_names:
            raise PhrasingError(f"{here}：没有名为“{include}”的段落")
        _check_placeholders(text, here, row_names)
        sentences.append(Sentence(text, _condition(item.get("when"), here), include))
    return tuple(sentences)


def _check_placeholders(text: str, where: str, row_names: frozenset[str]) -> None:
    leftover = _PLACEHOLDER_RE.sub("", text)
    if "{" in leftover or "}" in leftover:
        raise PhrasingError(f"{where}：花括号只能用于占位符，如 {{actual_spent}} 或 {{unmet:unmet_row}}")
    for match in _PLACEHOLDER_RE.finditer(text):
        name, row_format = match.group(1), match.group(2)
        if row_format is None and name not in _ALL_VALUES:
            raise PhrasingError(f"{where}：未知的数字“{{{name}}}”")
        if row_format is not None and name not in LISTS:
            raise PhrasingError(f"{where}：未知的列表“{name}”（可用：{'、'.join(sorted(LISTS))}）")
        if row_format is not None and row_format not in row_names:
            raise PhrasingError(f"{where}：没有名为“{row_format}”的行格式（rows.{row_format}）")


def _condition(raw: object, where: str) -> Condition | None:
    if raw is None:
        return None
    if not isinstance(raw, str) or not raw.strip():
        raise PhrasingError(f'{where}：when 应是非空文字，例如 "savings and not shortfall_explained"')
    any_of: list[tuple[tuple[bool, str], ...]] = []
    for alternative in re.split(r"\s+or\s+", raw.strip()):
        terms: list[tuple[bool, str]] = []
        for term in re.split(r"\s+and\s+", alternative.strip()):
            words = term.split()
            negated = len(words) == 2 and words[0] == "not"
            fact = words[-1] if words else ""
            if len(words) != 1 + negated or fact not in FACTS | LISTS:
                raise PhrasingError(f"{where}：when “{raw}”中的“{term}”不是已知的条件")
            terms.append((negated, fact))
        any_of.append(tuple(terms))
    return Condition(tuple(any_of))


def _check_includes(paragraphs: Mapping[str, Paragraph], name: str) -> None:
    def visit(key: str, trail: tuple[str, ...]) -> None:
        for sentence in paragraphs[key].sentences:
            if not sentence.include:
                continue
            if sentence.include in trail:
                raise PhrasingError(f"{name}：paragraph.{trail[0]} 循环引用了 {sentence.include}")
            visit(sentence.include, (*trail, sentence.include))

    for key in paragraphs:
        visit(key, (key,))
