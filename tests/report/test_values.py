"""Indicator values: operators, units, dates, 定性 grades and the category fit."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from report.errors import ParseError
from report.model import Level2, Operator, QualGrade
from report.values import (
    ValueKind,
    advised_level2,
    expected_kinds,
    fit_problem,
    is_money_name,
    is_rate_name,
    normalise_operator,
    normalise_unit,
    parse_indicator_value,
    parse_value,
)


@pytest.mark.parametrize(
    ("text", "kind", "operator", "number", "unit", "shown"),
    [
        ("≥1000人次", ValueKind.COUNT, Operator.GE, "1000", "人次", "≥1000人次"),
        (">=90%", ValueKind.RATE, Operator.GE, "90", "%", "≥90%"),
        ("＝100%", ValueKind.RATE, Operator.EQ, "100", "%", "＝100%"),
        ("≤3.5万元", ValueKind.MONEY, Operator.LE, "3.5", "万元", "≤3.5万元"),
        ("≥100百分比", ValueKind.RATE, Operator.GE, "100", "%", "≥100%"),
        ("＞＝95％", ValueKind.RATE, Operator.GE, "95", "%", "≥95%"),
        ("1000余人次", ValueKind.COUNT, None, "1000", "人次", "1000人次"),
        ("11.28万份", ValueKind.COUNT, None, "112800", "份", "112800份"),
        ("≤30天", ValueKind.DURATION, Operator.LE, "30", "天", "≤30天"),
        ("5000平米以上", ValueKind.COUNT, Operator.GE, "5000", "平方米", "≥5000平方米"),
        ("<2", ValueKind.NUMBER, Operator.LT, "2", "", "＜2"),
    ],
)
def test_quantitative_values(
    text: str, kind: ValueKind, operator: Operator | None, number: str, unit: str, shown: str
) -> None:
    value = parse_value(text)
    assert (value.kind, value.operator, value.number, value.unit) == (kind, operator, Decimal(number), unit)
    assert value.display() == shown


def test_deadline_dates() -> None:
    value = parse_value("2020年12月31日前")
    assert value.kind is ValueKind.DATE
    assert value.date == dt.date(2020, 12, 31)
    assert value.operator is Operator.LE
    assert value.display() == "≤2020年12月31日"
    assert parse_value("2020年底").date == dt.date(2020, 12, 31)
    assert parse_value("2021年2月").date == dt.date(2021, 2, 28)


@pytest.mark.parametrize(
    ("text", "grade"),
    [
        ("达成年度指标", QualGrade.MET),
        ("及时", QualGrade.MET),
        ("部分达成年度指标并具有一定效果", QualGrade.PARTLY),
        ("未达成年度指标且效果较差", QualGrade.NOT_MET),
        ("不及时", QualGrade.NOT_MET),
    ],
)
def test_qualitative_grades(text: str, grade: QualGrade) -> None:
    value = parse_value(text)
    assert value.kind is ValueKind.QUALITATIVE
    assert value.grade is grade


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("XX", "占位符"),
        ("*", "占位符"),
        ("—", "占位符"),
        ("2020年全年", "不是可衡量的时限"),
        ("≥", "缺少数值"),
        ("12..3%", "不是有效的数值"),
        ("", "不能为空"),
    ],
)
def test_refusals(text: str, words: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_value(text)
    assert words in str(caught.value)


def test_operator_and_unit_normalisation() -> None:
    assert normalise_operator(">=") is Operator.GE
    assert normalise_operator("＜") is Operator.LT
    assert normalise_operator("不超过") is Operator.LE
    assert normalise_unit("百分比") == "%"
    assert normalise_unit("人/次") == "人次"
    with pytest.raises(ParseError):
        normalise_operator("约")


def test_rate_under_quantity_says_where_it_belongs() -> None:
    assert fit_problem(Level2.QUANTITY, parse_value("73.3%")) == "73.3% 是比率，应放入质量指标"
    assert fit_problem(Level2.QUANTITY, parse_value("3.5万元")) == "3.5万元 是金额，应放入成本指标"
    assert fit_problem(Level2.QUALITY, parse_value("73.3%")) is None


def test_other_fit_problems() -> None:
    over = fit_problem(Level2.QUALITY, parse_value("≥120%"))
    assert over is not None and "超过 100%" in over
    cost = fit_problem(Level2.COST, parse_value("≥3.5万元"), "培训成本")
    assert cost is not None and "请改为 ≤" in cost and "「培训成本」" in cost
    satisfaction = fit_problem(Level2.SATISFACTION, parse_value("20次"))
    assert satisfaction is not None and "百分比" in satisfaction
    assert fit_problem(Level2.TIMELINESS, parse_value("2020年12月31日前")) is None


def test_every_category_has_expectations() -> None:
    for level2 in Level2:
        assert expected_kinds(level2)
    assert expected_kinds(Level2.SATISFACTION) == {ValueKind.RATE}


values = st.builds(
    lambda op, number, unit: f"{op}{number}{unit}",
    st.sampled_from(["", "≥", ">=", "≤", "<", "＝", "＞"]),
    st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "%", "人次", "个", "万元", "元", "天", "平方米", "吨"]),
)


@given(values)
def test_display_parses_back_to_the_same_value(text: str) -> None:
    value = parse_value(text)
    again = parse_value(value.display())
    assert (again.kind, again.operator, again.number, again.unit) == (
        value.kind,
        value.operator,
        value.number,
        value.unit,
    )


@given(st.text(max_size=40))
def test_only_parse_error_escapes(text: str) -> None:
    try:
        value = parse_value(text)
    except ParseError as error:
        assert error.message
    else:
        assert value.display() or value.kind is ValueKind.QUALITATIVE


@pytest.mark.parametrize(
    ("text", "shown"), [("1000.1%", "1000.1%"), ("2020.5", "2020.5"), ("1999.99万元", "1999.99万元")]
)
def test_four_digit_numbers_with_decimals_are_not_dates(text: str, shown: str) -> None:
    value = parse_value(text)
    assert value.kind is not ValueKind.DATE
    assert value.display() == shown


@pytest.mark.parametrize("text", ["2020.12.31", "2020-12-31", "2020/12/31", "2020年12月31日"])
def test_full_dates_in_any_common_form(text: str) -> None:
    assert parse_value(text).date == dt.date(2020, 12, 31)


def test_absurdly_large_values_are_refused() -> None:
    with pytest.raises(ParseError) as caught:
        parse_value("99999999999999999999人次")
    assert "数值过大" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "unit", "shown"),
    [
        ("≥100", "百分比", "≥100%"),
        ("95", "百分比", "95%"),
        ("3", "个百分点", "3%"),
        ("≥98", "百分率", "≥98%"),
        ("12", "万", "12万元"),
        ("≥百分之九十五", "", "≥95%"),
        ("百分之98.5", "", "98.5%"),
        ("≥100百分比", "", "≥100%"),
    ],
)
def test_units_written_as_words_count_as_their_symbols(text: str, unit: str, shown: str) -> None:
    value = parse_indicator_value(text, unit)
    assert value.display() == shown
    assert value.kind is (ValueKind.MONEY if shown.endswith("万元") else ValueKind.RATE)


def test_a_rate_in_words_is_not_advised_to_quantity() -> None:
    assert fit_problem(Level2.QUALITY, parse_indicator_value("≥100", "百分比"), "设备完好率") is None
    problem = fit_problem(Level2.QUANTITY, parse_indicator_value("≥100", "百分比"), "任务完成率")
    assert problem == "「任务完成率」≥100% 是比率，应放入质量指标"


@pytest.mark.parametrize(
    ("name", "rate", "money"),
    [
        ("工程验收合格率", True, False),
        ("学生满意度", True, False),
        ("群众满意度（%）", True, False),
        ("办事效率", False, False),
        ("专项资金", False, True),
        ("培训经费", False, True),
        ("资金拨付笔数", False, False),
        ("资金到位率", True, False),
        ("培训人次", False, False),
    ],
)
def test_what_a_name_says(name: str, rate: bool, money: bool) -> None:
    assert is_rate_name(name) is rate
    assert is_money_name(name) is money


def test_category_advice_agrees_with_the_name() -> None:
    bare = parse_value("100")
    assert fit_problem(Level2.QUALITY, bare, "工程验收合格率") is None
    assert fit_problem(Level2.SATISFACTION, bare, "学生满意度") is None
    assert (
        fit_problem(Level2.QUANTITY, bare, "工程验收合格率")
        == "「工程验收合格率」100 按名称是比率，应放入质量指标"
    )
    assert advised_level2(Level2.QUANTITY, bare, "工程验收合格率") is Level2.QUALITY
    assert fit_problem(Level2.COST, parse_value("≤3.5"), "培训经费") is None
    assert advised_level2(Level2.QUANTITY, parse_value("50"), "补助资金") is Level2.COST
    assert fit_problem(Level2.QUANTITY, parse_value("50"), "资金拨付笔数") is None
    # a count under a rate's name: the unit or the name is wrong, the row is never sent to 数量指标
    assert advised_level2(Level2.QUALITY, parse_value("30人次"), "培训合格率") is None
    assert fit_problem(Level2.QUALITY, parse_value("30人次"), "培训合格率") == (
        "「培训合格率」30人次 是数量，但指标名称是比率；请核对单位（比率用 %）或指标名称"
    )
    assert advised_level2(Level2.QUALITY, parse_value("30人次"), "培训人次") is Level2.QUANTITY
