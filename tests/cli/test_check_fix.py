"""`jixiao check` shows the fix a finding offers, as the app does: before → after, and in JSON."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from report.demo import build_demo_report
from storage.store import ReportStore
from tests.cli.conftest import Run

STALE = "共支出483.3万元；预算执行率99.24%"
FRESH = "共支出480.00万元；预算执行率98.56%"


def _spent_changed(db: Path) -> int:
    report = build_demo_report()
    report.funds.actual_spent = Decimal(480)  # the prose still quotes 483.3 and 99.24%
    db.parent.mkdir(parents=True, exist_ok=True)
    with ReportStore.open(db) as store:
        created = store.create(report)
    assert created.id is not None
    return created.id


def test_check_prints_the_fix_under_the_stale_prose_finding(run: Run, db: Path) -> None:
    report_id = _spent_changed(db)
    result = run("check", str(report_id))
    assert result.code == 1, result.err
    lines = result.out.splitlines()
    rate = next(n for n, line in enumerate(lines) if "text.rate_mismatch" in line and "99.24%" in line)
    fix = next(line for line in lines[rate:] if "可修正" in line)
    assert fix.strip() == f"⇒ 可修正：更新「2.项目资金使用情况分析」中过时的 2 处数字：{STALE} → {FRESH}"


def test_check_json_carries_the_fix_and_the_new_paragraph(run: Run, db: Path) -> None:
    report_id = _spent_changed(db)
    result = run("check", str(report_id), "--format", "json")
    payload = json.loads(result.out)
    stale = [f for f in payload["findings"] if f["code"] in ("text.rate_mismatch", "text.amount_mismatch")]
    fixes = {
        json.dumps(f["fix"], ensure_ascii=False, sort_keys=True)
        for f in stale
        if "2.项目" in f["fix"]["label"]
    }
    assert len(fixes) == 1
    fix = json.loads(fixes.pop())
    assert fix["path"] == "answers.analysis.funds.use"
    assert (fix["before"], fix["after"]) == (STALE, FRESH)
    assert fix["text"].startswith("全年共支出480.00万元，预算执行率98.56%。")
    unfixable = next(f for f in payload["findings"] if f["code"] == "budget.lines_sum")
    assert unfixable["fix"] is None
