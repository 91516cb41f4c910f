"""Reports as JSON-safe dicts and back, exactly; and single fields addressed by a path.

The dict form is what export files and the storage layer speak: decimals are plain strings
(``"185.03"``, never floats or exponents), enums are their Chinese values, absent values are
``None``. Every reader here validates what it is given and raises ``ParseError`` naming the bad
key; ``report_from_dict(report_to_dict(r)) == r`` for every report ``report_to_dict`` accepts.

A *path* names one changeable part of a report: a scalar field (``"title"``, ``"year"``,
``"funds.annual_budget"``, ``"weights"`` …), a whole list (``"budget_lines"``, ``"indicators"``)
or one answer (``"answers.<step_id>"``). ``path_to_json`` / ``path_from_json`` convert the value
at a path the same way the whole-report functions do.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import fields
from decimal import Decimal
from enum import StrEnum
from typing import TypeAlias, TypeVar

from report.errors import ParseError
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
    Report,
)

FORMAT = "jixiao-report"
"""The value of the ``"format"`` key of every serialised report."""

VERSION = 2
"""The dict layout version this module writes and the newest one it reads.

Version 2 added ``funds.stated_execution_score`` (the 执行率得分 the form states); version 1
files, which cannot hold it, are still read.
"""

_ADDED_IN: dict[str, int] = {"stated_execution_score": 2}
"""Funds keys and the version that added them: an older file holding one is refused."""

JsonValue: TypeAlias = "bool | int | str | list[JsonValue] | dict[str, JsonValue] | None"

ANSWER_PREFIX = "answers."
"""Paths starting with this name one answer: ``answers.<step_id>``."""

_DECIMAL_RE = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_MAX_DECIMAL_DIGITS = 30  # on either side of the point; far beyond any amount, rate or score
_MAX_INT = 2**63 - 1  # what SQLite can store

FUNDS_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Funds))
"""Names of the ``Funds`` fields, in model order."""

_E = TypeVar("_E", bound=StrEnum)
_T = TypeVar("_T")


def _type_name(value: object) -> str:
    return type(value).__name__


# --- scalar converters: model value -> JSON ---------------------------------------------------


def _text_to_json(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise ParseError(f"“{where}”应为文字，收到的是 {_type_name(value)}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ParseError(f"“{where}”含有无法保存的字符", "请删除乱码后重试") from error
    return value


def decimal_to_str(value: object, where: str = "数值") -> str:
    """Write a finite Decimal as a plain string (``"185.03"``), keeping its precision.

    Raises ``ParseError`` for anything that is not a finite ``Decimal`` of sensible size.
    """
    if not isinstance(value, Decimal):
        raise ParseError(f"“{where}”应为 Decimal 数值，收到的是 {_type_name(value)}")
    if not value.is_finite():
        raise ParseError(f"“{where}”不是有限的数值：{value}")
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # finite decimals have an int exponent
    if value.adjusted() >= _MAX_DECIMAL_DIGITS or -exponent > _MAX_DECIMAL_DIGITS:
        raise ParseError(f"“{where}”的位数过多：{value}")
    return format(value, "f")


def _optional_decimal_to_json(value: object, where: str) -> str | None:
    return None if value is None else decimal_to_str(value, where)


def _enum_to_json(enum: type[StrEnum], value: object, where: str) -> str:
    if not isinstance(value, enum):
        raise ParseError(f"“{where}”应为 {enum.__name__}，收到的是 {_type_name(value)}")
    return value.value


def _int_to_json(value: object, where: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ParseError(f"“{where}”应为整数，收到的是 {_type_name(value)}")
    if not low <= value <= high:
        raise ParseError(f"“{where}”超出范围：{value}", f"应在 {low} 到 {high} 之间")
    return value


def _weights_to_json(value: object, where: str) -> dict[str, JsonValue] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ParseError(f"“{where}”应为 一级指标→权重 的字典，收到的是 {_type_name(value)}")
    return {
        _enum_to_json(Level1, key, f"{where}的键"): decimal_to_str(weight, f"{where}.{key}")
        for key, weight in value.items()
    }


def _budget_line_to_json(line: object, where: str) -> dict[str, JsonValue]:
    if not isinstance(line, BudgetLine):
        raise ParseError(f"“{where}”应为 BudgetLine，收到的是 {_type_name(line)}")
    return {
        "name": _text_to_json(line.name, f"{where}.name"),
        "amount": decimal_to_str(line.amount, f"{where}.amount"),
        "purpose": _text_to_json(line.purpose, f"{where}.purpose"),
    }


def _indicator_to_json(row: object, where: str) -> dict[str, JsonValue]:
    if not isinstance(row, Indicator):
        raise ParseError(f"“{where}”应为 Indicator，收到的是 {_type_name(row)}")
    return {
        "name": _text_to_json(row.name, f"{where}.name"),
        "level2": _enum_to_json(Level2, row.level2, f"{where}.level2"),
        "level1": None if row.level1 is None else _enum_to_json(Level1, row.level1, f"{where}.level1"),
        "nature": _enum_to_json(Nature, row.nature, f"{where}.nature"),
        "operator": None
        if row.operator is None
        else _enum_to_json(Operator, row.operator, f"{where}.operator"),
        "target": _text_to_json(row.target, f"{where}.target"),
        "unit": _text_to_json(row.unit, f"{where}.unit"),
        "actual": _text_to_json(row.actual, f"{where}.actual"),
        "weight": _optional_decimal_to_json(row.weight, f"{where}.weight"),
        "score": _optional_decimal_to_json(row.score, f"{where}.score"),
        "deviation_reason": _text_to_json(row.deviation_reason, f"{where}.deviation_reason"),
    }


def _list_to_json(
    value: object, where: str, item: Callable[[object, str], dict[str, JsonValue]]
) -> list[JsonValue]:
    if not isinstance(value, list):
        raise ParseError(f"“{where}”应为列表，收到的是 {_type_name(value)}")
    return [item(element, f"{where}[{index}]") for index, element in enumerate(value)]


def _answers_to_json(value: object, where: str) -> dict[str, JsonValue]:
    if not isinstance(value, dict):
        raise ParseError(f"“{where}”应为 步骤→回答 的字典，收到的是 {_type_name(value)}")
    result: dict[str, JsonValue] = {}
    for key, text in value.items():
        step_id = _step_id(key, f"{where}的键")
        result[step_id] = _text_to_json(text, f"{where}.{step_id}")
    return result


# --- scalar readers: JSON -> model value --------------------------------------------------------


def _text_from_json(data: object, where: str) -> str:
    if not isinstance(data, str):
        raise ParseError(f"“{where}”应为文字，收到的是 {_json_type_name(data)}")
    return _text_to_json(data, where)


def _json_type_name(data: object) -> str:
    names = {
        type(None): "null",
        bool: "布尔值",
        int: "整数",
        float: "小数",
        str: "文字",
        list: "列表",
        dict: "对象",
    }
    return names.get(type(data), _type_name(data))


def decimal_from_str(data: object, where: str = "数值") -> Decimal:
    """Read a decimal written by ``decimal_to_str``: a plain string such as ``"185.03"``.

    Raises ``ParseError`` naming ``where`` for anything else (numbers, exponents, NaN).
    """
    if not isinstance(data, str):
        raise ParseError(
            f'“{where}”应为写成文字的数值（如 "185.03"），收到的是 {_json_type_name(data)}',
            '例如 "185.03"',
        )
    if _DECIMAL_RE.fullmatch(data) is None:
        raise ParseError(f"“{where}”的值“{data[:40]}”不是数值", '例如 "185.03"')
    whole, _, fraction = data.lstrip("-").partition(".")
    if len(whole.lstrip("0")) > _MAX_DECIMAL_DIGITS or len(fraction) > _MAX_DECIMAL_DIGITS:
        raise ParseError(f"“{where}”的位数过多：{data[:40]}…")
    return Decimal(data)


def _optional_decimal_from_json(data: object, where: str) -> Decimal | None:
    return None if data is None else decimal_from_str(data, where)


def _enum_from_json(enum: type[_E], data: object, where: str) -> _E:
    allowed = "、".join(member.value for member in enum)
    if not isinstance(data, str):
        raise ParseError(f"“{where}”应为文字，收到的是 {_json_type_name(data)}", f"可选：{allowed}")
    try:
        return enum(data)
    except ValueError as error:
        raise ParseError(f"“{where}”的值“{data[:40]}”无效", f"可选：{allowed}") from error


def _int_from_json(data: object, where: str, low: int, high: int) -> int:
    if isinstance(data, bool) or not isinstance(data, int):
        raise ParseError(f"“{where}”应为整数，收到的是 {_json_type_name(data)}")
    return _int_to_json(data, where, low, high)


def _object(data: object, where: str, known: frozenset[str]) -> Mapping[str, object]:
    if not isinstance(data, dict):
        raise ParseError(f"“{where}”应为对象，收到的是 {_json_type_name(data)}")
    for key in data:
        if not isinstance(key, str) or key not in known:
            raise ParseError(f"“{where}”中有未知的键“{key}”", f"可用的键：{'、'.join(sorted(known))}")
    return data


def _weights_from_json(data: object, where: str) -> dict[Level1, Decimal] | None:
    if data is None:
        return None
    if not isinstance(data, dict):
        raise ParseError(f"“{where}”应为对象或 null，收到的是 {_json_type_name(data)}")
    return {
        _enum_from_json(Level1, key, f"{where}的键"): decimal_from_str(weight, f"{where}.{key}")
        for key, weight in data.items()
    }


_BUDGET_LINE_KEYS = frozenset({"name", "amount", "purpose"})
_INDICATOR_KEYS = frozenset(f.name for f in fields(Indicator))


def _budget_line_from_json(data: object, where: str) -> BudgetLine:
    row = _object(data, where, _BUDGET_LINE_KEYS)
    _require(row, where, ("name", "amount"))
    return BudgetLine(
        name=_text_from_json(row["name"], f"{where}.name"),
        amount=decimal_from_str(row["amount"], f"{where}.amount"),
        purpose=_text_from_json(row.get("purpose", ""), f"{where}.purpose"),
    )


def _indicator_from_json(data: object, where: str) -> Indicator:
    row = _object(data, where, _INDICATOR_KEYS)
    _require(row, where, ("name", "level2"))
    level1 = row.get("level1")
    operator = row.get("operator")
    return Indicator(
        name=_text_from_json(row["name"], f"{where}.name"),
        level2=_enum_from_json(Level2, row["level2"], f"{where}.level2"),
        level1=None if level1 is None else _enum_from_json(Level1, level1, f"{where}.level1"),
        nature=_enum_from_json(Nature, row.get("nature", Nature.QUANTITATIVE.value), f"{where}.nature"),
        operator=None if operator is None else _enum_from_json(Operator, operator, f"{where}.operator"),
        target=_text_from_json(row.get("target", ""), f"{where}.target"),
        unit=_text_from_json(row.get("unit", ""), f"{where}.unit"),
        actual=_text_from_json(row.get("actual", ""), f"{where}.actual"),
        weight=_optional_decimal_from_json(row.get("weight"), f"{where}.weight"),
        score=_optional_decimal_from_json(row.get("score"), f"{where}.score"),
        deviation_reason=_text_from_json(row.get("deviation_reason", ""), f"{where}.deviation_reason"),
    )


def _list_from_json(data: object, where: str, item: Callable[[object, str], _T]) -> list[_T]:
    if not isinstance(data, list):
        raise ParseError(f"“{where}”应为列表，收到的是 {_json_type_name(data)}")
    return [item(element, f"{where}[{index}]") for index, element in enumerate(data)]


def _answers_from_json(data: object, where: str) -> dict[str, str]:
    if not isinstance(data, dict):
        raise ParseError(f"“{where}”应为对象，收到的是 {_json_type_name(data)}")
    return {
        _step_id(key, f"{where}的键"): _text_from_json(text, f"{where}.{key}") for key, text in data.items()
    }


def _step_id(key: object, where: str) -> str:
    if not isinstance(key, str) or not key.strip():
        raise ParseError(f"“{where}”应为非空的步骤编号，收到的是“{key}”")
    return _text_to_json(key, where)


def _require(data: Mapping[str, object], where: str, keys: tuple[str, ...]) -> None:
    for key in keys:
        if key not in data:
            raise ParseError(f"“{where}”缺少必需的键“{key}”")


# --- paths --------------------------------------------------------------------------------------


class _Field:
    """How one path's value goes to JSON and back."""

    def __init__(
        self,
        to_json: Callable[[object, str], JsonValue],
        from_json: Callable[[object, str], object],
    ) -> None:
        self.to_json = to_json
        self.from_json = from_json


