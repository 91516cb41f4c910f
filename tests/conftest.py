"""Shared test setup: hypothesis profiles and the path of the shared sample report."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("default", max_examples=60, deadline=None)
settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
settings.register_profile("fuzz", max_examples=20_000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "default"))

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("JIXIAO_SHARED", REPO.parent / "shared"))
SAMPLE = SHARED / "samples" / "longcheng-2020-self-evaluation.txt"


@pytest.fixture
def sample_path() -> Path:
    """The real published report in ../shared; skipped (with the reason) where it is absent."""
    if not SAMPLE.exists():
        pytest.skip(f"the shared sample report is not at {SAMPLE} (a user's own clone has no ../shared)")
    return SAMPLE


@pytest.fixture(autouse=True)
def _isolated_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test ever touches the user's real database."""
    monkeypatch.setenv("JIXIAO_DB", str(tmp_path / "jixiao-test.db"))
