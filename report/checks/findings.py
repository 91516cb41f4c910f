"""What a check reports: Severity, Where, Finding, and the catalogue of every finding code (``CHECKS``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from report.field_names import names_of


class Severity(StrEnum):
    """How bad a finding is."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


SEVERITY_ORDER: dict[Severity, int] = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True)
class CheckSpec:
    """One kind of finding: its stable code, severity, short Chinese title and RULES.md §6 number."""

    code: str
    severity: Severity
    title: str
    rule: int


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO
CHECKS: dict[str, CheckSpec] = {
    spec.code: spec
    for spec in (
        CheckSpec("funds.missing", _E, "缺少全年预算数或全年执行数", 1),
        CheckSpec("budget.lines_missing", _W, "未填写预算明细", 1),
        CheckSpec("budget.lines_sum", _E, "预算明细合计与全年预算数不符", 1),
        CheckSpec("funds.savings", _E, "节约资金与预算数减执行数不符", 2),
        CheckSpec("funds.overspent", _W, "全年执行数超过全年预算数", 2),
        CheckSpec("funds.execution_rate", _E, "所写执行率与计算结果不符", 3),
        CheckSpec("score.execution", _E, "预算执行率得分不符合 min(执行率,100%)×10", 4),
        CheckSpec("score.claimed_missing", _I, "未填写自评得分", 5),
        CheckSpec("score.claimed_over_100", _E, "自评得分超过 100 分", 5),
        CheckSpec("score.claimed_impossible", _E, "自评得分超过可能的最高分", 5),
        CheckSpec("score.total_mismatch", _E, "自评得分与按规则计算的总分不符", 5),
        CheckSpec("score.full_despite_shortfall", _E, "执行率不足或指标未完成却自评满分", 6),
        CheckSpec("grade.missing", _W, "未写评价等级", 7),
        CheckSpec("grade.mismatch", _E, "评价等级与得分不符", 7),
        CheckSpec("weights.sum", _E, "一级指标分值合计不等于 100", 8),
        CheckSpec("weights.custom", _W, "一级指标分值不是通用的 50/30/10/10", 8),
        CheckSpec("indicator.missing_weight", _W, "指标没有分值", 8),
        CheckSpec("weights.level_sum", _E, "一级分值与其下三级分值合计不符", 9),
        CheckSpec("indicator.none", _E, "没有绩效指标", 10),
        CheckSpec("indicator.missing_target", _E, "指标缺少年度指标值", 10),
        CheckSpec("indicator.missing_operator", _W, "定量指标缺少比较符号", 10),
        CheckSpec("indicator.missing_unit", _E, "定量指标缺少单位", 10),
        CheckSpec("indicator.missing_actual", _E, "指标缺少实际完成值", 10),
        CheckSpec("indicator.placeholder", _E, "指标值是占位符", 11),
        CheckSpec("indicator.unreadable", _E, "指标值无法识别", 11),
        CheckSpec("indicator.not_numeric", _E, "定量指标的值不是数值", 11),
        CheckSpec("indicator.score_over_weight", _E, "指标得分超过分值", 12),
        CheckSpec("indicator.score_rule", _E, "指标得分不符合计分规则", 12),
        CheckSpec("indicator.score_band", _E, "定性指标得分不在等级区间内", 12),
        CheckSpec("indicator.missing_reason", _E, "未完成的指标缺少偏差原因", 13),
        CheckSpec("indicator.overachieved", _W, "超额 30% 以上却未说明原因", 13),
        CheckSpec("coverage.no_quantity", _W, "没有数量指标", 14),
        CheckSpec("coverage.no_quality", _W, "没有质量指标", 14),
        CheckSpec("coverage.no_timeliness", _W, "没有时效指标", 14),
        CheckSpec("coverage.no_cost", _W, "没有成本指标", 14),
        CheckSpec("coverage.no_benefit", _W, "没有效益指标", 14),
        CheckSpec("coverage.no_satisfaction", _W, "没有服务对象满意度指标", 14),
        CheckSpec("indicator.type_mismatch", _E, "指标值类型与所在类别不符", 15),
        CheckSpec("indicator.rate_over_100", _E, "比率超过 100%", 15),
        CheckSpec("cost.operator", _E, "成本指标没有用 ≤", 16),
        CheckSpec("cost.unit", _W, "成本指标的金额单位与报告不同", 16),
        CheckSpec("text.declared_categories", _W, "正文声明的指标类别没有填报", 17),
        CheckSpec("text.rate_mismatch", _W, "正文中的比率与计算结果不符", 18),
        CheckSpec("text.amount_mismatch", _W, "正文中的金额与填报数字不符", 18),
        CheckSpec("outline.empty_section", _W, "章节没有内容", 19),
        CheckSpec("outline.nil_section", _I, "章节只写了“无”", 19),
        CheckSpec("score.sheet_missing", _E, "自评了得分却没有评分表", 20),
        CheckSpec("text.money_unit", _W, "正文金额单位与报告单位不一致", 21),
        CheckSpec("indicator.money_unit", _W, "指标金额单位与报告单位不一致", 21),
        CheckSpec("year.title", _E, "标题年度与报告年度不符", 22),
        CheckSpec("year.indicator_date", _W, "指标时限不在评价年度内", 22),
        CheckSpec("funds.received_over_budget", _E, "到位资金超过全年预算数", 23),
        CheckSpec("funds.sources_sum", _E, "资金来源合计与全年预算数不符", 24),
        CheckSpec("funds.budget_cut", _W, "全年预算数调减到恰好等于执行数", 25),
        CheckSpec("funds.underspending_unexplained", _E, "执行率低于 90% 却没有说明原因", 26),
        CheckSpec("funds.underspending_note", _I, "执行率不足 100%，未说明资金未用完的原因", 26),
        CheckSpec("indicator.rate_ceiling", _W, "比率目标 ≥100% 即 ＝100%", 27),
        CheckSpec("indicator.rate_unit_missing", _E, "比率指标缺少单位 %", 28),
        CheckSpec("indicator.money_in_quantity", _E, "金额放在数量指标", 29),
        CheckSpec("indicator.money_like_in_quantity", _W, "数量指标的值看起来是金额", 29),
        CheckSpec("score.execution_stated", _E, "填报的预算执行率得分与计算结果不符", 30),
        CheckSpec("funds.total_zero", _E, "年度资金总额为 0，其中各项却有金额", 31),
        CheckSpec("indicator.rate_in_quantity", _W, "比率放在数量指标", 32),
    )
}
"""Every finding code, in the order of RULES.md §6."""


