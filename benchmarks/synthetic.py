"""Synthetic reports and databases for the benchmarks: deterministic, Chinese, of a chosen size.

- ``synthetic_report(pages, indicators)``: the demo report with ``pages`` × ~1,500 characters of
  Chinese prose spread over the template's prose steps (paragraphs of ~300 characters) and
  ``indicators`` indicator rows (the demo's rows repeated and numbered, weights shared out so
  each 一级 sums to its default weight, so the sheet stays consistent).
- ``SIZES``: the three sizes measured everywhere — 5 pages / 20 indicators, 50 / 200, 200 / 2,000.
- ``build_database(path, sizes, reports)``: a database holding the demo report and one report of
  each size (created through ``ReportStore``), padded to ``reports`` reports by copying the demo
  report's row in SQL (what the list screen and ``jixiao list`` read).
"""

from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass, replace
from decimal import ROUND_DOWN, Decimal
from pathlib import Path

from prompts.templates import StepKind, load_template
from report.demo import build_demo_report
from report.model import Indicator, Level1, Nature, QualGrade, Report
from report.scoring import band_default, in_band, weights_of
from storage.store import ReportStore

PAGE_CHARACTERS = 1_500
PARAGRAPH_CHARACTERS = 300


@dataclass(frozen=True)
class Size:
    """One benchmark size: pages of prose and indicator rows."""

    pages: int
    indicators: int

    @property
    def label(self) -> str:
        """E.g. ``50 pages / 200 indicators``."""
        return f"{self.pages} pages"


SIZES = (Size(5, 20), Size(50, 200), Size(200, 2_000))

_WORDS = (
    "项目", "资金", "预算", "执行", "绩效", "目标", "指标", "完成", "情况", "管理", "制度", "社区",
    "服务", "群众", "满意度", "培训", "基层", "治理", "经费", "保障", "采购", "验收", "考核", "台账",
    "整改", "落实", "监督", "评价", "街道", "办公室", "工作", "按期", "推进", "开展", "组织", "协调",
)  # fmt: skip


def chinese_text(rng: random.Random, characters: int) -> str:
    """About ``characters`` characters of Chinese words with commas and full stops, ending in 。."""
    out: list[str] = []
    length = 0
    while length < characters:
        piece = rng.choice(_WORDS)
        if rng.random() < 0.15:
            piece += rng.choice("，，，。、；")
        out.append(piece)
        length += len(piece)
    return "".join(out).rstrip("，。、；") + "。"


def prose_steps(template_id: str = "eight_part") -> list[str]:
    """The ids of the template's prose steps (the ones whose answer is a paragraph of text)."""
    template = load_template(template_id)
    return [
        step.id for step in template.steps if step.kind is StepKind.TEXT and step.field.startswith("answers.")
    ]


def prose_answers(pages: int, seed: int = 1) -> dict[str, str]:
    """``pages`` × 1,500 characters spread evenly over the prose steps, as ~300-character paragraphs."""
    rng = random.Random(seed)
    steps = prose_steps()
    total = pages * PAGE_CHARACTERS
    answers = {}
    for number, step_id in enumerate(steps):
        share = total // len(steps) + (1 if number < total % len(steps) else 0)
        paragraphs = []
        while share > 0:
            size = min(PARAGRAPH_CHARACTERS, share)
            paragraphs.append(chinese_text(rng, max(size - 1, 1)))
            share -= size
        answers[step_id] = "\n".join(paragraphs)
    return answers


def _cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_DOWN)


def synthetic_indicators(count: int) -> list[Indicator]:
    """``count`` rows cycling through the demo's, numbered; each 一级's weights sum to its default."""
    demo = build_demo_report()
    rows = [
        replace(
            demo.indicators[n % len(demo.indicators)],
            name=f"{demo.indicators[n % len(demo.indicators)].name}{n + 1}",
        )
        for n in range(count)
    ]
    weights = weights_of(demo)
    by_level: dict[Level1, list[int]] = {}
    for index, row in enumerate(rows):
        by_level.setdefault(row.effective_level1, []).append(index)
    for level, indices in by_level.items():
        total = weights.get(level, Decimal(0))
        share = _cents(total / len(indices))
        for position, index in enumerate(indices):
            weight = share + (total - share * len(indices) if position == 0 else 0)
            row = rows[index]
            score = None
            if row.nature is Nature.QUALITATIVE and row.score is not None:
                score = band_default(QualGrade(row.actual), weight)
                if not in_band(QualGrade(row.actual), weight, score):
                    score = None  # a weight of a few cents has no score inside the band
            rows[index] = replace(row, weight=weight, score=score)
    return rows


def synthetic_report(size: Size, seed: int = 1) -> Report:
    """The demo report grown to ``size``: its prose and its indicator rows replaced."""
    demo = build_demo_report()
    answers = dict(demo.answers)
    answers.update(prose_answers(size.pages, seed))
    return replace(
        demo,
        title=f"2020年度青岚街道工作经费项目支出绩效自评报告（{size.pages}页）",
        answers=answers,
        indicators=synthetic_indicators(size.indicators),
    )


def prose_characters(report: Report) -> int:
    """How many characters of prose the report's prose steps hold."""
    return sum(len(report.answers.get(step_id, "")) for step_id in prose_steps(report.template_id))


def build_database(path: Path, sizes: tuple[Size, ...] = SIZES, reports: int = 0) -> dict[str, int]:
    """Create the demo and one report per size; pad to ``reports`` rows. Ids by name (``demo``, ``5``…)."""
    ids: dict[str, int] = {}
    with ReportStore.open(path) as store:
        ids["demo"] = store.create(build_demo_report()).id or 0
        for size in sizes:
            ids[str(size.pages)] = store.create(synthetic_report(size)).id or 0
    missing = reports - len(ids)
    if missing > 0:
        conn = sqlite3.connect(path, isolation_level=None)
        try:
            columns = [row[1] for row in conn.execute("PRAGMA table_info(reports)") if row[1] != "id"]
            chosen = ", ".join("title || ' ' || n" if c == "title" else c for c in columns)
            conn.execute("BEGIN")
            conn.execute(
                f"WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < {missing}) "
                f"INSERT INTO reports ({', '.join(columns)}) SELECT {chosen} FROM seq, reports "
                f"WHERE reports.id = {ids['demo']}"
            )
            conn.execute("COMMIT")
        finally:
            conn.close()
    return ids
