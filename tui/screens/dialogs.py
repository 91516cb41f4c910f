"""Small modal dialogs: confirm, the new-report form, export, help."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from report.checks import years_in_title
from tui.services import format_for_path


def still_cursors(screen: Screen[Any]) -> None:
    """No blinking anywhere: a blinking cursor is noise over a slow SSH link."""
    for field in screen.query(Input):
        field.cursor_blink = False


class ConfirmDialog(ModalScreen[bool]):
    """Yes/no question; Y confirms, N or Escape cancels, Enter presses the focused button (取消 first)."""

    BINDINGS = [
        Binding("y", "answer(True)", "确定", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "取消", id="confirm.no"),
    ]

    def __init__(self, question: str, yes: str = "确定 (Y)", no: str = "取消 (N)") -> None:
        super().__init__()
        self.question = question
        self.yes, self.no = yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="dialog-question", markup=False)
            with Grid(classes="dialog-buttons"):
                yield Button(self.yes, id="yes", variant="primary", compact=True)
                yield Button(self.no, id="no", compact=True)

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        """Close with the answer."""
        self.dismiss(value)


@dataclass
class NewReportForm:
    """What the new-report dialog returns."""

    title: str
    unit_name: str
    department: str
    year: int
    template_id: str
    money_unit: str


class NewReportDialog(ModalScreen[NewReportForm | None]):
    """The short form for a new report: title, unit, department, year, outline, money unit."""

    BINDINGS = [Binding("escape", "cancel", "取消", id="new.cancel")]

    def __init__(self, templates: list[tuple[str, str]], default_year: int) -> None:
        super().__init__()
        self.templates = templates
        self.default_year = default_year
        self._year_shown = str(default_year)
        self._year_edited = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Static("新建报告（Tab 切换，Enter 确定，Esc 取消）", classes="dialog-title", markup=False)
            yield Label("报告标题")
            yield Input(placeholder="例如 2020年度街道工作经费项目支出绩效自评报告", id="title", compact=True)
            yield Label("实施单位")
            yield Input(placeholder="例如 某某街道办事处", id="unit_name", compact=True)
            yield Label("主管部门")
            yield Input(placeholder="例如 某某区人民政府", id="department", compact=True)
            yield Label("评价年度")
            yield Input(str(self.default_year), id="year", restrict=r"\d{0,4}", compact=True)
            yield Label("提纲")
            yield Select(
                [(name, tid) for tid, name in self.templates],
                value=self.templates[0][0],
                allow_blank=False,
                id="template",
                compact=True,
            )
            yield Label("金额单位")
            yield Select(
                [("万元", "万元"), ("元", "元")],
                value="万元",
                allow_blank=False,
                id="money_unit",
                compact=True,
            )
            yield Static("", id="form-error", classes="form-error", markup=False)
            with Grid(classes="dialog-buttons"):
                yield Button("新建 (Enter)", id="create", variant="primary", compact=True)
                yield Button("取消 (Esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        still_cursors(self)
        self.query_one("#title", Input).focus()

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self._create()

    def on_input_changed(self, event: Input.Changed) -> None:
        # the year follows a year written in the title (2021年度…) until the user edits the year
        if event.input.id == "year":
            self._year_edited = event.value != self._year_shown
            return
        if event.input.id != "title" or self._year_edited:
            return
        years = years_in_title(event.value)
        year = str(years[0]) if len(years) == 1 else str(self.default_year)
        if year != self._year_shown:
            self._year_shown = year
            self.query_one("#year", Input).value = year

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "create":
            self._create()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        """Close without creating."""
        self.dismiss(None)

    def _create(self) -> None:
        title = self.query_one("#title", Input).value.strip()
        year_text = self.query_one("#year", Input).value.strip()
        error = self.query_one("#form-error", Static)
        if not title:
            error.update("✗ 请填写报告标题")
            self.query_one("#title", Input).focus()
            return
        if not year_text.isdigit() or not 2000 <= int(year_text) <= 2100:
            error.update("✗ 年度应为四位年份，例如 2020")
            self.query_one("#year", Input).focus()
            return
        self.dismiss(
            NewReportForm(
                title=title,
                unit_name=self.query_one("#unit_name", Input).value.strip(),
                department=self.query_one("#department", Input).value.strip(),
                year=int(year_text),
                template_id=str(self.query_one("#template", Select).value),
                money_unit=str(self.query_one("#money_unit", Select).value),
            )
        )


@dataclass(frozen=True)
class ExportChoice:
    """What the export dialog returns: where, in which format (``md``, ``docx``, ``xlsx``), and how."""

    path: Path
    overwrite: bool
    clipboard: bool
    format: str = "md"


DIALOG_FORMATS = (
    ("Markdown（.md）", "md"),
    ("Word 公文格式（.docx）", "docx"),
    ("Excel 自评表（.xlsx）", "xlsx"),
)
"""The formats the export dialog offers, as (label, ``--format`` name); the extension is the name."""


class ExportDialog(ModalScreen[ExportChoice | None]):
    """Ask where and in which format to export; confirm before overwriting; optionally copy Markdown (OSC 52).

    The path's extension decides the format; choosing a format beside it changes the extension.
    """

    BINDINGS = [Binding("escape", "cancel", "取消", id="export.cancel")]

    def __init__(self, folder: Path, names: dict[str, str], initial: str = "md") -> None:
        super().__init__()
        self.folder = folder
        self.names = names
        self.initial = initial
        self._confirmed_overwrite: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Static("导出报告（Enter 导出，Esc 取消，Tab 换项）", classes="dialog-title", markup=False)
            yield Label("格式")
            yield Select(DIALOG_FORMATS, value=self.initial, allow_blank=False, id="format", compact=True)
            yield Label("文件路径（扩展名决定格式）")
            yield Input(str(self.folder / self.names[self.initial]), id="path", compact=True)
            yield Checkbox(
                "同时复制到剪贴板（仅 Markdown；OSC 52，SSH 下也可用）", id="clipboard", compact=True
            )
            yield Static("", id="form-error", classes="form-error", markup=False)
            with Grid(classes="dialog-buttons"):
                yield Button("导出 (Enter)", id="export", variant="primary", compact=True)
                yield Button("取消 (Esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        still_cursors(self)
        self.query_one("#path", Input).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        """A format chosen: give the path that format's extension (the default name where it was the default)."""
        if event.select.id != "format" or not isinstance(event.value, str):
            return
        field = self.query_one("#path", Input)
        field.focus()  # the next Enter exports, as the title says
        path = Path(field.value.strip()).expanduser()
        if format_for_path(path) is not None and path.suffix.lower() == "." + event.value:
            return
        default_names = set(self.names.values())
        if path.name in default_names:
            new = path.with_name(self.names[event.value])
        elif path.name:
            new = path.with_suffix("." + event.value)
        else:
            new = self.folder / self.names[event.value]
        field.value = str(new)

    def on_input_changed(self, event: Input.Changed) -> None:
        """A typed extension that names a format selects it."""
        if event.input.id != "path":
            return
        fmt = format_for_path(Path(event.value.strip()))
        select = self.query_one("#format", Select)
        if fmt is not None and fmt.name in self.names and select.value != fmt.name:
            select.value = fmt.name

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self._export()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "export":
            self._export()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        """Close without exporting."""
        self.dismiss(None)

    def _export(self) -> None:
        raw = self.query_one("#path", Input).value.strip()
        error = self.query_one("#form-error", Static)
        if not raw:
            error.update("✗ 请填写文件路径")
            return
        path = Path(raw).expanduser()
        if path.is_dir():
            error.update(f"✗ 这是一个目录：请写上文件名，例如 {self.names['md']}")
            return
        by_path = format_for_path(path)
        chosen = self.query_one("#format", Select).value
        fmt = by_path.name if by_path is not None and by_path.name in self.names else str(chosen)
        if path.exists() and self._confirmed_overwrite != path:
            self._confirmed_overwrite = path
            error.update(f"! {path} 已存在：再按一次 Enter 覆盖，或改一个文件名")
            return
        clipboard = self.query_one("#clipboard", Checkbox).value and fmt == "md"
        self.dismiss(ExportChoice(path, overwrite=path.exists(), clipboard=clipboard, format=fmt))


