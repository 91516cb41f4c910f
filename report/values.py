"""Indicator values: parse targets and actuals into operator, number and unit, a date, or a 定性 grade.

Also knows which kinds of value each 二级 category expects (RULES.md §5) and says, with the fix,
when a value does not fit.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache

from report.errors import ParseError
from report.model import Indicator, Level2, Operator, QualGrade
from report.money import normalise_text, parse_chinese_amount


class ValueKind(StrEnum):
    """The kind of a parsed value."""

    COUNT = "count"  # a number with a counting unit: 人次, 个, 件, 平方米 …
    RATE = "rate"  # a percentage
    MONEY = "money"  # 元 / 万元 / 亿元
    DATE = "date"  # a deadline: 2020年12月31日前
    DURATION = "duration"  # 天, 工作日, 月, 年
    NUMBER = "number"  # a bare number with no unit
    QUALITATIVE = "qualitative"  # a 定性 grade or judgement word


KIND_NAMES: dict[ValueKind, str] = {
    ValueKind.COUNT: "数量",
    ValueKind.RATE: "比率",
    ValueKind.MONEY: "金额",
    ValueKind.DATE: "时限（日期）",
    ValueKind.DURATION: "时长",
    ValueKind.NUMBER: "数值",
    ValueKind.QUALITATIVE: "定性评价",
}
"""How each kind is named in messages."""

MONEY_UNITS = frozenset({"元", "万元", "亿元"})
DURATION_UNITS = frozenset({"天", "工作日", "个月", "月", "年", "小时", "周"})
MAX_RATE = Decimal(100)
MAX_NUMBER = Decimal(10) ** 15  # no indicator value is this large; bigger is a typo, and breaks rounding

_UNIT_ALIASES: dict[str, str] = {
    "百分比": "%",
    "百分点": "%",
    "个百分点": "%",
    "百分率": "%",
    "百分数": "%",
    "％": "%",
    "万": "万元",
    "亿": "亿元",
    "人/次": "人次",
    "人·次": "人次",
    "㎡": "平方米",
    "m2": "平方米",
    "m²": "平方米",
    "平米": "平方米",
    "km": "公里",
    "千米": "公里",
    "t": "吨",
    "日": "天",
    "个工作日": "工作日",
}

# longest first, so that >= wins over >
_OPERATOR_WORDS: list[tuple[str, Operator]] = [
    (">=", Operator.GE),
    ("=>", Operator.GE),
    ("≥", Operator.GE),
    ("≧", Operator.GE),
    ("大于等于", Operator.GE),
    ("不低于", Operator.GE),
    ("不少于", Operator.GE),
    ("<=", Operator.LE),
    ("=<", Operator.LE),
    ("≤", Operator.LE),
    ("≦", Operator.LE),
    ("小于等于", Operator.LE),
    ("不高于", Operator.LE),
    ("不超过", Operator.LE),
    ("不多于", Operator.LE),
    ("==", Operator.EQ),
    ("=", Operator.EQ),
    ("等于", Operator.EQ),
    (">", Operator.GT),
    ("大于", Operator.GT),
    ("高于", Operator.GT),
    ("<", Operator.LT),
    ("小于", Operator.LT),
    ("低于", Operator.LT),
    ("定性", Operator.QUALITATIVE),
]
_SUFFIX_OPERATORS: list[tuple[str, Operator]] = [
    ("以上", Operator.GE),
    ("及以上", Operator.GE),
    ("以下", Operator.LE),
    ("及以下", Operator.LE),
    ("以内", Operator.LE),
    ("之内", Operator.LE),
    ("前", Operator.LE),
    ("之前", Operator.LE),
    ("以前", Operator.LE),
]

_PLACEHOLDER_RE = re.compile(r"^[*＊xX×—\-_?？.…/]+$")
_NUMBER_RE = re.compile(r"^(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<unit>.*)$")
_DATE_RE = re.compile(
    r"^(?P<y>(?:19|20|21)\d{2})\s*(?:"
    r"年\s*(?P<m>\d{1,2})\s*月\s*(?:(?P<d>\d{1,2})\s*(?:日|号)?|底|末)?"
    r"|(?P<sep>[-/.])(?P<m2>\d{1,2})(?P=sep)(?P<d2>\d{1,2})"
    r"|-(?P<m3>\d{1,2})"
    r")$"
)
_YEAR_END_RE = re.compile(r"^(?P<y>\d{4})\s*年\s*(?:底|末|年底|年末)$")
_VAGUE_PERIOD_RE = re.compile(r"^(?:\d{4}\s*年\s*)?(?:全年|年内|全年度|年度内|长期|持续)$")
_UNIT_RE = re.compile(r"^[\u4e00-\u9fff%a-zA-Z/·²]{1,6}$")

_GRADE_WORDS: list[tuple[tuple[str, ...], QualGrade]] = [
    (("未达成", "未达到", "未完成", "较差", "不及时", "不满意", "未实现", "否", "差"), QualGrade.NOT_MET),
    (("部分达成", "部分完成", "部分实现", "基本达成", "基本完成", "一定效果", "基本"), QualGrade.PARTLY),
    (
        (
            "达成",
            "达到",
            "完成",
            "实现",
            "及时",
            "良好",
            "显著",
            "明显",
            "有效",
            "提升",
            "提高",
            "改善",
            "满意",
            "优",
            "好",
            "是",
            "符合",
            "合格",
        ),
        QualGrade.MET,
    ),
]


@dataclass(frozen=True)
class ParsedValue:
    """A target or actual as understood: ``≥1000人次`` → GE, 1000, 人次, COUNT."""

    kind: ValueKind
    operator: Operator | None = None
    number: Decimal | None = None
    unit: str = ""
    date: dt.date | None = None
    grade: QualGrade | None = None
    word: str = ""  # the 定性 wording as written, when it is not one of the three grades

    def text(self) -> str:
        """The canonical text without operator: ``1000``, ``99.9``, ``2020-12-31``, ``达成年度指标``."""
        if self.kind is ValueKind.DATE and self.date is not None:
            return self.date.isoformat()
        if self.kind is ValueKind.QUALITATIVE:
            return self.word or (self.grade.value if self.grade else "")
        return format_number(self.number) if self.number is not None else ""

    def display(self) -> str:
        """Operator, value and unit as printed in tables: ``≥1000人次``, ``≤2020年12月31日``."""
        if self.kind is ValueKind.QUALITATIVE:
            return self.text()
        operator = self.operator.value if self.operator and self.operator is not Operator.QUALITATIVE else ""
        if self.kind is ValueKind.DATE and self.date is not None:
            return f"{operator}{self.date.year}年{self.date.month}月{self.date.day}日"
        return f"{operator}{self.text()}{self.unit}"


def _plain(number: Decimal) -> Decimal:
    """Drop the trailing zeros a multiplication leaves (112800.00 → 112800), never using exponents."""
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize()


def format_number(number: Decimal) -> str:
    """A Decimal as plain digits, keeping the decimals written: ``1000``, ``99.9``, ``3.50``."""
    return f"{number:f}"


def normalise_operator(text: str) -> Operator:
    """``>=`` ``＞＝`` ``≥`` → GE, and so on; raises ``ParseError`` for anything else."""
    cleaned = normalise_text(text).replace(" ", "")
    for word, operator in _OPERATOR_WORDS:
        if cleaned == word:
            return operator
    raise ParseError(f"“{text.strip()}”不是比较符号", "请使用 ≥ ＞ ＝ ＜ ≤ 或 定性（也可输入 >= <= > < =）")


def normalise_unit(text: str) -> str:
    """Canonical unit spelling: ``百分比`` → ``%``, ``万`` → ``万元``, ``人/次`` → ``人次``."""
    cleaned = normalise_text(text).replace(" ", "")
    return _UNIT_ALIASES.get(cleaned, cleaned)


def kind_of_unit(unit: str) -> ValueKind:
    """The value kind a (canonical) unit implies."""
    if not unit:
        return ValueKind.NUMBER
    if unit == "%":
        return ValueKind.RATE
    if unit in MONEY_UNITS:
        return ValueKind.MONEY
    if unit in DURATION_UNITS:
        return ValueKind.DURATION
    return ValueKind.COUNT


def _split_operator(text: str) -> tuple[Operator | None, str]:
    for word, operator in _OPERATOR_WORDS:
        if text.startswith(word):
            return operator, text[len(word) :].strip()
    return None, text


def _split_suffix_operator(text: str) -> tuple[Operator | None, str]:
    for word, operator in sorted(_SUFFIX_OPERATORS, key=lambda pair: -len(pair[0])):
        if text.endswith(word) and len(text) > len(word):
            return operator, text[: -len(word)].strip()
    return None, text


def _grade_of(word: str) -> QualGrade | None:
    for grade in QualGrade:
        if word == grade.value:
            return grade
    for words, grade in _GRADE_WORDS:
        if any(w in word for w in words):
            return grade
    return None


def _parse_date(text: str) -> dt.date | None:
    year_end = _YEAR_END_RE.match(text)
    if year_end:
        return dt.date(int(year_end["y"]), 12, 31)
    match = _DATE_RE.match(text)
    if match is None:
        return None
    year = int(match["y"])
    month = int(match["m"] or match["m2"] or match["m3"])
    day = match["d"] or match["d2"]
    try:
        if day:
            return dt.date(year, month, int(day))
        if not 1 <= month <= 12:
            return None
        next_month = dt.date(year + month // 12, month % 12 + 1, 1)
        return next_month - dt.timedelta(days=1)
    except ValueError:
        return None


def parse_value(text: str) -> ParsedValue:
    """Parse a target or an actual; raises ``ParseError`` with a Chinese message and hint.

    ``≥1000人次`` ``>=90%`` ``＝100%`` ``≤3.5万元`` ``2020年12月31日前`` ``及时`` ``达成年度指标``.
    """
    raw = text.strip()
    cleaned = normalise_text(text).replace(" ", "").replace("\u3000", "")
    if not cleaned:
        raise ParseError(
            "指标值不能为空", "请填写目标或实际值，例如 ≥1000人次、≥90%、2020年12月31日前、达成年度指标"
        )
    if _PLACEHOLDER_RE.match(cleaned):
        raise ParseError(
            f"“{raw}”是占位符，不是指标值",
            "定量指标须填具体数值和单位，例如 ≥1000人次；无法量化的请用定性评价",
        )
    operator, rest = _split_operator(cleaned)
    if operator is Operator.QUALITATIVE:
        rest = rest.lstrip(":：")
        if not rest:
            return ParsedValue(ValueKind.QUALITATIVE, operator, grade=QualGrade.MET, word="")
        grade = _grade_of(rest)
        word = "" if grade is not None and rest == grade.value else rest
        value = ParsedValue(ValueKind.QUALITATIVE, operator, grade=grade, word=word)
        _check_qualitative_word(raw, value.text())
        return value
    if not rest:
        raise ParseError(f"“{raw}”只有比较符号，缺少数值", "请在符号后写数值和单位，例如 ≥90%")
    suffix_operator, core = _split_suffix_operator(rest)
    if _VAGUE_PERIOD_RE.match(core):
        raise ParseError(
            f"“{raw}”不是可衡量的时限", "时效指标请写截止日期或时长，例如 2020年12月31日前、≤30天"
        )
    core = core.removeprefix("约").removeprefix("近").removeprefix("超过").removesuffix("左右")
    if core.startswith("百分之"):
        core = _percent_words(core.removeprefix("百分之"))
    date = _parse_date(core)
    if date is not None:
        return ParsedValue(ValueKind.DATE, operator or suffix_operator or Operator.LE, date=date)
    number_match = _NUMBER_RE.match(core)
    if number_match is None:
        if any(ch.isdigit() for ch in rest) or operator is not None:
            raise ParseError(
                f"“{raw}”不是有效的指标值", "请写成 比较符号+数值+单位，例如 ≥1000人次、≤3.5万元"
            )
        grade = _grade_of(rest)
        word = "" if grade is not None and rest == grade.value else rest
        return ParsedValue(ValueKind.QUALITATIVE, None, grade=grade, word=word)
    number = Decimal(number_match["num"].replace(",", ""))
    if number >= MAX_NUMBER:
        raise ParseError(f"“{raw}”数值过大", "请核对位数，例如 ≥1000人次")
    unit_text = number_match["unit"].lstrip("余多")
    if unit_text.startswith("万") and normalise_unit(unit_text) not in MONEY_UNITS and len(unit_text) > 1:
        number = _plain(number * 10_000)  # 11.28万份 is a count of 112,800 份
        unit_text = unit_text[1:]
    if unit_text and (unit_text[0].isdigit() or unit_text[0] in ".,"):
        raise ParseError(f"“{raw}”不是有效的数值", "请写成 比较符号+数值+单位，例如 ≥1000人次、≥90%")
    if unit_text and not _UNIT_RE.match(unit_text):
        raise ParseError(
            f"“{raw}”的单位“{unit_text}”无法识别", "单位请用 % 人次 个 件 万元 天 等，例如 ≥1000人次"
        )
    unit = normalise_unit(unit_text)
    return ParsedValue(kind_of_unit(unit), operator or suffix_operator, number=number, unit=unit)


def _percent_words(number: str) -> str:
    """``95`` or ``九十五`` (what follows 百分之) as ``95%``; unchanged when it is not a number."""
    if _NUMBER_RE.match(number) is None:
        chinese = parse_chinese_amount(number)
        if chinese is None or chinese[1]:
            return "百分之" + number
        number = format_number(chinese[0])
    return f"{number}%"


def _check_qualitative_word(raw: str, word: str) -> None:
    """A 定性 wording is stored without its ``定性``: it must read back as a wording, not a number or symbol."""
    try:
        kind = parse_value(word).kind
    except ParseError:
        kind = None
    if kind is not ValueKind.QUALITATIVE:
        raise ParseError(
            f"“{raw}”：定性指标请用文字评价，不能只写数值或符号",
            "例如 定性 达成年度指标；有具体数值的请去掉“定性”，写成 ≥90%",
        )


def parse_indicator_value(text: str, unit: str) -> ParsedValue:
    """Parse a stored target or actual, taking the indicator's unit when the text has none.

    The unit is read like one written after the number: ``百分比`` is ``%``, ``万`` is ``万元``.
    """
    value = parse_value(text)
    if value.kind is ValueKind.NUMBER and unit:
        canonical = normalise_unit(unit)
        return ParsedValue(kind_of_unit(canonical), value.operator, value.number, canonical)
    return value


def indicator_target(indicator: Indicator) -> ParsedValue | None:
    """The indicator's target as a typed value (with its operator), or None when missing or unreadable."""
    if not indicator.target.strip():
        return None
    try:
        value = parse_indicator_value(indicator.target, indicator.unit)
    except ParseError:
        return None
    if indicator.operator is not None and value.kind is not ValueKind.QUALITATIVE:
        return ParsedValue(value.kind, indicator.operator, value.number, value.unit, value.date)
    return value


