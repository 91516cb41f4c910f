"""One-line texts shortened to the cells they have: 汉字 count two, the "…" one, the head and tail kept."""

from __future__ import annotations

from rich.cells import cell_len

from tui.widgets.fitted_line import FittedItems, FittedLine, shorten


def test_shorten_counts_chinese_characters_as_two_cells() -> None:
    assert shorten("评价指标体系", 12).plain == "评价指标体系"
    assert shorten("评价指标体系", 11).plain == "评价指标体…"  # 10 cells + "…"
    assert shorten("评价指标体系", 10).plain == "评价指标…"  # never half a character
    assert shorten("abc", 0).plain == ""


def test_a_fitted_line_shortens_the_middle_and_keeps_head_and_tail() -> None:
    line = FittedLine("  ✓ ", "（二）绩效评价原则、评价指标体系、评价方法", " 3/3", min_middle=1)
    assert line.fit(80).plain == "  ✓ （二）绩效评价原则、评价指标体系、评价方法 3/3"
    fitted = line.fit(29).plain
    assert fitted == "  ✓ （二）绩效评价原则、… 3/3" and cell_len(fitted) <= 29


def test_a_status_line_drops_the_title_and_its_separator_when_there_is_no_room() -> None:
    line = FittedLine("进度 52/53 · 错误 6", " · 2020年度青岚街道工作经费项目支出绩效自评报告")
    assert line.fit(40).plain == "进度 52/53 · 错误 6 · 2020年度青岚街道…"
    assert line.fit(21).plain == "进度 52/53 · 错误 6"  # no room for 4 cells of title: no "·" either
    assert line.fit(10).plain == "进度 52/5…"


def test_fitted_items_show_whole_items_only() -> None:
    items = FittedItems(["Enter 发送", "Tab 采用建议", "/help 命令", "F1 帮助"])
    assert items.fit(80).plain == "Enter 发送 · Tab 采用建议 · /help 命令 · F1 帮助"
    assert items.fit(40).plain == "Enter 发送 · Tab 采用建议 · /help 命令"
    assert items.fit(9).plain == "Enter 发…"
    assert items.fit(8).plain == "Enter …"  # half of 发 would not show
