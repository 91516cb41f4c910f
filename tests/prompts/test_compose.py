"""Paragraphs composed from a report's figures: the demo's numbers, conditions, gaps, phrasing as data."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings

from prompts.compose import Phrasing, PhrasingError, compose, figures, load_phrasing, parse_phrasing
from prompts.engine import Flow
from prompts.templates import load_template
from report.demo import build_demo_report
from report.model import Funds, Indicator, Level2, MoneyUnit, Operator, Report
from tests.strategies import reports

TEMPLATES = ("eight_part", "seven_part_2020")
UNMET = ("办理网格化城市管理案件", "群众来访诉求解决率", "基层治理长效机制建设")
_NUMBER_RE = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _suggestion(template_id: str, step_id: str, report: Report | None = None) -> str:
    report = report if report is not None else build_demo_report()
    template = load_template(template_id)
    report.template_id = template_id
    report.answers.pop(step_id, None)
    if step_id == "goals.overall_actual":
        report.overall_goal_actual = ""
    return Flow(template, report).suggestion_for(template.step(step_id)) or ""


@pytest.mark.parametrize("template_id", TEMPLATES)
def test_the_demo_funds_paragraph_quotes_the_computed_figures(template_id: str) -> None:
    step_id = "analysis.funds.use" if template_id == "eight_part" else "analysis.process.funds"
    text = _suggestion(template_id, step_id)
    assert re.search("全年预算数为?487.00万元", text)
    assert "全年实际支出483.30万元，预算执行率99.24%。" in text
    assert "结余资金3.70万元" in text
    # the demo gives no reason for the unspent money: the sentence says so rather than invent one
    assert "原因：（待填写）" in text


def test_the_demo_savings_and_arrival_paragraphs() -> None:
    savings = _suggestion("eight_part", "analysis.performance.savings")
    assert savings == (
        "项目全年预算数487.00万元，全年实际支出483.30万元，预算执行率99.24%，节约资金3.70万元。节约原因：（待填写）。"
    )
    arrival = _suggestion("eight_part", "analysis.funds.arrival")
    assert "年初预算487.00万元，年度中间未作调整" in arrival
    assert "全年实际到位资金487.00万元，其中当年财政拨款487.00万元，资金到位率100.00%" in arrival
    assert "上年结转" not in arrival and "其他资金" not in arrival


@pytest.mark.parametrize("template_id", TEMPLATES)
def test_the_demo_conclusion_quotes_score_grade_and_the_unmet_indicators(template_id: str) -> None:
    text = _suggestion(template_id, "conclusion.text")
    assert "预算执行率99.24%，执行率得分9.92分" in text
    assert "绩效指标13项中10项达到年度指标值" in text
    assert "综合得分97.45分，评价等级为“优”" in text
    assert all(f"“{name}”" in text for name in UNMET)


@pytest.mark.parametrize("template_id", TEMPLATES)
def test_the_demo_self_evaluation_form_actual_lists_unmet_rows_with_target_and_actual(
    template_id: str,
) -> None:
    text = _suggestion(template_id, "goals.overall_actual")
    assert text.startswith(
        "全年实际支出483.30万元，预算执行率99.24%。设置的13项绩效指标中，10项达到年度指标值"
    )
    assert "“群众来访诉求解决率”（实际完成73.3%，年度指标值≥80%）" in text
    assert "“办理网格化城市管理案件”（实际完成48620件，年度指标值≥50000件）" in text


def test_goal_completion_per_category_with_the_reasons_given() -> None:
    text = _suggestion("eight_part", "analysis.performance.goal_completion")
    assert text.startswith("全年共设置绩效指标13项，其中达到年度指标值的10项，未达到的3项。")
    assert "数量指标4项，达到年度指标值的2项，未达到的2项" in text
    assert "偏差原因是市容环境改善后上报案件减少" in text  # the reason the user gave
    assert "“群众来访诉求解决率”年度指标值为≥80%，实际完成73.3%，偏差原因：（待填写）" in text
    assert "质量指标3项，均达到年度指标值。" in text
    quality = _suggestion("eight_part", "analysis.performance.quality")
    assert quality.startswith("质量指标3项，均达到年度指标值。")
    assert "网格案件按期结案率（99.5%）" in quality and "数量指标" not in quality


def test_seven_part_output_and_benefit_speak_of_their_own_categories() -> None:
    output = _suggestion("seven_part_2020", "analysis.output.text")
    benefit = _suggestion("seven_part_2020", "analysis.benefit.text")
    assert "数量指标4项" in output and "成本指标1项" in output and "满意度" not in output
    assert "可持续影响指标1项，未达到的1项" in benefit and "数量指标" not in benefit
    assert "服务对象满意度指标1项，均达到年度指标值。" in benefit


def test_a_missing_figure_is_left_to_fill_and_the_hint_names_the_step() -> None:
    report = Report(title="2021年度测试项目支出绩效自评报告", year=2021, money_unit=MoneyUnit.YUAN)
    report.funds = Funds(annual_budget=Decimal("1329120"))
    template = load_template("eight_part")
    flow = Flow(template, report)
    step = template.step("analysis.funds.use")
    text = flow.suggestion_for(step) or ""
    assert text.startswith("全年预算数1,329,120.00元，全年实际支出（待填写），预算执行率（待填写）。")
    assert "全年执行数（/goto funds.actual_spent）" in flow.suggestion_gaps(step)


def test_conditions_choose_the_sentence() -> None:
    report = build_demo_report()
    report.funds.actual_spent = Decimal("500")
    assert "支出超过预算，超支13.00万元。" in _text("funds_use", report)
    report.funds.actual_spent = Decimal("487")
    assert "预算资金已全部支出。" in _text("funds_use", report)
    report.funds.actual_spent = Decimal("480")
    report.answers["funds.shortfall_reason"] = "办公设备集中采购成交价低于预算。"
    assert "结余资金7.00万元，主要原因是办公设备集中采购成交价低于预算。" in _text("funds_use", report)
    report.funds = Funds(Decimal(500), Decimal(520), Decimal(480), Decimal(520), Decimal(500), Decimal(20))
    arrival = _text("funds_arrival", report)
    assert "年度中间经调整，全年预算数为520.00万元" in arrival
    assert "其中当年财政拨款500.00万元、上年结转资金20.00万元，资金到位率100.00%" in arrival


def test_a_paragraph_without_any_figure_gives_way_to_last_years_text() -> None:
    template = load_template("eight_part")
    step = template.step("analysis.funds.use")
    report = Report(title="2021年度测试", year=2021, suggestions={step.field: "去年的资金使用情况。"})
    assert Flow(template, report).suggestion_for(step) == "去年的资金使用情况。"
    report.funds = Funds(annual_budget=Decimal(100), actual_spent=Decimal(100))
    assert (
        Flow(template, report).suggestion_for(step)
        == "全年预算数100.00万元，全年实际支出100.00万元，预算执行率100.00%。预算资金已全部支出。"
    )


def test_a_province_changes_the_wording_without_code() -> None:
    phrasing = parse_phrasing(
        """
        [rows.name_only]
        sentences = [ { text = "{name}" } ]
        [paragraph.funds_use]
        sentences = [
          { text = "本年度支出{actual_spent}。" },
          { when = "shortfall and not shortfall_explained", text = "未完成的：{unmet:name_only}。" },
        ]
        """
    )
    text = _text("funds_use", build_demo_report(), phrasing)
    assert (
        text
        == "本年度支出483.30万元。未完成的：办理网格化城市管理案件；群众来访诉求解决率；基层治理长效机制建设。"
    )


@pytest.mark.parametrize(
    ("toml", "said"),
    [
        ('[paragraph.a]\nsentences = [ { text = "{nope}" } ]', "未知的数字“{nope}”"),
        ('[paragraph.a]\nsentences = [ { text = "x", when = "maybe" } ]', "不是已知的条件"),
        ('[paragraph.a]\nsentences = [ { text = "{unmet:missing}" } ]', "没有名为“missing”的行格式"),
        (
            '[paragraph.a]\nsentences = [ { include = "b" } ]\n[paragraph.b]\nsentences = [ { include = "a" } ]',
            "循环引用",
        ),
        ("[paragraph.a]\nsentences = []", "缺少 sentences"),
    ],
)
def test_a_bad_phrasing_file_is_refused_in_chinese(toml: str, said: str) -> None:
    with pytest.raises(PhrasingError, match=re.escape(said)):
        parse_phrasing(toml)


def test_every_composed_step_of_both_outlines_names_a_packaged_paragraph() -> None:
    paragraphs = load_phrasing().paragraphs
    for template_id in TEMPLATES:
        named = [step.compose for step in load_template(template_id).steps if step.compose]
        assert len(named) >= 5 and all(name in paragraphs for name in named)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_every_number_in_every_suggestion_is_one_of_the_reports_figures(report: Report) -> None:
    phrasing = load_phrasing()
    for name, paragraph in phrasing.paragraphs.items():
        composed = compose(name, report, phrasing)
        if composed is None:
            continue
        allowed = {
            token
            for scope in (figures(report), figures(report, paragraph.categories))
            for text in scope.texts()
            for token in _NUMBER_RE.findall(text)
        }
        for token in _NUMBER_RE.findall(composed.text):
            assert token in allowed, (name, token, composed.text)


def test_a_row_with_a_digit_at_the_end_of_its_name_keeps_its_numbers_apart() -> None:
    report = Report(title="x", indicators=[
        Indicator("第2", Level2.QUALITY, operator=Operator.GE, target="90", unit="%", actual="95", weight=Decimal(5)),
    ])  # fmt: skip
    text = _text("quality_results", report)
    assert "第2（95%）" in text


def _text(name: str, report: Report, phrasing: Phrasing | None = None) -> str:
    composed = compose(name, report, phrasing)
    assert composed is not None, f"nothing composed for {name}"
    return composed.text


def test_a_missing_figure_reads_as_the_renderers_gap_mark() -> None:
    from prompts.compose import PLACEHOLDER
    from report.render import PLACEHOLDER as RENDERED

    assert PLACEHOLDER == RENDERED


def test_a_template_names_its_phrasing_file_and_an_unknown_one_is_refused() -> None:
    from importlib.resources import files

    from prompts.templates import TemplateError, parse_template

    text = files("prompts").joinpath("templates/eight_part.toml").read_text(encoding="utf-8")
    assert (
        parse_template(text.replace('\nname = "', '\nphrasing = "default"\nname = "', 1)).phrasing
        == "default"
    )
    with pytest.raises(TemplateError, match=re.escape("措辞文件有误：sichuan.toml：没有这个措辞文件")):
        parse_template(text.replace('\nname = "', '\nphrasing = "sichuan"\nname = "', 1))


def test_a_long_list_is_cut_short_with_the_count_of_all_rows() -> None:
    report = build_demo_report()
    report.indicators = [
        Indicator(
            f"指标{n}",
            Level2.QUANTITY,
            operator=Operator.GE,
            target="10",
            unit="件",
            actual="9",
            weight=Decimal(5),
        )
        for n in range(12)
    ]
    text = _text("conclusion", report)
    assert "“指标9”等12项未达到年度指标值" in text and "“指标10”" not in text
