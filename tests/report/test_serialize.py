"""report.serialize: exact JSON round trips, and a clear ParseError for every malformed input."""

from __future__ import annotations

import contextlib
import copy
import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from report.errors import ParseError
from report.model import BudgetLine, Grade, Indicator, Level1, Level2, MoneyUnit, Report
from report.serialize import (
    FIELD_PATHS,
    check_path,
    get_path,
    path_from_json,
    path_to_json,
    report_from_dict,
    report_to_dict,
    set_path,
)
from tests.strategies import reports


@given(reports(stored=True))
@settings(max_examples=150)
def test_round_trip_through_json_text_is_exact(report: Report) -> None:
    text = json.dumps(report_to_dict(report), ensure_ascii=False)
    back = report_from_dict(json.loads(text))
    assert back == report
    # equal decimals could still differ in how they print; the written form must survive too
    assert report_to_dict(back) == report_to_dict(report)


def _sample() -> Report:
    return Report(
        title="龙城区司法局2020年度人民调解专项经费项目支出绩效自评报告",
        unit_name="龙城区司法局",
        money_unit=MoneyUnit.WAN,
        budget_lines=[BudgetLine("基层党建办公室经费", Decimal("49"), "办公")],
        indicators=[Indicator("按期结案率", Level2.QUALITY, target="99", unit="%", weight=Decimal("5"))],
        answers={"goals.overall": "全年调解纠纷 1200 件。"},
        claimed_total=Decimal("92.50"),
        claimed_grade=Grade.EXCELLENT,
        weights={Level1.OUTPUT: Decimal("50")},
        id=7,
        revision=3,
    )


def test_dict_form_is_plain_json_with_decimals_as_text_and_chinese_enums() -> None:
    report = _sample()
    report.funds.annual_budget = Decimal("185.03")
    data = report_to_dict(report)
    assert data["format"] == "jixiao-report"
    assert data["version"] == 2
    assert data["money_unit"] == "万元"
    assert data["claimed_total"] == "92.50"
    assert data["claimed_grade"] == "优"
    assert data["weights"] == {"产出指标": "50"}
    assert data["funds"] == {**dict.fromkeys(data["funds"]), "annual_budget": "185.03"}  # type: ignore[arg-type]
    assert data["indicators"][0]["level2"] == "质量指标"  # type: ignore[index,call-overload]
    assert data["budget_lines"] == [{"name": "基层党建办公室经费", "amount": "49", "purpose": "办公"}]
    json.dumps(data)  # no Decimal, enum or date left


def test_decimals_never_use_exponents() -> None:
    report = Report(title="t", claimed_total=Decimal("1E+2"))
    assert report_to_dict(report)["claimed_total"] == "100"


def _broken(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = copy.deepcopy(report_to_dict(_sample()))
    for dotted, value in changes.items():
        target = data
        *parents, last = dotted.split("__")
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        if value is _DELETE:
            del target[last]
        else:
            target[last] = value
    return data


_DELETE = object()


@pytest.mark.parametrize(
    ("data", "named"),
    [
        (_broken(claimed_total=92.5), "claimed_total"),
        (_broken(claimed_total="9x"), "claimed_total"),
        (_broken(claimed_total="NaN"), "claimed_total"),
        (_broken(claimed_total="1E+5"), "claimed_total"),
        (_broken(year="2020"), "year"),
        (_broken(year=True), "year"),
        (_broken(money_unit="美元"), "money_unit"),
        (_broken(claimed_grade="A"), "claimed_grade"),
        (_broken(weights={"产出": "50"}), "weights"),
        (_broken(weights=[1]), "weights"),
        (_broken(funds__annual_budget=[]), "funds.annual_budget"),
        (_broken(funds__bogus="1"), "bogus"),
        (_broken(budget_lines="x"), "budget_lines"),
        (_broken(budget_lines__0__amount=None), "budget_lines[0].amount"),
        (_broken(budget_lines__0__name=_DELETE), "name"),
        (_broken(indicators__0__level2="质量"), "indicators[0].level2"),
        (_broken(indicators__0__weight={}), "indicators[0].weight"),
        (_broken(indicators=[None]), "indicators[0]"),
        (_broken(answers={"goals.overall": 3}), "answers.goals.overall"),
        (_broken(answers={"": "x"}), "answers"),
        (_broken(title=None), "title"),
        (_broken(title=_DELETE), "title"),
        (_broken(id="7"), "id"),
        (_broken(revision=-1), "revision"),
        (_broken(surprise=1), "surprise"),
        (_broken(format="other"), "format"),
        (_broken(version=3), "3"),
        (_broken(version="1"), "version"),
    ],
)
def test_malformed_input_raises_parse_error_naming_the_key(data: dict[str, Any], named: str) -> None:
    with pytest.raises(ParseError) as caught:
        report_from_dict(data)
    assert named in caught.value.message


_ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
)


