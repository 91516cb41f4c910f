"""Fuzzing properties over every parser, shared by the test suite and ``benchmarks/fuzz.py``.

Each ``Property`` pairs a hypothesis strategy (drawing one input tuple) with a check that feeds
it to a parser. The contract checked everywhere: a parser returns a well-formed value or raises
``report.errors.ParseError`` with a Chinese message; nothing else escapes. Where the app goes on
to use a parsed value (store it, check it, score it, render it), the check does that too, so a
value a parser accepts can never crash a later step.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from prompts.engine import Accepted, Flow, Rejected
from prompts.templates import Step, Template, available_templates, load_template
from report.checks import check_report
from report.demo import build_demo_report
from report.entry import parse_budget_lines, parse_indicator_rows
from report.errors import ParseError
from report.importer import ImportResult, import_text
from report.model import BudgetLine, Indicator, Level2, MoneyUnit, Nature, Report
from report.money import MAX_AMOUNT, format_money, parse_money, round_cent
from report.outline import Outline
from report.render import render_report
from report.scoring import score_report
from report.serialize import FORMAT, path_from_json, path_to_json, report_from_dict, report_to_dict
from report.values import ParsedValue, ValueKind, indicator_actual, indicator_target, parse_value
from tests.strategies import reports

CJK = re.compile(r"[\u4e00-\u9fff]")

TEMPLATES: dict[str, Template] = {tid: load_template(tid) for tid, _name in available_templates()}
OUTLINES: dict[str, Outline] = {tid: template.outline for tid, template in TEMPLATES.items()}
STEPS: list[tuple[str, Step]] = [
    (tid, step) for tid, template in TEMPLATES.items() for step in template.steps
]


@dataclasses.dataclass(frozen=True)
class Property:
    """A named fuzzing property: draw ``args`` from ``strategy``, then ``check(*args)``."""

    name: str
    strategy: st.SearchStrategy[tuple[Any, ...]]
    check: Callable[..., None]


def assert_parse_error(error: ParseError) -> None:
    """A refusal a user can read: a Chinese message (the hint is optional)."""
    assert isinstance(error.message, str) and CJK.search(error.message), repr(error.message)
    assert isinstance(error.hint, str)


# --- input strategies ---------------------------------------------------------------------------

# pieces people (and pastes) put into answers: numbers in every width and script, units,
# operators, labels of indicator rows, separators, numbering, dates, and some awkward ones
_TOKENS = [
    *"0123456789",
    "０",
    "１２３",
    "٣",
    "𝟕",
    "²",
    "½",
    "Ⅻ",
    "一",
    "十",
    "二〇二〇",
    ".",
    ",",
    "，",
    "。",
    "．",
    ",000",
    "1,234,567.89",
    "487",
    "185.03",
    "0.5",
    "1e5",
    "1E+2",
    "NaN",
    "Infinity",
    "-",
    "−",
    "+",
    "万",
    "万元",
    "亿",
    "亿元",
    "元",
    "块",
    "%",
    "％",
    "‰",
    "≥",
    "≤",
    ">",
    "<",
    "=",
    ">=",
    "<=",
    "＞＝",
    "≧",
    "不低于",
    "不超过",
    "定性",
    "定性：",
    "实际",
    "实际完成值",
    "实际：",
    "分值",
    "分值5",
    "得分",
    "权重",
    "目标",
    "目标值",
    "偏差原因：",
    "原因：",
    "年",
    "月",
    "日",
    "前",
    "底",
    "2020年12月31日",
    "2020-12-31",
    "2020/6",
    "12月",
    "99999年",
    "0000年",
    "人次",
    "天",
    "个",
    "件",
    "份",
    "万份",
    "余",
    "多",
    "约",
    "左右",
    "超过",
    "及时",
    "达成年度指标",
    "好",
    "满意",
    "质量指标：",
    "数量：",
    "时效指标:",
    "满意度指标：",
    "按期结案率",
    "经费",
    "基层党建办公室经费",
    "用于",
    "1、",
    "（2）",
    "三、",
    "- ",
    "• ",
    "删",
    "改",
    "删 1",
    "改 1 ",
    "完成",
    " ",
    "\u3000",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "\x00",
    "\x0b",
    "\u2028",
    "\u200b",
    "\ufeff",
    "|",
    ":",
    "：",
    ";",
    "；",
    "、",
    "—",
    "（",
    "）",
    "“",
    "”",
    "\\",
    "`",
    "#",
    "## ",
    "**",
]

_ANY_CHAR = st.characters(exclude_categories=["Cs"])
_ANY_TEXT = st.text(_ANY_CHAR, max_size=30)


def answer_text(max_pieces: int = 16) -> st.SearchStrategy[str]:
    """Text shaped like answers: a mix of meaningful tokens and arbitrary characters."""
    piece = st.one_of(st.sampled_from(_TOKENS), st.text(_ANY_CHAR, max_size=3))
    return st.one_of(_ANY_TEXT, st.lists(piece, max_size=max_pieces).map("".join))


def _json_values() -> st.SearchStrategy[Any]:
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.integers(min_value=-(2**80), max_value=2**80),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=12),
        st.sampled_from(["185.03", "-1", "1e3", "NaN", "0", "万元", "元", "质量指标", "eight_part", FORMAT]),
    )
    return st.recursive(
        scalars,
        lambda children: st.one_of(
            st.lists(children, max_size=4), st.dictionaries(st.text(max_size=10), children, max_size=4)
        ),
        max_leaves=20,
    )


def _known_template_reports() -> st.SearchStrategy[Report]:
    """Generated reports whose template exists here (tests.strategies also names unknown ones)."""
    return st.builds(
        lambda report, template_id: dataclasses.replace(report, template_id=template_id),
        reports(),
        st.sampled_from(sorted(TEMPLATES)),
    )


def _start_reports() -> st.SearchStrategy[Report]:
    return st.one_of(
        st.builds(lambda tid: Report(title="", template_id=tid), st.sampled_from(sorted(TEMPLATES))),
        st.builds(build_demo_report),
        _known_template_reports(),
    )


@st.composite
def _mutated_report_dicts(draw: st.DrawFn) -> Any:
    """A valid report dict with a few keys replaced, removed or added somewhere inside it."""
    data: Any = report_to_dict(draw(reports(stored=True)))
    for _ in range(draw(st.integers(1, 3))):
        holder, key = _pick_place(draw, data)
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace" or holder is None:
            if holder is None:
                data = draw(_json_values())
            else:
                holder[key] = draw(_json_values())
        elif action == "delete" and isinstance(holder, dict):
            holder.pop(key, None)
        elif isinstance(holder, dict):
            holder[draw(st.text(max_size=8))] = draw(_json_values())
        else:
            holder.insert(draw(st.integers(0, len(holder))), draw(_json_values()))
    return data


def _pick_place(draw: st.DrawFn, data: Any) -> tuple[Any, Any]:
    """A (container, key) somewhere in the nested structure; (None, None) for the top itself."""
    holder: Any = None
    key: Any = None
    node = data
    while isinstance(node, dict | list) and node and draw(st.booleans()):
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        key = draw(st.sampled_from(keys))
        holder, node = node, node[key]
    return holder, key


_MUTATIONS = ["delete", "duplicate", "insert", "replace_line", "swap_lines", "truncate", "crlf"]


@st.composite
def _mutated_documents(draw: st.DrawFn) -> bytes:
    """The rendered Markdown of a report (or its text form), then damaged a few times."""
    report = draw(st.one_of(st.builds(build_demo_report), _known_template_reports()))
    text = render_report(report, OUTLINES[report.template_id])
    if draw(st.booleans()):  # as a plain text file rather than Markdown
        text = "\n".join(line.lstrip("#").strip() for line in text.splitlines())
    for _ in range(draw(st.integers(0, 4))):
        mutation = draw(st.sampled_from(_MUTATIONS))
        lines = text.split("\n")
        where = draw(st.integers(0, max(0, len(text) - 1)))
        if mutation == "delete":
            text = text[:where] + text[where + draw(st.integers(1, 200)) :]
        elif mutation == "duplicate":
            text = text[:where] + text[where : where + draw(st.integers(1, 400))] + text[where:]
        elif mutation == "insert":
            text = text[:where] + draw(answer_text()) + text[where:]
        elif mutation == "replace_line" and lines:
            index = draw(st.integers(0, len(lines) - 1))
            lines[index] = draw(answer_text())
            text = "\n".join(lines)
        elif mutation == "swap_lines" and len(lines) > 1:
            a, b = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[a], lines[b] = lines[b], lines[a]
            text = "\n".join(lines)
        elif mutation == "truncate":
            text = text[:where]
        elif mutation == "crlf":
            text = text.replace("\n", "\r\n")
    encoding = "gb18030" if draw(st.integers(0, 9)) == 0 else "utf-8"
    data = text.encode(encoding, errors="replace")
    if draw(st.integers(0, 4)) == 0:  # a few raw bytes damaged as well
        position = draw(st.integers(0, max(0, len(data) - 1)))
        data = data[:position] + draw(st.binary(max_size=8)) + data[position + 1 :]
    return data


# --- checks -------------------------------------------------------------------------------------


def check_money(text: str, unit: MoneyUnit) -> None:
    """parse_money: an exact amount in range that prints and reads back to the cent, or ParseError."""
    try:
        amount = parse_money(text, unit)
    except ParseError as error:
        assert_parse_error(error)
        return
    assert isinstance(amount, Decimal) and amount.is_finite(), repr(amount)
    assert Decimal(0) <= amount < MAX_AMOUNT, amount
    assert parse_money(format_money(amount, unit), unit) == round_cent(amount)
    assert parse_money(format_money(amount, unit, with_unit=True), unit) == round_cent(amount)


def check_value(text: str) -> None:
    """parse_value: a value that, stored as an indicator's target, reads back the same; or ParseError."""
    try:
        value = parse_value(text)
    except ParseError as error:
        assert_parse_error(error)
        return
    assert isinstance(value, ParsedValue)
    if value.number is not None:
        assert value.number.is_finite()
    assert isinstance(value.display(), str)
    # an indicator row keeps the operator, the text and the unit; scoring reads the target back
    # from them (found by fuzzing: the wording "定性0" was stored as "0" and read back as a number)
    qualitative = value.kind is ValueKind.QUALITATIVE
    stored = Indicator(
        name="指标",
        level2=Level2.SOCIAL,
        nature=Nature.QUALITATIVE if qualitative else Nature.QUANTITATIVE,
        operator=value.operator,
        target=value.text(),
        unit="" if qualitative else value.unit,
    )
    again = indicator_target(stored)
    assert again is not None, (text, stored)
    assert (again.kind, again.number, again.date, again.unit) == (
        value.kind,
        value.number,
        value.date,
        value.unit,
    ), (text, stored)


def _storable(path: str, value: object) -> None:
    """What the app would store for ``path`` survives the database round trip unchanged."""
    assert path_from_json(path, json.loads(json.dumps(path_to_json(path, value)))) == value


def check_budget_lines(text: str, unit: MoneyUnit) -> None:
    """parse_budget_lines never raises: every line is a storable row or a problem with a Chinese message."""
    lines, problems = parse_budget_lines(text, unit)
    for line in lines:
        assert isinstance(line, BudgetLine) and line.name.strip()
        assert line.amount.is_finite() and Decimal(0) <= line.amount < MAX_AMOUNT
    for problem in problems:
        assert CJK.search(problem.message) and problem.line_no >= 1
    assert len(lines) + len(problems) <= text.count("\n") + 1
    _storable("budget_lines", lines)


def check_indicator_rows(text: str, level2: Level2 | None, unit: MoneyUnit) -> None:
    """parse_indicator_rows never raises: storable, scorable rows, or problems with Chinese messages."""
    rows, problems = parse_indicator_rows(text, level2, unit)
    for row in rows:
        assert isinstance(row, Indicator) and row.name.strip()
        # what scoring reads back from the stored row is what the row parser understood
        target, actual = indicator_target(row), indicator_actual(row)
        if row.target:
            assert target is not None, row
            assert (target.kind is ValueKind.QUALITATIVE) == (row.nature is Nature.QUALITATIVE), row
        if row.actual:
            assert actual is not None, row
    for problem in problems:
        assert CJK.search(problem.message) and problem.line_no >= 1
    assert len(rows) + len(problems) <= text.count("\n") + 1
    _storable("indicators", rows)
    report = Report(title="某项目", indicators=rows, money_unit=unit)
    score_report(report)
    check_report(report, OUTLINES["eight_part"])


