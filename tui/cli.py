"""The `jixiao` command: verbs for everything outside the full-screen app.

Textual is imported only when a verb opens the app, so `check` and `export` start fast.
Exit codes: 0 ok, 1 `check` found errors, 2 anything went wrong (one Chinese line on stderr).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NoReturn

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2

_HEADINGS = re.compile(r"^(参数|选项|子命令):$", re.MULTILINE)
# argparse's English messages (Python 3.11-3.13) and their Chinese forms, applied in order
_TRANSLATIONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"^argument (\S+?): ", r"参数 \1："),
        (r"invalid choice: '([^']*)' \(choose from (.*)\)", r"无效的值“\1”，可选：\2"),
        (r"invalid int value: '([^']*)'", r"“\1”不是整数"),
        (r"invalid (\w+) value: '([^']*)'", r"“\2”不是有效的值"),
        (r"ambiguous option: (\S+) could match (.*)", r"选项 \1 不明确，可能是 \2"),
        (r"the following arguments are required: (.*)", r"缺少参数：\1"),
        (r"unrecognized arguments: (.*)", r"无法识别的参数：\1"),
        (r"expected one argument", "需要一个值"),
        (r"expected at most one argument", "最多需要一个值"),
        (r"expected at least one argument", "至少需要一个值"),
        (r"not allowed with argument (.*)", r"不能与 \1 同时使用"),
        (r"ignored explicit argument '([^']*)'", r"不接受值“\1”"),
    )
)


def _display_width(text: str) -> int:
    """Terminal columns ``text`` takes (a Chinese character takes two)."""
    from wcwidth import wcswidth

    width = wcswidth(text)
    return width if width >= 0 else len(text)


def _wrap(text: str, width: int) -> list[str]:
    """Wrap by terminal columns: ASCII words stay whole, Chinese may break between any characters."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line, used = "", 0
        for token in re.findall(r"[!-~]+|\s+|.", paragraph.strip()):
            size = _display_width(token)
            if token.isspace():
                if line:
                    line, used = line + " ", used + 1
                continue
            if used + size > width and line.strip() and token not in "，。；、）」”：":
                lines.append(line.rstrip())
                line, used = "", 0
            line, used = line + token, used + size
        lines.append(line.rstrip())
    return lines


class ChineseHelpFormatter(argparse.HelpFormatter):
    """argparse help with a Chinese ``用法：`` and columns measured in terminal cells, not characters."""

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        """Start the help with ``用法：`` instead of ``usage:``."""
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)

    def add_argument(self, action: argparse.Action) -> None:
        """Register an argument, measuring its invocation in display columns."""
        if action.help is argparse.SUPPRESS:
            return
        invocations = [self._format_action_invocation(action)]
        invocations += [self._format_action_invocation(sub) for sub in self._iter_indented_subactions(action)]
        longest = max(_display_width(invocation) for invocation in invocations)
        self._action_max_length = max(self._action_max_length, longest + self._current_indent)
        self._add_item(self._format_action, [action])

    def _format_action(self, action: argparse.Action) -> str:
        if isinstance(action, argparse._SubParsersAction):
            # list the verbs themselves, without a line naming the group's metavar
            return "".join(self._format_action(sub) for sub in action._get_subactions())
        help_position = min(self._action_max_length + 2, self._max_help_position)
        help_width = max(self._width - help_position, 11)
        action_width = help_position - self._current_indent - 2
        header = self._format_action_invocation(action)
        indent_first = 0
        if not action.help:
            header = f"{' ' * self._current_indent}{header}\n"
        elif _display_width(header) <= action_width:
            padding = " " * (action_width - _display_width(header))
            header = f"{' ' * self._current_indent}{header}{padding}  "
        else:
            header = f"{' ' * self._current_indent}{header}\n"
            indent_first = help_position
        parts = [header]
        if action.help and action.help.strip():
            help_lines = self._split_lines(self._expand_help(action), help_width)
            if help_lines:
                parts.append(f"{' ' * indent_first}{help_lines[0]}\n")
                parts.extend(f"{' ' * help_position}{line}\n" for line in help_lines[1:])
        elif not header.endswith("\n"):
            parts.append("\n")
        for sub in self._iter_indented_subactions(action):
            parts.append(self._format_action(sub))
        return self._join_parts(parts)

    def _split_lines(self, text: str, width: int) -> list[str]:
        return _wrap(" ".join(text.split()), width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in _wrap(text, width - len(indent)))


