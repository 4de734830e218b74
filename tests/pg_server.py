"""A throwaway PostgreSQL server for tests (Debian's postgresql-15), or the one in TEST_DATABASE_URL.

The server refuses to run as root, so it runs as `postgres` (via runuser) in a temporary folder on a
random port, with fsync off; the tests connect over TCP as the `postgres` superuser. Missing
binaries are an error with a clear message, never a silent skip: PostgreSQL support is claimed.

Use `PostgresServer.start()` once per test session; `fresh_database()` gives each test its own
database, copied from a template that already holds the collector schema, and
`empty_collector_tables()` resets one between tests (faster still).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

BIN_DIRS = [Path("/usr/lib/postgresql/15/bin"), *sorted(Path("/usr/lib/postgresql").glob("*/bin"))]


class PostgresUnavailable(RuntimeError):
    pass


def _binary(name: str) -> str:
    for folder in BIN_DIRS:
        if (folder / name).exists():
            return str(folder / name)
    found = shutil.which(name)
    if found:
        return found
    raise PostgresUnavailable(
        f"PostgreSQL's {name} was not found: install postgresql (Debian: apt-get install "
        "postgresql-15) or set TEST_DATABASE_URL to a server the tests may use"
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PostgresServer:
    def __init__(self, admin_url: str, folder: Path | None = None) -> None:
        self.admin_url = admin_url  # a URL to the maintenance database, as a superuser
        self.folder = folder
        self._templates: set[str] = set()

    @classmethod
    def start(cls) -> PostgresServer:
        given = os.environ.get("TEST_DATABASE_URL")
        if given:
            return cls(given.replace("postgresql://", "postgresql+psycopg://", 1))
        if os.geteuid() != 0:
            raise PostgresUnavailable(
                "starting a test PostgreSQL needs root (runuser); or set TEST_DATABASE_URL"
            )
        initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
        folder = Path(tempfile.mkdtemp(prefix="pgtest-"))
        folder.chmod(0o755)
        shutil.chown(folder, "postgres", "postgres")
        port = _free_port()
        run = ["runuser", "-u", "postgres", "--"]
        _check(
            run
            + [
                initdb,
                "-D",
                f"{folder}/data",
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ]
        )
        options = f"-p {port} -c listen_addresses=127.0.0.1 -k {folder} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        _check(
            run
            + [pg_ctl, "-D", f"{folder}/data", "-l", f"{folder}/log", "-w", "-o", options, "start"]
        )
        return cls(f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", folder)

    def stop(self) -> None:
        if self.folder is None:
            return
        subprocess.run(
            [
                "runuser",
                "-u",
                "postgres",
                "--",
                _binary("pg_ctl"),
                "-D",
                f"{self.folder}/data",
                "-m",
                "immediate",
                "stop",
            ],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder = None

    def url(self, database: str) -> str:
        return make_url(self.admin_url).set(database=database).render_as_string(hide_password=False)

    def _admin(self, statement: str) -> None:
        engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(text(statement))
        finally:
            engine.dispose()

    def create_database(self, name: str | None = None, template: str | None = None) -> str:
        """A new empty database (or a copy of `template`); returns its URL."""
        name = name or "t_" + uuid.uuid4().hex[:16]
        suffix = f' TEMPLATE "{template}"' if template else ""
        self._admin(f'CREATE DATABASE "{name}"{suffix}')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = make_url(url).database
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def fresh_collector_database(self) -> str:
        """A new database with the collector schema, copied from a once-migrated template."""
        template = "collector_schema_template"
        if template not in self._templates:
            from school_audit.collector.db import init_database

            self._admin(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
            init_database(self.create_database(template)).dispose()
            self._templates.add(template)
        return self.create_database(template=template)


def empty_collector_tables(url: str) -> None:
    """Make a collector database as good as new: every table emptied, identities restarted.

    Much faster than CREATE DATABASE (about 20 ms against 500 ms), so tests share one database.
    """
    from school_audit.collector.db.tables import metadata

    names = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()


def _check(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise PostgresUnavailable(
            f"{' '.join(command[3:5])} failed: {result.stderr.strip() or result.stdout.strip()}"
        )
