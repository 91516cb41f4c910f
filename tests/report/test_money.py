"""Money parsing and formatting: exact decimals in the report's unit."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from report.errors import ParseError
from report.model import MoneyUnit
from report.money import format_money, parse_money

SAMPLE_LINES = ["49", "185.03", "20", "29.7", "25", "42.57", "34", "31", "30", "21", "16"]


@pytest.mark.parametrize(
    "text", ["487万", "487 万元", "4,870,000元", "４８７万元", "487", "487.00", "４，８７０，０００元"]
)
def test_accepted_forms_of_487_wan(text: str) -> None:
    assert parse_money(text, MoneyUnit.WAN) == Decimal("487")


def test_yi_and_bare_amounts() -> None:
    assert parse_money("1.5亿", MoneyUnit.WAN) == Decimal("15000")
    assert parse_money("185.03", MoneyUnit.WAN) == Decimal("185.03")
    assert parse_money("4870000", MoneyUnit.YUAN) == Decimal("4870000")
    assert parse_money("487万", MoneyUnit.YUAN) == Decimal("4870000")
    assert parse_money("172483元", MoneyUnit.WAN) == Decimal("17.2483")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("abc", "“abc”不是金额"),
        ("--5", "“--5”不是金额"),
        ("12..3", "“12..3”不是金额"),
        ("-5万", "负数"),
        ("11.28万份", "不是金额"),
        ("", "不能为空"),
    ],
)
def test_refused_inputs_name_the_input_and_show_a_form(text: str, words: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_money(text, MoneyUnit.WAN)
    assert words in str(caught.value)
    assert "例如" in caught.value.hint


def test_sample_lines_sum_exactly() -> None:
    total = sum((parse_money(t, MoneyUnit.WAN) for t in SAMPLE_LINES), Decimal(0))
    assert format_money(total, MoneyUnit.WAN) == "483.30"
    assert format_money(total, MoneyUnit.WAN, with_unit=True) == "483.30 万元"


def test_format_uses_thousands_separators_and_two_decimals() -> None:
    assert format_money(Decimal("4870000"), MoneyUnit.YUAN) == "4,870,000.00"
    assert format_money(Decimal("0.005"), MoneyUnit.WAN) == "0.01"


amounts = st.decimals(min_value=0, max_value=Decimal("1e12"), places=2, allow_nan=False, allow_infinity=False)


@given(amounts, st.sampled_from(list(MoneyUnit)))
def test_format_then_parse_round_trips(amount: Decimal, unit: MoneyUnit) -> None:
    assert parse_money(format_money(amount, unit), unit) == amount
    assert parse_money(format_money(amount, unit) + unit.value, unit) == amount


@given(st.text(max_size=30), st.sampled_from(list(MoneyUnit)))
def test_only_parse_error_escapes(text: str, unit: MoneyUnit) -> None:
    try:
        value = parse_money(text, unit)
    except ParseError as error:
        assert error.message
    else:
        assert value >= 0


def test_absurdly_large_amounts_are_refused() -> None:
    with pytest.raises(ParseError) as caught:
        parse_money("100000000000000000000000000", MoneyUnit.WAN)
    assert "金额过大" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "wan", "yuan"),
    [
        ("一百二十万元", "120", "1200000"),
        ("壹佰贰拾万元整", "120", "1200000"),
        ("一百一十八点六万", "118.6", "1186000"),
        ("四百八十七万", "487", "4870000"),
        ("三点五亿元", "35000", "350000000"),
        ("一百零八万零五百元", "108.05", "1080500"),
        ("人民币壹拾万元整", "10", "100000"),
        ("一千零五十元五角", "0.10505", "1050.5"),
        ("两千万", "2000", "20000000"),
    ],
)
def test_chinese_numerals_are_read_exactly(text: str, wan: str, yuan: str) -> None:
    assert parse_money(text, MoneyUnit.WAN) == Decimal(wan)
    assert parse_money(text, MoneyUnit.YUAN) == Decimal(yuan)


def test_a_bare_chinese_numeral_is_in_the_report_unit() -> None:
    assert parse_money("一百二十", MoneyUnit.WAN) == Decimal(120)
    assert parse_money("十二", MoneyUnit.YUAN) == Decimal(12)


@pytest.mark.parametrize("text", ["一二三", "万", "一百二十万美元", "五角", "点五万"])
def test_what_is_not_a_chinese_amount_is_refused(text: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_money(text, MoneyUnit.WAN)
    assert "不是金额" in caught.value.message


def test_a_budget_line_may_give_its_amount_in_chinese_numerals() -> None:
    from report.entry import parse_budget_lines

    lines, problems = parse_budget_lines(
        "办公经费 一百二十万元 日常办公\n培训费 壹拾万元整\n十四五规划编制经费 三十五点五万元\n一站式服务大厅运行费 8万",
        MoneyUnit.WAN,
    )
    assert problems == []
    assert [(line.name, line.amount, line.purpose) for line in lines] == [
        ("办公经费", Decimal(120), "日常办公"),
        ("培训费", Decimal(10), ""),
        ("十四五规划编制经费", Decimal("35.5"), ""),
        ("一站式服务大厅运行费", Decimal(8), ""),
    ]
