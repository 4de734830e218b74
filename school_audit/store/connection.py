"""The SQLAlchemy engine on the SQLite file, and how its transactions begin.

Each connection gets the pragmas of `pragmas.py`. Python's sqlite3 transaction handling is switched
off and SQLAlchemy's `begin` issues `BEGIN IMMEDIATE` for writes: a writer takes the lock up front
and waits the busy timeout for it, rather than failing halfway when a read turns into a write.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.pool import QueuePool

from school_audit.store import pragmas
from school_audit.store.pragmas import DEFAULT_BUSY_TIMEOUT_MS, apply_pragmas, sqlite_uri

__all__ = ["DEFAULT_BUSY_TIMEOUT_MS", "WRITE", "apply_pragmas", "make_engine", "sqlite_uri"]

WRITE = {"school_audit_write": True}


def make_engine(
    path: Path, *, read_only: bool = False, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS
) -> Engine:
    """An engine on the file at `path` with the pragmas and BEGIN IMMEDIATE for writes."""

    resolved = path.resolve()  # once, as the working folder may change later

    def connect() -> sqlite3.Connection:
        return pragmas.connect(resolved, busy_timeout_ms, read_only=read_only)

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