def _year_to_json(value: object, where: str) -> JsonValue:
    return _int_to_json(value, where, 1, 9999)


def _year_from_json(data: object, where: str) -> object:
    return _int_from_json(data, where, 1, 9999)


def _enum_field(enum: type[StrEnum], optional: bool = False) -> _Field:
    def to_json(value: object, where: str) -> JsonValue:
        if optional and value is None:
            return None
        return _enum_to_json(enum, value, where)

    def from_json(data: object, where: str) -> object:
        if optional and data is None:
            return None
        return _enum_from_json(enum, data, where)

    return _Field(to_json, from_json)


def _list_field(
    to_item: Callable[[object, str], dict[str, JsonValue]], from_item: Callable[[object, str], object]
) -> _Field:
    return _Field(
        lambda value, where: _list_to_json(value, where, to_item),
        lambda data, where: _list_from_json(data, where, from_item),
    )


_TEXT = _Field(_text_to_json, _text_from_json)
_OPTIONAL_DECIMAL = _Field(_optional_decimal_to_json, _optional_decimal_from_json)

_FIELDS: dict[str, _Field] = {
    "title": _TEXT,
    "unit_name": _TEXT,
    "department": _TEXT,
    "year": _Field(_year_to_json, _year_from_json),
    "template_id": _TEXT,
    "money_unit": _enum_field(MoneyUnit),
    **{f"funds.{name}": _OPTIONAL_DECIMAL for name in FUNDS_FIELDS},
    "budget_lines": _list_field(_budget_line_to_json, _budget_line_from_json),
    "overall_goal": _TEXT,
    "overall_goal_actual": _TEXT,
    "stage_goals": _TEXT,
    "indicators": _list_field(_indicator_to_json, _indicator_from_json),
    "claimed_total": _OPTIONAL_DECIMAL,
    "claimed_grade": _enum_field(Grade, optional=True),
    "weights": _Field(_weights_to_json, _weights_from_json),
}

