"""The corpus: every finding of ten varied reports, asserted exactly, so a change of advice is a reviewed diff.

``tests/report/corpus/NAME.json`` is a report as ``jixiao export --format json`` writes it;
``NAME.findings.json`` is every finding ``check_report`` gives it with its outline (severity,
code, where, message, hint, and the fix offered). When a change of the checks is meant, rewrite
the expectations and review the diff before committing::

    JIXIAO_UPDATE_CORPUS=1 .venv/bin/python -m pytest tests/report/test_corpus.py -q

Without ``JIXIAO_UPDATE_CORPUS`` the test fails on any difference.
"""

from __future__ import annotations

import difflib
import json
import os
from decimal import Decimal
from pathlib import Path

import pytest

from prompts.templates import load_template
from report.checks import Finding, check_report
from report.serialize import report_from_dict

CORPUS = Path(__file__).parent / "corpus"
EXPECTED_SUFFIX = ".findings.json"
UPDATE = os.environ.get("JIXIAO_UPDATE_CORPUS") == "1"
REPORTS = sorted(path for path in CORPUS.glob("*.json") if not path.name.endswith(EXPECTED_SUFFIX))


def _fix_of(finding: Finding) -> dict[str, str] | None:
    fix = finding.fix
    if fix is None:
        return None
    shown: dict[str, str] = {"label": fix.label, "path": fix.path, "before": fix.before, "after": fix.after}
    if isinstance(fix.value, Decimal | str):
        shown["value"] = str(fix.value)
    return shown


def _as_data(finding: Finding) -> dict[str, object]:
    where = finding.where
    return {
        "severity": finding.severity.value,
        "code": finding.code,
        "where": where.describe(),
        "field": where.field,
        "indicator": where.indicator,
        "message": finding.message,
        "hint": finding.hint,
        "fix": _fix_of(finding),
    }


def _text(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def test_the_corpus_is_there() -> None:
    assert len(REPORTS) >= 8
    assert {report_from_dict(json.loads(path.read_text("utf-8"))).template_id for path in REPORTS} == {
        "eight_part",
        "seven_part_2020",
    }


@pytest.mark.parametrize("path", REPORTS, ids=[path.stem for path in REPORTS])
def test_every_finding_of_a_corpus_report_is_as_reviewed(path: Path) -> None:
    report = report_from_dict(json.loads(path.read_text("utf-8")))
    findings = check_report(report, load_template(report.template_id).outline)
    actual = _text([_as_data(finding) for finding in findings])
    expected_path = path.with_name(path.stem + EXPECTED_SUFFIX)
    if UPDATE:
        expected_path.write_text(actual, encoding="utf-8")
        return
    assert expected_path.exists(), f"{expected_path.name} 不存在：运行 JIXIAO_UPDATE_CORPUS=1 生成并审阅"
    expected = expected_path.read_text("utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                f"{expected_path.name} (reviewed)",
                f"{expected_path.name} (now)",
            )
        )
        pytest.fail(
            f"{path.name}: the findings changed. If the change is meant, rerun with "
            f"JIXIAO_UPDATE_CORPUS=1 and review the diff:\n{diff}"
        )
