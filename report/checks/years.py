"""RULES.md §6 #22: the year in the title and the indicators' dates are the report's year."""

from __future__ import annotations

import re

from report.checks.context import _Context, _folded, _Found, _one, _RowFacts
from report.checks.findings import Where

_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)\s*年")


def _check_dates(row: _RowFacts) -> _Found:
    year = row.year
    for label, value in (("年度指标值", row.target), ("实际完成值", row.actual)):
        if value is None or value.date is None or value.date.year == year:
            continue
        return _one(
            "year.indicator_date",
            f"指标「{row.indicator.name}」的{label} {value.display()} 不在评价年度 {year} 年内",
            f"请核对年份：时效指标的时限一般在 {year} 年内",
        )
    return ()


def years_in_title(title: str) -> list[int]:
    """The years a title names (``2020年度…``, full-width digits too), in order, each once."""
    return sorted({int(match) for match in _YEAR_RE.findall(_folded(title))})


def _check_title_year(ctx: _Context) -> None:
    report = ctx.report
    years = years_in_title(report.title)
    if not years or report.year in years:
        return
    written = "、".join(f"{y} 年" for y in years)
    ctx.add(
        "year.title",
        Where(field="title"),
        f"标题写的是 {written}，报告年度是 {report.year} 年",
        "请核对标题中的年份或报告的评价年度，两者应一致",
    )
