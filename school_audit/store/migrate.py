"""Bringing a database file to the schema this app expects, safely.

A new file is built by running every migration. An existing file below head is first copied to the
backups folder (`audit-<time>-before-<head>.sqlite3`), then upgraded. A file at a revision this app
does not know was written by a newer app: it is left untouched and `DatabaseTooNew` is raised.
Alembic is only imported when there is something to do, so a normal start stays fast.

A new revision (there is no alembic.ini; the Config is built here):

    from alembic import command
    from school_audit.store.migrate import alembic_config
    command.revision(alembic_config(None), message="what changes", rev_id="0003")

then write its upgrade(), change `tables.py` to match, and add the id to KNOWN_REVISIONS
(tests/store/test_migrations.py checks all three agree).
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from school_audit.store.backups import take_backup
from school_audit.store.errors import DatabaseTooNew
from school_audit.store.pragmas import sqlite_uri

if TYPE_CHECKING:
    from sqlalchemy import Engine

log = logging.getLogger(__name__)

# Every revision in migrations/versions, oldest first (a test checks this against Alembic).
KNOWN_REVISIONS = ("0001", "0002", "0003")
HEAD_REVISION = KNOWN_REVISIONS[-1]


def alembic_config(connection: Any) -> Any:
    """An Alembic Config built in code: the scripts ship inside the package, no alembic.ini."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "school_audit.store:migrations")
    config.attributes["connection"] = connection
    return config


def stored_revision(database: Path) -> str | None:
    """The schema revision recorded in the file (None for an empty or new database)."""
    connection = sqlite3.connect(sqlite_uri(database, read_only=True), uri=True)
    try:
        has_table = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).fetchone()
        if not has_table:
            return None
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return str(row[0]) if row else None
    finally:
        connection.close()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the migrations up to `revision` in one transaction."""
    from alembic import command

    from school_audit.store.connection import WRITE

    with engine.execution_options(**WRITE).begin() as connection:
        command.upgrade(alembic_config(connection), revision)


def bring_to_head(engine: Engine, database: Path, existed: bool, backups: Path | None) -> None:
    """Upgrade the file at `database` to head, copying it first if it held an older schema."""
    current = stored_revision(database) if existed else None
    if current == HEAD_REVISION:
        return
    if current is not None and current not in KNOWN_REVISIONS:
        raise DatabaseTooNew(
            f"The audit database uses schema {current}, newer than this app understands."
        )
    if existed:
        take_backup(database, f"before-{HEAD_REVISION}", backups)
        log.info("Upgrading the database from %s to %s", current, HEAD_REVISION)
    upgrade(engine)
