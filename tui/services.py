"""What the command line and the app both do with a report: find its outline, keep its status, reset the
demo, and make its export files. No Textual and no argparse here: ``tui.commands`` (the verbs) and
``tui.app`` both call these, and neither imports the other.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from report.checks import Severity, check_report, years_in_title
from report.model import Report
from storage.errors import StorageError
from storage.store import ReportStore

if TYPE_CHECKING:
    from prompts.templates import Template
    from report.outline import Outline

MAX_FILE_NAME_BYTES = 200  # below the usual 255-byte limit, leaving room for "-2020.docx"


class UserFacingError(Exception):
    """Something to tell the user in one Chinese line; a verb exits 2, the app shows it and goes on."""


def template_for(report: Report) -> Template:
    """The report's template; a user-facing error when it is unknown or broken."""
    from prompts.templates import TemplateError, load_template

    try:
        return load_template(report.template_id)
    except TemplateError as error:
        raise UserFacingError(str(error)) from error


def outline_for(report: Report) -> Outline:
    """The outline of the report's template."""
    return template_for(report).outline


def refresh_status(store: ReportStore, report: Report) -> None:
    """Cache progress and finding counts for `jixiao list`, as the app does after each answer.

    A convenience only: the report itself is already saved, so a failure here is ignored.
    """
    from prompts.engine import Flow
    from prompts.templates import TemplateError, load_template

    try:
        template = load_template(report.template_id)
    except TemplateError:
        return
    findings = check_report(report, template.outline)
    progress = Flow(template, report).progress()
    with contextlib.suppress(StorageError):
        store.set_status(
            report.id or 0,
            progress_done=progress.done,
            progress_total=progress.total,
            errors=sum(1 for f in findings if f.severity is Severity.ERROR),
            warnings=sum(1 for f in findings if f.severity is Severity.WARNING),
        )


def create_or_reset_demo(store: ReportStore) -> Report:
    """Create the demo report, or reset the existing one in place (same id, one undoable revision)."""
    from report.demo import build_demo_report

    demo = build_demo_report()
    existing = sorted(s.id for s in store.list_summaries() if s.title == demo.title)
    report = _reset(store, existing[0], demo) if existing else store.create(demo)
    refresh_status(store, report)
    return report


def _reset(store: ReportStore, report_id: int, fresh: Report) -> Report:
    from report.serialize import ANSWER_PREFIX, FIELD_PATHS, get_path

    current = store.load(report_id)
    changes: dict[str, object] = {path: get_path(fresh, path) for path in FIELD_PATHS}
    for step in current.answers.keys() - fresh.answers.keys():
        changes[ANSWER_PREFIX + step] = None
    for step, text in fresh.answers.items():
        changes[ANSWER_PREFIX + step] = text
    store.apply_many(report_id, changes, current.revision)
    return store.load(report_id)


# --- export files -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportFormat:
    """One export format: its ``--format`` name, file extension and what it holds, in Chinese."""

    name: str
    extension: str
    label: str
    binary: bool


EXPORT_FORMATS: dict[str, ExportFormat] = {
    fmt.name: fmt
    for fmt in (
        ExportFormat("md", "md", "Markdown（整份报告）", binary=False),
        ExportFormat("docx", "docx", "Word（公文格式的整份报告，附件1 自评表）", binary=True),
        ExportFormat("xlsx", "xlsx", "Excel（自评表和检查结果）", binary=True),
        ExportFormat("json", "json", "JSON（可用 jixiao import 原样导回）", binary=False),
    )
}
"""Every export format by its ``--format`` name."""

_BY_EXTENSION = {fmt.extension: fmt for fmt in EXPORT_FORMATS.values()} | {"markdown": EXPORT_FORMATS["md"]}


def format_for_path(path: Path) -> ExportFormat | None:
    """The export format a file name's extension names (``.docx`` → Word), or None."""
    return _BY_EXTENSION.get(path.suffix.lower().lstrip("."))


def default_export_name(report: Report, extension: str) -> str:
    """``标题-年度.md``, or ``标题.md`` when the title already names the year.

    Characters that file systems refuse are replaced and an overlong title is cut.
    """
    safe = "".join("_" if ch in '/\\:*?"<>|\0' or ord(ch) < 32 else ch for ch in report.title)
    safe = safe.strip().strip(".") or "report"
    while len(os.fsencode(safe)) > MAX_FILE_NAME_BYTES:
        safe = safe[:-1]
    if report.year in years_in_title(report.title):
        return f"{safe}.{extension}"
    return f"{safe}-{report.year}.{extension}"


def export_document(report: Report, fmt: ExportFormat) -> bytes:
    """The export file's bytes: Markdown, Word or Excel from the one document model, or the JSON import takes back."""
    if fmt.name == "json":
        from report.serialize import report_to_dict

        return (json.dumps(report_to_dict(report), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    outline = outline_for(report)
    if fmt.name == "md":
        from report.render import render_report

        return render_report(report, outline).encode("utf-8")
    if fmt.name == "docx":
        from report.render import document_parts
        from report.writers.docx import report_docx

        return report_docx(document_parts(report, outline))
    from report.render import score_sheet_blocks
    from report.writers.xlsx import score_sheet_xlsx

    # the workbook holds the 自评表 alone: the prose sections need not be built for it
    return score_sheet_xlsx(score_sheet_blocks(report), check_report(report, outline))
