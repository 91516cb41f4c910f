"""What an import gives back: the report, what was recognised, and the text that could not be placed."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from report.importer.form import FormRead
from report.model import Level2, Report
from report.money import format_money
from report.outline import Outline


@dataclass(frozen=True)
class Unplaced:
    """Text that could not go where it belongs: where it came from, where it was kept, and why."""

    text: str
    section: str  # the heading it was found under ("" before the first heading)
    placed_in: str  # the field path it was appended to, e.g. "answers.overview.background"
    reason: str


@dataclass(frozen=True)
class SharedOut:
    """A section that asks several questions whose text was shared out among them, to review."""

    section: str  # the section's number, e.g. "七" or "二（一）"
    by_labels: bool  # by the labels in the text (存在的问题：…), or else by what each sentence says
    placed_in: tuple[str, ...]  # the questions that got text, by name, e.g. ("存在的问题",)


@dataclass
class ImportResult:
    """A report read from a document, and what was and was not recognised in it."""

    report: Report
    outline: Outline
    source: str  # "text", "markdown" or "export" (our own Markdown export)
    found_sections: list[str] = field(default_factory=list)  # section keys whose heading was found
    categories: list[Level2] = field(default_factory=list)  # indicator categories named in the text
    extracted_indicators: int = 0  # indicator rows taken from the text (actual only)
    unplaced: list[Unplaced] = field(default_factory=list)
    shared_out: list[SharedOut] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # anything else worth telling, Chinese
    where: list[str] = field(default_factory=list)  # what was found where (sheet, table, paragraph), Chinese
    kept_aside: list[str] = field(default_factory=list)  # what could not be understood and was left out
    form_only: bool = False  # read from a 自评表 alone: there is no prose, so no sections to report
    form: FormRead | None = None  # the 自评表 whose figures the report holds, if any

    def summary_lines(self) -> list[str]:
        """What was recognised and what was left as plain text, in Chinese, one fact per line."""
        report = self.report
        unit = report.money_unit
        walk = list(self.outline.walk())
        found = set(self.found_sections)
        top = [s for s in self.outline.sections if s.key in found]
        kinds = {
            "text": "纯文本",
            "markdown": "Markdown",
            "export": "jixiao 导出的 Markdown",
            "docx": "Word 文档（.docx）",
            "xlsx": "Excel 工作簿（.xlsx）",
        }
        lines = [f"格式：{kinds.get(self.source, self.source)}；提纲：{self.outline.name}"]
        lines.extend(self.where)
        if not self.form_only:
            lines.append(
                f"章节 {len(top)}/{len(self.outline.sections)}，小标题 "
                f"{len(found) - len(top)}/{len(walk) - len(self.outline.sections)}"
            )
        missing = [s.heading for s in walk if s.key not in found]
        if missing and self.source != "export" and not self.form_only:
            shown = "、".join(missing[:4]) + (f" 等 {len(missing)} 个" if len(missing) > 4 else "")
            lines.append(f"未找到的标题：{shown}")
        facts = [f"标题：{report.title}", f"年度 {report.year}"]
        if report.unit_name:
            facts.append(f"实施单位 {report.unit_name}")
        lines.append("；".join(facts))
        if report.budget_lines:
            total = sum((line.amount for line in report.budget_lines), Decimal(0))
            lines.append(
                f"预算明细 {len(report.budget_lines)} 行，合计 {format_money(total, unit, with_unit=True)}"
            )
        else:
            lines.append("预算明细：未找到")
        funds = report.funds
        money = [
            (label, amount)
            for label, amount in (
                ("预算", funds.annual_budget),
                ("实际支出", funds.actual_spent),
                ("节约", funds.stated_savings),
                ("到位资金", funds.received),
            )
            if amount is not None
        ]
        if money:
            lines.append(
                "资金："
                + "，".join(
                    f"{label} {format_money(amount, unit, with_unit=True)}" for label, amount in money
                )
            )
        else:
            lines.append("资金：未找到预算数和执行数")
        if funds.stated_execution_rate is not None:
            lines.append(f"执行率（原文）：{(funds.stated_execution_rate * 100).normalize():f}%")
        if self.categories:
            names = "、".join(category.value for category in self.categories)
            lines.append(f"指标类别 {len(self.categories)} 类（原文保留为正文）：{names}")
        if self.extracted_indicators:
            rows = report.indicators[-self.extracted_indicators :] if self.source != "export" else []
            shown = "、".join(f"{row.name} {row.actual}{row.unit}" for row in rows[:4])
            more = f" 等 {len(rows)} 项" if len(rows) > 4 else ""
            lines.append(
                f"从正文取出 {self.extracted_indicators} 项指标的实际值（没有年度指标值、分值，需补填）：{shown}{more}"
            )
        elif report.indicators:
            lines.append(f"绩效指标 {len(report.indicators)} 项")
        if report.claimed_total is not None:
            lines.append(f"自评得分：{report.claimed_total.normalize():f} 分")
        if report.claimed_grade is not None:
            lines.append(f"评价等级：{report.claimed_grade.value}")
        for shared in self.shared_out:
            names = "、".join(shared.placed_in)
            if shared.by_labels:
                lines.append(f"{shared.section} 的文字按小标题分入：{names}")
            else:
                lines.append(f"{shared.section} 的文字按内容分入：{names}，请核对")
        if self.unplaced:
            lines.append(f"{len(self.unplaced)} 段文字无法归入对应的问题，已作为正文保留：")
            for item in self.unplaced[:5]:
                where = item.section or "标题之前"
                lines.append(f"  · {where}：“{_excerpt(item.text)}”（{item.reason}）")
            if len(self.unplaced) > 5:
                lines.append(f"  · 另有 {len(self.unplaced) - 5} 段")
        elif not self.form_only:
            lines.append("全部正文都已归入对应章节")
        if self.kept_aside:
            lines.append(f"{len(self.kept_aside)} 处无法识别，未导入：")
            lines.extend(f"  · {item}" for item in self.kept_aside[:8])
            if len(self.kept_aside) > 8:
                lines.append(f"  · 另有 {len(self.kept_aside) - 8} 处")
        lines.extend(self.notes)
        return lines


def _excerpt(text: str, length: int = 20) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[:length] + "…"
