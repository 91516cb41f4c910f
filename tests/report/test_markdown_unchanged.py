"""The Markdown export is byte for byte what jixiao wrote before the document model existed.

The golden files and the digest below were written by the renderer that produced Markdown
text directly (before ``report.document``); the blocks and the Markdown writer must reproduce
them exactly, so submitted reports, diffs between versions and re-imports stay the same.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from benchmarks.synthetic import SIZES, synthetic_report
from prompts.templates import load_template
from report.demo import build_demo_report
from report.render import document_parts, render_report
from report.writers.markdown import BLOCK_SEPARATOR, blocks_markdown

GOLDEN = Path(__file__).parent / "golden"
BIG_REPORT_SHA256 = "5b655428ef5410ba04f89cb8507b11dceeccec802cfcc3a090b3d3a451282052"
BIG_REPORT_CHARACTERS = 757_433


@pytest.mark.parametrize("template_id", ["eight_part", "seven_part_2020"])
def test_the_demo_exports_the_same_markdown_as_before(template_id: str) -> None:
    expected = (GOLDEN / f"demo_{template_id}.md").read_text(encoding="utf-8")
    outline = load_template(template_id).outline
    assert render_report(build_demo_report(), outline) == expected


def test_a_200_page_report_exports_the_same_markdown_as_before() -> None:
    report = synthetic_report(SIZES[2])
    text = render_report(report, load_template(report.template_id).outline)
    assert len(text) == BIG_REPORT_CHARACTERS
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == BIG_REPORT_SHA256


def test_the_markdown_is_the_writer_applied_to_the_document_parts() -> None:
    report = build_demo_report()
    outline = load_template(report.template_id).outline
    parts = document_parts(report, outline)
    written = BLOCK_SEPARATOR.join(blocks_markdown(part.blocks) for part in parts) + "\n"
    assert written == render_report(report, outline)
    assert parts[0].key == "<title>" and parts[-1].key == "<score_sheet>"
