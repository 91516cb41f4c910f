"""Short Chinese descriptions of paths and stored values, for history and conflict messages."""

from __future__ import annotations

from decimal import Decimal

from report.serialize import JsonValue, answer_step

_LABELS: dict[str, str] = {
    "title": "标题",
    "unit_name": "实施单位",
    "department": "主管部门",
    "year": "年度",
    "template_id": "报告模板",
    "money_unit": "金额单位",
    "funds.initial_budget": "年初预算数",
    "funds.annual_budget": "全年预算数",
    "funds.actual_spent": "全年执行数",
    "funds.received": "到位资金",
    "funds.fiscal_current": "当年财政拨款",
    "funds.carried_over": "上年结转资金",
    "funds.other": "其他资金",
    "funds.stated_savings": "节约金额（文中所述）",
    "funds.stated_execution_rate": "执行率（文中所述）",
    "budget_lines": "预算明细",
    "overall_goal": "年度总体目标",
    "overall_goal_actual": "年度总体目标完成情况",
    "stage_goals": "阶段性目标",
    "indicators": "绩效指标",
    "claimed_total": "自评总分",
    "claimed_grade": "自评等级",
    "weights": "一级指标权重",
}

EMPTY = "（空）"
MAX_CHARS = 60


def path_label(path: str) -> str:
    """The Chinese name of a path: ``全年预算数``, ``回答（goals.overall）``."""
    step = answer_step(path)
    if step is not None:
        return f"回答（{step}）"
    return _LABELS.get(path, path)


def _clip(text: str, limit: int = MAX_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def display_value(path: str, value: JsonValue) -> str:
    """One short line describing a stored (JSON-form) value: ``185.03``, ``99.24%``, ``3 行：…``."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if path == "funds.stated_execution_rate" and isinstance(value, str):
        percent = Decimal(value) * 100
        return f"{percent.normalize():f}%"
    if path == "weights" and isinstance(value, dict):
        return _clip("、".join(f"{key} {weight}" for key, weight in value.items()))
    if path == "budget_lines" and isinstance(value, list):
        names = [f"{row.get('name', '')} {row.get('amount', '')}" for row in value if isinstance(row, dict)]
        return _clip(f"{len(value)} 行：" + "、".join(names))
    if path == "indicators" and isinstance(value, list):
        names = [str(row.get("name", "")) for row in value if isinstance(row, dict)]
        return _clip(f"{len(value)} 项：" + "、".join(names))
    return _clip(str(value))
