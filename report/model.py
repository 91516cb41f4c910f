"""The report model: plain dataclasses, exact decimals, no I/O.

Every other layer speaks in these objects: storage loads and saves them, the prompt flow fills
them in, the checks and the renderer read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class MoneyUnit(StrEnum):
    """The one money unit a report is written in."""

    YUAN = "元"
    WAN = "万元"


class Level1(StrEnum):
    """一级指标."""

    OUTPUT = "产出指标"
    COST = "成本指标"
    BENEFIT = "效益指标"
    SATISFACTION = "满意度指标"


class Level2(StrEnum):
    """二级指标."""

    QUANTITY = "数量指标"
    QUALITY = "质量指标"
    TIMELINESS = "时效指标"
    COST = "成本指标"
    ECONOMIC = "经济效益指标"
    SOCIAL = "社会效益指标"
    ECOLOGICAL = "生态效益指标"
    SUSTAINABLE = "可持续影响指标"
    SATISFACTION = "服务对象满意度指标"


LEVEL1_OF: dict[Level2, Level1] = {
    Level2.QUANTITY: Level1.OUTPUT,
    Level2.QUALITY: Level1.OUTPUT,
    Level2.TIMELINESS: Level1.OUTPUT,
    Level2.COST: Level1.OUTPUT,
    Level2.ECONOMIC: Level1.BENEFIT,
    Level2.SOCIAL: Level1.BENEFIT,
    Level2.ECOLOGICAL: Level1.BENEFIT,
    Level2.SUSTAINABLE: Level1.BENEFIT,
    Level2.SATISFACTION: Level1.SATISFACTION,
}
"""The 一级 a 二级 belongs to on the national form (成本 may also stand as its own 一级)."""


class Nature(StrEnum):
    """定量 (a measured number) or 定性 (a graded judgement)."""

    QUANTITATIVE = "定量"
    QUALITATIVE = "定性"


class Operator(StrEnum):
    """Canonical operator symbols of the finance system."""

    GE = "≥"
    GT = "＞"
    EQ = "＝"
    LT = "＜"
    LE = "≤"
    QUALITATIVE = "定性"


class QualGrade(StrEnum):
    """The three 定性 grades."""

    MET = "达成年度指标"
    PARTLY = "部分达成年度指标并具有一定效果"
    NOT_MET = "未达成年度指标且效果较差"


class Grade(StrEnum):
    """The overall grade of a report."""

    EXCELLENT = "优"
    GOOD = "良"
    FAIR = "中"
    POOR = "差"


@dataclass
class Funds:
    """项目资金, all in the report's money unit; None where not yet given."""

    initial_budget: Decimal | None = None  # 年初预算数
    annual_budget: Decimal | None = None  # 全年预算数
    actual_spent: Decimal | None = None  # 全年执行数
    received: Decimal | None = None  # 到位资金
    fiscal_current: Decimal | None = None  # 其中：当年财政拨款
    carried_over: Decimal | None = None  # 上年结转资金
    other: Decimal | None = None  # 其他资金
    stated_savings: Decimal | None = None  # 节约 as the text states it
    stated_execution_rate: Decimal | None = None  # 执行率 as the text states it, a fraction
    stated_execution_score: Decimal | None = None  # 执行率得分 as the form states it (0–10)


@dataclass
class BudgetLine:
    """One line of the budget: what the money is for."""

    name: str
    amount: Decimal
    purpose: str = ""


@dataclass
class Indicator:
    """One 三级 indicator row of the score sheet.

    ``target`` and ``actual`` keep the normalised value text (``"1000"``, ``"2020-12-31"``,
    ``"达成年度指标"``); ``unit`` is the canonical unit (``"%"``, ``"人次"``, ``"万元"``).
    ``report.values`` parses them into typed values.
    """

    name: str
    level2: Level2
    level1: Level1 | None = None  # None: the default 一级 of level2
    nature: Nature = Nature.QUANTITATIVE
    operator: Operator | None = None
    target: str = ""
    unit: str = ""
    actual: str = ""
    weight: Decimal | None = None
    score: Decimal | None = None  # the evaluator's score; for 定性 the one picked in the band
    deviation_reason: str = ""

    @property
    def effective_level1(self) -> Level1:
        """The 一级 this row counts under."""
        return self.level1 if self.level1 is not None else LEVEL1_OF[self.level2]


@dataclass
class Report:
    """A whole 项目支出绩效（自）评价报告."""

    title: str
    unit_name: str = ""  # 实施单位
    department: str = ""  # 主管部门
    year: int = 2020
    template_id: str = "eight_part"
    money_unit: MoneyUnit = MoneyUnit.WAN
    funds: Funds = field(default_factory=Funds)
    budget_lines: list[BudgetLine] = field(default_factory=list)
    overall_goal: str = ""  # 年度总体目标（预期目标）
    overall_goal_actual: str = ""  # 年度总体目标实际完成情况
    stage_goals: str = ""  # 阶段性目标
    indicators: list[Indicator] = field(default_factory=list)
    answers: dict[str, str] = field(default_factory=dict)  # prose keyed by template step id
    claimed_total: Decimal | None = None
    claimed_grade: Grade | None = None
    weights: dict[Level1, Decimal] | None = None  # None: the default 50/30/10/10
    id: int | None = None
    revision: int = 0
    # Values offered for Tab where nothing is answered yet, keyed by field path
    # ("funds.annual_budget", "budget_lines", "answers.<step id>"): last year's, on a carried-over report.
    suggestions: dict[str, str] = field(default_factory=dict)
