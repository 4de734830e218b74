"""What every admin command shares: settings from flags and environment, the database, and
turning expected failures into one clear line and an exit code (never a traceback)."""

from __future__ import annotations

import argparse
import functools
import logging
import sys
from collections.abc import Callable

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from school_audit.collector.db import Database, init_database
from school_audit.collector.db.engine import normalise_url
from school_audit.collector.db.tables import AuditLogEntry
from school_audit.collector.settings import CollectorSettings

log = logging.getLogger(__name__)
Handler = Callable[[argparse.Namespace], int]
# `serve`: seconds a request's headers may take (a few hundred bytes, even over a slow proxy).
HEADER_TIMEOUT = 20.0


class CommandError(Exception):
    """A failure the admin can act on; the message says what to do."""


def settings_from(args: argparse.Namespace) -> CollectorSettings:
    return CollectorSettings.from_env(database_url=getattr(args, "database_url", None))


_opened: list[Database] = []


def open_database(args: argparse.Namespace) -> Database:
    """The database, upgraded to the newest schema; closed when the command ends."""
    database = init_database(settings_from(args).resolved_database_url)
    _opened.append(database)
    return database


def safe_url(url: str) -> str:
    """The URL with any password hidden, fit to print."""
    return make_url(normalise_url(url)).render_as_string(hide_password=True)


def record(database: Database, action: str, target: str, detail: str = "") -> None:
    with database.write() as session:
        session.add(AuditLogEntry(actor="cli", action=action, target=target, detail=detail))


def friendly(handler: Handler) -> Handler:
    @functools.wraps(handler)
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except CommandError as error:
            print(f"Error: {error}", file=sys.stderr)
            return 1
        except SQLAlchemyError as error:
            log.debug("database error", exc_info=True)
            print(
                f"Error: the database could not be used ({type(error).__name__}: "
                f"{str(error.orig if hasattr(error, 'orig') else error).splitlines()[0]}).",
                file=sys.stderr,
            )
            return 1
        except OSError as error:
            print(f"Error: {error.strerror or error} ({error.filename or ''})", file=sys.stderr)
            return 1
        finally:
            while _opened:
                _opened.pop().dispose()

    return run
