"""The verbs of the `jixiao` command, one function each. No Textual here unless the app opens."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from report.checks import Finding, Severity, check_report, years_in_title
from report.model import MoneyUnit, Report
from report.scoring import ScoreResult, score_report
from storage.db import DEFAULT_BUSY_TIMEOUT_MS
from storage.errors import StorageError
from storage.files import write_file_atomically
from storage.paths import resolve_busy_timeout_ms, resolve_db_path
from storage.store import ReportStore
from tui.services import (
    EXPORT_FORMATS,
    ExportFormat,
    UserFacingError,
    create_or_reset_demo,
    default_export_name,
    export_document,
    format_for_path,
    outline_for,
    refresh_status,
)

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
SEVERITY_NAMES = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}


def _db_path(args: argparse.Namespace) -> Path:
    return resolve_db_path(getattr(args, "db", None), os.environ)


@contextlib.contextmanager
def using_store(args: argparse.Namespace, *, create: bool = True) -> Iterator[ReportStore]:
    """The store for one verb (see ``open_store``): a storage failure inside becomes its one-line error; always closed."""
    store = open_store(args, create=create)
    try:
        yield store
    except StorageError as error:
        raise UserFacingError(error.message) from error
    finally:
        store.close()


def open_store(args: argparse.Namespace, *, create: bool = True) -> ReportStore:
    """Open the database the arguments point at, turning storage failures into a user-facing error.

    With ``create=False`` (verbs that only look at existing reports) a missing file is an error
    instead of a new empty database, so a mistyped ``--db`` leaves nothing behind.
    """
    path = _db_path(args)
    try:
        timeout = resolve_busy_timeout_ms(os.environ, DEFAULT_BUSY_TIMEOUT_MS)
    except ValueError as error:
        raise UserFacingError(str(error)) from error
    if not create and not path.exists():
        raise UserFacingError(
            f"数据库文件 {path} 不存在；请检查 --db 或 JIXIAO_DB 的设置，或先用 jixiao new、jixiao demo 建一份报告"
        )
    try:
        return ReportStore.open(path, busy_timeout_ms=timeout)
    except StorageError as error:
        raise UserFacingError(error.message) from error


def _find(store: ReportStore, ref: str) -> Report:
    try:
        return store.load(store.find(ref))
    except StorageError as error:
        raise UserFacingError(error.message) from error


# ---- opening the app -------------------------------------------------------------------------


def _run_app(args: argparse.Namespace, report_id: int | None) -> int:
    store = open_store(args)
    store.close()
    from tui.app import run_app

    return run_app(_db_path(args), report_id)


def cmd_home(args: argparse.Namespace) -> int:
    """`jixiao`: open the app on the home screen."""
    return _run_app(args, None)


def cmd_open(args: argparse.Namespace) -> int:
    """`jixiao open REPORT`: open the app on one report."""
    with using_store(args, create=False) as store:
        report = _find(store, args.report)
    return _run_app(args, report.id)


def cmd_demo(args: argparse.Namespace) -> int:
    """`jixiao demo`: create (or reset) the demo report, then open it unless --no-open.

    An existing demo (the oldest report with the demo's title) is reset in place, as one
    recorded revision: it keeps its id, and `jixiao undo` brings the user's edits back.
    """
    with using_store(args) as store:
        report = create_or_reset_demo(store)
    if args.no_open:
        print(report.id)
        return EXIT_OK
    return _run_app(args, report.id)


# ---- creating ---------------------------------------------------------------------------------


# flags that `jixiao new` cannot do without when there is no terminal to ask on
_REQUIRED_NEW_FLAGS = (("title", "--title", "标题"), ("unit", "--unit", "实施单位"),
                       ("department", "--department", "主管部门"), ("year", "--year", "年度"))  # fmt: skip


def _ask(label: str, default: str = "") -> str:
    shown = f"（回车取 {default}）" if default else ""
    answer = input(f"{label}{shown}：").strip()
    return answer or default


def cmd_new(args: argparse.Namespace) -> int:
    """`jixiao new`: create a report from flags, asking on the terminal for what is missing."""
    from prompts.templates import available_templates

    if args.from_report:
        return _new_from_previous(args)
    interactive = sys.stdin is not None and sys.stdin.isatty()
    missing = [
        f"{flag}（{label}）" for name, flag, label in _REQUIRED_NEW_FLAGS if getattr(args, name) is None
    ]
    if missing and not interactive:
        raise UserFacingError(
            f"缺少 {'、'.join(missing)}：没有终端可以询问，请用参数给出（见 jixiao new --help）"
        )
    templates = dict(available_templates())
    choices = "、".join(f"{key}（{name}）" for key, name in templates.items())
    title = args.title if args.title is not None else _ask("报告标题")
    if not title.strip():
        raise UserFacingError("报告标题不能为空")
    unit_name = args.unit if args.unit is not None else _ask("实施单位")
    department = args.department if args.department is not None else _ask("主管部门")
    years = years_in_title(title)
    default_year = years[0] if len(years) == 1 else date.today().year - 1
    year_text = str(args.year) if args.year is not None else _ask("评价年度", str(default_year))
    if not year_text.isascii() or not year_text.isdigit() or not 2000 <= int(year_text) <= 2100:
        raise UserFacingError(f"年度“{year_text}”无效：请写 2000 至 2100 之间的四位年份，例如 2020")
    default_template = "eight_part"
    if args.template is not None:
        template_id = args.template
    elif interactive:
        template_id = _ask(f"提纲：{choices}", default_template)
    else:
        template_id = default_template
    if template_id not in templates:
        raise UserFacingError(f"没有名为“{template_id}”的提纲：可选 {choices}")
    if args.money_unit is not None:
        unit_text = args.money_unit
    else:
        unit_text = _ask("金额单位（元 或 万元）", "万元") if interactive else "万元"
    if unit_text not in ("元", "万元"):
        raise UserFacingError(f"金额单位“{unit_text}”无效：请写 元 或 万元")
    report = Report(
        title=title.strip(),
        unit_name=unit_name.strip(),
        department=department.strip(),
        year=int(year_text),
        template_id=template_id,
        money_unit=MoneyUnit(unit_text),
    )
    with using_store(args) as store:
        created = store.create(report)
        refresh_status(store, created)
    print(f"已新建报告 #{created.id}：{created.title}（{created.year}）")
    if args.open:
        return _run_app(args, created.id)
    return EXIT_OK


def _new_from_previous(args: argparse.Namespace) -> int:
    from tui.importing import next_year_from

    with using_store(args, create=False) as store:
        previous = _find(store, args.from_report)
        year = args.year if args.year is not None else previous.year + 1
        created = store.create(next_year_from(previous, year, title=args.title))
        refresh_status(store, created)
    print(f"已以 #{previous.id} 为底稿新建 {year} 年度报告 #{created.id}：{created.title}")
    if args.open:
        return _run_app(args, created.id)
    return EXIT_OK


# ---- listing, history, undo ------------------------------------------------------------------


def cmd_list(args: argparse.Namespace) -> int:
    """`jixiao list`: a table of the reports, newest first."""
    from tabulate import tabulate

    path = _db_path(args)
    summaries = []
    if path.exists():
        with using_store(args) as store:
            summaries = store.list_summaries()
    if not summaries:
        print(f"数据库 {path} 中还没有报告。用 jixiao new 新建，或 jixiao demo 打开示例。")
        return EXIT_OK
    title_width = _title_width(max(_width(s.title) for s in summaries))
    rows = [
        [
            s.id,
            _cut(s.title, title_width),
            s.year,
            f"{s.progress_done}/{s.progress_total}" if s.progress_total else "—",
            f"{s.errors}/{s.warnings}" if s.errors is not None else "—",
            s.updated_at.astimezone().strftime("%Y-%m-%d %H:%M"),
        ]
        for s in summaries
    ]
    headers = ["编号", "标题", "年度", "进度", "错误/警告", "最后编辑"]
    print(tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True, colalign=_RIGHT_FIRST))
    return EXIT_OK


_RIGHT_FIRST = ("right", "left", "left", "left", "left", "left")
# terminal columns `jixiao list` needs besides the title: id 6, year 6, progress 6, counts 11,
# last edit 16 (tabulate pads headers by 2) and five gaps of 2
_LIST_OTHER_COLUMNS = 6 + 6 + 6 + 11 + 16 + 2 * 5


def _title_width(longest: int) -> int:
    """How wide titles may be so `jixiao list` fits the terminal (unlimited when piped)."""
    if not sys.stdout.isatty():
        return longest
    columns = shutil.get_terminal_size().columns
    return max(12, min(longest, columns - _LIST_OTHER_COLUMNS - 1))


def _width(text: str) -> int:
    from wcwidth import wcswidth

    width = wcswidth(text)
    return width if width >= 0 else len(text)


def cmd_history(args: argparse.Namespace) -> int:
    """`jixiao history REPORT`: the latest changes, newest first."""
    from tabulate import tabulate

    with using_store(args, create=False) as store:
        report = _find(store, args.report)
        revisions = store.history(report.id or 0, limit=args.limit)
    if not revisions:
        print(f"报告 #{report.id} 还没有修改记录。")
        return EXIT_OK
    rows = [
        [
            r.revision,
            r.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
            r.user,
            r.what,
            _cut(r.old),
            _cut(r.new),
        ]
        for r in revisions
    ]
    headers = ["版本", "时间", "用户", "内容", "原值", "新值"]
    print(tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True, colalign=_RIGHT_FIRST))
    return EXIT_OK


def _cut(text: str, width: int = 24) -> str:
    """``text`` on one line, cut with … to at most ``width`` terminal columns."""
    flat = " ".join(text.split())
    if _width(flat) <= width:
        return flat
    kept, used = [], 1
    for char in flat:
        used += _width(char)
        if used > width:
            break
        kept.append(char)
    return "".join(kept) + "…"


def cmd_undo(args: argparse.Namespace) -> int:
    """`jixiao undo REPORT`: revert the latest change."""
    with using_store(args, create=False) as store:
        report = _find(store, args.report)
        undone = store.undo(report.id or 0)
        if undone is not None:
            refresh_status(store, store.load(report.id or 0))
        else:
            print(f"报告 #{report.id} {store.nothing_to_undo(report.id or 0)}")
            return EXIT_OK
    print(f"已撤销：{undone.what}（恢复为 {_cut(undone.new, 40)}）")
    return EXIT_OK


# ---- checking --------------------------------------------------------------------------------


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def check_payload(report: Report, findings: list[Finding]) -> dict[str, Any]:
    """The JSON object `jixiao check --format json` prints."""
    score = score_report(report)
    return {
        "report": {"id": report.id, "title": report.title, "year": report.year},
        "score": {
            "execution_rate": _number(score.execution_rate),
            "execution_score": _number(score.execution_score),
            "by_level": {level.value: float(value) for level, value in score.by_level.items()},
            "total": float(score.total),
            "grade": score.grade.value,
            "claimed": _number(score.claimed),
        },
        "findings": [
            {
                "severity": f.severity.value,
                "code": f.code,
                "where": f.where.describe(),
                "message": f.message,
                "hint": f.hint,
                "fix": _fix_payload(f),
            }
            for f in findings
        ],
    }


def _fix_payload(finding: Finding) -> dict[str, str] | None:
    """A finding's fix as `check --format json` gives it; ``text`` is the new prose where it is prose."""
    fix = finding.fix
    if fix is None:
        return None
    payload = {"label": fix.label, "path": fix.path, "before": fix.before, "after": fix.after}
    if isinstance(fix.value, str):
        payload["text"] = fix.value
    return payload


def format_check_text(report: Report, findings: list[Finding]) -> str:
    """The human-readable `jixiao check` output."""
    score = score_report(report)
    lines = [f"报告 #{report.id}：{report.title}（{report.year} 年度）"]
    if score.execution_rate is not None and score.execution_score is not None:
        lines.append(f"执行率 {score.execution_rate * 100:.2f}%，得 {score.execution_score:.2f} 分")
    levels = "，".join(f"{level.value} {value:.2f}" for level, value in score.by_level.items())
    lines.append(f"指标得分：{levels or '无'}")
    claimed = f"；自评 {score.claimed} 分" if score.claimed is not None else ""
    lines.append(f"计算总分 {score.total:.2f}（{score.grade.value}）{claimed}")
    counts = {severity: sum(1 for f in findings if f.severity is severity) for severity in Severity}
    lines.append(" · ".join(f"{SEVERITY_NAMES[s]} {n}" for s, n in counts.items()))
    for finding in findings:
        place = finding.where.describe()
        lines.append(f"[{SEVERITY_NAMES[finding.severity]}] {finding.code}  {place}：{finding.message}")
        if finding.hint:
            lines.append(f"    → {finding.hint}")
        if finding.fix is not None:  # the app takes it with F9 or /fix
            lines.append(f"    ⇒ 可修正：{finding.fix.label}：{finding.fix.before} → {finding.fix.after}")
    return "\n".join(lines)


def cmd_check(args: argparse.Namespace) -> int:
    """`jixiao check REPORT` or `jixiao check --all`: findings and score; exit 1 when there is an error finding."""
    if args.all and args.report is not None:
        raise UserFacingError(
            "请只给出一份报告，或用 --all 检查全部报告，两者不能同时使用（用 jixiao check --help 查看用法）"
        )
    if not args.all and args.report is None:
        raise UserFacingError(
            "请给出要检查的报告（编号或标题开头），或用 --all 检查数据库中的全部报告（用 jixiao check --help 查看用法）"
        )
    if args.all:
        return _check_all(args)
    if args.format == "csv":
        raise UserFacingError(
            "csv 格式只用于 --all（全部报告一张表）：检查一份报告请用 --format text 或 json"
        )
    with using_store(args, create=False) as store:
        report = _find(store, args.report)
    findings = check_report(report, outline_for(report))
    if args.format == "json":
        print(json.dumps(check_payload(report, findings), ensure_ascii=False, indent=2))
    else:
        print(format_check_text(report, findings))
    return EXIT_FINDINGS if any(f.severity is Severity.ERROR for f in findings) else EXIT_OK


@dataclass(frozen=True)
class TriageRow:
    """One report's line in `jixiao check --all`: who, what, the computed and the claimed score, the counts."""

    id: int
    title: str
    unit_name: str
    year: int
    total: Decimal
    grade: str
    claimed: Decimal | None
    errors: int
    warnings: int
    first_error: str


TRIAGE_HEADERS = (
    "编号",
    "标题",
    "实施单位",
    "年度",
    "计算得分",
    "等级",
    "自评得分",
    "错误",
    "警告",
    "第一条错误",
)


def triage_row(report: Report, findings: list[Finding], score: ScoreResult | None = None) -> TriageRow:
    """The `check --all` line of one report, from its findings (and its score, when the caller has it)."""
    score = score if score is not None else score_report(report)
    errors = [f for f in findings if f.severity is Severity.ERROR]
    first = f"{errors[0].where.describe()}：{errors[0].message}" if errors else ""
    return TriageRow(
        id=report.id or 0,
        title=report.title,
        unit_name=report.unit_name,
        year=report.year,
        total=score.total,
        grade=score.grade.value,
        claimed=score.claimed,
        errors=len(errors),
        warnings=sum(1 for f in findings if f.severity is Severity.WARNING),
        first_error=" ".join(first.split()),
    )


def _triage_cells(row: TriageRow) -> list[str]:
    claimed = "" if row.claimed is None else f"{row.claimed:.2f}"
    return [str(row.id), row.title, row.unit_name, str(row.year), f"{row.total:.2f}", row.grade, claimed,
            str(row.errors), str(row.warnings), row.first_error]  # fmt: skip


def format_triage_text(rows: list[TriageRow]) -> str:
    """The `check --all` table for a terminal: columns aligned by display width (Chinese counts two)."""
    table = [list(TRIAGE_HEADERS), *(_triage_cells(row) for row in rows)]
    for line in table[1:]:
        line[1], line[2], line[9] = _cut(line[1], 30), _cut(line[2], 16), _cut(line[9], 60)
    widths = [max(_width(line[column]) for line in table) for column in range(len(TRIAGE_HEADERS))]
    numeric = {0, 3, 4, 6, 7, 8}
    out = []
    for line in table:
        cells = []
        for column, text in enumerate(line):
            pad = " " * (widths[column] - _width(text))
            cells.append(pad + text if column in numeric else text + pad)
        out.append("  ".join(cells).rstrip())
    errors = sum(1 for row in rows if row.errors)
    out.append(f"共 {len(rows)} 份报告，其中 {errors} 份有错误")
    return "\n".join(out)


def format_triage_csv(rows: list[TriageRow]) -> bytes:
    """The `check --all` table as CSV in UTF-8 with a byte order mark, so Excel shows the Chinese."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(TRIAGE_HEADERS)
    writer.writerows(_triage_cells(row) for row in rows)
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def triage_payload(rows: list[TriageRow]) -> list[dict[str, Any]]:
    """The `check --all --format json` array: one object per report."""
    return [
        {
            "id": row.id,
            "title": row.title,
            "unit": row.unit_name,
            "year": row.year,
            "score": float(row.total),
            "grade": row.grade,
            "claimed": _number(row.claimed),
            "errors": row.errors,
            "warnings": row.warnings,
            "first_error": row.first_error or None,
        }
        for row in rows
    ]


PARALLEL_FROM = 200
"""Checking more reports than this at once is shared out among processes, one per core."""


def triage_rows(path: Path, busy_timeout_ms: int, ids: list[int]) -> list[TriageRow]:
    """Load and check the reports ``ids`` from the database at ``path``: their `check --all` lines.

    Opens its own connection, so several processes can each take a share of the reports.
    """
    store = ReportStore.open(path, busy_timeout_ms=busy_timeout_ms)
    try:
        rows = []
        for report_id in ids:
            try:
                report = store.load(report_id)
            except StorageError as error:  # one damaged report must not hide the others
                rows.append(
                    TriageRow(report_id, "（无法读取）", "", 0, Decimal(0), "—", None, 1, 0, error.message)
                )
                continue
            score = score_report(report)
            rows.append(triage_row(report, check_report(report, outline_for(report), score), score))
        return rows
    finally:
        store.close()


def _check_all_rows(args: argparse.Namespace) -> list[TriageRow]:
    with using_store(args, create=False) as store:
        ids = sorted(summary.id for summary in store.list_summaries())
        path, timeout = store.path, resolve_busy_timeout_ms(os.environ, DEFAULT_BUSY_TIMEOUT_MS)
    import multiprocessing

    workers = min(os.cpu_count() or 1, 8)
    # only where processes fork: a spawned worker would import everything again (seconds on Windows)
    if len(ids) < PARALLEL_FROM or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        try:
            return triage_rows(path, timeout, ids)
        except StorageError as error:
            raise UserFacingError(error.message) from error
    import concurrent.futures
    import gc

    gc.freeze()  # the workers share the parent's objects without copying their pages
    # chunks taken in turn, so one process does not end up with all the long reports
    chunks = [ids[start : start + 500] for start in range(0, len(ids), 500)]
    with concurrent.futures.ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("fork")
    ) as pool:
        try:
            parts = list(pool.map(triage_rows, [path] * len(chunks), [timeout] * len(chunks), chunks))
        except StorageError as error:
            raise UserFacingError(error.message) from error
    return [row for part in parts for row in part]


def _check_all(args: argparse.Namespace) -> int:
    rows = _check_all_rows(args)
    if args.format == "json":
        print(json.dumps(triage_payload(rows), ensure_ascii=False, indent=2))
    elif args.format == "csv":
        sys.stdout.flush()
        sys.stdout.buffer.write(format_triage_csv(rows))
        sys.stdout.buffer.flush()
    elif rows:
        print(format_triage_text(rows))
    else:
        print("数据库中还没有报告。")
    return EXIT_FINDINGS if any(row.errors for row in rows) else EXIT_OK


# ---- export and import -----------------------------------------------------------------------


def _export_format(args: argparse.Namespace) -> ExportFormat:
    """The format asked for: ``--format``, else the extension of ``-o``, else Markdown."""
    by_path = format_for_path(Path(args.output)) if args.output and args.output != "-" else None
    if args.format is None:
        return by_path or EXPORT_FORMATS["md"]
    chosen = EXPORT_FORMATS[args.format]
    if by_path is not None and by_path is not chosen:
        raise UserFacingError(
            f"输出文件 {args.output} 的扩展名是 .{by_path.extension}，与 --format {chosen.name} 不一致："
            f"请把文件名改为 .{chosen.extension}，或去掉 --format 让扩展名决定格式"
        )
    return chosen


def cmd_export(args: argparse.Namespace) -> int:
    """`jixiao export REPORT`: write Markdown, Word, Excel or JSON atomically, or to stdout with -o -."""
    fmt = _export_format(args)
    if args.output == "-" and fmt.binary and sys.stdout.isatty():
        raise UserFacingError(
            f"{fmt.label.split('（')[0]} 文件是二进制的，不能输出到终端：请用 -o 文件名.{fmt.extension}，或把输出重定向到文件"
        )
    with using_store(args, create=False) as store:
        report = _find(store, args.report)
    data = export_document(report, fmt)
    if args.output == "-":
        if fmt.binary:
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data.decode("utf-8"))
        return EXIT_OK
    path = Path(args.output) if args.output else Path(default_export_name(report, fmt.extension))
    write_file_atomically(path, data, force=args.force)
    print(f"已导出到 {path}")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    """`jixiao import FILE …`: Word, Excel, text/Markdown or a JSON export, each into new reports.

    With several files each is imported and reported on its own; one that fails gets its
    Chinese line on stderr and the others are still imported (exit 2 then). With ``--into``
    the one file's 自评表 figures go into an existing report as one undoable change.
    """
    paths = [Path(name) for name in args.files]
    if args.into is not None:
        if len(paths) > 1:
            raise UserFacingError("--into 一次只能导入一个文件：请逐个文件执行")
        return _import_into(args, paths[0])
    if len(paths) == 1:
        _import_one(args, paths[0], headed=False)
        return EXIT_OK
    failed = 0
    for path in paths:
        try:
            _import_one(args, path, headed=True)
        except UserFacingError as error:
            sys.stdout.flush()
            print(f"jixiao：{error}", file=sys.stderr)
            failed += 1
    print(f"共 {len(paths)} 个文件：导入 {len(paths) - failed} 个，失败 {failed} 个")
    return EXIT_ERROR if failed else EXIT_OK


def _import_one(args: argparse.Namespace, path: Path, *, headed: bool) -> None:
    from tui.importing import import_report_file

    outcome = import_report_file(path)
    outcomes = outcome.outcomes
    created_reports = []
    with using_store(args) as store:
        for item in outcomes:
            created = store.create(item.report)
            refresh_status(store, created)
            created_reports.append(created)
    if headed:
        print(f"【{path}】")
    if len(outcomes) > 1:
        listed = "、".join(f"#{created.id} {created.title}" for created in created_reports)
        print(f"{path} 中有 {len(outcomes)} 张自评表，已导入为 {len(outcomes)} 份报告：{listed}")
    for item, created in zip(outcomes, created_reports, strict=True):
        print(f"已导入为报告 #{created.id}：{created.title}（{created.year}）")
        for line in item.summary:
            print(line)
        if item.recognised:
            findings = check_report(created, outline_for(created))
            print(format_check_text(created, findings))


def _import_into(args: argparse.Namespace, path: Path) -> int:
    from tui.importing import form_changes, import_report_file

    outcome = import_report_file(path)
    with using_store(args, create=False) as store:
        report = _find(store, args.into)
        assert report.id is not None
        changes, differences = form_changes(report, outcome, path)
        before = report.revision
        revision = store.apply_many(report.id, changes, before)
        updated = store.load(report.id)
        refresh_status(store, updated)
    if revision == before:
        print(f"{path} 中自评表的数字与报告 #{report.id} 已有的一致，没有改动")
        return EXIT_OK
    print(
        f"已把 {path} 中自评表的数字导入报告 #{report.id}：{report.title}"
        f"（一次修改，可用 jixiao undo {report.id} 撤销）"
    )
    form = next(item.form for item in outcome.outcomes if item.form is not None)
    print(f"自评表：{form.where}")
    for line in form.found:
        print(line)
    for line in form.skipped:
        print(f"无法识别，未导入：{line}")
    if differences:
        print("与原报告不同之处（已改为自评表的数字）：")
        for line in differences:
            print(f"  · {line}")
    print(format_check_text(updated, check_report(updated, outline_for(updated))))
    return EXIT_OK
