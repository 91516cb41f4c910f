"""Fuzzing every parser: nothing but ParseError (or a Rejected answer) may come out of bad input.

The properties live in ``tests/robustness/properties.py``; ``benchmarks/fuzz.py`` runs the same
ones with hundreds of thousands of inputs. Here each runs a few hundred (fewer for the costly
ones), plus the inputs fuzzing once found, pinned as examples.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import example, given, settings

from prompts.templates import StepKind
from report.entry import parse_budget_lines
from report.errors import ParseError
from report.model import Level2, MoneyUnit
from report.values import ValueKind, parse_value
from tests.robustness.properties import PROPERTIES, STEPS, Property

CHEAP = ["parse_money", "parse_value", "parse_budget_lines", "parse_indicator_rows", "report_from_dict"]
COSTLY = [name for name in PROPERTIES if name not in CHEAP]


def _run(prop: Property, examples: int) -> None:
    @settings(max_examples=examples)
    @given(prop.strategy)
    def check(args: tuple[Any, ...]) -> None:
        prop.check(*args)

    check()


@pytest.mark.parametrize("name", CHEAP)
def test_cheap_parsers_refuse_bad_input_only_with_parse_error(name: str) -> None:
    _run(PROPERTIES[name], 300)


@pytest.mark.parametrize("name", COSTLY)
def test_imports_and_the_flow_refuse_bad_input_only_with_parse_error(name: str) -> None:
    _run(PROPERTIES[name], 40)


def test_every_parser_is_fuzzed() -> None:
    names = set(PROPERTIES)
    assert {"parse_money", "parse_value", "parse_budget_lines", "parse_indicator_rows"} <= names
    assert {"report_from_dict", "report_from_dict_mutated", "flow_answer"} <= names
    assert {"import_text_bytes", "import_text_words", "import_text_mutated"} <= names
    # Flow.answer is fuzzed on every step of every template, so on every step kind
    assert {step.kind for _template, step in STEPS} == set(StepKind)


# --- what fuzzing found, kept as examples ----------------------------------------------------------


@given(PROPERTIES["parse_value"].strategy)
@example(("定性0",))
@example(("定性<",))
@example(("定性 ≥90%",))
@example(("定性：2020年12月31日",))
def test_a_qualitative_wording_reads_back_as_a_wording(args: tuple[str]) -> None:
    # "定性0" was taken as the wording "0": stored as the target "0", scoring then read a number
    PROPERTIES["parse_value"].check(*args)


@pytest.mark.parametrize("text", ["定性0", "定性<", "定性 ≥90%", "定性：2020年12月31日"])
def test_a_number_or_symbol_after_qualitative_is_refused_in_chinese(text: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_value(text)
    assert "定性指标请用文字评价" in caught.value.message


@pytest.mark.parametrize("text", ["定性 达成年度指标", "定性：及时", "定性 部分完成", "定性"])
def test_qualitative_wordings_are_still_accepted(text: str) -> None:
    assert parse_value(text).kind is ValueKind.QUALITATIVE


@given(PROPERTIES["parse_indicator_rows"].strategy)
@example(("0定性0", Level2.QUANTITY, MoneyUnit.YUAN))
@example(("0定性<", Level2.QUANTITY, MoneyUnit.YUAN))
def test_indicator_rows_found_by_fuzzing(args: tuple[str, Level2 | None, MoneyUnit]) -> None:
    PROPERTIES["parse_indicator_rows"].check(*args)


@given(PROPERTIES["parse_budget_lines"].strategy)
@example(("|\r0", MoneyUnit.YUAN))
@example(("|\xa0 49万", MoneyUnit.WAN))
def test_budget_lines_found_by_fuzzing(args: tuple[str, MoneyUnit]) -> None:
    # "|\r0" gave a budget line named "\r": only the listed separators were trimmed, not all white space
    PROPERTIES["parse_budget_lines"].check(*args)


@pytest.mark.parametrize("text", ["|\r0", "|\xa0 49万", "、\u2003 12万"])
def test_a_budget_line_with_only_white_space_before_the_amount_has_no_name(text: str) -> None:
    lines, problems = parse_budget_lines(text, MoneyUnit.WAN)
    assert lines == [] and "缺少名称" in problems[0].message