FIELD_PATHS: tuple[str, ...] = tuple(_FIELDS)
"""Every path except ``answers.<step_id>``, in model order."""

_ANSWER = _Field(
    lambda value, where: None if value is None else _text_to_json(value, where),
    lambda data, where: None if data is None else _text_from_json(data, where),
)


def check_path(path: str) -> str:
    """Return ``path`` if it names a changeable part of a report, else raise ``ParseError``."""
    _field(path)
    return path


def answer_step(path: str) -> str | None:
    """The step id of an ``answers.<step_id>`` path, or None for any other path."""
    return path[len(ANSWER_PREFIX) :] if path.startswith(ANSWER_PREFIX) else None


def _field(path: object) -> _Field:
    if isinstance(path, str):
        found = _FIELDS.get(path)
        if found is not None:
            return found
        step = answer_step(path)
        if step is not None:
            _step_id(step, path)
            return _ANSWER
    raise ParseError(
        f"未知的字段路径“{path}”",
        "可用：" + "、".join(FIELD_PATHS) + "，或 answers.<步骤编号>",
    )


def path_to_json(path: str, value: object) -> JsonValue:
    """Convert the model-level value of ``path`` to its JSON form, checking its type.

    For ``answers.<step_id>``, ``None`` means "no answer" (the key is absent).
    """
    return _field(path).to_json(value, path)


