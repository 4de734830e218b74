"""The pragmas every connection gets, in plain sqlite3 (no SQLAlchemy: the start-up reader uses
them too).

Every connection runs in WAL mode with `synchronous=FULL` (a committed answer survives power loss),
foreign keys on and a short busy timeout, so a locked file is reported quickly instead of freezing
the window. Python's sqlite3 transaction handling is switched off: transactions are begun
explicitly (`BEGIN IMMEDIATE` for writes, see connection.py).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

DEFAULT_BUSY_TIMEOUT_MS = 2000


def sqlite_uri(path: Path, *, read_only: bool = False) -> str:
    """A `file:` URI for sqlite3; `mode=ro` opens the file as if it were on a read-only medium."""
    uri = "file:" + quote(str(path.resolve()))
    return uri + ("?mode=ro" if read_only else "")


def connect(path: Path, busy_timeout_ms: int, *, read_only: bool = False) -> sqlite3.Connection:
    """A raw connection to the file at `path`, usable from any thread (callers serialise use)."""
    # Python's default timeout (5 s) would override ours at connect time: pass it explicitly.
    return sqlite3.connect(
        sqlite_uri(path, read_only=read_only),
        uri=True,
        timeout=busy_timeout_ms / 1000,
        check_same_thread=False,
    )


def apply_pragmas(dbapi_connection: sqlite3.Connection, busy_timeout_ms: int) -> None:
    """The pragmas of ARCHITECTURE §3 "Local store", on one raw connection."""
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (see module docstring)
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
        if str(mode).lower() != "wal":
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()
