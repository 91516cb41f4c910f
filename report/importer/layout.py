"""Lines laid out over an outline: which lines belong to which section, and where a section's text goes.

Matching only moves forward through the outline; the outline whose headings match best is used.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from report.importer.headings import _best_match, _heading_candidate
from report.model import Report
from report.outline import BlockKind, Outline, Section


@dataclass
class _Layout:
    """Lines assigned to the sections of one outline."""

    outline: Outline
    preamble: list[str] = field(default_factory=list)
    bodies: dict[str, list[str]] = field(default_factory=dict)
    found: list[str] = field(default_factory=list)
    score: int = 0
    unknown_headings: list[tuple[str, str]] = field(default_factory=list)  # (line, section key)

    @property
    def top_found(self) -> int:
        keys = {s.key for s in self.outline.sections}
        return sum(1 for key in self.found if key in keys)


def _lay_out(units: Sequence[str], outline: Outline, *, markdown: bool) -> _Layout:
    walk = list(outline.walk())
    layout = _Layout(outline)
    position = -1
    current: str | None = None
    for unit in units:
        heading = _heading_candidate(unit, markdown=markdown)
        if heading is not None:
            match = _best_match(walk, position, heading)
            if match is not None:
                position = match.index
                current = walk[position].key
                layout.bodies.setdefault(current, [])
                layout.found.append(current)
                layout.score += match.score
                continue
            if current is not None and heading.declared:
                layout.unknown_headings.append((unit, current))
        if current is None:
            layout.preamble.append(unit)
        else:
            layout.bodies[current].append(unit)
    return layout


def _choose_layout(units: Sequence[str], outlines: Sequence[Outline], *, markdown: bool) -> _Layout:
    layouts = [_lay_out(units, outline, markdown=markdown) for outline in outlines]
    return max(layouts, key=lambda layout: (layout.score, layout.top_found, -layouts.index(layout)))


def _target_of(section: Section) -> str | None:
    """The field path a section's own text goes to: its first prose block, or a goals field."""
    for block in section.blocks:
        if block.kind is BlockKind.PROSE and block.key:
            return f"answers.{block.key}"
        if block.kind is BlockKind.OVERALL_GOAL:
            return "overall_goal"
        if block.kind is BlockKind.STAGE_GOALS:
            return "stage_goals"
    return None


def _subtree(section: Section) -> list[Section]:
    found = [section]
    for child in section.children:
        found.extend(_subtree(child))
    return found


def _has_block(section: Section, kind: BlockKind) -> bool:
    return any(block.kind is kind for block in section.blocks)


class _Texts:
    """Prose gathered per field path, in document order."""

    def __init__(self) -> None:
        self.parts: dict[str, list[str]] = {}

    def add(self, path: str, lines: Iterable[str]) -> None:
        self.parts.setdefault(path, []).extend(lines)

    def fill(self, report: Report) -> None:
        for path, lines in self.parts.items():
            text = "\n".join(line for line in lines if line)
            if not text:
                continue
            if path.startswith("answers."):
                key = path.removeprefix("answers.")
                report.answers[key] = f"{report.answers[key]}\n{text}" if report.answers.get(key) else text
            elif path == "overall_goal":
                report.overall_goal = _append(report.overall_goal, text)
            elif path == "overall_goal_actual":
                report.overall_goal_actual = _append(report.overall_goal_actual, text)
            elif path == "stage_goals":
                report.stage_goals = _append(report.stage_goals, text)


def _append(old: str, text: str) -> str:
    return f"{old}\n{text}" if old else text
