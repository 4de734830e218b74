"""Kill the app (SIGKILL) in the middle of typing, restart it: every acknowledged answer is there.

The child process types evidence through the real widgets and prints ACK only after the save
indicator said "saved". Whatever the kill interrupts, the database must hold, for each standard,
the last acknowledged text or a part of a later one (never an older text, never nothing), and
pass SQLite's integrity check.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.ui.helpers import fixture_template
from tests.ui.typing_app import STANDARDS, round_text, standard_for

ROOT = Path(__file__).resolve().parents[2]
ACKS_BEFORE_KILL = 5


def child_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        SCHOOL_AUDIT_HOME=str(home),
        QT_QPA_PLATFORM="offscreen",
        PYTHON_KEYRING_BACKEND="tests.keyring_backend.MemoryKeyring",
        PYTHONPATH=str(ROOT),
    )
    return env


def prepare(home: Path, school_profile) -> None:
    from school_audit.services.audit_service import AuditService
    from school_audit.store import Store

    store = Store.open_default()
    service = AuditService(store)
    service.save_profile(school_profile)
    template = fixture_template()
    service.catalogue.add(template, "file")
    service.start_audit(template)
    store.close()


def type_until_killed(home: Path, first_round: int, rng: random.Random) -> dict[str, int]:
    """Run the typing app, kill it a random moment after some ACKs; the last ACK per standard."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.ui.typing_app", "type", str(first_round)],
        cwd=ROOT, env=child_env(home), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    acked: dict[str, int] = {}
    count = 0
    try:
        deadline = time.monotonic() + 60
        while count < ACKS_BEFORE_KILL and time.monotonic() < deadline:
            line = child.stdout.readline()
            if not line:
                break
            if line.startswith("ACK "):
                _, standard_id, number = line.split()
                acked[standard_id] = int(number)
                count += 1
        time.sleep(rng.uniform(0.0, 0.45))  # somewhere inside the next round's typing
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    assert acked, "the app acknowledged nothing before the kill"
    return acked


def assert_acknowledged_text_kept(database: Path, acked: dict[str, int]) -> None:
    connection = sqlite3.connect(database)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = dict(connection.execute("SELECT standard_id, evidence FROM responses").fetchall())
    finally:
        connection.close()
    for standard_id, number in acked.items():
        stored = rows.get(standard_id, "")
        later = [
            round_text(n) for n in range(number + 1, number + 30) if standard_for(n) == standard_id
        ]
        assert stored == round_text(number) or any(
            text.startswith(stored) and stored for text in later
        ), f"{standard_id}: acknowledged round {number}, database holds {stored!r}"


@pytest.mark.slow
def test_sigkill_mid_typing_loses_no_acknowledged_answer(isolated_home, school_profile):
    from school_audit import paths

    prepare(isolated_home, school_profile)
    rng = random.Random(20251126)
    acked: dict[str, int] = {}
    next_round = 0
    for _ in range(2):  # kill, restart, kill again
        acked.update(type_until_killed(isolated_home, next_round, rng))
        assert_acknowledged_text_kept(paths.database_path(), acked)
        next_round = max(acked.values()) + 10  # fresh rounds: no text repeats across runs

    shown = subprocess.run(
        [sys.executable, "-m", "tests.ui.typing_app", "show"],
        cwd=ROOT, env=child_env(isolated_home), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    have = dict(
        line[5:].split(" ", 1) for line in shown.stdout.splitlines() if line.startswith("HAVE ")
    )
    assert set(have) == set(STANDARDS)
    for standard_id, number in acked.items():
        assert (
            have[standard_id].startswith(f"r{number:04d}") or have[standard_id] > f"r{number:04d}"
        )
