"""What every store-backed command shares: opening the service, errors as messages, tables.

A store problem prints its message and what to do and exits 2; a user's mistake exits 1; never a
traceback.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from school_audit.services.audit_service import AuditService
    from school_audit.services.client import ClientServices

EXIT_OK, EXIT_PROBLEM, EXIT_STORE = 0, 1, 2
Handler = Callable[[argparse.Namespace], int]


def guard(handler: Handler) -> Handler:
    """Turn the errors a user can meet into a message and an exit code."""

    @functools.wraps(handler)
    def guarded(args: argparse.Namespace) -> int:
        from school_audit.services.audit_service import NoProfileError, TemplateNotFound
        from school_audit.store import AuditNotFound, AuditReadOnlyError, StoreError

        try:
            return handler(args)
        except StoreError as error:
            return fail(f"{error.message}\n{error.what_to_do}", EXIT_STORE)
        except AuditReadOnlyError as error:
            return fail(f"{error.message} {error.what_to_do}", EXIT_PROBLEM)
        except AuditNotFound as error:
            return fail(f"There is no audit {error}. See `school-audit audit list`.", EXIT_PROBLEM)
        except (NoProfileError, TemplateNotFound, LookupError, ValueError) as error:
            return fail(str(error), EXIT_PROBLEM)

    return guarded


APP_OPEN = (
    "The desktop app is open on this data folder. Close its window first, then run this again: "
    "the open window would not see this change, and could save over it."
)


def while_app_closed(handler: Handler) -> Handler:
    """For commands that change what the desktop window holds (the profile, the audits, the
    database itself): refuse while the window is open on the same data folder."""

    @functools.wraps(handler)
    def exclusive(args: argparse.Namespace) -> int:
        from school_audit import paths

        try:
            from school_audit.ui.single_instance import claim
        except ImportError:  # the desktop app is not installed here: no window can be open
            return handler(args)
        lock = claim(paths.data_dir())
        if lock is None:
            return fail(APP_OPEN, EXIT_PROBLEM)
        try:
            return handler(args)
        finally:
            lock.unlock()

    return exclusive


def fail(message: str, code: int) -> int:
    print(message, file=sys.stderr)
    return code


@contextmanager
def open_services() -> Iterator[ClientServices]:
    """The store in the data folder and every service over it (see services/client.py)."""
    from school_audit.services.client import ClientServices

    services = ClientServices.open_default()
    try:
        yield services
    finally:
        services.close()


@contextmanager
def open_service() -> Iterator[AuditService]:
    with open_services() as services:
        yield services.audits


def table(rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
