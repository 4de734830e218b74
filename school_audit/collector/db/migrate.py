"""Bring a collector database to the newest schema (Alembic, configured in code)."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from school_audit.collector.db.engine import Database

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


class MigrationError(RuntimeError):
    pass


def upgrade(engine: Engine) -> None:
    migrate(engine, "head")


def migrate(engine: Engine, target: str, *, down: bool = False) -> None:
    """Upgrade (or downgrade) to `target` in one transaction.

    On SQLite, batch mode rebuilds a table (copy, drop, rename) to alter it; with foreign keys on,
    dropping a table that other rows point at fails, so they are switched off for the migration
    (a pragma that only takes effect outside a transaction) and checked before the commit.
    """
    config = alembic_config()
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        raw = connection.connection.dbapi_connection
        if sqlite and raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                (command.downgrade if down else command.upgrade)(config, target)
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise MigrationError(f"migration would break {len(broken)} references")
        finally:
            if sqlite and raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def init_database(url: str) -> Database:
    """Open the database at `url`, create or upgrade its tables, and return it."""
    database = Database(url)
    upgrade(database.engine)
    log.info("collector database at revision %s", current_revision(database.engine))
    return database
