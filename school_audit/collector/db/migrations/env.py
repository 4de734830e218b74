"""Alembic environment, driven from code (`school_audit.collector.db.migrate`), no alembic.ini.

One chain of revisions serves SQLite and PostgreSQL; batch mode lets SQLite alter tables.
"""

from __future__ import annotations

from alembic import context

from school_audit.collector.db.tables import metadata


def run_migrations() -> None:
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
