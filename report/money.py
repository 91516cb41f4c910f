"""Money: parse what people type into exact decimals in the report's unit, and format it back.

Accepted: ``487万``, ``487 万元``, ``4,870,000元``, ``４８７万元``, ``1.5亿``, ``4870000`` and a bare
``185.03`` (taken in the report's unit). Never floats.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from report.errors import ParseError
from report.model import MoneyUnit

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal(10) ** 15  # far beyond any project budget; keeps formatting within Decimal precision

# multiplier of each accepted unit word, in 元
_UNIT_FACTORS: dict[str, Decimal] = {
    "元": Decimal(1),
    "块": Decimal(1),
    "万": Decimal(10_000),
    "万元": Decimal(10_000),
    "亿": Decimal(100_000_000),
    "亿元": Decimal(100_000_000),
}
_UNIT_FACTOR_OF_REPORT = {MoneyUnit.YUAN: Decimal(1), MoneyUnit.WAN: Decimal(10_000)}

_MONEY_RE = re.compile(
    r"^(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)\s*(?P<unit>万元|亿元|万|亿|元|块)?$"
)


_KEEP_FULL_WIDTH = frozenset("，：；（）！？、")


def fold_width(text: str) -> str:
    """Fold full-width digits, letters and symbols to ASCII but keep Chinese punctuation (，：（）).

    For text that is kept (names, purposes, reasons) while its numbers must still be read.
    """
    return "".join(
        chr(ord(ch) - 0xFEE0) if "\uff01" <= ch <= "\uff5e" and ch not in _KEEP_FULL_WIDTH else ch
        for ch in text.replace("\u3000", " ")
    )


def normalise_text(text: str) -> str:
    """Fold full-width digits, letters and punctuation to ASCII (NFKC) and trim white space."""
    folded = unicodedata.normalize("NFKC", text)
    return folded.replace("，", ",").replace("。", ".").strip()


def _example(unit: MoneyUnit) -> str:
    return (
        "例如 487万、4,870,000元 或 185.03"
        if unit is MoneyUnit.WAN
        else "例如 4870000、487万元 或 4,870,000元"
    )


def parse_money(text: str, unit: MoneyUnit) -> Decimal:
    """Parse an amount of money into the report's unit, exactly.

    A bare number is taken in ``unit``; a number with 元/万/万元/亿 is converted. Raises
    ``ParseError`` (naming the input and showing an accepted form) for anything else,
    including negative amounts.
    """
    raw = text
    cleaned = normalise_text(text).replace(" ", "").replace("\u3000", "")
    if not cleaned:
        raise ParseError("金额不能为空", f"请输入金额，{_example(unit)}")
    if cleaned[:1] in ("-", "−") and _MONEY_RE.match(cleaned[1:]):
        raise ParseError(f"“{raw.strip()}”是负数，金额不能为负", f"请输入不小于 0 的金额，{_example(unit)}")
    match = _MONEY_RE.match(cleaned)
    if match is None:
        raise ParseError(f"“{raw.strip()}”不是金额", f"请输入数字加单位，{_example(unit)}")
    try:
        number = Decimal(match["num"].replace(",", ""))
    except InvalidOperation as error:  # pragma: no cover - the pattern admits only valid numbers
        raise ParseError(f"“{raw.strip()}”不是金额", _example(unit)) from error
    written_unit = match["unit"]
    amount = (
        number
        if written_unit is None
        else _strip(number * _UNIT_FACTORS[written_unit] / _UNIT_FACTOR_OF_REPORT[unit])
    )
    if amount >= MAX_AMOUNT:
        raise ParseError(f"“{raw.strip()}”金额过大", f"请核对位数和单位，{_example(unit)}")
    return amount


def _strip(value: Decimal) -> Decimal:
    """Drop trailing zeros a unit conversion leaves, without turning 100 into 1E+2."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def format_money(amount: Decimal, unit: MoneyUnit, *, with_unit: bool = False) -> str:
    """Format an amount with two decimals and thousands separators: ``4,870,000.00``, ``487.00``."""
    text = f"{amount.quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"
    return f"{text} {unit.value}" if with_unit else text


def round_cent(amount: Decimal) -> Decimal:
    """Round half up to two decimals, the precision of every printed amount, rate and score."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)
