"""The outline of a report: numbered sections and what each one shows.

An outline is data (prompts/ loads it from a template file); the renderer walks it to assemble
the Markdown, one section at a time. Numbers follow 公文 style by depth: 一、 （一） 1. （1）.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

CHINESE_DIGITS = "〇一二三四五六七八九"


class BlockKind(StrEnum):
    """What a block of a section renders."""

    PROSE = "prose"  # the answer text of one step (Block.key is the step id)
    FUNDS = "funds"  # budget total, actual spend and the funds split, as a sentence
    BUDGET_LINES = "budget_lines"  # the budget lines as a table with a 合计 row
    OVERALL_GOAL = "overall_goal"  # 年度总体目标
    STAGE_GOALS = "stage_goals"  # 阶段性目标
    INDICATORS = "indicators"  # the indicator results, grouped by 二级 category
    EXECUTION = "execution"  # 执行率 and its score, savings
    SCORE = "score"  # the total score and grade


@dataclass(frozen=True)
class Block:
    """One piece of a section's body."""

    kind: BlockKind
    key: str = ""


@dataclass(frozen=True)
class Section:
    """A heading of the outline with its own blocks and its sub-sections."""

    key: str  # stable id within the template, e.g. "overview" or "analysis.funds"
    title: str
    depth: int  # 1 for 一、, 2 for （一）, 3 for 1., 4 for （1）
    number: str  # the label as printed, e.g. "四、" or "（三）"
    blocks: tuple[Block, ...] = ()
    children: tuple[Section, ...] = ()

    @property
    def heading(self) -> str:
        """The heading as printed: number and title."""
        return f"{self.number}{self.title}"


@dataclass(frozen=True)
class Outline:
    """A template's whole outline."""

    id: str
    name: str
    sections: tuple[Section, ...]

    def walk(self) -> Iterator[Section]:
        """Every section, depth first, in reading order."""
        stack = list(reversed(self.sections))
        while stack:
            section = stack.pop()
            yield section
            stack.extend(reversed(section.children))

    def find(self, key: str) -> Section | None:
        """The section with this key, or None."""
        return next((s for s in self.walk() if s.key == key), None)

    def path_to(self, key: str) -> list[Section]:
        """The sections from the top level down to the one with this key (empty if absent)."""

        def search(sections: tuple[Section, ...], trail: list[Section]) -> list[Section]:
            for section in sections:
                here = [*trail, section]
                if section.key == key:
                    return here
                found = search(section.children, here)
                if found:
                    return found
            return []

        return search(self.sections, [])


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (enough for outline numbering, 1..99)."""
    if not 1 <= n <= 99:
        raise ValueError(f"outline numbers run from 1 to 99, not {n}")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CHINESE_DIGITS[ones]
    head = "" if tens == 1 else CHINESE_DIGITS[tens]
    return head + "十" + (CHINESE_DIGITS[ones] if ones else "")


def number_label(depth: int, index: int) -> str:
    """The 公文 label of the index-th (1-based) heading at a depth: 一、 （一） 1. （1）."""
    if depth == 1:
        return f"{chinese_numeral(index)}、"
    if depth == 2:
        return f"（{chinese_numeral(index)}）"
    if depth == 3:
        return f"{index}."
    return f"（{index}）"
