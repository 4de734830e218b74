"""The full store over SQLAlchemy Core: every read and write (see `school_audit.store`)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Self

from school_audit import paths
from school_audit.store import backups
from school_audit.store.audit_records import AuditRecords
from school_audit.store.outbox_records import OutboxRecords
from school_audit.store.pragmas import DEFAULT_BUSY_TIMEOUT_MS
from school_audit.store.profile_records import ProfileRecords
from school_audit.store.seal_records import SealRecords


class Store(AuditRecords, OutboxRecords, ProfileRecords, SealRecords):
    """Everything the client keeps. Thread-safe: each call takes its own pooled connection."""

    @classmethod
    def open_default(cls, *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> Self:
        """The store in the data folder (`--data-dir`, `SCHOOL_AUDIT_HOME` or the per-user one)."""
        return cls.open(paths.database_path(), busy_timeout_ms=busy_timeout_ms)

    @classmethod
    def open_copy(cls, backup: Path) -> Self:
        """Open a backup to look at, read-only. The backup file is never changed: a temporary
        copy is made (and upgraded if the backup predates this app's schema)."""
        folder = Path(tempfile.mkdtemp(prefix="school-audit-copy-"))
        copy = folder / "audit.sqlite3"
        backups.copy_database(backup, copy)
        cls.open(copy, backups=folder / "backups").close()
        return cls.open(copy, read_only=True)

    @classmethod
    def restore_backup(cls, backup: Path, database: Path | None = None) -> tuple[Self, Path]:
        """Replace the database with a copy of `backup` and open it.

        The current file is moved aside first (`damaged-<time>-audit.sqlite3`, never deleted).
        Returns the opened store and where the replaced file now is.
        """
        database = database or paths.database_path()
        damaged = backups.restore_backup(backup, database)
        return cls.open(database), damaged

    def warm_up(self) -> None:
        """Nothing to do: this store is fully open (see `startup.StartingStore.warm_up`)."""


def remove_copy(store: Store) -> None:
    """Close a store from `open_copy` and delete its temporary folder."""
    store.close()
    shutil.rmtree(store.path.parent, ignore_errors=True)
