"""The words that make a sentence explain unspent money (RULES.md §6 #26) — data, not code.

``underspending`` reads these tables; change the words here, not the logic there. A sentence
explains the shortfall when it names a cause (``CAUSE_WORDS``), or when it gives one after a
causal word (``CAUSAL_MARKERS``) that says more than the figures: once the numbers and the words
that only restate the rate or the unspent amount (``RESTATING_WORDS``) are taken out, at least
``MIN_REASON_CHARS`` Chinese characters must remain. "执行率未达100%的原因是资金未全部支出"
restates; "由于部分工程第四季度才完工" explains.
"""

from __future__ import annotations

FUNDS_NARRATIVE_STEPS: dict[str, tuple[str, ...]] = {
    "eight_part": (
        "analysis.funds.use",
        "analysis.performance.savings",
        "analysis.performance.cost_control",
        "analysis.funds.arrival",
        "analysis.funds.management",
    ),
    "seven_part_2020": ("analysis.process.funds",),
}
"""The answers of each outline that tell how the money was used; the first is where a finding points."""

SHORTFALL_REASON_ANSWERS: tuple[str, ...] = ("funds.shortfall_reason",)
"""Answers that hold the reason itself: the follow-up the flow asks after a 全年执行数 below the budget."""

CAUSE_WORDS: tuple[str, ...] = (
    "尾款",
    "质保金",
    "保证金",
    "延期",
    "推迟",
    "延迟",
    "延后",
    "滞后",
    "暂缓",
    "缓建",
    "取消",
    "未启动",
    "未开工",
    "未完工",
    "未验收",
    "未结算",
    "待结算",
    "结算",
    "决算",
    "采购节约",
    "政府采购",
    "招标",
    "中标",
    "低于预算",
    "低于预期",
    "压缩",
    "厉行节约",
    "疫情",
    "政策调整",
    "据实",
    "按实",
    "跨年",
    "次年",
    "下一年度",
    "付款条件",
    "付款期",
    "支付期",
    "分期支付",
    "合同约定",
    "收回",
    "退回",
    "审计",
)
"""Causes of unspent money: any of them in a sentence explains it."""

CAUSAL_MARKERS: tuple[str, ...] = (
    "由于",
    "因为",
    "原因是",
    "原因为",
    "原因主要是",
    "主要原因",
    "主要是",
    "主要用于",
    "主要来自",
    "导致",
    "致使",
    "造成",
)
"""Words that introduce a cause; what follows them must say more than the figures."""

RESTATING_WORDS: tuple[str, ...] = (
    "预算执行率",
    "执行率",
    "未全部支出",
    "未全部使用",
    "未支出",
    "未使用",
    "未用完",
    "未执行",
    "未达到",
    "未达",
    "结余资金",
    "结余",
    "剩余",
    "节约资金",
    "节约",
    "资金",
    "预算",
    "支出",
    "执行",
    "使用",
    "全年",
    "年度",
    "项目",
    "百分之",
    "万元",
    "元",
    "达到",
    "全部",
    "部分",
    "合计",
    "共计",
    "只有",
    "仅",
    "尚有",
    "尚",
    "未",
    "为",
    "的",
    "了",
    "是",
    "有",
    "等",
    "较",
    "低",
    "少",
)
"""Words that only restate the rate or the unspent amount; they do not count towards a reason."""

CLAUSE_NEGATIONS: tuple[str, ...] = ("没有出现", "未出现", "没有发生", "未发生", "不存在", "无任何")
"""A cause anywhere after one of these in the same clause is denied: "没有出现因资金不到位而延期的情况"."""
NEAR_NEGATIONS: tuple[str, ...] = ("没有", "并未", "不是")
"""A cause shortly after one of these (``NEGATION_REACH`` characters) is denied: "并未延期"."""
NEGATION_REACH = 4
"""How many characters before a cause a near negation still denies it."""

MIN_REASON_CHARS = 4
"""Chinese characters a cause after a causal word must have, once the restating words are out."""

MONEY_CONTEXT_WORDS: tuple[str, ...] = ("资金", "经费", "支出", "预算", "执行", "结余", "节约", "款")
"""An indicator's 偏差原因 counts for the funds only when it speaks of money with one of these."""
