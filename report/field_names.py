"""The Chinese name of every field of a report, one wording everywhere.

Findings, the guided steps, the change history and conflict messages all name fields; they used
to keep three tables that drifted apart (标题 / 报告标题, 自评总分 / 自评得分, 一级指标权重 /
一级指标分值), so the same field had different names on one screen.
"""

from __future__ import annotations

FIELD_NAMES: dict[str, str] = {
    "title": "报告标题",
    "unit_name": "实施单位",
    "department": "主管部门",
    "year": "评价年度",
    "template_id": "提纲",
    "money_unit": "金额单位",
    "funds.initial_budget": "年初预算数",
    "funds.annual_budget": "全年预算数",
    "funds.actual_spent": "全年执行数",
    "funds.received": "到位资金",
    "funds.fiscal_current": "当年财政拨款",
    "funds.carried_over": "上年结转资金",
    "funds.other": "其他资金",
    "funds.stated_savings": "节约资金",
    "funds.stated_execution_rate": "执行率",
    "funds.stated_execution_score": "执行率得分",
    "budget_lines": "预算明细",
    "overall_goal": "年度总体目标",
    "overall_goal_actual": "总体目标实际完成情况",
    "stage_goals": "阶段性目标",
    "weights": "一级指标分值",
    "indicators": "绩效指标",
    "claimed_total": "自评得分",
    "claimed_grade": "评价等级",
}
"""Field path → its Chinese name (prose answers, ``answers.<step>``, are named by their step)."""


def names_of(*paths: str) -> dict[str, str]:
    """The names of these paths, in this order (a KeyError names a path that has none)."""
    return {path: FIELD_NAMES[path] for path in paths}
