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


# The seams the desktop UI is typed against, checked on both sides (tests/ui/typed_seams.py). The
# UI's own modules are read for their types but not reported on (follow-imports=silent): only
# these files must be clean.
SEAMS = [
    "school_audit/services/interfaces.py",
    "school_audit/ui/desk.py",
    "tests/ui/memory_service.py",
    "tests/ui/typed_seams.py",
]


def test_the_ui_seams_fit_the_real_service_the_double_and_the_window():
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--follow-imports=silent", *SEAMS],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
