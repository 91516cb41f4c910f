"""Short Chinese descriptions of paths and stored values, for history and conflict messages."""

from __future__ import annotations

from decimal import Decimal

from report.field_names import FIELD_NAMES
from report.serialize import JsonValue, answer_step

EMPTY = "（空）"
MAX_CHARS = 60


def path_label(path: str) -> str:
    """The Chinese name of a path: ``全年预算数``, ``回答（goals.overall）``."""
    step = answer_step(path)
    if step is not None:
        return f"回答（{step}）"
    return FIELD_NAMES.get(path, path)


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
