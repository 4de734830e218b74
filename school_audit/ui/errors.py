"""Unexpected errors: logged in full, shown to the user as one plain sentence and what to do.

Never a traceback in the user's face. Typed errors from the core (StoreError and friends) already
carry a plain-English message; anything else gets a generic one pointing at the log folder.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from types import TracebackType

from school_audit import paths
from school_audit.i18n import tr

log = logging.getLogger(__name__)

ShowMessage = Callable[[str], None]


def is_expected(error: BaseException) -> bool:
    """An error the core raised on purpose, whose message is written for the user.

    The project's typed errors (store, sync, credentials, services) all carry plain-English
    messages; anything else (a KeyError, a TypeError) is a bug and gets the generic message.
    """
    return type(error).__module__.startswith("school_audit.")


def user_message(error: BaseException) -> str:
    if is_expected(error) and str(error):
        return str(error)
    return tr(
        "Something unexpected went wrong. Your saved answers are safe. "
        "If it happens again, please send the log file from {folder} to your local authority.",
        folder=str(paths.log_dir()),
    )


class ErrorReporter:
    """Installed as sys.excepthook (and for threads); logs and shows a plain message."""

    def __init__(self, show: ShowMessage) -> None:
        self._show = show
        self.reported: list[BaseException] = []

    def install(self) -> None:
        sys.excepthook = self._hook
        threading.excepthook = self._thread_hook

    def report(self, error: BaseException) -> None:
        log.error("Unexpected error", exc_info=(type(error), error, error.__traceback__))
        self.reported.append(error)
        try:
            self._show(user_message(error))
        except Exception:  # the message box itself failed: the log still has it
            log.exception("Could not show the error message")

    def _hook(
        self, kind: type[BaseException], error: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        self.report(error.with_traceback(tb))

    def _thread_hook(self, hook_args: threading.ExceptHookArgs) -> None:
        if hook_args.exc_value is not None:
            log.error(
                "Unexpected error in a thread",
                exc_info=(hook_args.exc_type, hook_args.exc_value, hook_args.exc_traceback),
            )
