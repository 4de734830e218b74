"""The README's main job, headless: collector seeded, the school's app enrolled, a return sent."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_demo_runs_the_whole_loop(tmp_path):
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "tests.keyring_backend.MemoryKeyring", "PYTHONPATH": str(ROOT)}
    folder = tmp_path / "demo"
    result = subprocess.run(
        [sys.executable, "-m", "school_audit.demo_run", "--folder", str(folder), "--port", str(free_port()),
         "--password", "Demo-password-2025!", "--send", "--no-app", "--no-wait"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Sent 1 return(s) to the collector; waiting: 0." in result.stdout
    assert "log in as officer" in result.stdout and "Demo-password-2025!" in result.stdout
    with sqlite3.connect(folder / "collector" / "collector.sqlite3") as db:
        rows = db.execute("SELECT status FROM submissions WHERE urn = '990101'").fetchall()
    assert rows == [("received",)]
