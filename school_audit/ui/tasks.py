"""The one background lane: run a function off the UI thread, get the result back on it.

Like Anki's operations and Picard's `run_task`: the worker never touches a widget; the result or
the exception is handed to callbacks that run on the main thread. One thread only, so database
work stays serial and ordered.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)

Callback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]


class _Relay(QObject):
    """Created on the main thread, so its signals are delivered there (queued)."""

    succeeded = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._work = work
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._work()
        except BaseException as error:  # handed to the main thread, never lost
            self._relay.failed.emit(error)
        else:
            self._relay.succeeded.emit(result)


class TaskRunner(QObject):
    """Runs work in one background thread; callbacks run on the main thread."""

    def __init__(self, on_unhandled: ErrorCallback | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relays: set[_Relay] = set()
        self._on_unhandled = on_unhandled

    def run(
        self,
        work: Callable[[], Any],
        on_success: Callback | None = None,
        on_error: ErrorCallback | None = None,
    ) -> None:
        relay = _Relay()
        self._relays.add(relay)
        relay.succeeded.connect(lambda result: self._finish(relay, on_success, result))
        relay.failed.connect(lambda error: self._fail(relay, on_error, error))
        self._pool.start(_Task(work, relay))

    @property
    def busy(self) -> bool:
        return bool(self._relays)

    def wait_for_done(self, msecs: int = 10_000) -> bool:
        """Block until the lane is empty (tests and shutdown only)."""
        return self._pool.waitForDone(msecs)

    def _finish(self, relay: _Relay, callback: Callback | None, result: Any) -> None:
        self._relays.discard(relay)
        if callback is not None:
            callback(result)

    def _fail(self, relay: _Relay, callback: ErrorCallback | None, error: BaseException) -> None:
        self._relays.discard(relay)
        if callback is not None:
            callback(error)
            return
        log.error("Background task failed", exc_info=(type(error), error, error.__traceback__))
        if self._on_unhandled is not None:
            self._on_unhandled(error)
