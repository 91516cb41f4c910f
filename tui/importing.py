"""Glue between the front ends and report/: read a file as a new report, start next year's from last year's.

No Textual here: the home screen and the command line both call these, so a file imports the
same way from either.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from prompts.fields import ANSWERS_PREFIX, is_answers_path
from prompts.templates import TemplateError, available_templates, load_template
from report.carryover import next_year_report
from report.errors import ParseError
from report.importer import import_text
from report.model import Report
from storage.files import UserFileError, read_user_file
from tui.services import UserFacingError


@dataclass
class ImportOutcome:
    """What a file gave: the new (unsaved) report and the Chinese summary of what was found where.

    ``recognised`` is true when the report was recognised from a document (not a jixiao JSON
    export read back exactly), so the caller shows the check as well.
    """

    report: Report
    summary: list[str] = field(default_factory=list)
    recognised: bool = False


def _looks_like_json(path: Path, data: bytes) -> bool:
    return path.suffix.lower() == ".json" or data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def import_report_file(path: Path) -> ImportOutcome:
    """Read a file as a new (unsaved) report, with the summary of what was recognised.

    JSON exported by jixiao is read exactly; text and Markdown go through ``import_text`` with
    every available outline. Raises ``UserFacingError`` with a Chinese message (file missing,
    empty, too large, binary, not a report) — nothing is imported then.
    """
    try:
        data = read_user_file(path)
    except UserFileError as error:
        raise UserFacingError(error.message) from error
    if _looks_like_json(path, data):
        if b"\0" in data[:8192]:
            raise UserFacingError(f"{path} 是二进制文件，不是 jixiao 导出的 JSON：请检查文件是否选错")
        report = report_from_json(path, data)
        return ImportOutcome(report, [f"已导入 jixiao 导出的报告：{report.title}（{report.year} 年度）"])
    try:
        outlines = [load_template(template_id).outline for template_id, _name in available_templates()]
        result = import_text(data, outlines)
    except (ParseError, TemplateError) as error:
        raise UserFacingError(f"{path}：{error}") from error
    return ImportOutcome(result.report, result.summary_lines(), recognised=True)


def report_from_json(path: Path, data: bytes) -> Report:
    """A report from what `jixiao export --format json` wrote, exactly; a user-facing error for anything else."""
    from report.serialize import FORMAT, report_from_dict

    try:
        text = data.decode("utf-8-sig")  # Windows editors like to add a byte order mark
    except UnicodeDecodeError as error:
        raise UserFacingError(f"{path} 不是 UTF-8 编码的文本，不是 jixiao 导出的 JSON") from error
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as error:
        raise UserFacingError(
            f"{path} 不是有效的 JSON：第 {error.lineno} 行第 {error.colno} 列附近有语法错误（文件可能不完整）"
        ) from error
    except RecursionError as error:
        raise UserFacingError(f"{path} 嵌套过深，不是 jixiao 导出的报告") from error
    except ValueError as error:  # e.g. an integer longer than Python converts (4,300 digits)
        raise UserFacingError(f"{path} 含有过长的数字，不是 jixiao 导出的报告") from error
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise UserFacingError(
            f'{path} 不是 jixiao 导出的报告（缺少 "format": "{FORMAT}"）：请用 jixiao export --format json 导出的文件'
        )
    try:
        report = report_from_dict(payload)
    except ParseError as error:
        raise UserFacingError(f"{path} 无法导入：{error}") from error
    known = dict(available_templates())
    if report.template_id not in known:
        raise UserFacingError(
            f"{path} 无法导入：提纲“{report.template_id}”不存在（可用：{'、'.join(known)}）；"
            "可能是更新版本的 jixiao 导出的，请升级后再导入"
        )
    report.id = None
    return report


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