def indicator_actual(indicator: Indicator) -> ParsedValue | None:
    """The indicator's actual as a typed value, or None when missing or unreadable."""
    if not indicator.actual.strip():
        return None
    try:
        return parse_indicator_value(indicator.actual, indicator.unit)
    except ParseError:
        return None


_EXPECTED: dict[Level2, frozenset[ValueKind]] = {
    Level2.QUANTITY: frozenset({ValueKind.COUNT, ValueKind.NUMBER}),
    Level2.QUALITY: frozenset({ValueKind.RATE, ValueKind.QUALITATIVE}),
    Level2.TIMELINESS: frozenset({ValueKind.DATE, ValueKind.DURATION, ValueKind.RATE, ValueKind.QUALITATIVE}),
    Level2.COST: frozenset({ValueKind.MONEY, ValueKind.QUALITATIVE}),
    Level2.ECONOMIC: frozenset({ValueKind.MONEY, ValueKind.RATE, ValueKind.QUALITATIVE}),
    Level2.SOCIAL: frozenset({ValueKind.QUALITATIVE, ValueKind.RATE, ValueKind.COUNT, ValueKind.NUMBER}),
    Level2.ECOLOGICAL: frozenset({ValueKind.QUALITATIVE, ValueKind.COUNT, ValueKind.RATE, ValueKind.NUMBER}),
    Level2.SUSTAINABLE: frozenset({ValueKind.QUALITATIVE, ValueKind.DURATION, ValueKind.COUNT}),
    Level2.SATISFACTION: frozenset({ValueKind.RATE}),
}