class _VersionAction(argparse.Action):
    """``--version``: looks the version up only when asked (importlib.metadata costs ~20 ms)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *_args: object, **_kwargs: object) -> None:
        sys.stdout.write(f"jixiao {_version()}\n")
        parser.exit(EXIT_OK)


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with Chinese headings and errors that exit 2 with one line."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("add_help", False)
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def format_help(self) -> str:
        """The help text, with full-width colons after the section headings."""
        return _HEADINGS.sub(r"\1：", super().format_help())

    def error(self, message: str) -> NoReturn:
        """Print a Chinese usage error in one line and exit 2."""
        self.exit(
            EXIT_ERROR, f"jixiao：{translate_argparse_message(message)}（用 {self.prog} --help 查看用法）\n"
        )


def translate_argparse_message(message: str) -> str:
    """argparse's English error message in Chinese (unknown wording is left as it is)."""
    for pattern, replacement in _TRANSLATIONS:
        message = pattern.sub(replacement, message)
    return message.replace("', '", "、").replace("'", "")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("jixiao")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


def _positive_int(text: str) -> int:
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"“{text}”应为正整数")
    return int(text)


def build_parser() -> ChineseArgumentParser:
    """The argument parser with every verb and its Chinese help."""
    parser = ChineseArgumentParser(
        prog="jixiao",
        usage="%(prog)s [选项] [子命令 …]",
        description="绩效：项目支出绩效（自）评价报告的终端助手。不带子命令时打开主界面。",
        epilog="退出码：0 成功；1 check 发现错误；2 出错（原因见标准错误中的一行说明）。",
    )
    parser.add_argument("--version", action=_VersionAction, help="显示版本号并退出")
    parser.add_argument(
        "--db", metavar="路径", help="数据库文件（默认取环境变量 JIXIAO_DB，否则为用户数据目录）"
    )
    verbs = parser.add_subparsers(
        dest="verb", title="子命令", metavar="子命令", prog="jixiao", parser_class=ChineseArgumentParser
    )

    def verb(name: str, help_text: str, more: str = "", operand: str = "") -> ChineseArgumentParser:
        sub: ChineseArgumentParser = verbs.add_parser(
            name,
            help=help_text,
            description=f"{help_text}。{more}" if more else help_text,
            usage=f"%(prog)s [选项]{' ' + operand if operand else ''}",
        )
        sub.add_argument("--db", metavar="路径", default=argparse.SUPPRESS, help="数据库文件")
        return sub

    sub = verb("open", "打开一份报告继续填写", operand="报告")
    sub.add_argument("report", metavar="报告", help="报告编号，或能唯一确定报告的标题开头")

    sub = verb(
        "new",
        "新建一份报告（缺少的项目会在终端中询问）",
        "没有终端时（如在脚本中）标题、单位、部门、年度必须用参数给出，提纲默认 eight_part，金额单位默认 万元",
    )
    sub.add_argument("--title", metavar="标题", help="报告标题")
    sub.add_argument("--unit", metavar="单位", help="实施单位")
    sub.add_argument("--department", metavar="部门", help="主管部门")
    sub.add_argument("--year", metavar="年度", type=int, help="评价年度，例如 2020")
    sub.add_argument(
        "--template", metavar="提纲", help="提纲：eight_part（八部分）或 seven_part_2020（2020 七部分）"
    )
    sub.add_argument("--money-unit", metavar="金额单位", choices=["元", "万元"], help="金额单位：元 或 万元")
    sub.add_argument("--from", dest="from_report", metavar="报告", help="以上一年度的报告为底稿新建")
    sub.add_argument("--open", action="store_true", help="建好后打开主界面填写")

    verb("list", "列出数据库中的报告")

    sub = verb(
        "check",
        "检查一份报告并计算得分（有错误时退出码为 1）；--all 检查数据库中的全部报告",
        "退出码：0 没有错误（可能有警告和提示）；1 有错误（--all 时任一份有错误）；2 无法检查（原因见标准错误）。"
        "--all 输出一张表：编号、标题、实施单位、年度、计算得分和等级、自评得分、错误数、警告数、第一条错误，"
        "供审核时逐份排查；csv 带 BOM，Excel 直接打开不乱码",
        operand="报告 | --all",
    )
    sub.add_argument("report", metavar="报告", nargs="?", help="报告编号或标题开头（与 --all 二选一）")
    sub.add_argument("--all", action="store_true", help="检查数据库中的全部报告，每份一行")
    sub.add_argument(
        "--format",
        choices=["text", "json", "csv"],
        default="text",
        help="输出格式：text（默认）、json，或 csv（仅 --all）",
    )

    sub = verb(
        "export",
        "导出报告：Markdown、Word（公文格式）、Excel（自评表）或 JSON",
        "格式由 --format 指定，否则由 -o 文件的扩展名（.md .docx .xlsx .json）决定，都没有时为 Markdown；"
        "先写临时文件再改名，不会留下写了一半的文件；导出的文件只有本人可读写（权限 0600）",
        operand="报告",
    )
    sub.add_argument("report", metavar="报告", help="报告编号或标题开头")
    sub.add_argument(
        "-o",
        "--output",
        metavar="文件",
        help="输出文件；- 表示标准输出（默认：标题-年度.扩展名，在当前目录）",
    )
    sub.add_argument(
        "--format",
        choices=["md", "docx", "xlsx", "json"],
        default=None,
        help="格式：md（Markdown）、docx（Word 公文格式，含附件1 自评表）、xlsx（Excel 自评表和检查结果）或 json",
    )
    sub.add_argument("--force", action="store_true", help="覆盖已存在的文件（符号链接则替换链接本身）")

    sub = verb(
        "import",
        "导入报告：Word（.docx）、Excel 自评表（.xlsx）、文本/Markdown 格式的往年报告，或 jixiao 导出的 JSON",
        "每个文件另存为新报告，不改动已有的报告；一个工作簿或文档中有几张自评表（每个项目一张）就建几份报告。"
        "可一次导入多个文件，某个文件失败时其余照常导入（退出码 2）。"
        "--into 把自评表的数字（资金、年度总体目标、绩效指标、自评得分和等级）导入已有报告，"
        "记为一次修改，可用 jixiao undo 撤销。旧版 .doc/.xls、加密或含宏的文件不导入；宏从不运行",
        operand="文件 …",
    )
    sub.add_argument("files", metavar="文件", nargs="+", help=".docx、.xlsx、.txt、.md 或 .json 文件，可多个")
    sub.add_argument(
        "--into", metavar="报告", help="把自评表的数字导入这份已有报告（编号或标题开头），只能导入一个文件"
    )

    sub = verb("history", "查看报告的修改记录（最新的在前）", operand="报告")
    sub.add_argument("report", metavar="报告", help="报告编号或标题开头")
    sub.add_argument(
        "-n", "--limit", type=_positive_int, default=30, metavar="条数", help="显示的条数（默认 30）"
    )

    sub = verb(
        "undo",
        "撤销你对报告最近的一次修改",
        "只撤销本人（当前登录用户）的修改；撤销本身也记入修改记录，再次执行则继续向前撤销；他人之后又改过同一处时拒绝撤销",
        operand="报告",
    )
    sub.add_argument("report", metavar="报告", help="报告编号或标题开头")

    sub = verb(
        "demo",
        "新建（或重置）示例报告并打开",
        "示例已存在时在原处重置，编号不变；重置记入修改记录，可用 jixiao undo 找回之前的修改",
    )
    sub.add_argument("--no-open", action="store_true", help="只建示例报告并输出其编号，不打开界面")
    return parser