def _usable(report: Report) -> None:
    """Everything the CLI and the app do with a report they just read: store, check, score, render."""
    data = report_to_dict(report)
    assert report_from_dict(json.loads(json.dumps(data, ensure_ascii=False))) == report
    outline = OUTLINES.get(report.template_id)
    check_report(report, outline)
    score_report(report)
    if outline is not None:
        render_report(report, outline)
        Flow(TEMPLATES[report.template_id], report).progress()


def check_report_json(data: object) -> None:
    """report_from_dict on any JSON: a report that round-trips and can be used, or ParseError."""
    try:
        report = report_from_dict(data)
    except ParseError as error:
        assert_parse_error(error)
        return
    _usable(report)


def check_import(data: bytes) -> None:
    """import_text on any bytes: a usable report, or ParseError."""
    try:
        result = import_text(data, OUTLINES.values())
    except ParseError as error:
        assert_parse_error(error)
        return
    assert isinstance(result, ImportResult)
    assert all(isinstance(line, str) for line in result.summary_lines())
    _usable(result.report)


def check_flow_answer(template_id: str, step: Step, report: Report, text: str) -> None:
    """Flow.answer on any step: Accepted (storable, and the report stays usable) or Rejected."""
    flow = Flow(TEMPLATES[template_id], report, current=step.id)
    before = report_to_dict(report)
    result = flow.answer(text)
    assert report_to_dict(report) == before  # answering alone changes nothing
    if isinstance(result, Rejected):
        assert CJK.search(result.message), result.message
        return
    assert isinstance(result, Accepted)
    for path, value in result.changes:
        _storable(path, value)
    flow.apply(result)
    _usable(report)