def path_from_json(path: str, data: object) -> object:
    """Read the JSON form of ``path`` back into a model-level value, validating it."""
    return _field(path).from_json(data, path)


def get_path(report: Report, path: str) -> object:
    """The model-level value at ``path`` (an absent answer is None)."""
    _field(path)
    step = answer_step(path)
    if step is not None:
        return report.answers.get(step)
    if path.startswith("funds."):
        return getattr(report.funds, path.removeprefix("funds."))
    return getattr(report, path)


def set_path(report: Report, path: str, value: object) -> None:
    """Set the model-level value at ``path`` in place, after checking its type.

    Setting an answer to None removes it.
    """
    path_to_json(path, value)
    step = answer_step(path)
    if step is not None:
        if value is None:
            report.answers.pop(step, None)
        else:
            assert isinstance(value, str)
            report.answers[step] = value
    elif path.startswith("funds."):
        setattr(report.funds, path.removeprefix("funds."), value)
    else:
        setattr(report, path, value)


# --- whole reports ------------------------------------------------------------------------------

_TOP_KEYS = frozenset(
    {"format", "version", "id", "revision", "funds", "answers", "suggestions"}
    | {path for path in FIELD_PATHS if not path.startswith("funds.")}
)
_FUNDS_KEYS = frozenset(FUNDS_FIELDS)


