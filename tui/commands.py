"""The verbs of the `jixiao` command, one function each. No Textual here unless the app opens."""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from report.checks import Finding, Severity, check_report, years_in_title
from report.errors import ParseError
from report.model import MoneyUnit, Report
from report.scoring import score_report
from storage.db import DEFAULT_BUSY_TIMEOUT_MS
from storage.errors import StorageError
from storage.paths import resolve_busy_timeout_ms, resolve_db_path
from storage.store import ReportStore

EXIT_OK = 0
EXIT_FINDINGS = 1
MAX_IMPORT_BYTES = 20 * 1024 * 1024
MAX_FILE_NAME_BYTES = 200  # below the usual 255-byte limit, leaving room for "-2020.md"
SEVERITY_NAMES = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}


class UserFacingError(Exception):
    """Something to tell the user in one Chinese line; the command exits 2."""


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


def _template_for(report: Report) -> Any:
    from prompts.templates import TemplateError, load_template

    try:
        return load_template(report.template_id)
    except TemplateError as error:
        raise UserFacingError(str(error)) from error


def _outline_for(report: Report) -> Any:
    return _template_for(report).outline


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
    with using_store(args, create=False) as store:
        report = _find(store, args.report)
    findings = check_report(report, _outline_for(report))
    if args.format == "json":
        print(json.dumps(check_payload(report, findings), ensure_ascii=False, indent=2))
    else:
        print(format_check_text(report, findings))
    return EXIT_FINDINGS if any(f.severity is Severity.ERROR for f in findings) else EXIT_OK


# ---- export and import -----------------------------------------------------------------------

_OS_REASONS = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "磁盘配额已满",
    errno.EROFS: "文件系统是只读的",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.ENAMETOOLONG: "文件名太长",
    errno.ENOENT: "目录不存在",
    errno.ENOTDIR: "路径中有一段不是目录",
    errno.EISDIR: "这是一个目录",
}


def os_reason(error: OSError) -> str:
    """A short Chinese reason for an OS error (the system's own words when there is none)."""
    return _OS_REASONS.get(error.errno or 0, error.strerror or str(error))


def default_export_name(report: Report, extension: str) -> str:
    """``标题-年度.md`` with characters that file systems refuse replaced and overlong titles cut."""
    safe = "".join("_" if ch in '/\\:*?"<>|\0' or ord(ch) < 32 else ch for ch in report.title)
    safe = safe.strip().strip(".") or "report"
    while len(os.fsencode(safe)) > MAX_FILE_NAME_BYTES:
        safe = safe[:-1]
    return f"{safe}-{report.year}.{extension}"


def write_atomically(path: Path, text: str, *, force: bool) -> None:
    """Write through a temp file and a rename; never overwrite without force, never through a symlink.

    Without ``force`` the final step is a hard link, which fails if the name was taken meanwhile,
    so even a file created during the export is not overwritten. With ``force`` a symlink at
    ``path`` is replaced by the new file; the file it pointed to is left alone.
    """
    if path.exists() and not path.is_file() and not path.is_dir():
        # a device, pipe or socket (`-o /dev/stdout`): replacing it would break the system
        raise UserFacingError(f"{path} 不是普通文件（是设备或管道）：要输出到标准输出请用 -o -")
    if path.is_symlink():
        if not force:
            raise UserFacingError(f"{path} 是符号链接，为安全起见不写入；加 --force 则用新文件替换该链接本身")
    elif path.is_dir():
        raise UserFacingError(f"{path} 是目录：请给出文件名")
    elif path.exists() and not force:
        raise UserFacingError(f"{path} 已存在：加 --force 覆盖，或用 -o 指定另一个文件")
    directory = path.parent
    try:
        fd, temp_name = tempfile.mkstemp(prefix=".jixiao-export-", suffix=".tmp", dir=directory)
    except FileNotFoundError as error:
        raise UserFacingError(f"目录 {directory} 不存在：请先创建它或换一个路径") from error
    except PermissionError as error:
        raise UserFacingError(f"没有权限写入目录 {directory}：请换一个可写的路径") from error
    except OSError as error:
        raise UserFacingError(f"无法在目录 {directory} 中写文件：{os_reason(error)}") from error
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o600)
        if force:
            os.replace(temp, path)
        else:
            _link_without_clobbering(temp, path)
    except OSError as error:
        raise UserFacingError(f"写入 {path} 失败：{os_reason(error)}（原有文件未改动）") from error
    finally:
        temp.unlink(missing_ok=True)


def _link_without_clobbering(temp: Path, path: Path) -> None:
    try:
        os.link(temp, path, follow_symlinks=False)
    except FileExistsError as error:
        raise UserFacingError(f"{path} 已存在：加 --force 覆盖，或用 -o 指定另一个文件") from error
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
            raise
        # a file system without hard links (FAT, some network shares): check, then rename
        if path.exists() or path.is_symlink():
            raise UserFacingError(f"{path} 已存在：加 --force 覆盖，或用 -o 指定另一个文件") from error
        os.replace(temp, path)


def export_text(report: Report, fmt: str) -> str:
    """The exported document: Markdown from the one renderer, or the JSON the import takes back."""
    if fmt == "json":
        from report.serialize import report_to_dict

        return json.dumps(report_to_dict(report), ensure_ascii=False, indent=2) + "\n"
    from report.render import render_report

    return render_report(report, _outline_for(report))


def cmd_export(args: argparse.Namespace) -> int:
    """`jixiao export REPORT`: write Markdown or JSON atomically, or to stdout with -o -."""
    with using_store(args, create=False) as store:
        report = _find(store, args.report)
    text = export_text(report, args.format)
    if args.output == "-":
        sys.stdout.write(text)
        return EXIT_OK
    path = Path(args.output) if args.output else Path(default_export_name(report, args.format))
    write_atomically(path, text, force=args.force)
    print(f"已导出到 {path}")
    return EXIT_OK


def _too_large(path: Path, size: int) -> UserFacingError:
    return UserFacingError(
        f"{path} 有 {size / 1024 / 1024:.1f} MB，超过 20 MB 的导入上限：请确认文件是否正确"
    )


def read_import_file(path: Path) -> bytes:
    """The bytes of a file to import; refuses missing, empty and oversized files, and binary JSON.

    Only regular files: a device (``/dev/zero`` never ends), a pipe (blocks until someone writes)
    or a socket is refused without being read, and at most 20 MB are ever read.
    """
    try:
        # O_NONBLOCK: opening a pipe must not wait for a writer; the open file is then checked
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(descriptor, "rb") as handle:
            info = os.fstat(handle.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise IsADirectoryError(errno.EISDIR, "Is a directory")
            if not stat.S_ISREG(info.st_mode):
                raise UserFacingError(
                    f"{path} 不是普通文件（是设备、管道或套接字），无法导入：请选择报告文件"
                )
            if info.st_size > MAX_IMPORT_BYTES:
                raise _too_large(path, info.st_size)
            data = handle.read(MAX_IMPORT_BYTES + 1)
        if len(data) > MAX_IMPORT_BYTES:  # it grew while being read
            raise _too_large(path, len(data))
    except FileNotFoundError as error:
        raise UserFacingError(f"找不到文件 {path}") from error
    except IsADirectoryError as error:
        raise UserFacingError(f"{path} 是目录，不是文件") from error
    except PermissionError as error:
        raise UserFacingError(f"没有权限读取 {path}") from error
    except OSError as error:
        raise UserFacingError(f"无法读取 {path}：{os_reason(error)}") from error
    if not data.strip():
        raise UserFacingError(f"{path} 是空文件，没有可导入的内容")
    if path.suffix.lower() == ".json" and b"\0" in data[:8192]:
        raise UserFacingError(f"{path} 是二进制文件，不是 jixiao 导出的 JSON：请检查文件是否选错")
    return data


def cmd_import(args: argparse.Namespace) -> int:
    """`jixiao import FILE`: a JSON export, or a text/Markdown report of an earlier year."""
    path = Path(args.file)
    data = read_import_file(path)
    if path.suffix.lower() == ".json":
        report = _report_from_json(path, data)
        summary_lines: list[str] = []
    else:
        from prompts.templates import available_templates, load_template
        from report.importer import import_text

        outlines = [load_template(template_id).outline for template_id, _name in available_templates()]
        try:
            result = import_text(data, outlines)
        except ParseError as error:
            raise UserFacingError(f"{path}：{error}") from error
        report, summary_lines = result.report, result.summary_lines()
    with using_store(args) as store:
        created = store.create(report)
        refresh_status(store, created)
    print(f"已导入为报告 #{created.id}：{created.title}（{created.year}）")
    for line in summary_lines:
        print(line)
    if summary_lines:
        findings = check_report(created, _outline_for(created))
        print(format_check_text(created, findings))
    return EXIT_OK


def _report_from_json(path: Path, data: bytes) -> Report:
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
    from prompts.templates import available_templates

    known = dict(available_templates())
    if report.template_id not in known:
        raise UserFacingError(
            f"{path} 无法导入：提纲“{report.template_id}”不存在（可用：{'、'.join(known)}）；"
            "可能是更新版本的 jixiao 导出的，请升级后再导入"
        )
    report.id = None
    return report