def _flow_inputs(pair: tuple[str, Step]) -> st.SearchStrategy[tuple[Any, ...]]:
    template_id, step = pair
    start = _start_reports().map(lambda report: dataclasses.replace(report, template_id=template_id))
    return st.tuples(st.just(template_id), st.just(step), start, answer_text())


# --- the catalogue ------------------------------------------------------------------------------

UNITS = st.sampled_from(list(MoneyUnit))

PROPERTIES: dict[str, Property] = {
    prop.name: prop
    for prop in (
        Property("parse_money", st.tuples(answer_text(), UNITS), check_money),
        Property("parse_value", st.tuples(answer_text()), check_value),
        Property("parse_budget_lines", st.tuples(answer_text(24), UNITS), check_budget_lines),
        Property(
            "parse_indicator_rows",
            st.tuples(answer_text(24), st.one_of(st.none(), st.sampled_from(list(Level2))), UNITS),
            check_indicator_rows,
        ),
        Property("report_from_dict", st.tuples(_json_values()), check_report_json),
        Property("report_from_dict_mutated", st.tuples(_mutated_report_dicts()), check_report_json),
        Property("import_text_bytes", st.tuples(st.binary(max_size=400)), check_import),
        Property(
            "import_text_words",
            st.tuples(answer_text(40).map(lambda text: text.encode("utf-8", "replace"))),
            check_import,
        ),
        Property("import_text_mutated", st.tuples(_mutated_documents()), check_import),
        Property(
            "flow_answer",
            st.sampled_from(STEPS).flatmap(_flow_inputs),
            check_flow_answer,
        ),
    )
}
"""Every property by name, in the order the fuzz run reports them."""

__all__ = ["PROPERTIES", "Property", "assert_parse_error"]
