"""The document model the writers and the preview read: blocks with exact figures and merged groups."""

from __future__ import annotations

from decimal import Decimal

from prompts.templates import load_template
from report.demo import build_demo_report
from report.document import (
    Attachment,
    BulletList,
    Figure,
    FigureKind,
    Heading,
    Paragraph,
    Table,
    Title,
    cell_text,
)
from report.render import document_parts, score_sheet_blocks, section_blocks, title_blocks
from report.writers.markdown import block_markdown


def sheet_table(role: str) -> Table:
    return next(
        block
        for block in score_sheet_blocks(build_demo_report())
        if isinstance(block, Table) and block.role == role
    )


def test_funds_row_keeps_exact_numbers_beside_their_printed_text() -> None:
    row = sheet_table("sheet.funds").rows[0]
    assert [cell_text(cell) for cell in row] == [
        "年度资金总额",
        "487.00",
        "487.00",
        "483.30",
        "10",
        "99.24%",
        "9.92",
    ]
    rate = row[5]
    assert isinstance(rate, Figure) and rate.kind is FigureKind.RATE
    assert rate.value.quantize(Decimal("0.0001")) == Decimal("0.9924")  # a fraction, as a sheet stores it
    spent = row[3]
    assert isinstance(spent, Figure) and spent.value == Decimal("483.30") and spent.kind is FigureKind.MONEY


def test_indicator_sheet_merges_each_level1_and_level2_group_over_its_rows() -> None:
    table = sheet_table("sheet.indicators")
    level1_merges = [m for m in table.merges if m.column == 0]
    merged_starts = {m.row for m in level1_merges}
    single = [r for r, row in enumerate(table.rows) if cell_text(row[0]) and r not in merged_starts]
    assert sum(m.rows for m in level1_merges) + len(single) == len(table.rows)  # every row in one group
    assert [cell_text(table.rows[m.row][0]) for m in level1_merges] == ["产出指标", "效益指标"]
    for merge in table.merges:
        assert merge.rows > 1
        assert cell_text(table.rows[merge.row][merge.column])  # the label is in the top cell
        below = [cell_text(table.rows[r][merge.column]) for r in range(merge.row + 1, merge.row + merge.rows)]
        assert below == [""] * (merge.rows - 1)


def test_headings_carry_their_level_and_number_and_the_title_its_facts() -> None:
    report = build_demo_report()
    outline = load_template("eight_part").outline
    first = next(outline.walk())
    heading = section_blocks(report, first)[0]
    assert heading == Heading(1, "一、", "基本情况")
    title = title_blocks(report)[0]
    assert isinstance(title, Title) and title.facts[-1] == "评价年度：2020年"
    assert block_markdown(heading) == "## 一、基本情况"


def test_the_score_sheet_starts_as_an_attachment_and_the_parts_cover_the_outline() -> None:
    report = build_demo_report()
    outline = load_template("seven_part_2020").outline
    parts = document_parts(report, outline)
    assert len(parts) == len(list(outline.walk())) + 2
    attachment = parts[-1].blocks[0]
    assert attachment == Attachment("附件1", "项目支出绩效自评表", "（2020年度）")
    assert all(
        isinstance(block, Paragraph | BulletList | Table | Heading)
        for part in parts[1:-1]
        for block in part.blocks
    )