# where a value of each kind belongs when it turns up in the wrong category
_HOME_OF: dict[ValueKind, Level2] = {
    ValueKind.COUNT: Level2.QUANTITY,
    ValueKind.NUMBER: Level2.QUANTITY,
    ValueKind.RATE: Level2.QUALITY,
    ValueKind.MONEY: Level2.COST,
    ValueKind.DATE: Level2.TIMELINESS,
    ValueKind.DURATION: Level2.TIMELINESS,
    ValueKind.QUALITATIVE: Level2.SOCIAL,
}


RATE_NAME_ENDINGS: tuple[str, ...] = ("率", "满意度")
"""An indicator whose name ends so (工程验收合格率, 学生满意度) measures a per cent (RULES.md §6 #28)."""
NOT_RATE_NAME_ENDINGS: tuple[str, ...] = ("效率", "频率", "功率", "汇率")
"""Names that end in 率 without being a per cent."""
MONEY_NAME_WORDS: tuple[str, ...] = ("资金", "金额", "经费", "费用", "成本", "单价", "造价")
"""Words that make an indicator's name an amount of money (RULES.md §6 #29)."""
COUNT_NAME_ENDINGS: tuple[str, ...] = ("数", "量", "次", "笔", "户", "人", "个", "项")
"""Names that end so count things (资金拨付笔数), whatever money word they hold."""
_NAME_NOTE_RE = re.compile(r"[（(][^）)]*[）)]$")


