"""Where the desktop app keeps its files.

One data folder from `platformdirs`, overridden by `--data-dir` or the `SCHOOL_AUDIT_HOME`
environment variable (in that order).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "school-audit"
ENV_HOME = "SCHOOL_AUDIT_HOME"
_override: Path | None = None


def set_data_dir(path: str | Path | None) -> None:
    """Use `path` for this process (from `--data-dir`); None goes back to the default."""
    global _override
    _override = Path(path).expanduser().resolve() if path else None


def data_dir() -> Path:
    if _override is not None:
        return _override
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser().resolve()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def database_path() -> Path:
    return data_dir() / "audit.sqlite3"


def backups_dir() -> Path:
    return data_dir() / "backups"


def log_dir() -> Path:
    return data_dir() / "logs"


def exports_dir() -> Path:
    return data_dir() / "exports"
