"""Free-text entry of budget lines and indicator rows."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from report.entry import parse_budget_lines, parse_indicator_rows
from report.model import Level2, MoneyUnit, Nature, Operator


def test_numbered_budget_lines_with_purpose() -> None:
    lines, problems = parse_budget_lines(
        "1、党建办公室经费49万元，用于党员教育\n2、综合办公室经费185.03万元，用于办公设备\n",
        MoneyUnit.WAN,
    )
    assert problems == []
    assert [(line.name, line.amount) for line in lines] == [
        ("党建办公室经费", Decimal("49")),
        ("综合办公室经费", Decimal("185.03")),
    ]
    assert lines[0].purpose == "用于党员教育"


def test_budget_lines_in_yuan_report_and_pasted_from_a_spreadsheet() -> None:
    lines, problems = parse_budget_lines("经济发展办\t20\n人口普查经费 3万 用于入户登记", MoneyUnit.YUAN)
    assert problems == []
    assert [line.amount for line in lines] == [Decimal("20"), Decimal("30000")]
    assert lines[1].name == "人口普查经费"


def test_numbers_inside_names_are_not_amounts() -> None:
    lines, _ = parse_budget_lines("第7次人口普查经费 3万", MoneyUnit.WAN)
    assert lines[0].name == "第7次人口普查经费"
    assert lines[0].amount == Decimal("3")


def test_problem_rows_are_reported_with_their_line_number() -> None:
    lines, problems = parse_budget_lines("党建经费 49万\n宣传单 11.28万份\n没有金额的一行", MoneyUnit.WAN)
    assert len(lines) == 1
    assert [p.line_no for p in problems] == [2, 3]
    assert "没有找到金额" in problems[1].message


def test_indicator_row_with_actual_weight_and_score() -> None:
    rows, problems = parse_indicator_rows(
        "按期结案率 ≥99% 实际99.9% 分值5 得分5", Level2.QUALITY, MoneyUnit.WAN
    )
    assert problems == []
    row = rows[0]
    assert (row.name, row.operator, row.target, row.unit, row.actual) == (
        "按期结案率",
        Operator.GE,
        "99",
        "%",
        "99.9",
    )
    assert (row.weight, row.score) == (Decimal("5"), Decimal("5"))


def test_indicator_rows_name_their_category_and_deviation() -> None:
    rows, problems = parse_indicator_rows(
        "满意度：群众满意率 ≥90% 实际 88% 分值10 偏差原因：办理时限偏长，已压缩流程\n"
        "时效指标：完成时间 2020年12月31日前 实际 2020年12月20日\n"
        "社会效益：群众安全感 定性 实际 达成年度指标 分值 5",
        None,
        MoneyUnit.WAN,
    )
    assert problems == []
    assert [row.level2 for row in rows] == [Level2.SATISFACTION, Level2.TIMELINESS, Level2.SOCIAL]
    assert rows[0].deviation_reason == "办理时限偏长，已压缩流程"
    assert (rows[1].operator, rows[1].target, rows[1].actual) == (Operator.LE, "2020-12-31", "2020-12-20")
    assert rows[2].nature is Nature.QUALITATIVE
    assert rows[2].target == "达成年度指标"


def test_rows_without_a_category_or_with_clashing_units_are_problems() -> None:
    rows, problems = parse_indicator_rows("培训人次 ≥1000人次\n结案率 ≥99% 实际 50件", None, MoneyUnit.WAN)
    assert rows == []
    assert "没有注明指标类别" in problems[0].message
    rows, problems = parse_indicator_rows("结案率 ≥99% 实际 50件", Level2.QUALITY, MoneyUnit.WAN)
    assert "同一单位" in problems[0].message


def test_cost_rows_default_to_at_most() -> None:
    rows, _ = parse_indicator_rows("成本指标：培训成本 3.5万元 实际3.2万元", None, MoneyUnit.WAN)
    assert rows[0].operator is Operator.LE


@given(st.text(max_size=80))
def test_parsers_never_raise(text: str) -> None:
    lines, problems = parse_budget_lines(text, MoneyUnit.WAN)
    assert len(lines) + len(problems) == len(
        [ln for ln in text.replace("\r\n", "\n").split("\n") if ln.strip()]
    )
    _rows, problems = parse_indicator_rows(text, Level2.QUANTITY, MoneyUnit.WAN)
    assert all(p.message for p in problems)
