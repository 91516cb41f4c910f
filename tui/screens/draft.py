"""Drafting: the conversation, the answer box, the outline, the findings and the live preview.

Wide terminals (≥120 columns) show outline | conversation | preview; narrow ones show the
conversation and toggle the preview (F2) and the outline with findings (F3).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from prompts.engine import move_command
from prompts.templates import StepKind
from report.checks import Finding, Severity
from report.model import Indicator
from tui.host import ReportHost, host_of
from tui.session import STATE_MARKS, DraftSession, Reply
from tui.widgets.answer_box import AnswerBox
from tui.widgets.conversation import Conversation
from tui.widgets.fitted_line import FittedItems, FittedLine
from tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from tui.widgets.preview import ReportPreview

DRAFT_SAVE_SECONDS = 0.5  # unsent text reaches the database within about a second
PROSE_PREVIEW_PAUSE = 0.3  # re-render the section being typed after this pause
MAX_ECHO_LINES = 6
SEVERITY_MARKS = {Severity.ERROR: "✗ 错误", Severity.WARNING: "! 警告", Severity.INFO: "· 提示"}

COMMANDS_HELP = [
    "在输入框里输入命令（以 / 开头），或按 Ctrl+P 打开命令面板：",
    "  /goto 章节    跳到章节：编号（四.（三）、4.3）、名称（资金到位）均可",
    "  /back         回到上一个问题（F5）",
    "  /skip         跳过选填问题（F6）",
    "  /undo         撤销你最近一次保存的修改（F7）",
    "  /fix [n]      采用问题的自动修正（F9）：正文里过时的数字等；n 为 /check 列出的序号",
    "  /check        查看检查结果与得分（F8）",
    "  /export       导出 Markdown（F4）",
    "  /reload       有冲突时载入另一处的版本；/keep 用我的答案覆盖",
    "  /home         返回报告列表（Ctrl+O）",
    "  /help         本帮助（F1）",
]
KEYS_HELP = [
    "按键：",
    "  Enter         发送（数值、预算明细、指标行）；文字段落中 Enter 换行",
    "  Ctrl+J        发送文字段落（任何终端都可用；支持时 Ctrl+Enter 亦可）",
    "  Tab           输入框为空时采用灰色的建议答案",
    "  ↑ / ↓         在输入框首行/末行时调出本题以前的答案",
    "  F2 / Ctrl+T   显示或隐藏预览；F3 / Ctrl+L 显示或隐藏提纲与问题列表",
    "  F4 / Ctrl+R 导出 · F5 / Ctrl+G 上一步 · F6 / Ctrl+N 跳过 · F7 / Ctrl+\\ 撤销 · F8 / Ctrl+F 检查",
    "  F9 / Ctrl+Y   采用自动修正（有可修正的问题时；问题列表中为选中的那一条）",
    "  Ctrl+O 返回列表 · Ctrl+P 命令面板 · Ctrl+Q 退出（所有回答已保存）",
    "  按键可在 ~/.config/jixiao/keys.toml 中重新指定（见 README）",
    "  Esc           回到输入框",
    "  预算明细、指标：可一次粘贴多行；「删 3」删除第 3 行，「改 2 …」改写第 2 行，「完成」进入下一步",
    "  指标还可「移 4 质量」：把第 4 行移到质量指标（类别写开头几个字即可）",
    "  提纲、问题列表里按 Enter 跳到对应章节或出问题的地方",
]


class DraftScreen(Screen[None]):
    """The drafting screen for one report."""

    AUTO_FOCUS = "#answer"  # the first frame already takes typing

    # priority: the screen's keys win over the focused widget's own (the answer box is a TextArea,
    # whose F6 selects the line and F7 selects all; the preview and the lists bind keys too)
    BINDINGS = [
        Binding("f1,ctrl+question_mark", "help", "帮助", id="draft.help", key_display="F1", priority=True),
        Binding("f2,ctrl+t", "toggle_preview", "预览", id="draft.preview", key_display="F2", priority=True),
        Binding("f3,ctrl+l", "toggle_side", "提纲", id="draft.outline", key_display="F3", priority=True),
        Binding("f4,ctrl+r", "export", "导出", id="draft.export", key_display="F4", priority=True),
        Binding("f5,ctrl+g", "back", "上一步", id="draft.back", key_display="F5", priority=True),
        Binding("f6,ctrl+n", "skip", "跳过", id="draft.skip", key_display="F6", priority=True),
        Binding("f7,ctrl+backslash", "undo", "撤销", id="draft.undo", key_display="F7", priority=True),
        Binding("f8,ctrl+f", "check", "检查", id="draft.check", key_display="F8", priority=True),
        Binding("ctrl+o", "home", "列表", id="draft.home", priority=True),
        Binding("f9,ctrl+y", "fix", "修正", id="draft.fix", key_display="F9", priority=True),
        Binding("escape", "focus_answer", "输入框", id="draft.focus_answer", show=False),
    ]

    def __init__(self, session: DraftSession) -> None:
        super().__init__()
        self.session = session
        self._dirty_draft: str | None = None
        self._draft_error_shown = False
        self._last_edit = 0.0
        self._prose_timer: object | None = None
        self._filled = False  # preview and panels are filled a frame after the first one
        self._panels_due = False
        # the panels' options as last shown, reused when unchanged: an option keeps its wrapped
        # layout, and laying out ~300 findings again took ~40 ms after every answer
        self._options: dict[tuple[object, ...], Option] = {}

    @property
    def jixiao(self) -> ReportHost:
        """The app, as the host this screen talks to."""
        return host_of(self.app)

    # ---- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static("", id="draft-header", markup=False)
        with Horizontal(id="draft-body"):
            with Vertical(id="side"):
                yield Static("提纲  ✓完成 ◐填写中 ○未填 ✗有错", classes="panel-title", markup=False)
                yield OptionList(id="outline")
                yield Static(
                    "问题（Enter 跳到修正处）", id="findings-title", classes="panel-title", markup=False
                )
                yield OptionList(id="findings")
            with Vertical(id="chat"):
                yield Conversation(id="conversation")
                yield Static("", id="step-line", markup=False)
                yield AnswerBox(id="answer")
                yield Static("", id="keys-line", markup=False)
            # the preview takes this place after the first frame (importing it alone costs ~20 ms)
            placeholder = Static("", id="preview", markup=False)
            placeholder.styles.height = "1fr"
            yield placeholder
        yield KeyBar()

    def on_mount(self) -> None:
        conversation = self.query_one(Conversation)
        report = self.session.report
        conversation.add(
            "info",
            f"正在编辑：{report.title}（{report.year} 年度）。每个确认的回答都会立即保存。F1 查看帮助。",
        )
        self.query_one("#draft-header", Static).update(FittedLine("正在检查…", f" · {report.title}"))
        self._ask(restore_draft=True)
        self.set_interval(DRAFT_SAVE_SECONDS, self._flush_draft)
        self.screen_layout_refresh_signal.subscribe(self, self._refresh_due_panels)
        # the question and the answer box come first; the whole preview, the checks behind the
        # panels and the header follow a frame later (on a 200-page report ~200 ms of work)
        self.call_after_refresh(self._fill_after_first_frame)

    async def _fill_after_first_frame(self) -> None:
        from tui.widgets.preview import ReportPreview

        await self.query_one("#preview").remove()
        await self.query_one("#draft-body", Horizontal).mount(ReportPreview(id="preview"))
        self._filled = True
        self._preview().set_sections(self.session.preview_sections())
        self._refresh_panels()
        self._follow_preview()
        self.call_after_refresh(gc.freeze)

    # A full garbage collection walks every object the app keeps: with a 200-page report open,
    # ~130,000 of them (widgets, strips and their caches, the report, the preview's layout), which
    # stopped the event loop for 25-40 ms now and then while the user typed. What is alive once
    # the screen is shown lives as long as the screen, so it is frozen out of collections (its
    # garbage is still freed by reference counting) and handed back when the screen goes.

    # ---- asking and answering ----------------------------------------------------------------

    def _ask(self, *, restore_draft: bool = False) -> None:
        session = self.session
        self.query_one(Conversation).add("question", "\n".join(session.question()))
        box = self.query_one(AnswerBox)
        step = session.step
        history = session.history.get(step.id, []) if step else []
        sends = "Enter 发送" if session.enter_sends() else "Ctrl+J 发送 · Enter 换行"
        suggestion = session.suggestion()
        placeholder = (
            f"{suggestion}   （Tab 采用）" if suggestion else ("输入回答…" if step else "输入 /命令…")
        )
        box.configure(
            enter_sends=session.enter_sends(), suggestion=suggestion, history=history, placeholder=placeholder
        )
        draft = session.draft_for_step() if restore_draft else ""
        box.set_text(draft)
        if draft:
            self.query_one(Conversation).add("info", "已恢复上次未发送的草稿。")
        place = session.flow.section_heading(step) if step else "全部完成"
        self.query_one("#step-line", Static).update(
            FittedLine("", place, f" · {'必填' if step and step.required else '选填'}")
        )
        self.query_one("#keys-line", Static).update(
            FittedItems([sends, "Tab 采用建议", "/help 命令", "F1 帮助"])
        )
        self._follow_preview()
        box.focus()

    @on(AnswerBox.Submitted)
    def _submitted(self, event: AnswerBox.Submitted) -> None:
        text = event.text
        step = self.session.step
        if (
            not text.strip()
            and step is not None
            and not step.is_rows
            and not self.session.flow.is_follow_up(step)  # an empty answer skips a follow-up
            and not (self.session.suggestion() and self.session.flow.is_answered(step))
        ):
            self._say(Reply("error", ["回答为空：请输入内容；按 Tab 可采用建议答案。"], keep_text=True))
            return
        if text.strip().startswith("/"):
            self._run_command(text.strip())
            return
        self._echo(text)
        reply = self.session.submit(text)
        self._after(reply)

    def _echo(self, text: str) -> None:
        lines = text.strip().splitlines() or [""]
        shown = "\n".join(lines[:MAX_ECHO_LINES])
        if len(lines) > MAX_ECHO_LINES:
            shown += f"\n…（共 {len(lines)} 行）"
        self.query_one(Conversation).add("user", shown or "（空）")

    def _after(self, reply: Reply, *, full_refresh: bool = False) -> None:
        self._say(reply)
        box = self.query_one(AnswerBox)
        if not reply.keep_text:
            box.set_text("")
            self._dirty_draft = None
        elif reply.role == "error":
            box.select_refused()
        if reply.role == "ok" or full_refresh:
            self._update_preview(reply, full_refresh)
            self._refresh_panels_next_frame()
        step = self.session.step
        if reply.moved:
            self._ask()
        elif reply.role == "ok" and step is not None and step.is_rows:
            count, rows = self.session.row_listing(step)
            listing = "\n".join(f"  {row}" for row in rows) if rows else "  （还没有）"
            move = "、「移 n 质量」换类别" if step.kind is StepKind.INDICATORS else ""
            self.query_one(Conversation).add(
                "info",
                f"已录入（共 {count} 行）：\n{listing}\n继续录入；「删 n」删除、「改 n …」修改{move}；「完成」下一步。",
            )
            self.query_one(AnswerBox).configure(
                enter_sends=True,
                suggestion=self.session.suggestion(),
                history=self.session.history.get(step.id, []),
                placeholder=f"{self.session.suggestion()}   （Tab 采用）",
            )
        elif reply.role == "ok":
            self._ask()

    def _say(self, reply: Reply) -> None:
        self.query_one(Conversation).add(reply.role, "\n".join(reply.lines))

    def _update_preview(self, reply: Reply, full_refresh: bool) -> None:
        if not self._filled:
            return  # an answer sent before the first fill: the fill shows it
        preview = self._preview()
        if full_refresh:
            preview.set_sections(self.session.preview_sections())
            return
        for key, blocks in self.session.sections_affected(reply.changed_paths):
            preview.update_section(key, blocks)

    def _preview(self) -> ReportPreview:
        """The preview, mounted after the first frame (check ``_filled`` first)."""
        from tui.widgets.preview import ReportPreview

        return self.query_one("#preview", ReportPreview)

    def _follow_preview(self) -> None:
        key = self.session.current_section_key()
        if key is not None and self._filled:
            self._preview().scroll_to_section(key)

    # ---- commands ----------------------------------------------------------------------------

    def _run_command(self, text: str) -> None:
        name, _, argument = text[1:].partition(" ")
        name = name.strip().lower()
        self.query_one(Conversation).add("user", text)
        self.query_one(AnswerBox).set_text("")
        actions = {
            "back": self.action_back,
            "skip": self.action_skip,
            "undo": self.action_undo,
            "check": self.action_check,
            "export": self.action_export,
            "help": self.action_help,
            "home": self.action_home,
            "reload": self.action_reload,
            "keep": self.action_keep,
            "preview": self.action_toggle_preview,
            "outline": self.action_toggle_side,
        }
        aliases = {
            "返回": "back",
            "上一步": "back",
            "跳过": "skip",
            "撤销": "undo",
            "检查": "check",
            "导出": "export",
            "帮助": "help",
            "跳转": "goto",
            "跳到": "goto",
            "g": "goto",
        }
        name = aliases.get(name, name)
        if name in ("fix", "修正"):
            self._fix_command(argument.strip())
            return
        if name == "goto":
            if not argument.strip():
                self._say(Reply("error", ["✗ 请写出章节，例如 /goto 四.（三） 或 /goto 资金到位"]))
                return
            self._after(self.session.goto(argument.strip()))
            return
        action = actions.get(name)
        if action is None:
            self._say(
                Reply(
                    "error",
                    [
                        f"✗ 没有命令“/{name}”",
                        "  → 可用：/goto /back /skip /undo /fix /check /export /reload /keep /home /help",
                    ],
                )
            )
            return
        action()

    def action_back(self) -> None:
        """Return to the previous step."""
        self._after(self.session.back())

    def action_skip(self) -> None:
        """Skip the current optional step."""
        self._after(self.session.skip())

    def action_undo(self) -> None:
        """Undo the latest saved change; text being typed (F7 works while typing) stays in the box."""
        box = self.query_one(AnswerBox)
        typing = box.text
        self._after(self.session.undo(), full_refresh=True)
        if typing and not box.text:
            box.set_text(typing)

    def action_reload(self) -> None:
        """Resolve a conflict by loading the other version."""
        box = self.query_one(AnswerBox)
        kept = box.text
        self._after(self.session.reload(), full_refresh=True)
        box.set_text(kept)

    def action_keep(self) -> None:
        """Resolve a conflict by keeping this answer."""
        self._after(self.session.keep_mine(), full_refresh=True)

    def action_check(self) -> None:
        """Summarise the findings and score in the conversation, and focus the findings list."""
        session = self.session
        score = session.score
        errors, warnings = session.counts()
        lines = [f"计算得分 {score.total:.2f}（{score.grade.value}）；错误 {errors} 条，警告 {warnings} 条。"]
        if score.execution_rate is not None and score.execution_score is not None:
            lines.append(f"执行率 {score.execution_rate * 100:.2f}%，得 {score.execution_score:.2f} 分。")
        for number, finding in enumerate(session.findings[:8], 1):
            fixable = f"（可 /fix {number}）" if finding.fix is not None else ""
            lines.append(f"{number}. {SEVERITY_MARKS[finding.severity]}：{finding.message}{fixable}")
        if len(session.findings) > 8:
            lines.append(f"……共 {len(session.findings)} 条，见问题列表（F3）。")
        lines.append("在问题列表中选中一条并按 Enter，即跳到修正它的问题。")
        self._say(Reply("info", lines))
        self._show_side()
        self.query_one("#findings", OptionList).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """F9 / Ctrl+Y fixes only when there is a fix; otherwise the key keeps its meaning in the box."""
        if action == "fix":
            return self.session.fix_at_hand() is not None
        return True

    def action_fix(self) -> None:
        """Take a fix: the highlighted finding's when the findings list has focus, else the one at hand."""
        findings = self.query_one("#findings", OptionList)
        chosen: Finding | None = None
        if findings.has_focus and findings.highlighted is not None:
            index = (findings.get_option_at_index(findings.highlighted).id or "").removeprefix("finding:")
            if index.isdigit() and int(index) < len(self.session.findings):
                chosen = self.session.findings[int(index)]
        self._take_fix(chosen if chosen is not None and chosen.fix is not None else None)

    def _fix_command(self, argument: str) -> None:
        """``/fix`` takes the fix at hand; ``/fix n`` the fix of the n-th finding as /check lists them."""
        if not argument:
            self._take_fix(None)
            return
        findings = self.session.findings
        if not argument.isdigit() or not 1 <= int(argument) <= len(findings):
            hint = f"  → 写 /fix 或 /fix 1 到 /fix {len(findings)}"
            self._say(Reply("error", [f"✗ 没有第 {argument} 条问题", hint]))
            return
        finding = findings[int(argument) - 1]
        if finding.fix is None:
            self._say(Reply("error", [f"✗ 第 {argument} 条问题没有自动修正：{finding.hint}"]))
            return
        self._take_fix(finding)

    def _take_fix(self, finding: Finding | None) -> None:
        # not _after: the question stays as it was, and so does any text being typed in the box
        reply = self.session.apply_fix(finding)
        self._say(reply)
        if reply.role == "ok":
            self._update_preview(reply, full_refresh=False)
            self._refresh_panels()
            suggestion = self.session.suggestion()
            box = self.query_one(AnswerBox)
            box.tab_suggestion = suggestion
            if suggestion:
                box.placeholder = f"{suggestion}   （Tab 采用）"

    def action_export(self) -> None:
        """Export the report to Markdown."""
        self.jixiao.ask_export(self.session.report_id)

    def action_home(self) -> None:
        """Back to the list of reports (everything is already saved)."""
        self._flush_draft()
        self.jixiao.show_home()

    def action_help(self) -> None:
        """Show keys and commands."""
        from tui.screens.dialogs import HelpScreen

        self.app.push_screen(HelpScreen("填写报告", [*KEYS_HELP, "", *COMMANDS_HELP]))

    def action_focus_answer(self) -> None:
        """Back to the answer box (and, on a narrow screen, to the conversation)."""
        self.remove_class("-show-preview", "-show-side")
        self.query_one(AnswerBox).focus()

    def action_toggle_preview(self) -> None:
        """Show or hide the preview."""
        if self.has_class("-narrow"):
            self.remove_class("-show-side")
            self.toggle_class("-show-preview")
            if self.has_class("-show-preview"):
                self.query_one("#preview").focus()
            else:
                self.query_one(AnswerBox).focus()
        else:
            self.toggle_class("-hide-preview")

    def action_toggle_side(self) -> None:
        """Show or hide the outline and findings."""
        if self.has_class("-narrow"):
            self.remove_class("-show-preview")
            self.toggle_class("-show-side")
            if self.has_class("-show-side"):
                self.query_one("#outline", OptionList).focus()
            else:
                self.query_one(AnswerBox).focus()
        else:
            self.toggle_class("-hide-side")

    def _show_side(self) -> None:
        if self.has_class("-narrow"):
            self.remove_class("-show-preview")
            self.add_class("-show-side")
        else:
            self.remove_class("-hide-side")

    def palette_commands(self) -> Iterator[SystemCommand]:
        """What ctrl+p offers here: every action, and a jump to every section."""
        yield SystemCommand("上一步", "回到上一个问题（F5，/back）", self.action_back)
        yield SystemCommand("跳过", "跳过选填问题（F6，/skip）", self.action_skip)
        yield SystemCommand("撤销", "撤销你最近一次保存的修改（F7，/undo）", self.action_undo)
        yield SystemCommand("检查", "查看检查结果与得分（F8，/check）", self.action_check)
        yield SystemCommand("修正", "采用问题的自动修正，如正文里过时的数字（F9，/fix）", self.action_fix)
        yield SystemCommand("导出", "导出 Markdown（F4，/export）", self.action_export)
        yield SystemCommand("预览", "显示或隐藏预览（F2）", self.action_toggle_preview)
        yield SystemCommand("提纲", "显示或隐藏提纲与问题列表（F3）", self.action_toggle_side)
        yield SystemCommand("帮助", "按键与命令（F1，/help）", self.action_help)
        yield SystemCommand("返回列表", "回到报告列表（Ctrl+O，/home）", self.action_home)
        for entry in self.session.outline_entries():
            yield SystemCommand(
                f"跳到 {entry.heading}",
                f"{STATE_MARKS[entry.state]} 已答 {entry.done}/{entry.total}",
                partial(self._goto_section, entry.key),
            )

    def _goto_section(self, key: str) -> None:
        self._after(self.session.goto(key))
        self.action_focus_answer()

    # ---- outline and findings ----------------------------------------------------------------

    def _refresh_panels_next_frame(self) -> None:
        # the answer, the reply and the preview are painted first; the header, the outline and the
        # findings follow the frame that shows them (laying both lists out again took longer than
        # all the rest of an answer). call_after_refresh can run before that frame.
        if not self._panels_due:
            self._panels_due = True
            self.set_timer(0.1, self._refresh_due_panels)  # should no layout frame come

    def _refresh_due_panels(self, _screen: object = None) -> None:
        if self._panels_due:
            self._refresh_panels()

    def _refresh_panels(self) -> None:
        self._panels_due = False
        if not self._filled:
            return
        session = self.session
        header = FittedLine(session.status_line(), f" · {session.report.title}")
        self.query_one("#draft-header", Static).update(header)
        outline = self.query_one("#outline", OptionList)
        highlighted = outline.highlighted
        current = session.current_section_key()
        shown: dict[tuple[object, ...], Option] = {}
        for entry in session.outline_entries():
            key: tuple[object, ...] = ("section", entry, entry.key == current)
            option = self._options.get(key)
            if option is None:
                # one row per section: a long heading ends in "…" and keeps its count
                line = FittedLine(
                    f"{'  ' * (entry.depth - 1)}{STATE_MARKS[entry.state]} ",
                    Text(entry.heading, style="bold" if entry.key == current else ""),
                    Text(f" {entry.done}/{entry.total}", style="dim") if entry.total else "",
                    min_middle=1,
                )
                option = Option(line, id=f"section:{entry.key}")
            shown[key] = option
        outline.set_options(shown.values())
        if highlighted is not None and highlighted < outline.option_count:
            outline.highlighted = highlighted
        findings = self.query_one("#findings", OptionList)
        options: list[Option] = []
        if not session.findings:
            options.append(Option("✓ 没有发现问题", id="finding:none", disabled=True))
        for index, finding in enumerate(session.findings):
            fix = finding.fix
            key = ("finding", index, finding.severity, finding.message, fix.after if fix else None)
            option = self._options.get(key)
            if option is None:
                text = Text(f"{SEVERITY_MARKS[finding.severity]} ", style="bold")
                text.append(finding.message)
                if fix is not None:
                    text.append(f"\n  可修正（F9）：{fix.before} → {fix.after}", style="italic")
                option = Option(text, id=f"finding:{index}")
            shown[key] = option
            options.append(option)
        findings.set_options(options)
        self._options = shown
        self.refresh_bindings()  # F9 (修正) is offered only while some finding has a fix

    @on(OptionList.OptionSelected, "#outline")
    def _outline_selected(self, event: OptionList.OptionSelected) -> None:
        self._goto_section((event.option.id or "").removeprefix("section:"))

    @on(OptionList.OptionSelected, "#findings")
    def _finding_selected(self, event: OptionList.OptionSelected) -> None:
        index = (event.option.id or "").removeprefix("finding:")
        if not index.isdigit() or int(index) >= len(self.session.findings):
            return
        finding: Finding = self.session.findings[int(index)]
        lines = [f"{SEVERITY_MARKS[finding.severity]}：{finding.message}", f"  → {finding.hint}"]
        move = self._move_command(finding)
        if move:
            lines.append(f"  → 在本步输入「{move}」即可移过去")
        self._say(Reply("info", lines))
        self._after(self.session.goto_finding(finding))
        self.action_focus_answer()

    def _move_command(self, finding: Finding) -> str | None:
        """``移 2 质量`` when the finding's fix moves its indicator row to another category."""
        fix, row = finding.fix, finding.where.indicator
        rows = self.session.report.indicators
        if fix is None or row is None or not isinstance(fix.value, list) or row >= len(rows):
            return None
        moved = fix.value[row] if row < len(fix.value) else None
        if not isinstance(moved, Indicator) or moved.level2 is rows[row].level2:
            return None
        return move_command(rows, row, moved.level2)

    # ---- drafts and live prose preview -------------------------------------------------------

    @on(AnswerBox.Edited)
    def _edited(self, event: AnswerBox.Edited) -> None:
        self._dirty_draft = event.text
        self._last_edit = time.monotonic()
        if not self.session.enter_sends():
            if self._prose_timer is not None:
                self._prose_timer.stop()  # type: ignore[attr-defined]
            self._prose_timer = self.set_timer(PROSE_PREVIEW_PAUSE, self._preview_prose)

    def _preview_prose(self) -> None:
        if not self._filled:
            return
        rendered = self.session.render_prose_preview(self.query_one(AnswerBox).text)
        if rendered is not None:
            self._preview().update_section(*rendered)

    def _flush_draft(self) -> None:
        text = self._dirty_draft
        if text is None:
            return
        error = self.session.save_draft(text)
        if error:
            # keep it dirty: the next tick tries again, so a lock that passes loses nothing
            if not self._draft_error_shown:
                self._draft_error_shown = True
                self.notify(f"草稿暂未保存，稍后自动重试：{error}", severity="warning", markup=False)
            return
        self._draft_error_shown = False
        if self._dirty_draft == text:
            self._dirty_draft = None

    def on_unmount(self) -> None:
        self._flush_draft()
        gc.unfreeze()