def _bare_name(name: str) -> str:
    """The name without a closing note in brackets or trailing blanks: ``满意度（%）`` → ``满意度``."""
    return _NAME_NOTE_RE.sub("", name.strip()).strip()


@lru_cache(maxsize=4_096)
def is_rate_name(name: str) -> bool:
    """True when an indicator's name says it is a rate: ``工程验收合格率``, ``学生满意度``."""
    bare = _bare_name(name)
    return bare.endswith(RATE_NAME_ENDINGS) and not bare.endswith(NOT_RATE_NAME_ENDINGS)


@lru_cache(maxsize=4_096)
def is_money_name(name: str) -> bool:
    """True when an indicator's name says it is money: ``专项资金``, ``培训经费``, not ``资金拨付笔数``."""
    bare = _bare_name(name)
    if is_rate_name(bare) or bare.endswith(COUNT_NAME_ENDINGS):
        return False
    return any(word in bare for word in MONEY_NAME_WORDS)


def kind_by_name(value: ParsedValue, name: str) -> ValueKind:
    """The kind of ``value`` for the category checks: a bare number takes the kind its name says.

    ``工程验收合格率 100`` is a rate with its unit missing, ``培训经费 3.5`` an amount; a value
    with a unit keeps the kind of its unit.
    """
    if value.kind is ValueKind.NUMBER and name:
        if is_rate_name(name):
            return ValueKind.RATE
        if is_money_name(name):
            return ValueKind.MONEY
    return value.kind


