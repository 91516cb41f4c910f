"""Money: parse what people type into exact decimals in the report's unit, and format it back.

Accepted: ``487万``, ``487 万元``, ``4,870,000元``, ``４８７万元``, ``1.5亿``, ``4870000`` and a bare
``185.03`` (taken in the report's unit), and amounts in Chinese numerals (``一百二十万元``,
``壹佰贰拾万元整``, ``一百一十八点六万``), read exactly (RULES.md §7). Never floats.
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

_CHINESE_DIGITS: dict[str, int] = {
    **dict.fromkeys("零〇", 0),
    **dict.fromkeys("一壹", 1),
    **dict.fromkeys("二两贰貳", 2),
    **dict.fromkeys("三叁參", 3),
    **dict.fromkeys("四肆", 4),
    **dict.fromkeys("五伍", 5),
    **dict.fromkeys("六陆陸", 6),
    **dict.fromkeys("七柒", 7),
    **dict.fromkeys("八捌", 8),
    **dict.fromkeys("九玖", 9),
}
_CHINESE_SMALL_UNITS: dict[str, int] = {
    **dict.fromkeys("十拾", 10),
    **dict.fromkeys("百佰", 100),
    **dict.fromkeys("千仟", 1000),
}
_CHINESE_BIG_UNITS: dict[str, int] = {**dict.fromkeys("万萬", 10_000), **dict.fromkeys("亿億", 100_000_000)}
_CHINESE_NUMERAL_CHARS = frozenset(_CHINESE_DIGITS) | frozenset(_CHINESE_SMALL_UNITS) | frozenset("点點")
_CHINESE_AMOUNT_RE = re.compile(
    r"^(?:人民币)?(?P<num>[零〇一壹二两贰貳三叁參四肆五伍六陆陸七柒八捌九玖十拾百佰千仟万萬亿億点點]+)"
    r"(?P<yuan>[元圆块])?(?:(?P<jiao>[零〇一壹二两贰貳三叁參四肆五伍六陆陸七柒八捌九玖])角)?"
    r"(?:(?P<fen>[零〇一壹二两贰貳三叁參四肆五伍六陆陸七柒八捌九玖])分)?[整正]?$"
)


def has_chinese_numerals(text: str) -> bool:
    """True when ``text`` writes a number in Chinese numerals (``一百二十万``, ``壹佰``, ``十八点六``)."""
    return any(ch in _CHINESE_NUMERAL_CHARS for ch in text)


def _chinese_integer(text: str) -> int | None:
    """``一百二十`` → 120, ``一亿二千万`` → 120000000, ``十二`` → 12; None when it is not a numeral."""
    if not text:
        return None
    total = 0  # the part already multiplied by 亿 (and 万 below it)
    below_yi = 0  # 万-groups below the current 亿
    section = 0  # below 万
    digit: int | None = None
    for ch in text:
        if ch in _CHINESE_DIGITS:
            if digit is not None and digit != 0:
                return None  # 一二 is a digit string, not an amount
            digit = _CHINESE_DIGITS[ch]
        elif ch in _CHINESE_SMALL_UNITS:
            if digit == 0:
                return None
            section += (1 if digit is None else digit) * _CHINESE_SMALL_UNITS[ch]
            digit = None
        elif ch in _CHINESE_BIG_UNITS:
            group = section + (digit or 0)
            if _CHINESE_BIG_UNITS[ch] == 10_000:
                if group == 0:
                    return None
                below_yi += group * 10_000
            else:
                if group + below_yi == 0 and total == 0:
                    return None
                total = (total + below_yi + group) * 100_000_000
                below_yi = 0
            section, digit = 0, None
        else:
            return None
    return total + below_yi + section + (digit or 0)


def parse_chinese_amount(text: str) -> tuple[Decimal, bool] | None:
    """An amount written in Chinese numerals, exactly, and whether it is in 元 (not the report's unit).

    ``一百二十万元`` → (1200000, True); ``一百一十八点六万`` → (1186000, True); ``壹佰贰拾万元整``
    → (1200000, True); ``一百二十`` → (120, False): a bare numeral is in the report's unit. None
    when ``text`` (already folded, without spaces) is not such an amount.
    """
    match = _CHINESE_AMOUNT_RE.match(text)
    if match is None:
        return None
    number = match["num"].replace("點", "点")
    whole_text, point, fraction_text = number.partition("点")
    magnitude = 1
    if point:
        while fraction_text and fraction_text[-1] in _CHINESE_BIG_UNITS:
            magnitude *= _CHINESE_BIG_UNITS[fraction_text[-1]]
            fraction_text = fraction_text[:-1]
        if not fraction_text or any(ch not in _CHINESE_DIGITS for ch in fraction_text):
            return None
    whole = _chinese_integer(whole_text)
    if whole is None:
        return None
    fraction = "".join(str(_CHINESE_DIGITS[ch]) for ch in fraction_text)
    amount = Decimal(f"{whole}.{fraction}" if fraction else whole) * magnitude
    in_yuan = match["yuan"] is not None or magnitude > 1 or any(ch in _CHINESE_BIG_UNITS for ch in whole_text)
    cents = [(match["jiao"], Decimal("0.1")), (match["fen"], Decimal("0.01"))]
    if any(digit is not None for digit, _ in cents):
        if match["yuan"] is None:
            return None
        for digit, step in cents:
            if digit is not None:
                amount += _CHINESE_DIGITS[digit] * step
    return _strip(amount), in_yuan


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
    match = _MONEY_RE.match(cleaned.removeprefix("人民币"))
    if match is None:
        chinese = parse_chinese_amount(cleaned)
        if chinese is None:
            raise ParseError(f"“{raw.strip()}”不是金额", f"请输入数字加单位，{_example(unit)}")
        number, in_yuan = chinese
        amount = _strip(number / _UNIT_FACTOR_OF_REPORT[unit]) if in_yuan else number
        if amount >= MAX_AMOUNT:
            raise ParseError(f"“{raw.strip()}”金额过大", f"请核对位数和单位，{_example(unit)}")
        return amount
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
