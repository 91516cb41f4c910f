"""Hypothesis strategies for report/ model objects, shared by every layer's tests.

The values look like the real thing: Chinese unit and project names, amounts as exact decimals
with at most two decimals (``Decimal("185.03")``, ``Decimal("49")``), every enum value, and
optional fields that are sometimes None or empty. ``reports()`` is the one most tests want::

    @given(reports())
    def test_something(report: Report) -> None: ...

Strings stay in the Basic Multilingual Plane minus surrogates, so they can always be encoded.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from report.model import (
    BudgetLine,
    Funds,
    Grade,
    Indicator,
    Level1,
    Level2,
    MoneyUnit,
    Nature,
    Operator,
    QualGrade,
    Report,
)

_PLACES = ["龙城", "江北", "青山", "南湖", "东坡", "临江", "白云", "新城", "高新", "城关"]
_AGENCIES = ["司法局", "教育局", "卫生健康局", "民政局", "财政局", "农业农村局", "文化旅游局", "应急管理局"]
_LEVELS = ["区", "县", "市", "街道"]
_PROJECTS = [
    "基层党建办公室经费",
    "人民调解专项经费",
    "法律援助案件补贴",
    "社区矫正工作经费",
    "普法宣传经费",
    "农村饮水安全维修养护",
    "义务教育营养改善计划",
    "老年人体检补助",
    "公共法律服务平台运维",
    "防汛物资储备",
]
_INDICATOR_NAMES = [
    "按期结案率",
    "法律援助案件数量",
    "调解成功率",
    "培训人次",
    "宣传活动场次",
    "资金到位及时率",
    "项目完成时间",
    "群众满意度",
    "服务对象满意度",
    "社会知晓率",
    "设备完好率",
    "成本节约率",
]
_UNITS = ["%", "人次", "个", "件", "场", "万元", "元", "天", "平方米", ""]
_STEP_IDS = [
    "overview.basic",
    "overview.funds",
    "goals.overall",
    "goals.stage",
    "process.management",
    "process.finance",
    "results.output",
    "results.benefit",
    "problems",
    "suggestions",
    "other",
]
_TEMPLATES = ["eight_part", "five_part", "county_short"]
_SENTENCES = [
    "项目按计划实施，资金使用规范。",
    "全年共开展培训12场，覆盖基层干部860人次。",
    "部分指标因疫情影响未能按期完成。",
    "建议进一步细化绩效目标，提高指标的可衡量性。",
    "资金拨付及时，未发现挤占挪用情况。",
    "群众满意度调查有效问卷 312 份。",
]

# CJK ideographs, common full-width punctuation and ASCII; no surrogates, no control characters.
_FREE_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
        st.sampled_from("，。；：、（）“”《》％—·"),
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        st.sampled_from("\n"),
    ),
    max_size=40,
)


def chinese_text(max_sentences: int = 3) -> st.SearchStrategy[str]:
    """Report prose: a few realistic sentences, arbitrary Chinese, or empty."""
    return st.one_of(
        st.just(""),
        st.lists(st.sampled_from(_SENTENCES), min_size=1, max_size=max_sentences).map("".join),
        _FREE_TEXT,
    )


def unit_names() -> st.SearchStrategy[str]:
    """An implementing unit such as ``龙城区司法局``."""
    return st.builds(
        lambda place, level, agency: place + level + agency,
        st.sampled_from(_PLACES),
        st.sampled_from(_LEVELS),
        st.sampled_from(_AGENCIES),
    )


def project_names() -> st.SearchStrategy[str]:
    """A project or budget-line name such as ``人民调解专项经费``, sometimes free text."""
    return st.one_of(st.sampled_from(_PROJECTS), _FREE_TEXT.filter(bool))


def titles() -> st.SearchStrategy[str]:
    """A report title such as ``龙城区司法局2020年度人民调解专项经费项目支出绩效自评报告``."""
    return st.builds(
        lambda unit, year, project: f"{unit}{year}年度{project}项目支出绩效自评报告",
        unit_names(),
        st.integers(2015, 2030),
        st.sampled_from(_PROJECTS),
    )


def money(max_value: int = 10**9) -> st.SearchStrategy[Decimal]:
    """An exact non-negative amount with 0, 1 or 2 decimals: ``49``, ``0.5``, ``185.03``."""
    return st.one_of(
        st.integers(0, max_value).map(Decimal),
        st.integers(0, max_value * 10).map(lambda n: Decimal(n).scaleb(-1)),
        st.integers(0, max_value * 100).map(lambda n: Decimal(n).scaleb(-2)),
    )


def scores() -> st.SearchStrategy[Decimal]:
    """A score or weight between 0 and 100 with at most two decimals."""
    return money(max_value=100).filter(lambda d: d <= 100)


def rates() -> st.SearchStrategy[Decimal]:
    """An execution rate as a fraction such as ``0.9924`` (up to four decimals, as texts state it)."""
    return st.integers(0, 12000).map(lambda n: Decimal(n).scaleb(-4))


def optional(strategy: st.SearchStrategy[Decimal]) -> st.SearchStrategy[Decimal | None]:
    """``strategy`` or None."""
    return st.one_of(st.none(), strategy)


def funds() -> st.SearchStrategy[Funds]:
    """Project funds, each figure present or None."""
    return st.builds(
        Funds,
        initial_budget=optional(money()),
        annual_budget=optional(money()),
        actual_spent=optional(money()),
        received=optional(money()),
        fiscal_current=optional(money()),
        carried_over=optional(money()),
        other=optional(money()),
        stated_savings=optional(money()),
        stated_execution_rate=optional(rates()),
    )


def budget_lines() -> st.SearchStrategy[BudgetLine]:
    """One budget line: a name, an amount and an optional purpose."""
    return st.builds(
        BudgetLine,
        name=project_names(),
        amount=money(),
        purpose=st.one_of(st.just(""), chinese_text(1)),
    )


def _targets() -> st.SearchStrategy[str]:
    return st.one_of(
        st.just(""),
        money(100_000).map(str),
        st.sampled_from(["2020-12-31", "2021-06-30"]),
        st.sampled_from([grade.value for grade in QualGrade]),
    )


def indicators() -> st.SearchStrategy[Indicator]:
    """One 三级 indicator row, covering every enum value and None for the optional ones."""
    return st.builds(
        Indicator,
        name=st.one_of(st.sampled_from(_INDICATOR_NAMES), _FREE_TEXT.filter(bool)),
        level2=st.sampled_from(Level2),
        level1=st.one_of(st.none(), st.sampled_from(Level1)),
        nature=st.sampled_from(Nature),
        operator=st.one_of(st.none(), st.sampled_from(Operator)),
        target=_targets(),
        unit=st.sampled_from(_UNITS),
        actual=_targets(),
        weight=optional(scores()),
        score=optional(scores()),
        deviation_reason=st.one_of(st.just(""), chinese_text(1)),
    )


def weights() -> st.SearchStrategy[dict[Level1, Decimal] | None]:
    """None (the default weights) or a weight per 一级 indicator, possibly partial."""
    return st.one_of(st.none(), st.dictionaries(st.sampled_from(Level1), scores(), max_size=4))


def answers() -> st.SearchStrategy[dict[str, str]]:
    """Prose answers keyed by template step id."""
    return st.dictionaries(st.sampled_from(_STEP_IDS), chinese_text(), max_size=6)


def reports(*, stored: bool = False) -> st.SearchStrategy[Report]:
    """A whole report. ``stored=True`` also gives it an id and a revision, as loaded reports have."""
    return st.builds(
        Report,
        title=titles(),
        unit_name=st.one_of(st.just(""), unit_names()),
        department=st.one_of(st.just(""), st.sampled_from(_AGENCIES)),
        year=st.integers(2015, 2030),
        template_id=st.sampled_from(_TEMPLATES),
        money_unit=st.sampled_from(MoneyUnit),
        funds=funds(),
        budget_lines=st.lists(budget_lines(), max_size=5),
        overall_goal=chinese_text(),
        overall_goal_actual=chinese_text(),
        stage_goals=chinese_text(),
        indicators=st.lists(indicators(), max_size=6),
        answers=answers(),
        claimed_total=optional(scores()),
        claimed_grade=st.one_of(st.none(), st.sampled_from(Grade)),
        weights=weights(),
        id=st.integers(1, 10**6) if stored else st.none(),
        revision=st.integers(1, 10**4) if stored else st.just(0),
    )
