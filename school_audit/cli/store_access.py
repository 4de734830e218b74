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


def fail(message: str, code: int) -> int:
    print(message, file=sys.stderr)
    return code


@contextmanager
def open_service() -> Iterator[AuditService]:
    from school_audit.services.audit_service import AuditService
    from school_audit.store import Store

    store = Store.open_default()
    try:
        yield AuditService(store)
    finally:
        store.close()


def table(rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