def expected_kinds(level2: Level2) -> frozenset[ValueKind]:
    """The value kinds a 二级 category accepts (RULES.md §5)."""
    return _EXPECTED[level2]


def advised_level2(level2: Level2, value: ParsedValue, name: str = "") -> Level2 | None:
    """The category a value that does not fit ``level2`` belongs in, by its kind and its name.

    None when it fits, or when moving it would not help (a rate over 100%, a 成本 with ≥, a
    满意度 that is not a rate).
    """
    kind = kind_by_name(value, name)
    if kind is ValueKind.RATE and value.number is not None and value.number > MAX_RATE:
        return None
    if level2 is Level2.COST and value.operator in (Operator.GE, Operator.GT):
        return None
    if kind in _EXPECTED[level2] or level2 is Level2.SATISFACTION:
        return None
    if _HOME_OF[kind] is Level2.QUANTITY and is_rate_name(name):
        return None  # a rate by its name is never advised to 数量指标: its unit is what is wrong
    return _HOME_OF[kind]


def fit_problem(level2: Level2, value: ParsedValue, name: str = "") -> str | None:
    """Why a value does not fit its category, with the fix, or None when it fits.

    e.g. ``"73.3% 是比率，应放入质量指标"``. The advice agrees with the name as well as the value:
    a bare ``100`` of ``工程验收合格率`` is a rate (its unit missing), never a quantity.
    """
    # the checks ask this of every target and actual, and nearly all of them fit: formatting the
    # value and the name before knowing took ~3 ms of checking 2,000 rows (4,000 values)
    kind = kind_by_name(value, name) if value.kind is ValueKind.NUMBER else value.kind
    if kind is ValueKind.RATE and value.number is not None and value.number > MAX_RATE:
        problem = f"{value.display()} 超过 100%，比率不能大于 100%；请核对数值或改用数量"
    elif level2 is Level2.COST and value.operator in (Operator.GE, Operator.GT):
        problem = f"成本指标不能用 {value.operator.value}，成本应控制在上限以内；请改为 ≤"
    elif kind in _EXPECTED[level2]:
        return None
    elif level2 is Level2.SATISFACTION:
        problem = f"{value.display()} 不是比率；服务对象满意度应为调查得出的百分比，例如 ≥90%"
    elif _HOME_OF[kind] is Level2.QUANTITY and is_rate_name(name):
        problem = (
            f"{value.display()} 是{KIND_NAMES[kind]}，但指标名称是比率；请核对单位（比率用 %）或指标名称"
        )
    elif kind is not value.kind:
        named = "比率" if kind is ValueKind.RATE else "金额"
        problem = f"{value.display()} 按名称是{named}，应放入{_HOME_OF[kind].value}"
    else:
        problem = f"{value.display()} 是{KIND_NAMES[kind]}，应放入{_HOME_OF[kind].value}"
    return f"「{name}」{problem}" if name else problem