@given(
    st.one_of(
        _ANY_JSON, st.dictionaries(st.sampled_from(sorted(report_to_dict(Report(title="t")))), _ANY_JSON)
    )
)
def test_arbitrary_json_gives_parse_error_or_a_report(data: object) -> None:
    with contextlib.suppress(ParseError):
        report_from_dict(data)


def test_missing_optional_keys_take_model_defaults() -> None:
    report = report_from_dict({"format": "jixiao-report", "version": 1, "title": "某项目"})
    assert report == Report(title="某项目")


def test_version_2_keeps_the_stated_execution_score() -> None:
    report = _sample()
    report.funds.stated_execution_score = Decimal("9.00")
    data = report_to_dict(report)
    assert data["version"] == 2
    assert data["funds"]["stated_execution_score"] == "9.00"  # type: ignore[call-overload,index]
    assert report_from_dict(json.loads(json.dumps(data))).funds.stated_execution_score == Decimal("9.00")
    set_path(report, "funds.stated_execution_score", Decimal("8.62"))
    assert get_path(report, "funds.stated_execution_score") == Decimal("8.62")


def test_a_version_1_file_is_still_read() -> None:
    """What jixiao wrote before the stated execution score existed opens unchanged."""
    v1 = {
        "format": "jixiao-report",
        "version": 1,
        "title": "2020年度某项目支出绩效自评报告",
        "funds": {"annual_budget": "487", "actual_spent": "483.3", "stated_execution_rate": "0.9924"},
        "answers": {"problems": "无"},
    }
    report = report_from_dict(v1)
    assert report.funds.annual_budget == Decimal("487")
    assert report.funds.stated_execution_rate == Decimal("0.9924")
    assert report.funds.stated_execution_score is None
    assert report.answers == {"problems": "无"}
    assert report_to_dict(report)["version"] == 2


def test_a_version_1_file_cannot_hold_a_version_2_key() -> None:
    v1 = {
        "format": "jixiao-report",
        "version": 1,
        "title": "某项目",
        "funds": {"stated_execution_score": "9"},
    }
    with pytest.raises(ParseError) as caught:
        report_from_dict(v1)
    assert "stated_execution_score" in caught.value.message


def test_paths_read_and_write_single_values() -> None:
    report = _sample()
    set_path(report, "funds.annual_budget", Decimal("487.00"))
    set_path(report, "answers.problems", "无")
    set_path(report, "answers.goals.overall", None)
    assert report.funds.annual_budget == Decimal("487.00")
    assert report.answers == {"problems": "无"}
    assert get_path(report, "answers.missing") is None
    assert path_to_json("funds.annual_budget", Decimal("487.00")) == "487.00"
    assert path_from_json("indicators", path_to_json("indicators", report.indicators)) == report.indicators
    for path in FIELD_PATHS:
        value = get_path(report, path)
        assert path_from_json(path, json.loads(json.dumps(path_to_json(path, value)))) == value


@pytest.mark.parametrize("path", ["funds", "funds.nothing", "answers.", "answers.  ", "id", "revision", ""])
def test_unknown_paths_are_refused(path: str) -> None:
    with pytest.raises(ParseError, match=r"字段路径|步骤编号"):
        check_path(path)


def test_wrong_model_value_for_a_path_is_refused() -> None:
    with pytest.raises(ParseError, match="year"):
        path_to_json("year", "2020")
    with pytest.raises(ParseError, match="claimed_total"):
        path_to_json("claimed_total", 92.5)
    with pytest.raises(ParseError, match=r"budget_lines\[0\]"):
        set_path(Report(title="t"), "budget_lines", ["x"])
