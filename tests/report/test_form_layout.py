"""The 自评表 as one national-layout grid: what a reviewer sees on the form, cell by cell."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from report.demo import build_demo_report
from report.document import Figure, FigureKind, Merge, Table
from report.form_layout import COLUMN_WIDTHS_MM, COLUMNS, FormGrid, form_grid, is_score_sheet
from report.model import MoneyUnit
from report.render import PLACEHOLDER, score_sheet_blocks


@pytest.fixture(scope="module")
def grid() -> FormGrid:
    return form_grid(score_sheet_blocks(build_demo_report()))


def _find(grid: FormGrid, text: str) -> tuple[int, int]:
    for row, cells in enumerate(grid.rows):
        for column, cell in enumerate(cells):
            if cell.text == text:
                return row, column
    raise AssertionError(f"{text!r} is not on the form")


def _region(grid: FormGrid, text: str) -> Merge:
    row, column = _find(grid, text)
    return grid.merge_at.get((row, column), Merge(row, column))


def test_every_row_fills_nine_columns_and_every_merge_stays_inside(grid: FormGrid) -> None:
    assert all(len(row) == COLUMNS for row in grid.rows)
    assert len(COLUMN_WIDTHS_MM) == COLUMNS and sum(COLUMN_WIDTHS_MM) == 225  # landscape text block
    covered: set[tuple[int, int]] = set()
    for merge in grid.merges:
        assert merge.row + merge.rows <= len(grid.rows) and merge.column + merge.columns <= COLUMNS
        cells = {
            (row, column)
            for row in range(merge.row, merge.row + merge.rows)
            for column in range(merge.column, merge.column + merge.columns)
        }
        assert not cells & covered, f"{merge} overlaps another region"
        covered |= cells
        assert all(grid.rows[r][c].text == "" for r, c in grid.covered & cells)


def test_header_rows_name_the_project_department_and_unit(grid: FormGrid) -> None:
    assert [cell.text for cell in grid.rows[0][:2]] == ["项目名称", "2020年度青岚街道工作经费项目"]
    assert _region(grid, "2020年度青岚街道工作经费项目") == Merge(0, 1, 1, 8)
    assert _region(grid, "云溪区人民政府").columns == 3
    assert _region(grid, "实施单位").columns == 2
    assert _region(grid, "云溪区青岚街道办事处") == Merge(1, 6, 1, 3)


def test_funds_label_spans_its_five_rows_with_the_figures_in_their_columns(grid: FormGrid) -> None:
    funds = _region(grid, "项目资金（万元）")
    assert (funds.column, funds.rows, funds.columns) == (0, 5, 1)
    header = [cell.text for cell in grid.rows[funds.row][3:]]
    assert header == ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    total_row = grid.rows[funds.row + 1]
    assert total_row[1].text == "年度资金总额" and _region(grid, "年度资金总额").columns == 2
    assert [cell.text for cell in total_row[3:]] == ["487.00", "487.00", "483.30", "10", "99.24%", "9.92"]
    rate = total_row[7].value
    assert isinstance(rate, Figure) and rate.kind is FigureKind.RATE
    assert rate.value.quantize(Decimal("0.0001")) == Decimal("0.9924")
    labels = [grid.rows[funds.row + offset][1].text for offset in range(1, 5)]
    assert labels == ["年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金"]


def test_goal_label_spans_expected_and_achieved(grid: FormGrid) -> None:
    goals = _region(grid, "年度总体目标")
    assert (goals.column, goals.rows) == (0, 2)
    assert _region(grid, "预期目标") == Merge(goals.row, 1, 1, 4)
    assert _region(grid, "实际完成情况") == Merge(goals.row, 5, 1, 4)
    goal = grid.rows[goals.row + 1][1].text
    assert goal.startswith("保障街道机关") and grid.merge_at[(goals.row + 1, 1)].columns == 4


def test_indicator_label_spans_header_and_rows_with_level_groups_merged(grid: FormGrid) -> None:
    report = build_demo_report()
    label = _region(grid, "绩效指标")
    assert label.row == grid.indicator_header and label.rows == 1 + len(report.indicators)
    assert [cell.text for cell in grid.rows[label.row][1:]] == [
        "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施",
    ]  # fmt: skip
    output = _region(grid, "产出指标")
    assert (output.row, output.column, output.rows) == (label.row + 1, 1, 8)  # 数量 4, 质量 3, 成本 1
    assert _region(grid, "数量指标").rows == 4 and _region(grid, "质量指标").rows == 3
    assert _region(grid, "效益指标").rows == 4
    assert (grid.rows[label.row + 13][1].text, _region(grid, "满意度指标").rows) == ("满意度指标", 1)
    row = grid.rows[_find(grid, "办理网格化城市管理案件")[0]]
    assert [cell.text for cell in row[4:8]] == ["≥50000件", "48620件", "6", "5.83"]
    assert row[7].align == "right" and row[3].align == "left" and grid.rows[label.row][1].align == "center"


def test_total_row_carries_full_marks_total_and_grade(grid: FormGrid) -> None:
    last = grid.rows[-1]
    assert _region(grid, "总分") == Merge(len(grid.rows) - 1, 0, 1, 6)
    assert [cell.text for cell in last[6:]] == ["100", "97.45", "评价等级：优"]
    assert (grid.label, grid.title, grid.note) == ("附件1", "项目支出绩效自评表", "（2020年度）")


def test_money_unit_is_in_the_funds_label() -> None:
    report = replace(build_demo_report(), money_unit=MoneyUnit.YUAN)
    assert _find(form_grid(score_sheet_blocks(report)), "项目资金（元）")[1] == 0


def test_a_report_without_indicators_keeps_one_placeholder_row() -> None:
    grid = form_grid(score_sheet_blocks(replace(build_demo_report(), indicators=[])))
    header = grid.indicator_header
    assert grid.rows[header + 1][1].text == PLACEHOLDER
    assert grid.merge_at[(header, 0)].rows == 2


def test_blocks_without_the_sheet_tables_are_refused() -> None:
    blocks = [
        block
        for block in score_sheet_blocks(build_demo_report())
        if getattr(block, "role", "") != "sheet.goals"
    ]
    assert not is_score_sheet(blocks)
    with pytest.raises(ValueError, match=r"sheet\.goals"):
        form_grid(blocks)
    assert is_score_sheet(score_sheet_blocks(build_demo_report()))
    assert not is_score_sheet([Table(("a",), (("b",),))])
