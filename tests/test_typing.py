"""mypy, strict on the core packages (pyproject [tool.mypy]): type errors fail the suite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STRICT_PACKAGES = [
    "school_audit/domain",
    "school_audit/signing",
    "school_audit/store",
    "school_audit/sync",
    "school_audit/services",
    "school_audit/collector/ingest",
    "school_audit/archive",
]


def test_core_packages_type_check():
    result = subprocess.run(
        [sys.executable, "-m", "mypy", *STRICT_PACKAGES],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
