"""One rotating log file in the data folder's log directory (never answer text, never secrets)."""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

from school_audit import paths

LOG_FILE_NAME = "school-audit.log"
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Log to `paths.log_dir()/school-audit.log`; fall back to stderr if the folder is unusable."""
    root = logging.getLogger()
    root.setLevel(level)
    for old in [h for h in root.handlers if getattr(h, "school_audit", False)]:
        root.removeHandler(old)  # set up again (a second window, or tests): one file only
        old.close()
    log_file = paths.log_dir() / LOG_FILE_NAME
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        handler = logging.StreamHandler(sys.stderr)
        log_file = None  # type: ignore[assignment]
    handler.school_audit = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter(_FORMAT))
    root.addHandler(handler)
    return log_file
