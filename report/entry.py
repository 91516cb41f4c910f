"""Free-text entry of structured rows: budget lines and indicator rows, one or many lines at once.

``基层党建办公室经费 49万`` is a budget line; ``按期结案率 ≥99% 实际99.9% 分值5`` an indicator row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from report.errors import ParseError
from report.model import BudgetLine, Indicator, Level2, MoneyUnit, Nature, Operator
from report.money import fold_width, parse_money
from report.values import ParsedValue, ValueKind, parse_indicator_value, parse_value

MAX_ROWS = 5000  # more rows than any real report has; stops a runaway paste


@dataclass(frozen=True)
class RowProblem:
    """A line of pasted input that could not be read: its 1-based number, text and why."""

    line_no: int
    text: str
    message: str


_NUMBERING_RE = re.compile(
    r"^\s*(?:\d{1,3}\s*[、.．)）]|[（(]\s*\d{1,3}\s*[)）]|[一二三四五六七八九十]{1,3}\s*、|[-*•·]\s)\s*"
)
_MONEY_TOKEN_RE = re.compile(
    r"(?<![\d.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(亿元|万元|亿|万|元)"
)
_CHINESE_MONEY_TOKEN_RE = re.compile(
    r"(?:(?<=\s)|^)((?:人民币)?[零〇一壹二两贰貳三叁參四肆五伍六陆陸七柒八捌九玖十拾百佰千仟万萬亿億点點]+"
    r"(?:万元|亿元|万|亿|元|圆)整?)(?=\s|$)"
)
"""An amount in Chinese numerals standing as its own word, with its unit: ``一百二十万元``, ``壹拾万元整``."""
_BARE_NUMBER_RE = re.compile(
    r"(?:^|[\s\t:：,，|])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?=$|[\s\t,，|;；])"
)
_SEPARATORS = " \t:：,，;；|、-—"
_COUNT_AFTER_WAN = re.compile(r"[\u4e00-\u9fff]")

_LEVEL2_PREFIXES: list[tuple[str, Level2]] = sorted(
    [(level2.value, level2) for level2 in Level2]
    + [
        ("数量", Level2.QUANTITY),
        ("质量", Level2.QUALITY),
        ("时效", Level2.TIMELINESS),
        ("成本", Level2.COST),
        ("经济效益", Level2.ECONOMIC),
        ("社会效益", Level2.SOCIAL),
        ("生态效益", Level2.ECOLOGICAL),
        ("可持续影响", Level2.SUSTAINABLE),
        ("满意度", Level2.SATISFACTION),
        ("满意度指标", Level2.SATISFACTION),
        ("服务对象满意度", Level2.SATISFACTION),
    ],
    key=lambda pair: -len(pair[0]),
)
_LEVEL2_PREFIX_RE = re.compile(
    r"^(?P<cat>" + "|".join(re.escape(word) for word, _ in _LEVEL2_PREFIXES) + r")\s*[:：]\s*"
)
_DEVIATION_RE = re.compile(r"\s*(?:偏差原因分析及改进措施|偏差原因|偏差说明|偏差|原因)\s*[:：]\s*")
_LABELLED = {
    "actual": re.compile(r"(?:实际完成值|实际完成|实际值|实际|完成值)\s*[:：]?\s*(?P<v>[^\s,，;；]+)"),
    "weight": re.compile(r"(?:分值|权重)\s*[:：]?\s*(?P<v>\d+(?:\.\d+)?)\s*分?"),
    "score": re.compile(r"得分\s*[:：]?\s*(?P<v>\d+(?:\.\d+)?)\s*分?"),
    "target": re.compile(r"(?:年度指标值|目标值|指标值|目标)\s*[:：]?\s*(?P<v>[^\s,，;；]+)"),
}
_OPERATOR_START_RE = re.compile(r"[≥≤><=＞＜＝≧≦]|定性|不低于|不少于|不超过|不高于")


def _trim(text: str, extra: str = "") -> str:
    """``text`` without separators or white space of any kind (\\r, no-break space …) at either end."""
    trimmed = None
    while trimmed != text:
        trimmed, text = text, text.strip().strip(_SEPARATORS + extra)
    return text


def level2_from_text(text: str) -> Level2 | None:
    """The 二级 category a word names (``质量`` or ``质量指标``), or None."""
    cleaned = text.strip().rstrip(":：")
    for word, level2 in _LEVEL2_PREFIXES:
        if cleaned == word:
            return level2
    return None


def _lines(text: str) -> list[tuple[int, str]]:
    rows = [(n, line.strip()) for n, line in enumerate(text.replace("\r\n", "\n").split("\n"), 1)]
    return [(n, line) for n, line in rows if line]


def parse_budget_line(line: str, unit: MoneyUnit) -> BudgetLine:
    """Read one budget line ``名称 金额 [用途]``; raises ``ParseError`` when no amount or name is found."""
    body = _NUMBERING_RE.sub("", line, count=1).strip()
    folded = fold_width(body)
    start = end = -1
    money_text = ""
    for match in _MONEY_TOKEN_RE.finditer(folded):
        follower = folded[match.end() : match.end() + 1]
        if match.group(2) in ("万", "亿") and _COUNT_AFTER_WAN.match(follower):
            continue  # 11.28万份 is a count, not money
        start, end, money_text = match.start(), match.end(), match.group(0)
        break
    if not money_text:
        chinese = _CHINESE_MONEY_TOKEN_RE.search(folded)
        if chinese is not None:
            start, end, money_text = chinese.start(1), chinese.end(1), chinese.group(1)
    if not money_text:
        bare = list(_BARE_NUMBER_RE.finditer(folded))
        if bare:
            last = bare[-1]
            start, end, money_text = last.start(1), last.end(1), last.group(1)
    if not money_text:
        raise ParseError(
            f"“{line.strip()}”里没有找到金额",
            "每行写 名称 金额 [用途]，例如 基层党建办公室经费 49万",
        )
    amount = parse_money(money_text, unit)
    name = _trim(folded[:start])
    purpose = _trim(folded[end:], "。.")
    if not name:
        raise ParseError(f"“{line.strip()}”缺少名称", "金额前写这笔预算的名称，例如 基层党建办公室经费 49万")
    return BudgetLine(name=name, amount=amount, purpose=purpose)


def parse_budget_lines(text: str, unit: MoneyUnit) -> tuple[list[BudgetLine], list[RowProblem]]:
    """Read budget lines ("名称 金额 [用途]"), one per line; numbering like ``1、`` is dropped."""
    lines: list[BudgetLine] = []
    problems: list[RowProblem] = []
    for line_no, line in _lines(text)[:MAX_ROWS]:
        try:
            lines.append(parse_budget_line(line, unit))
        except ParseError as error:
            problems.append(RowProblem(line_no, line, str(error)))
    return lines, problems


def _default_operator(level2: Level2, value: ParsedValue) -> Operator | None:
    if value.kind is ValueKind.QUALITATIVE:
        return Operator.QUALITATIVE
    if value.operator is not None:
        return value.operator
    if level2 is Level2.COST or value.kind in (ValueKind.DATE, ValueKind.DURATION):
        return Operator.LE
    return Operator.GE


def _take(pattern: re.Pattern[str], text: str) -> tuple[str | None, str]:
    match = pattern.search(text)
    if match is None:
        return None, text
    return match["v"], (text[: match.start()] + " " + text[match.end() :]).strip()


def _split_name_and_target(rest: str) -> tuple[str, str]:
    operator = _OPERATOR_START_RE.search(rest)
    if operator is not None and operator.start() > 0:
        name = _trim(rest[: operator.start()])
        target = rest[operator.start() :].strip().split()[0] if rest[operator.start() :].strip() else ""
        return name, target
    parts = rest.split()
    if len(parts) >= 2:
        return _trim(" ".join(parts[:-1])), parts[-1]
    return _trim(rest), ""


def parse_indicator_row(line: str, level2: Level2 | None, unit: MoneyUnit) -> Indicator:
    """Read one indicator row; raises ``ParseError`` saying what is missing or unreadable."""
    text = fold_width(_NUMBERING_RE.sub("", line, count=1))
    prefix = _LEVEL2_PREFIX_RE.match(text)
    if prefix is not None:
        level2 = level2_from_text(prefix["cat"])
        text = text[prefix.end() :]
    if level2 is None:
        raise ParseError(
            f"“{line.strip()}”没有注明指标类别",
            "在行首写类别，例如 质量指标：按期结案率 ≥99% 实际99.9% 分值5",
        )
    deviation = ""
    parts = _DEVIATION_RE.split(text, maxsplit=1)
    if len(parts) == 2:
        text, deviation = parts[0], parts[1].strip()
    found: dict[str, str | None] = {}
    for key, pattern in _LABELLED.items():
        found[key], text = _take(pattern, text)
    name, target_text = _split_name_and_target(text)
    if found["target"]:
        target_text = found["target"] or ""
    if not name:
        raise ParseError(f"“{line.strip()}”缺少指标名称", "例如 按期结案率 ≥99% 实际99.9% 分值5")
    target = parse_value(target_text) if target_text else None
    indicator_unit = target.unit if target is not None else ""
    actual = parse_indicator_value(found["actual"], indicator_unit) if found["actual"] else None
    if actual is not None and target is not None and _units_clash(target, actual):
        raise ParseError(
            f"“{name}”的目标单位是“{target.unit or '无'}”，实际值单位是“{actual.unit or '无'}”",
            "目标和实际值请用同一单位",
        )
    if target is None and actual is not None:
        indicator_unit = actual.unit
    shown = target if target is not None else actual
    qualitative = shown is not None and shown.kind is ValueKind.QUALITATIVE
    return Indicator(
        name=name,
        level2=level2,
        nature=Nature.QUALITATIVE if qualitative else Nature.QUANTITATIVE,
        operator=_default_operator(level2, target) if target is not None else None,
        target=target.text() if target is not None else "",
        unit=indicator_unit if not qualitative else "",
        actual=actual.text() if actual is not None else "",
        weight=Decimal(found["weight"]) if found["weight"] else None,
        score=Decimal(found["score"]) if found["score"] else None,
        deviation_reason=deviation,
    )


def _units_clash(target: ParsedValue, actual: ParsedValue) -> bool:
    if ValueKind.QUALITATIVE in (target.kind, actual.kind):
        return target.kind is not actual.kind
    return target.unit != actual.unit and actual.kind is not ValueKind.NUMBER


def parse_indicator_rows(
    text: str, level2: Level2 | None, unit: MoneyUnit
) -> tuple[list[Indicator], list[RowProblem]]:
    """Read indicator rows, one per line.

    A row is ``[二级：]名称 目标 [实际 值] [分值 n] [得分 n] [偏差：原因]`` — e.g.
    ``质量指标：按期结案率 ≥99% 实际99.9% 分值5``. ``level2`` is the category when the line
    does not name one.
    """
    rows: list[Indicator] = []
    problems: list[RowProblem] = []
    for line_no, line in _lines(text)[:MAX_ROWS]:
        try:
            rows.append(parse_indicator_row(line, level2, unit))
        except ParseError as error:
            problems.append(RowProblem(line_no, line, str(error)))
    return rows, problems
