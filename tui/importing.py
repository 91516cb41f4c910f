"""Glue between the app and report/: import a file as a new report, start next year's from last year's.

No Textual here: the home screen and the command line both call these.
"""

from __future__ import annotations

from pathlib import Path

from prompts.fields import ANSWERS_PREFIX, is_answers_path
from prompts.templates import TemplateError, available_templates, load_template
from report.carryover import next_year_report
from report.errors import ParseError
from report.importer import import_text
from report.model import Report
from tui.commands import UserFacingError, _report_from_json, read_import_file


def _looks_like_json(path: Path, data: bytes) -> bool:
    return path.suffix.lower() == ".json" or data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def import_report_file(path: Path) -> tuple[Report, list[str]]:
    """Read a file as a new (unsaved) report and the Chinese summary lines of what was recognised.

    JSON exported by jixiao is read exactly; text and Markdown go through ``import_text`` with
    every available outline. Raises ``ValueError`` with a Chinese message (file missing, empty,
    too large, binary, not a report) — nothing is imported then.
    """
    try:
        data = read_import_file(path)
        if _looks_like_json(path, data):
            report = _report_from_json(path, data)
            return report, [f"已导入 jixiao 导出的报告：{report.title}（{report.year} 年度）"]
    except UserFacingError as error:
        raise ValueError(str(error)) from error
    try:
        outlines = [load_template(template_id).outline for template_id, _name in available_templates()]
        result = import_text(data, outlines)
    except (ParseError, TemplateError) as error:
        raise ValueError(f"{path.name}：{error}") from error
    return result.report, result.summary_lines()


def standard_answers(template_id: str) -> dict[str, str]:
    """The template's standard texts by answer key (step id): what carries over to next year unchanged.

    An unknown or broken template gives none (then every answer is offered instead of carried).
    """
    try:
        template = load_template(template_id)
    except TemplateError:
        return {}
    return {
        step.field.removeprefix(ANSWERS_PREFIX): step.suggestion
        for step in template.steps
        if step.suggestion and is_answers_path(step.field)
    }


def next_year_from(previous: Report, year: int, title: str | None = None) -> Report:
    """Next year's report built on ``previous``, carrying the answers that are the template's standard text."""
    return next_year_report(previous, year, title, standard_answers=standard_answers(previous.template_id))
