"""The Textual app: home screen, drafting screen, dialogs. Opened by `jixiao`, `jixiao open`, `jixiao demo`."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from report.model import MoneyUnit, Report
from storage.db import DEFAULT_BUSY_TIMEOUT_MS
from storage.errors import StorageError
from storage.files import write_file_atomically
from storage.paths import resolve_busy_timeout_ms
from storage.store import ReportStore
from tui.keymap import load_keymap

if TYPE_CHECKING:  # the dialogs (and the widgets they use) load when one is first shown
    from tui.screens.dialogs import ExportChoice, NewReportForm

EXIT_OK = 0
EXIT_ERROR = 2


class JixiaoApp(App[int]):
    """jixiao: guided drafting of 项目支出绩效（自）评价报告."""

    CSS_PATH = "app.tcss"
    TITLE = "jixiao 绩效"
    ENABLE_COMMAND_PALETTE = True
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    BINDINGS = [
        Binding("ctrl+q", "quit", "退出", id="app.quit", priority=True),
        Binding(
            "ctrl+p",
            "command_palette",
            "命令",
            id="app.palette",
            priority=True,
            show=False,
            tooltip="打开命令面板",
        ),
    ]

    def __init__(self, db_path: Path, report_id: int | None = None) -> None:
        super().__init__()
        self.db_path = db_path
        self.initial_report_id = report_id
        busy_ms = resolve_busy_timeout_ms(os.environ, DEFAULT_BUSY_TIMEOUT_MS)
        self.store: ReportStore = ReportStore.open(db_path, busy_timeout_ms=busy_ms)
        self.animation_level = "none"
        keymap, self.keymap_warning = load_keymap()
        if keymap:
            self.set_keymap(keymap)

    def on_mount(self) -> None:
        if self.keymap_warning:
            self.notify(self.keymap_warning, severity="warning", markup=False)
        # `jixiao open N` / `demo` go straight to the report: the list is built when the user goes
        # back to it (it cost start-up time for a screen nobody saw yet)
        if self.initial_report_id is None or not self.open_report(self.initial_report_id):
            self.show_home()

    def show_home(self) -> None:
        """Show the list of reports: the screen below, or a new one in place of the current."""
        from tui.screens.home import HomeScreen

        below = self.screen_stack[-2] if len(self.screen_stack) > 1 else None
        if isinstance(below, HomeScreen):
            self.pop_screen()
        elif len(self.screen_stack) > 1:
            self.switch_screen(HomeScreen())
        else:
            self.push_screen(HomeScreen())

    def action_command_palette(self) -> None:
        """Open the command palette with a Chinese prompt."""
        from textual.command import CommandPalette

        if not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(CommandPalette(placeholder="搜索命令或章节…", id="--command-palette"))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The command palette (ctrl+p), in Chinese: the screen's own commands, then quitting."""
        commands = getattr(screen, "palette_commands", None)
        if callable(commands):
            yield from commands()
        yield SystemCommand("退出", "退出 jixiao（已确认的回答都已保存）", self.action_quit)

    def open_report(self, report_id: int) -> bool:
        """Open a report on the drafting screen; False (and a message) when it cannot be loaded."""
        from tui.screens.draft import DraftScreen
        from tui.session import DraftSession

        try:
            session = DraftSession.open(self.store, report_id)
        except StorageError as error:
            self.notify(error.message, severity="error", timeout=8, markup=False)
            return False
        self.push_screen(DraftScreen(session))
        return True

    def create_report(self, form: NewReportForm) -> None:
        """Create a report from the new-report form and open it."""
        report = Report(
            title=form.title,
            unit_name=form.unit_name,
            department=form.department,
            year=form.year,
            template_id=form.template_id,
            money_unit=MoneyUnit(form.money_unit),
        )
        try:
            created = self.store.create(report)
        except StorageError as error:
            self.notify(error.message, severity="error", timeout=8, markup=False)
            return
        self._opened_new(created)

    def open_demo(self) -> None:
        """Create (or reset) the demo report and open it."""
        from tui.services import create_or_reset_demo

        try:
            demo = create_or_reset_demo(self.store)
        except StorageError as error:
            self.notify(error.message, severity="error", timeout=8, markup=False)
            return
        assert demo.id is not None
        self.open_report(demo.id)

    def start_next_year(self, report_id: int) -> None:
        """Create next year's report from an earlier one and open it."""
        from tui.importing import next_year_from

        try:
            previous = self.store.load(report_id)
            created = self.store.create(next_year_from(previous, previous.year + 1))
        except StorageError as error:
            self.notify(error.message, severity="error", timeout=8, markup=False)
            return
        self.notify(
            f"已以 #{report_id} 为底稿新建 {created.year} 年度报告 #{created.id}；去年的数字按 Tab 可采用",
            markup=False,
        )
        self._opened_new(created)

    def _opened_new(self, created: Report) -> None:
        from tui.services import refresh_status

        assert created.id is not None
        with contextlib.suppress(StorageError):  # only the list's progress column waits for the next save
            refresh_status(self.store, created)
        self.open_report(created.id)

    def ask_import(self) -> None:
        """Ask for a file and import it as a new report."""
        from tui.screens.dialogs import PathDialog

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.import_file(path)

        self.push_screen(
            PathDialog("导入往年报告或自评表（.docx / .xlsx / .txt / .md / .json）", "文件路径", ""), chosen
        )

    def import_file(self, path: Path) -> None:
        """Import a file, show its summary and open the new report (a file of several forms: the first, the others listed)."""
        from tui.importing import import_report_file
        from tui.services import UserFacingError

        try:
            outcome = import_report_file(path)
            created = [self.store.create(item.report) for item in outcome.outcomes]
        except StorageError as error:
            self.notify(error.message, severity="error", timeout=10, markup=False)
            return
        except UserFacingError as error:
            self.notify(str(error), severity="error", timeout=10, markup=False)
            return
        summary = outcome.summary[:8]
        for report in created[1:]:
            from tui.services import refresh_status

            with contextlib.suppress(StorageError):  # only the list's counts wait for the next save
                refresh_status(self.store, report)
        if len(created) > 1:
            others = "、".join(f"#{report.id} {report.title}" for report in created[1:])
            summary = [f"文件中有 {len(created)} 张自评表，另外的已导入为：{others}", *summary]
        self.notify(
            "\n".join(summary) or "已导入",
            title=f"已导入为 #{created[0].id}",
            timeout=12,
            markup=False,
        )
        self._opened_new(created[0])

    def ask_export(self, report_id: int, after: object = None) -> None:
        """Ask for a path and a format (Markdown, Word, Excel) and export the report there."""
        from tui.screens.dialogs import ExportDialog
        from tui.services import EXPORT_FORMATS, UserFacingError, default_export_name, export_document

        try:
            report = self.store.load(report_id)
        except StorageError as error:
            self.notify(error.message, severity="error", timeout=8, markup=False)
            return

        def chosen(choice: ExportChoice | None) -> None:
            if choice is None:
                return
            fmt = EXPORT_FORMATS[choice.format]
            try:
                data = export_document(report, fmt)
                write_file_atomically(choice.path, data, force=choice.overwrite)
            except StorageError as error:
                self.notify(error.message, severity="error", timeout=10, markup=False)
                return
            except UserFacingError as error:
                self.notify(str(error), severity="error", timeout=10, markup=False)
                return
            copied = ""
            if choice.clipboard and not fmt.binary:
                self.copy_to_clipboard(data.decode("utf-8"))
                copied = "，并已复制到剪贴板"
            self.notify(
                f"已导出 {fmt.label.split('（')[0]} 文件到 {choice.path.resolve()}{copied}",
                timeout=10,
                markup=False,
            )

        names = {name: default_export_name(report, name) for name in ("md", "docx", "xlsx")}
        self.push_screen(ExportDialog(Path.cwd(), names), chosen)

    def on_unmount(self) -> None:
        self.store.close()

    def _print_error_renderables(self) -> None:
        """Print only the first (our one-line) message: no traceback, no hints about dev mode."""
        if self._exit_renderables:
            self.error_console.print(self._exit_renderables[0], markup=False, highlight=False)
        self._exit_renderables.clear()

    def _fatal_error(self) -> None:
        """An unexpected error: log the traceback to a file and leave one Chinese line, not a traceback."""
        from tui.crashlog import write_crash_log

        log = write_crash_log()
        where = f"详情已写入 {log}" if log else "详情无法写入日志文件"
        self._exit_renderables.clear()
        self._exit_renderables.append(
            f"jixiao：程序遇到意外错误，已退出。已确认的回答都已保存，不会丢失。{where}，请反馈给开发者。"
        )
        self._close_messages_no_wait()


def run_app(db_path: Path, report_id: int | None = None) -> int:
    """Run the app; returns an exit code. Database failures are one Chinese line, never a traceback."""
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    try:
        app = JixiaoApp(db_path, report_id)
    except StorageError as error:
        print(f"jixiao：{error.message}", file=sys.stderr)
        return EXIT_ERROR
    result = app.run()
    if app.return_code not in (None, 0):
        return EXIT_ERROR
    return result if isinstance(result, int) else EXIT_OK
