"""Opening the SQLite file: the pragmas every connection gets, and how transactions begin.

Every connection runs in WAL mode with `synchronous=FULL` (a committed answer survives power loss),
foreign keys on and a short busy timeout, so a locked file is reported quickly instead of freezing
the window. Python's sqlite3 transaction handling is switched off and SQLAlchemy's `begin` issues
`BEGIN IMMEDIATE` for writes: a writer takes the lock up front and waits the busy timeout for it,
rather than failing halfway when a read turns into a write.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.pool import QueuePool

DEFAULT_BUSY_TIMEOUT_MS = 2000
WRITE = {"school_audit_write": True}


def sqlite_uri(path: Path, *, read_only: bool = False) -> str:
    """A `file:` URI for sqlite3; `mode=ro` opens the file as if it were on a read-only medium."""
    uri = "file:" + quote(str(path.resolve()))
    return uri + ("?mode=ro" if read_only else "")


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


def make_engine(
    path: Path, *, read_only: bool = False, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS
) -> Engine:
    """An engine on the file at `path` with the pragmas and BEGIN IMMEDIATE for writes."""
    uri = sqlite_uri(path, read_only=read_only)

    def connect() -> sqlite3.Connection:
        # Python's default timeout (5 s) would override ours at connect time: pass it explicitly.
        return sqlite3.connect(
            uri, uri=True, timeout=busy_timeout_ms / 1000, check_same_thread=False
        )

    # The URL has no file name (the creator opens the URI), so name the pool class: otherwise
    # SQLAlchemy would pick the single-connection pool it uses for in-memory databases.
    engine = create_engine("sqlite+pysqlite://", creator=connect, poolclass=QueuePool)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        apply_pragmas(dbapi_connection, busy_timeout_ms)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get("school_audit_write", False)
        # Straight to the driver: this runs before every save, and errors are mapped by the caller.
        raw = connection.connection.driver_connection
        assert raw is not None
        raw.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine
