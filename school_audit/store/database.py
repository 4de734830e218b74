"""The store's foundation: opening the file safely and running work in short transactions.

Opening a file: check it (read-only `PRAGMA quick_check`, so a damaged file is reported and never
changed), then bring its schema to head (copying it first), then hand out connections with the
pragmas of `connection.py`. Every write is one `BEGIN IMMEDIATE` ... `COMMIT`; any driver error is
raised as a typed `StoreError` and the transaction is rolled back, so the caller's unsaved value
is still theirs to retry.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Self

from sqlalchemy import Connection, Engine
from sqlalchemy import exc as sa_exc

from school_audit.store.backups import check_readable
from school_audit.store.connection import DEFAULT_BUSY_TIMEOUT_MS, WRITE, make_engine
from school_audit.store.errors import DatabaseReadOnly, StoreError, translate
from school_audit.store.migrate import HEAD_REVISION, bring_to_head, stored_revision

log = logging.getLogger(__name__)

DRIVER_ERRORS = (sa_exc.DBAPIError, sqlite3.Error)


class Database:
    """An open database file. Use `Store.open`; the constructor expects a prepared engine."""

    def __init__(self, engine: Engine, path: Path, *, read_only: bool = False) -> None:
        self.engine = engine
        self.path = path
        self.read_only = read_only
        self._writer = engine.execution_options(**WRITE)
        # Writers in this process queue here, in turn. SQLite's busy handler polls with growing
        # sleeps, so two threads saving in a loop could starve one past the busy timeout; the
        # timeout is left to deal with other processes.
        self._write_lock = threading.Lock()

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        read_only: bool = False,
        busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
        backups: Path | None = None,
    ) -> Self:
        """Open (creating or upgrading as needed) the database at `path`."""
        existed = path.exists()
        if existed:  # a file of 0 bytes is damage too (DatabaseEmpty), never a new database
            _check_not_damaged(path)
        elif read_only:
            raise StoreError(f"There is no audit database at {path}.", "Check the file name.")
        else:
            _make_folder(path.parent)
        engine = make_engine(path, read_only=read_only, busy_timeout_ms=busy_timeout_ms)
        try:
            if read_only:
                _require_head(path)
            else:
                bring_to_head(engine, path, existed, backups)
        except DRIVER_ERRORS as error:
            engine.dispose()
            raise translate(error) from error
        except StoreError:
            engine.dispose()
            raise
        return cls(engine, path, read_only=read_only)

    def close(self) -> None:
        """Release every connection (the last one out checkpoints the write-ahead log)."""
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction, committed on leaving the block (durably: synchronous=FULL).

        Threads of this process take turns; another process holding the file makes this wait up
        to the busy timeout, then raise DatabaseLocked.
        """
        with self._write_lock:
            try:
                with self._writer.begin() as connection:
                    yield connection
            except DRIVER_ERRORS as error:
                raise translate(error) from error

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """One read transaction: a consistent snapshot while the block runs."""
        try:
            with self.engine.connect() as connection:
                yield connection
        except DRIVER_ERRORS as error:
            raise translate(error) from error


def _check_not_damaged(path: Path) -> None:
    # Read-only: a damaged file must be reported exactly as it is, never "repaired" by opening it.
    try:
        check_readable(path)
    except sqlite3.Error as error:
        raise translate(error) from error


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except PermissionError as error:
        raise DatabaseReadOnly(
            f"The data folder {folder} cannot be created: permission denied."
        ) from error
    except OSError as error:
        raise StoreError(
            f"The data folder {folder} cannot be created ({error.strerror})."
        ) from error


def _require_head(path: Path) -> None:
    revision = stored_revision(path)
    if revision != HEAD_REVISION:
        raise StoreError(
            "This copy was made by an older version of the app and must be upgraded first.",
            "Open it as a copy of a backup: the app upgrades a temporary copy and leaves it as it is.",
        )
