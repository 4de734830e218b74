"""The collector's database: engine, tables, migrations."""

from school_audit.collector.db.engine import Database, is_sqlite, make_engine
from school_audit.collector.db.migrate import init_database

__all__ = ["Database", "init_database", "is_sqlite", "make_engine"]