def _funds_keys(version: int) -> frozenset[str]:
    """The funds keys a file of ``version`` may hold."""
    return frozenset(key for key in _FUNDS_KEYS if _ADDED_IN.get(key, 1) <= version)


def report_to_dict(report: Report) -> dict[str, JsonValue]:
    """The JSON-safe dict form of ``report`` (see the module docstring).

    Raises ``ParseError`` if the report holds a value of the wrong type, which could not be read
    back.
    """
    if not isinstance(report, Report):
        raise ParseError(f"应为 Report，收到的是 {_type_name(report)}")
    result: dict[str, JsonValue] = {
        "format": FORMAT,
        "version": VERSION,
        "id": None if report.id is None else _int_to_json(report.id, "id", 1, _MAX_INT),
        "revision": _int_to_json(report.revision, "revision", 0, _MAX_INT),
    }
    funds: dict[str, JsonValue] = {}
    for path, converter in _FIELDS.items():
        value = converter.to_json(get_path(report, path), path)
        if path.startswith("funds."):
            funds[path.removeprefix("funds.")] = value
        else:
            result[path] = value
        if path == "money_unit":
            result["funds"] = funds
    result["answers"] = _answers_to_json(report.answers, "answers")
    if report.suggestions:  # written only when there are some, so other exports stay as they were
        result["suggestions"] = _suggestions_to_json(report.suggestions, "suggestions")
    return result


def report_from_dict(data: object) -> Report:
    """Rebuild a ``Report`` from ``report_to_dict`` output (or a JSON file holding it).

    Validates everything: the ``format`` marker, the ``version``, every key and value. Missing
    optional keys take the model's defaults; unknown keys are refused. Raises ``ParseError``
    (naming the bad key) for any malformed input and nothing else.
    """
    top = _object(data, "报告", _TOP_KEYS)
    if top.get("format") != FORMAT:
        raise ParseError(
            f"不是绩效报告数据：“format”应为“{FORMAT}”，收到的是“{top.get('format')}”",
            "请选择由本程序导出的报告文件",
        )
    version = top.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ParseError(f"“version”应为正整数，收到的是“{version}”")
    if version > VERSION:
        raise ParseError(
            f"报告数据的格式版本为 {version}，本程序只认识到版本 {VERSION}",
            "请升级 jixiao 后再打开",
        )
    _require(top, "报告", ("title",))
    report = Report(title="")
    raw_id = top.get("id")
    report.id = None if raw_id is None else _int_from_json(raw_id, "id", 1, _MAX_INT)
    report.revision = _int_from_json(top.get("revision", 0), "revision", 0, _MAX_INT)
    funds = _object(top.get("funds", {}), "funds", _funds_keys(version))
    for path, converter in _FIELDS.items():
        if path.startswith("funds."):
            key = path.removeprefix("funds.")
            if key in funds:
                setattr(report.funds, key, converter.from_json(funds[key], path))
        elif path in top:
            setattr(report, path, converter.from_json(top[path], path))
    report.answers = _answers_from_json(top.get("answers", {}), "answers")
    report.suggestions = _suggestions_from_json(top.get("suggestions", {}), "suggestions")
    return report


def _suggestions_to_json(value: object, where: str) -> dict[str, JsonValue]:
    """Suggested texts keyed by field path; every key must be a path ``check_path`` accepts."""
    if not isinstance(value, dict):
        raise ParseError(f"“{where}”应为 字段→建议 的字典，收到的是 {_type_name(value)}")
    result: dict[str, JsonValue] = {}
    for key, text in value.items():
        if not isinstance(key, str):
            raise ParseError(f"“{where}”的键应为字段路径，收到的是 {_type_name(key)}")
        result[check_path(key)] = _text_to_json(text, f"{where}.{key}")
    return result


def _suggestions_from_json(data: object, where: str) -> dict[str, str]:
    if not isinstance(data, dict):
        raise ParseError(f"“{where}”应为对象，收到的是 {_json_type_name(data)}")
    return {check_path(key): _text_from_json(text, f"{where}.{key}") for key, text in data.items()}
