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
from report.importer import FormRead, ImportResult, form_figures, import_office, import_text
from report.importer.office import figure_differences
from report.model import Report
from storage.files import UserFileError, read_user_file
from storage.office import OfficeFileError, is_office_file, read_office
from tui.services import UserFacingError


@dataclass
class ImportOutcome:
    """What a file gave: the new (unsaved) report and the Chinese summary of what was found where.

    ``recognised`` is true when the report was recognised from a document (not a jixiao JSON
    export read back exactly), so the caller shows the check as well. ``form`` is the 自评表 the
    report's figures came from, if any. A file holding several forms (one per project) gives
    one report each: the first here, the others in ``more`` (each with its own summary).
    """

    report: Report
    summary: list[str] = field(default_factory=list)
    recognised: bool = False
    form: FormRead | None = None
    more: list[ImportOutcome] = field(default_factory=list)

    @property
    def outcomes(self) -> list[ImportOutcome]:
        """This report and the file's further ones, in the file's order."""
        return [self, *self.more]


def _outcome(result: ImportResult) -> ImportOutcome:
    return ImportOutcome(result.report, result.summary_lines(), recognised=True, form=result.form)


def _looks_like_json(path: Path, data: bytes) -> bool:
    return path.suffix.lower() == ".json" or data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def import_report_file(path: Path) -> ImportOutcome:
    """Read a file as a new (unsaved) report, with the summary of what was recognised.

    JSON exported by jixiao is read exactly; Word (.docx) and Excel (.xlsx) files, recognised by
    their content, are read by ``storage.office`` and ``import_office`` (one report per 自评表 of
    a workbook); text and Markdown go through ``import_text`` with every available outline.
    Raises ``UserFacingError`` with a Chinese message (file missing, empty, too large, binary,
    an old .doc/.xls, password-protected, macro-enabled, a zip bomb, not a report) — nothing is
    imported then.
    """
    try:
        data = read_user_file(path)
    except UserFileError as error:
        raise UserFacingError(error.message) from error
    if is_office_file(data):
        return _import_office(path, data)
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


def _import_office(path: Path, data: bytes) -> ImportOutcome:
    try:
        content = read_office(data, str(path))
    except OfficeFileError as error:
        raise UserFacingError(error.message) from error
    try:
        outlines = [load_template(template_id).outline for template_id, _name in available_templates()]
        results = import_office(content, outlines)
    except (ParseError, TemplateError) as error:
        raise UserFacingError(f"{path}：{error}") from error
    first, *others = [_outcome(result) for result in results]
    first.more = others
    return first


def form_changes(report: Report, outcome: ImportOutcome, path: Path) -> tuple[dict[str, object], list[str]]:
    """What ``jixiao import FILE --into REPORT`` changes: field paths → values, and the differences in Chinese.

    Only the figures of the file's one 自评表 (funds, goals, indicators, claimed score and
    grade); a file without a form, or with several, is a ``UserFacingError``.
    """
    forms = [item.form for item in outcome.outcomes if item.form is not None]
    if not forms:
        raise UserFacingError(
            f"{path} 中没有自评表：--into 只把自评表（.xlsx，或含自评表的 .docx）的数字导入已有报告；"
            "要导入整份报告请去掉 --into"
        )
    if len(forms) > 1:
        raise UserFacingError(
            f"{path} 中有 {len(forms)} 张自评表，--into 只能导入一张：请去掉 --into，每张自评表各成一份新报告"
        )
    figures = form_figures(report, forms[0])
    return figures, figure_differences(report, figures, "原报告")


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
