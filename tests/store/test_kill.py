"""kill -9 at random moments while answers are being saved: no acknowledged answer is lost and
the file always passes `PRAGMA integrity_check` (bench/kill_harness.py runs hundreds of rounds)."""

from __future__ import annotations

import sys

import pytest

from tests.store.save_loop import KillHarness

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs fork and SIGKILL")


def test_no_acknowledged_answer_is_lost_to_sigkill(tmp_path, school_profile, mini_template):
    seed = 20251126
    harness = KillHarness(tmp_path / "audit.sqlite3", (school_profile, mini_template), seed)
    report = harness.run(rounds=20)
    assert report.rounds == 20
    assert report.acknowledged > 20, "the children must really have saved answers"
    assert report.integrity_failures == [], f"seed {seed}"
    assert report.lost == [], f"seed {seed}: acknowledged answers missing after kill -9"
