"""One log file in the data folder's log directory (never answer text, never secrets).

The file is rotated when the app starts, once it has passed 1 MB (three old files are kept):
rotating at start needs only the `logging` module itself, and one sitting writes a few kilobytes.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from school_audit import paths

LOG_FILE_NAME = "school-audit.log"
MAX_BYTES = 1_000_000
KEEP = 3
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Log to `paths.log_dir()/school-audit.log`; fall back to stderr if the folder is unusable."""
    root = logging.getLogger()
    root.setLevel(level)
    for old in [h for h in root.handlers if getattr(h, "school_audit", False)]:
        root.removeHandler(old)  # set up again (a second window, or tests): one file only
        old.close()
    log_file: Path | None = paths.log_dir() / LOG_FILE_NAME
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        rotate(log_file)
        handler: logging.Handler = logging.FileHandler(log_file, encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler(sys.stderr)
        log_file = None
    handler.school_audit = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter(_FORMAT))
    root.addHandler(handler)
    return log_file


def rotate(log_file: Path, max_bytes: int = MAX_BYTES, keep: int = KEEP) -> None:
    """Once `log_file` has passed `max_bytes`: .log → .log.1 → … → .log.`keep` (the oldest goes)."""
    if not log_file.exists() or log_file.stat().st_size < max_bytes:
        return
    for number in range(keep - 1, 0, -1):
        older = log_file.with_name(f"{log_file.name}.{number}")
        if older.exists():
            older.replace(log_file.with_name(f"{log_file.name}.{number + 1}"))
    log_file.replace(log_file.with_name(f"{log_file.name}.1"))
