"""Copies of the database file: taken before every migration, listed, and restored.

Copies go through SQLite's online backup API, so whatever is still in the write-ahead log is
included and the copy is a consistent single file. A damaged file is never overwritten or deleted:
restoring a copy first moves it (with its -wal and -shm files) aside under a `damaged-` name.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from school_audit import paths
from school_audit.store.errors import DatabaseCorrupt, DatabaseEmpty
from school_audit.store.pragmas import sqlite_uri

log = logging.getLogger(__name__)

BACKUP_PATTERN = "audit-*.sqlite3"
_SIDE_FILES = ("-wal", "-shm")


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def copy_database(source: Path, destination: Path) -> None:
    """A consistent copy of `source` (read-only: the source is never changed) at `destination`."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    reader = sqlite3.connect(sqlite_uri(source, read_only=True), uri=True)
    try:
        writer = sqlite3.connect(destination)
        try:
            reader.backup(writer)
        finally:
            writer.close()
    finally:
        reader.close()


def take_backup(database: Path, label: str, folder: Path | None = None) -> Path:
    """Copy `database` to `<folder>/audit-<UTC time>-<label>.sqlite3` and return its path."""
    folder = folder or paths.backups_dir()
    target = folder / f"audit-{_stamp()}-{label}.sqlite3"
    copy_database(database, target)
    log.info("Copied the database to %s", target.name)
    return target


def list_backups(folder: Path | None = None) -> list[Path]:
    """The copies in the backups folder, newest first."""
    folder = folder or paths.backups_dir()
    if not folder.is_dir():
        return []
    return sorted(folder.glob(BACKUP_PATTERN), key=lambda p: p.name, reverse=True)


def move_aside(database: Path) -> Path:
    """Rename `database` (and its -wal/-shm) to `damaged-<time>-<name>`; returns the new path."""
    target = database.with_name(f"damaged-{_stamp()}-{database.name}")
    for suffix in _SIDE_FILES:
        side = database.with_name(database.name + suffix)
        if side.exists():
            side.rename(target.with_name(target.name + suffix))
    if database.exists():
        database.rename(target)
    log.warning("Moved the damaged database aside to %s", target.name)
    return target


def restore_backup(backup: Path, database: Path | None = None) -> Path:
    """Put a copy of `backup` in place of `database`, after moving the current file aside.

    Returns where the replaced (damaged) file now is. The backup itself is left as it was.
    """
    database = database or paths.database_path()
    try:
        check_readable(backup)
    except (sqlite3.Error, DatabaseEmpty) as error:
        raise DatabaseCorrupt(
            f"The copy {backup.name} is damaged too.", "Choose an older copy."
        ) from error
    damaged = move_aside(database)
    copy_database(backup, database)
    return damaged


def check_readable(database: Path) -> None:
    """Raise sqlite3.DatabaseError unless `database` opens and passes a quick check, and
    DatabaseEmpty for a file of 0 bytes (which SQLite would read as a new, empty database)."""
    if database.stat().st_size == 0:
        raise DatabaseEmpty()
    connection = sqlite3.connect(sqlite_uri(database, read_only=True), uri=True)
    try:
        result = connection.execute("PRAGMA quick_check").fetchall()
    finally:
        connection.close()
    if result != [("ok",)]:
        raise sqlite3.DatabaseError("database disk image is malformed")
