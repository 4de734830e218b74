"""Engines and sessions: SQLite with WAL and one writer at a time, or PostgreSQL.

SQLite allows one writer: every write goes through `Database.write()`, which holds a process-wide
lock and opens the transaction with `BEGIN IMMEDIATE`, so two writers queue instead of failing with
"database is locked" halfway through. Other processes (more uvicorn workers) wait on
`busy_timeout`. PostgreSQL needs none of this: the lock is skipped there.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

_immediate = threading.local()
WAL_CHECKPOINT_PAGES = 8000
WAL_SIZE_LIMIT = 64 * 1024 * 1024


def normalise_url(url: str) -> str:
    """Plain `postgresql://` URLs use psycopg 3 (the driver we ship), not psycopg2."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def is_sqlite(url: str) -> bool:
    return make_url(normalise_url(url)).get_backend_name() == "sqlite"


def make_engine(url: str, **kwargs: Any) -> Engine:
    url = normalise_url(url)
    if not is_sqlite(url):
        return create_engine(url, pool_pre_ping=True, **kwargs)
    database = make_url(url).database
    if database and database != ":memory:" and not database.startswith("file:"):
        _create_private(Path(database))
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)
    _configure_sqlite(engine)
    return engine


def _create_private(path: Path) -> None:
    """Create the database file readable by its owner only (0600, like the signing key): it holds
    every school's return. SQLite gives the -wal and -shm files the database file's mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # an existing file keeps the mode its owner gave it
    os.close(descriptor)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transactions into our own hands (pysqlite's implicit BEGIN is deferred).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        # A return dirties some 470 pages (its answers land in ~150 places of each aggregate
        # index), so the default checkpoint every 1000 WAL pages would copy pages back into the
        # database every two commits. Every 8000 pages (32 MB) copies each hot page once for many
        # commits; durability is unchanged (the WAL is still synced on every commit), and the file
        # is cut back to 64 MB after a checkpoint that outgrew it.
        cursor.execute(f"PRAGMA wal_autocheckpoint={WAL_CHECKPOINT_PAGES}")
        cursor.execute(f"PRAGMA journal_size_limit={WAL_SIZE_LIMIT}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = getattr(_immediate, "on", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Database:
    """One engine, a session factory and the single-writer discipline."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = normalise_url(url)
        self.engine = make_engine(self.url, **engine_kwargs)
        self.sqlite = is_sqlite(self.url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # The overview's completeness counts follow every change of a status, register row or
        # exemption, in the transaction that makes it (imported here: aggregate reads the tables).
        from school_audit.collector.aggregate.kept_watch import watch

        watch(self._sessions)
        self._write_lock = threading.Lock()

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._sessions() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose work commits on success and rolls back on any error."""
        with self._write_lock if self.sqlite else nullcontext():
            _immediate.on = self.sqlite
            try:
                with self._sessions() as session, session.begin():
                    yield session
            finally:
                _immediate.on = False

    def dispose(self) -> None:
        self.engine.dispose()
