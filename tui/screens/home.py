"""Home: the reports in the database, newest first, with keys to open, create, copy, delete, export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Static

from storage.errors import StorageError
from storage.store import ReportSummary
from tui.host import ReportHost, host_of
from tui.screens.dialogs import ConfirmDialog, HelpScreen, NewReportDialog, NewReportForm
from tui.widgets.key_bar import KeyBar

HOME_HELP = [
    "Enter / O   打开所选报告继续填写",
    "N           新建报告（简短表单）",
    "C           复制所选报告（同一年度）",
    "Y           复制为新年度（沿用提纲、预算名目、指标，清空本年数字）",
    "I           导入往年报告（.txt / .md / .json）",
    "E           导出所选报告为 Markdown",
    "D           删除所选报告（需确认）",
    "M           新建（或重置）示例报告",
    "R           刷新列表",
    "Ctrl+P      命令面板",
    "F1          本帮助；Q / Ctrl+Q 退出",
]


PAGE_ROWS = 100


class HomeScreen(Screen[None]):
    """The list of reports."""

    BINDINGS = [
        Binding("enter,o", "open_report", "打开", id="home.open"),
        Binding("n", "new_report", "新建", id="home.new"),
        Binding("c", "duplicate", "复制", id="home.duplicate"),
        Binding("y", "next_year", "复制为新年度", id="home.next_year"),
        Binding("i", "import_file", "导入", id="home.import"),
        Binding("e", "export", "导出", id="home.export"),
        Binding("d,delete", "delete", "删除", id="home.delete"),
        Binding("m", "demo", "示例", id="home.demo"),
        Binding("r", "refresh", "刷新", id="home.refresh", show=False),
        Binding("end", "last_row", "末行", id="home.last_row", show=False, priority=True),
        Binding("f1,ctrl+question_mark", "help", "帮助", id="home.help"),
        Binding("q", "app.quit", "退出", id="home.quit"),
    ]

    @property
    def jixiao(self) -> ReportHost:
        """The app, as the host this screen talks to."""
        return host_of(self.app)

    def compose(self) -> ComposeResult:
        with Vertical(id="home"):
            yield Static("jixiao 绩效 · 项目支出绩效（自）评价报告", id="home-title")
            yield Static("", id="home-empty", markup=False)
            yield DataTable(id="reports", cursor_type="row", zebra_stripes=False)
            yield Static("", id="home-status", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one("#reports", DataTable)
        table.add_columns("编号", "标题", "年度", "单位", "进度", "错误/警告", "最后编辑")
        self._summaries: list[ReportSummary] = []

    def on_screen_resume(self) -> None:
        # also runs when the screen is first shown: the list is filled once, not on mount too
        self.refresh_list()

    def refresh_list(self) -> None:
        """Reload the reports from the database; the first page is shown, more as the cursor nears the end."""
        table = self.query_one("#reports", DataTable)
        selected = self.selected_id()
        try:
            summaries = self.jixiao.store.list_summaries()
        except StorageError as error:
            self.status(f"✗ {error.message}")
            return
        table.clear()
        self._summaries = summaries
        self._show_more(until_id=selected)
        empty = self.query_one("#home-empty", Static)
        if summaries:
            empty.update("")
            empty.display = False
            if selected is not None and str(selected) in table.rows:
                table.move_cursor(row=table.get_row_index(str(selected)))
            table.focus()
        else:
            empty.display = True
            empty.update(
                "数据库中还没有报告。\n\n  按 M 打开示例报告，看看 jixiao 怎样引导和检查；\n  按 N 新建你自己的报告；\n  按 I 导入往年的报告或自评表（Word、Excel 或文本）。"
            )

    def _show_more(self, until_id: int | None = None) -> None:
        # Adding rows costs ~0.3 ms each: 10,000 reports took 3 s before the list appeared.
        table = self.query_one("#reports", DataTable)
        start = table.row_count
        end = min(len(self._summaries), start + PAGE_ROWS)
        if until_id is not None:
            ids = [s.id for s in self._summaries]
            if until_id in ids:
                end = max(end, ids.index(until_id) + 1)
        for summary in self._summaries[start:end]:
            table.add_row(*_cells(summary), key=str(summary.id))
        self._show_count()

    def _show_count(self) -> None:
        shown, total = self.query_one("#reports", DataTable).row_count, len(self._summaries)
        if shown < total:
            self.status(f"显示最近编辑的 {shown:,} 份，共 {total:,} 份；光标移到末尾时载入更多")
        elif total > PAGE_ROWS:
            self.status(f"共 {total:,} 份报告")

    def action_last_row(self) -> None:
        """Move to the last row shown (which loads the next page, if any)."""
        self.query_one("#reports", DataTable).action_scroll_bottom()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        table = event.data_table
        if event.cursor_row >= table.row_count - 5 and table.row_count < len(self._summaries):
            self._show_more()

    def selected_id(self) -> int | None:
        """The id of the highlighted report, if any."""
        table = self.query_one("#reports", DataTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return int(str(row_key.value))

    def status(self, text: str) -> None:
        """Show a one-line status message."""
        self.query_one("#home-status", Static).update(text)

    def on_data_table_row_selected(self, _event: DataTable.RowSelected) -> None:
        self.action_open_report()

    def action_open_report(self) -> None:
        """Open the highlighted report."""
        report_id = self.selected_id()
        if report_id is None:
            self.status("没有可打开的报告：按 N 新建或 M 打开示例")
            return
        self.jixiao.open_report(report_id)

    def action_new_report(self) -> None:
        """Ask for the short form, then create and open the report."""
        from prompts.templates import available_templates

        def created(form: NewReportForm | None) -> None:
            if form is not None:
                self.jixiao.create_report(form)

        self.app.push_screen(NewReportDialog(available_templates(), dt.date.today().year - 1), created)

    def action_duplicate(self) -> None:
        """Copy the highlighted report under a new title."""
        report_id = self.selected_id()
        if report_id is None:
            return
        try:
            report = self.jixiao.store.load(report_id)
            copy = self.jixiao.store.duplicate(report_id, f"{report.title}（副本）")
        except StorageError as error:
            self.status(f"✗ {error.message}")
            return
        self.refresh_list()
        self.status(f"✓ 已复制为 #{copy.id}：{copy.title}")

    def action_next_year(self) -> None:
        """Start next year's report from the highlighted one."""
        report_id = self.selected_id()
        if report_id is None:
            return
        self.jixiao.start_next_year(report_id)

    def action_import_file(self) -> None:
        """Import an earlier report from a file."""
        self.jixiao.ask_import()

    def action_export(self) -> None:
        """Export the highlighted report."""
        report_id = self.selected_id()
        if report_id is not None:
            self.jixiao.ask_export(report_id)

    def action_delete(self) -> None:
        """Delete the highlighted report after confirmation."""
        report_id = self.selected_id()
        if report_id is None:
            return
        try:
            title = self.jixiao.store.load(report_id).title
        except StorageError as error:
            self.status(f"✗ {error.message}")
            return

        def confirmed(yes: bool | None) -> None:
            if not yes:
                self.status("已取消删除")
                return
            try:
                self.jixiao.store.delete(report_id)
            except StorageError as error:
                self.status(f"✗ {error.message}")
                return
            self.refresh_list()
            self.status(f"✓ 已删除 #{report_id}：{title}")

        self.app.push_screen(
            ConfirmDialog(f"删除报告 #{report_id}「{title}」？\n删除后无法恢复。"), confirmed
        )

    def action_demo(self) -> None:
        """Create (or reset) the demo report and open it."""
        self.jixiao.open_demo()

    def action_refresh(self) -> None:
        """Reload the list."""
        self.refresh_list()

    def palette_commands(self) -> Iterator[SystemCommand]:
        """What ctrl+p offers on the list."""
        yield SystemCommand("打开", "打开所选报告（Enter）", self.action_open_report)
        yield SystemCommand("新建", "新建报告（N）", self.action_new_report)
        yield SystemCommand("复制", "复制所选报告（C）", self.action_duplicate)
        yield SystemCommand("复制为新年度", "以所选报告为底稿新建下一年度（Y）", self.action_next_year)
        yield SystemCommand("导入", "导入往年报告（I）", self.action_import_file)
        yield SystemCommand("导出", "导出所选报告（E）", self.action_export)
        yield SystemCommand("删除", "删除所选报告（D，需确认）", self.action_delete)
        yield SystemCommand("示例", "新建或重置示例报告（M）", self.action_demo)
        yield SystemCommand("帮助", "本界面的按键（F1）", self.action_help)

    def action_help(self) -> None:
        """Show the keys of this screen."""
        self.app.push_screen(HelpScreen("报告列表", HOME_HELP))


def _cells(summary: ReportSummary) -> tuple[str, ...]:
    progress = f"{summary.progress_done}/{summary.progress_total}" if summary.progress_total else "—"
    counts = f"{summary.errors}/{summary.warnings}" if summary.errors is not None else "—"
    return (
        str(summary.id),
        summary.title,
        str(summary.year),
        summary.unit_name,
        progress,
        counts,
        _when(summary.updated_at),
    )


def _when(moment: dt.datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")
