"""The `jixiao` command: verbs for everything outside the full-screen app.

Textual is imported only when a verb opens the app, so `check` and `export` start fast.
Exit codes: 0 ok, 1 `check` found errors, 2 anything went wrong (one Chinese line on stderr).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version
from typing import NoReturn

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with Chinese headings and errors that exit 2 with one line."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str) -> NoReturn:
        """Print a Chinese usage error and exit 2."""
        translated = (
            message.replace("the following arguments are required", "缺少参数")
            .replace("unrecognized arguments", "无法识别的参数")
            .replace("invalid choice", "无效的选项")
            .replace("expected one argument", "需要一个值")
            .replace("argument", "参数")
        )
        self.exit(EXIT_ERROR, f"jixiao：{translated}（用 jixiao {self.prog.split()[-1]} --help 查看用法）\n")


def _version() -> str:
    try:
        return version("jixiao")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


def build_parser() -> ChineseArgumentParser:
    """The argument parser with every verb and its Chinese help."""
    parser = ChineseArgumentParser(
        prog="jixiao",
        description="绩效：项目支出绩效（自）评价报告的终端助手。不带子命令时打开主界面。",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--version", action="version", version=f"jixiao {_version()}", help="显示版本号并退出"
    )
    parser.add_argument(
        "--db", metavar="路径", help="数据库文件（默认取环境变量 JIXIAO_DB，否则为用户数据目录）"
    )
    verbs = parser.add_subparsers(
        dest="verb", title="子命令", metavar="子命令", parser_class=ChineseArgumentParser
    )

    def verb(name: str, help_text: str) -> ChineseArgumentParser:
        sub: ChineseArgumentParser = verbs.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--db", metavar="路径", default=argparse.SUPPRESS, help="数据库文件")
        return sub

    sub = verb("open", "打开一份报告继续填写")
    sub.add_argument("report", metavar="报告", help="报告编号，或能唯一确定报告的标题开头")

    sub = verb("new", "新建一份报告（缺少的项目会在终端中询问）")
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

    sub = verb("check", "检查一份报告并计算得分（有错误时退出码为 1）")
    sub.add_argument("report", metavar="报告", help="报告编号或标题开头")
    sub.add_argument(
        "--format", choices=["text", "json"], default="text", help="输出格式：text（默认）或 json"
    )

    sub = verb("export", "导出报告为 Markdown 或 JSON")
    sub.add_argument("report", metavar="报告", help="报告编号或标题开头")
    sub.add_argument("-o", "--output", metavar="文件", help="输出文件；- 表示标准输出（默认：标题-年度.md）")
    sub.add_argument("--format", choices=["md", "json"], default="md", help="格式：md（默认）或 json")
    sub.add_argument("--force", action="store_true", help="覆盖已存在的文件")

    sub = verb("import", "导入报告：jixiao 导出的 JSON，或文本/Markdown 格式的往年报告")
    sub.add_argument("file", metavar="文件", help=".json、.txt 或 .md 文件")

    sub = verb("history", "查看报告的修改记录")
    sub.add_argument("report", metavar="报告", help="报告编号或标题开头")
    sub.add_argument("-n", "--limit", type=int, default=30, metavar="条数", help="显示的条数（默认 30）")

    sub = verb("undo", "撤销报告最近的一次修改")
    sub.add_argument("report", metavar="报告", help="报告编号或标题开头")

    sub = verb("demo", "新建（或重置）示例报告并打开")
    sub.add_argument("--no-open", action="store_true", help="只建示例报告并输出其编号，不打开界面")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `jixiao` command; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    from tui import commands

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
        return handlers[args.verb](args)
    except commands.UserFacingError as error:
        print(f"jixiao：{error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("jixiao：已取消", file=sys.stderr)
        return EXIT_ERROR
    except Exception:  # the last guard: a traceback never reaches the user
        from tui.crashlog import write_crash_log

        log = write_crash_log()
        where = f"详情已写入 {log}" if log else "详情无法写入日志"
        print(f"jixiao：遇到意外错误，操作未完成，数据库未改动。{where}，请反馈给开发者。", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