class HelpScreen(ModalScreen[None]):
    """F1: the keys and commands of the screen the user is on, in Chinese."""

    BINDINGS = [Binding("escape,f1,q", "close", "关闭", id="help.close")]

    def __init__(self, title: str, lines: list[str]) -> None:
        super().__init__()
        self.help_title = title
        self.lines = lines

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help"):
            yield Static(f"帮助 · {self.help_title}（Esc 关闭）", classes="dialog-title", markup=False)
            yield Static("\n".join(self.lines), classes="help-body", markup=False)

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)


class PathDialog(ModalScreen[Path | None]):
    """Ask for one file path."""

    BINDINGS = [Binding("escape", "cancel", "取消", id="path.cancel")]

    def __init__(self, title: str, label: str, default: str) -> None:
        super().__init__()
        self.dialog_title, self.label, self.default = title, label, default

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Static(f"{self.dialog_title}（Enter 确定，Esc 取消）", classes="dialog-title", markup=False)
            yield Label(self.label)
            yield Input(self.default, id="path", compact=True)
            yield Static("", id="form-error", classes="form-error", markup=False)

    def on_mount(self) -> None:
        still_cursors(self)
        self.query_one("#path", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        raw = event.value.strip()
        if not raw:
            self.query_one("#form-error", Static).update("✗ 请填写文件路径")
            return
        path = Path(raw).expanduser()
        if not path.is_file():
            self.query_one("#form-error", Static).update(f"✗ 找不到文件 {path}：请检查路径")
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)