FIELD_NAMES: dict[str, str] = {
    **names_of(
        "title",
        "year",
        "money_unit",
        "funds.initial_budget",
        "funds.annual_budget",
        "funds.actual_spent",
        "funds.received",
        "funds.fiscal_current",
        "funds.carried_over",
        "funds.other",
        "funds.stated_savings",
        "funds.stated_execution_rate",
        "funds.stated_execution_score",
        "budget_lines",
        "weights",
        "indicators",
        "claimed_total",
        "claimed_grade",
    ),
    "answers": "正文",
}
"""The Chinese name of each field a finding can point at."""

_FIELD_RANK: dict[str, int] = {name: rank for rank, name in enumerate(FIELD_NAMES)}


@dataclass(frozen=True)
class Where:
    """Where a finding applies.

    ``field`` names the model field to fix (``funds.annual_budget``, ``budget_lines``,
    ``indicators``, ``claimed_total``, ``claimed_grade``, ``weights``, ``answers.<step id>``);
    ``section`` is an outline section key when known; ``budget_line`` / ``indicator`` are
    0-based indexes into the report's lists; ``label`` is the row's name or the section's
    heading, for people.
    """

    field: str = ""
    section: str = ""
    budget_line: int | None = None
    indicator: int | None = None
    label: str = ""

    def describe(self) -> str:
        """A short Chinese description of the place: ``预算明细第 3 行``, ``指标「按期结案率」``."""
        named = f"「{self.label}」" if self.label else ""
        if self.indicator is not None:
            return f"第 {self.indicator + 1} 项指标{named}"
        if self.budget_line is not None:
            return f"预算明细第 {self.budget_line + 1} 行{named}"
        if self.field.startswith("answers.") or self.section:
            return f"正文{named}" if named else f"正文 {self.section or self.field.removeprefix('answers.')}"
        if self.field:
            return FIELD_NAMES.get(self.field, self.field)
        return "整份报告"


@dataclass(frozen=True)
class Fix:
    """A change that would resolve a finding, offered to the user and applied only when asked.

    ``path`` and ``value`` are what ``storage.store.ReportStore.apply`` takes: a field path
    (``answers.<step id>``, ``indicators``, ``funds.annual_budget`` …) and its new model-level
    value (whole lists for row fields). ``label`` says in Chinese what the fix does
    (``把第 4 项指标移到质量指标``); ``before`` and ``after`` are what the user reads side by side.
    """

    label: str
    path: str
    value: object
    before: str
    after: str


@dataclass(frozen=True)
class Finding:
    """One check result; ``fix``, where a check can offer one, resolves it in one change."""

    severity: Severity
    code: str  # stable, e.g. "budget.lines_sum"
    where: Where
    message: str  # Chinese: what is wrong
    hint: str  # Chinese: how to fix it
    fix: Fix | None = field(default=None, compare=False)


def codes_by_rule() -> dict[int, list[str]]:
    """The finding codes of each RULES.md §6 check, for the docs and ``jixiao check --codes``."""
    grouped: dict[int, list[str]] = {}
    for spec in CHECKS.values():
        grouped.setdefault(spec.rule, []).append(spec.code)
    return grouped
