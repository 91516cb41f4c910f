"""The verbs of the `jixiao` command, one function each. No Textual here unless the app opens."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from report.checks import Finding, Severity, check_report
from report.errors import ParseError
from report.model import MoneyUnit, Report
from report.scoring import score_report
from storage.errors import StorageError
from storage.paths import resolve_db_path
from storage.store import ReportStore

EXIT_OK = 0
EXIT_FINDINGS = 1
MAX_IMPORT_BYTES = 20 * 1024 * 1024
SEVERITY_NAMES = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}


class UserFacingError(Exception):
    """Something to tell the user in one Chinese line; the command exits 2."""


def _db_path(args: argparse.Namespace) -> Path:
    return resolve_db_path(getattr(args, "db", None), os.environ)


def open_store(args: argparse.Namespace) -> ReportStore:
    """Open the database the arguments point at, turning storage failures into a user-facing error."""
    try:
        return ReportStore.open(_db_path(args))
    except StorageError as error:
        raise UserFacingError(error.message) from error


def _find(store: ReportStore, ref: str) -> Report:
    try:
        return store.load(store.find(ref))
    except StorageError as error:
        raise UserFacingError(error.message) from error


def _outline_for(report: Report) -> Any:
    from prompts.templates import TemplateError, load_template

    try:
        return load_template(report.template_id).outline
    except TemplateError as error:
        raise UserFacingError(str(error)) from error


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
    store = open_store(args)
    try:
        report = _find(store, args.report)
    finally:
        store.close()
    return _run_app(args, report.id)


def cmd_demo(args: argparse.Namespace) -> int:
    """`jixiao demo`: create (or reset) the demo report, then open it unless --no-open."""
    from report.demo import build_demo_report

    store = open_store(args)
    try:
        demo = build_demo_report()
        for summary in store.list_summaries():
            if summary.title == demo.title:
                store.delete(summary.id)
        created = store.create(demo)
    except StorageError as error:
        raise UserFacingError(error.message) from error
    finally:
        store.close()
    if args.no_open:
        print(created.id)
        return EXIT_OK
    return _run_app(args, created.id)


# ---- creating ---------------------------------------------------------------------------------


def _ask(label: str, default: str = "") -> str:
    if not sys.stdin.isatty():
        raise UserFacingError(f"缺少{label}：请用参数给出（见 jixiao new --help）")
    shown = f"（默认 {default}）" if default else ""
    answer = input(f"{label}{shown}：").strip()
    return answer or default


def cmd_new(args: argparse.Namespace) -> int:
    """`jixiao new`: create a report from flags, asking on the terminal for what is missing."""
    from prompts.templates import available_templates

    if args.from_report:
        return _new_from_previous(args)
    templates = dict(available_templates())
    title = args.title or _ask("报告标题")
    if not title.strip():
        raise UserFacingError("报告标题不能为空")
    unit_name = args.unit if args.unit is not None else _ask("实施单位")
    department = args.department if args.department is not None else _ask("主管部门")
    year_text = str(args.year) if args.year is not None else _ask("评价年度", "2020")
    if not year_text.isdigit() or not 2000 <= int(year_text) <= 2100:
        raise UserFacingError(f"年度“{year_text}”无效：请写四位年份，例如 2020")
    template_id = args.template or _ask("提纲（eight_part 或 seven_part_2020）", "eight_part")
    if template_id not in templates:
        raise UserFacingError(f"没有名为“{template_id}”的提纲：可选 {'、'.join(templates)}")
    unit_text = args.money_unit or _ask("金额单位（元 或 万元）", "万元")
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
    store = open_store(args)
    try:
        created = store.create(report)
    except StorageError as error:
        raise UserFacingError(error.message) from error
    finally:
        store.close()
    print(f"已新建报告 #{created.id}：{created.title}（{created.year}）")
    if args.open:
        return _run_app(args, created.id)
    return EXIT_OK


def _new_from_previous(args: argparse.Namespace) -> int:
    from report.carryover import next_year_report

    store = open_store(args)
    try:
        previous = _find(store, args.from_report)
        year = args.year if args.year is not None else previous.year + 1
        created = store.create(next_year_report(previous, year, title=args.title))
    except StorageError as error:
        raise UserFacingError(error.message) from error
    finally:
        store.close()
    print(f"已以 #{previous.id} 为底稿新建 {year} 年度报告 #{created.id}：{created.title}")
    if args.open:
        return _run_app(args, created.id)
    return EXIT_OK


# ---- listing, history, undo ------------------------------------------------------------------


def cmd_list(args: argparse.Namespace) -> int:
    """`jixiao list`: a table of the reports, newest first."""
    from tabulate import tabulate

    store = open_store(args)
    try:
        summaries = store.list_summaries()
    except StorageError as error:
        raise UserFacingError(error.message) from error
    finally:
        store.close()
    if not summaries:
        print("数据库中还没有报告。用 jixiao new 新建，或 jixiao demo 打开示例。")
        return EXIT_OK
    rows = [
        [
            s.id,
            s.title,
            s.year,
            f"{s.progress_done}/{s.progress_total}" if s.progress_total else "—",
            f"{s.errors}/{s.warnings}" if s.errors is not None else "—",
            s.updated_at.astimezone().strftime("%Y-%m-%d %H:%M"),
        ]
        for s in summaries
    ]
    print(
        tabulate(rows, headers=["编号", "标题", "年度", "进度", "错误/警告", "最后编辑"], tablefmt="simple")
    )
    return EXIT_OK


def cmd_history(args: argparse.Namespace) -> int:
    """`jixiao history REPORT`: the latest changes, newest first."""
    from tabulate import tabulate

    store = open_store(args)
    try:
        report = _find(store, args.report)
        revisions = store.history(report.id or 0, limit=args.limit)
    except StorageError as error:
        raise UserFacingError(error.message) from error
    finally:
        store.close()
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
    print(tabulate(rows, headers=["版本", "时间", "用户", "内容", "原值", "新值"], tablefmt="simple"))
    return EXIT_OK


def _cut(text: str, width: int = 24) -> str:
    flat = text.replace("\n", " ")
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def cmd_undo(args: argparse.Namespace) -> int:
    """`jixiao undo REPORT`: revert the latest change."""
    store = open_store(args)
    try:
        report = _find(store, args.report)
        undone = store.undo(report.id or 0)
    except StorageError as error:
        raise UserFacingError(error.message) from error
    finally:
        store.close()
    if undone is None:
        print(f"报告 #{report.id} 没有可撤销的修改。")
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
            }
            for f in findings
        ],
    }


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
    return "\n".join(lines)


def cmd_check(args: argparse.Namespace) -> int:
    """`jixiao check REPORT`: findings and score; exit 1 when there is an error finding."""
    store = open_store(args)
    try:
        report = _find(store, args.report)
    finally:
        store.close()
    findings = check_report(report, _outline_for(report))
    if args.format == "json":
        print(json.dumps(check_payload(report, findings), ensure_ascii=False, indent=2))
    else:
        print(format_check_text(report, findings))
    return EXIT_FINDINGS if any(f.severity is Severity.ERROR for f in findings) else EXIT_OK


# ---- export and import -----------------------------------------------------------------------


def default_export_name(report: Report, extension: str) -> str:
    """``标题-年度.md`` with characters that file systems refuse replaced."""
    safe = "".join("_" if ch in '/\\:*?"<>|\0' else ch for ch in report.title).strip() or "report"
    return f"{safe}-{report.year}.{extension}"


def write_atomically(path: Path, text: str, *, force: bool) -> None:
    """Write through a temp file and a rename; never overwrite without force, never through a symlink."""
    if path.is_symlink():
        if not force:
            raise UserFacingError(f"{path} 是符号链接，为安全起见不写入；加 --force 则用新文件替换该链接本身")
    elif path.exists():
        if path.is_dir():
            raise UserFacingError(f"{path} 是目录：请给出文件名")
        if not force:
            raise UserFacingError(f"{path} 已存在：加 --force 覆盖，或用 -o 指定另一个文件")
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except FileNotFoundError as error:
        raise UserFacingError(f"目录 {directory} 不存在：请先创建它或换一个路径") from error
    except PermissionError as error:
        raise UserFacingError(f"没有权限写入目录 {directory}：请换一个可写的路径") from error
    except OSError as error:
        raise UserFacingError(f"无法在 {directory} 中写文件：{error.strerror}") from error
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, 0o600)
        os.replace(temp_name, path)
    except OSError as error:
        Path(temp_name).unlink(missing_ok=True)
        raise UserFacingError(f"写入 {path} 失败：{error.strerror}（原文件未改动）") from error


def export_text(report: Report, fmt: str) -> str:
    """The exported document: Markdown from the one renderer, or the JSON the import takes back."""
    if fmt == "json":
        from report.serialize import report_to_dict

        return json.dumps(report_to_dict(report), ensure_ascii=False, indent=2) + "\n"
    from report.render import render_report

    return render_report(report, _outline_for(report))


def cmd_export(args: argparse.Namespace) -> int:
    """`jixiao export REPORT`: write Markdown or JSON atomically, or to stdout with -o -."""
    store = open_store(args)
    try:
        report = _find(store, args.report)
    finally:
        store.close()
    text = export_text(report, args.format)
    if args.output == "-":
        sys.stdout.write(text)
        return EXIT_OK
    path = Path(args.output) if args.output else Path(default_export_name(report, args.format))
    write_atomically(path, text, force=args.force)
    print(f"已导出到 {path}")
    return EXIT_OK


def read_import_file(path: Path) -> bytes:
    """The bytes of a file to import; refuses missing, empty, oversized and binary files."""
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise UserFacingError(
                f"{path} 有 {size / 1024 / 1024:.1f} MB，超过 20 MB 的导入上限：请确认文件是否正确"
            )
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise UserFacingError(f"找不到文件 {path}") from error
    except IsADirectoryError as error:
        raise UserFacingError(f"{path} 是目录，不是文件") from error
    except PermissionError as error:
        raise UserFacingError(f"没有权限读取 {path}") from error
    if not data.strip():
        raise UserFacingError(f"{path} 是空文件，没有可导入的内容")
    if b"\0" in data[:8192]:
        raise UserFacingError(
            f"{path} 是二进制文件（如 .docx 或 .pdf）：请先另存为纯文本（.txt）或 Markdown 再导入"
        )
    return data


def cmd_import(args: argparse.Namespace) -> int:
    """`jixiao import FILE`: a JSON export, or a text/Markdown report of an earlier year."""
    path = Path(args.file)
    data = read_import_file(path)
    if path.suffix.lower() == ".json":
        report = _report_from_json(path, data)
        summary_lines: list[str] = []
    else:
        from report.importer import import_text

        try:
            result = import_text(data)
        except ParseError as error:
            raise UserFacingError(f"{path}：{error}") from error
        report, summary_lines = result.report, result.summary_lines()
    store = open_store(args)
    try:
        created = store.create(report)
    except StorageError as error:
        raise UserFacingError(error.message) from error
    finally:
        store.close()
    print(f"已导入为报告 #{created.id}：{created.title}（{created.year}）")
    for line in summary_lines:
        print(line)
    if summary_lines:
        findings = check_report(created, _outline_for(created))
        print(format_check_text(created, findings))
    return EXIT_OK


def _report_from_json(path: Path, data: bytes) -> Report:
    from report.serialize import report_from_dict

    try:
        payload = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UserFacingError(f"{path} 不是有效的 JSON：{error}") from error
    if not isinstance(payload, dict):
        raise UserFacingError(f"{path} 不是 jixiao 导出的报告（顶层应为对象）")
    try:
        report = report_from_dict(payload)
    except ParseError as error:
        raise UserFacingError(f"{path} 无法导入：{error}") from error
    report.id = None
    return report