def _verb_parser(parser: argparse.ArgumentParser, verb: str | None) -> argparse.ArgumentParser:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) and verb in action.choices:
            chosen: argparse.ArgumentParser = action.choices[verb]
            return chosen
    return parser


def _silence_stdout() -> None:
    # The reader went away (`jixiao export 1 -o - | head`): point stdout at /dev/null so the
    # interpreter's final flush does not complain about the broken pipe either.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `jixiao` command; returns the exit code."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        _verb_parser(parser, args.verb).error(f"unrecognized arguments: {' '.join(extra)}")
    from storage.errors import StorageError
    from tui import commands
    from tui.services import UserFacingError

    handlers: dict[str | None, Callable[[argparse.Namespace], int]] = {
        None: commands.cmd_home,
        "open": commands.cmd_open,
        "new": commands.cmd_new,
        "list": commands.cmd_list,
        "check": commands.cmd_check,
        "export": commands.cmd_export,
        "import": commands.cmd_import,
        "history": commands.cmd_history,
        "undo": commands.cmd_undo,
        "demo": commands.cmd_demo,
    }
    try:
        code = handlers[args.verb](args)
        sys.stdout.flush()
        return code
    except UserFacingError as error:
        print(f"jixiao：{error}", file=sys.stderr)
        return EXIT_ERROR
    except StorageError as error:  # a user file that could not be read or written, a database failure
        print(f"jixiao：{error.message}", file=sys.stderr)
        return EXIT_ERROR
    except (KeyboardInterrupt, EOFError):
        # after ^C or ^D at a prompt the cursor still sits on the prompt's line
        start = "\n" if sys.stdin is not None and sys.stdin.isatty() else ""
        print(f"{start}jixiao：已取消，未做任何改动", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_ERROR
    except Exception:  # the last guard: a traceback never reaches the user
        from tui.crashlog import write_crash_log

        log = write_crash_log()
        where = f"详情已写入 {log}" if log else "详情无法写入日志"
        print(f"jixiao：遇到意外错误，操作未完成，数据库未改动。{where}，请反馈给开发者。", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
