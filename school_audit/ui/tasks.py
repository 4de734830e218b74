"""Two background lanes: run a function off the UI thread, get the result back on it.

Like Anki's operations and task manager: the worker never touches a widget; the result or the
exception is handed to callbacks that run on the main thread. `TaskRunner` is the store's lane:
one thread, so database work stays serial and ordered, and never a network call, so opening an
audit or signing never waits behind a collector that does not answer. `NetworkLane` is the other
one: every call to the collector runs there, one at a time, cancellable between requests, on a
daemon thread that the app does not wait for when it closes (whatever it was sending stays in
the outbox and is sent again later).
"""

from __future__ import annotations

import logging
import queue
import threading
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


class _Lane(QObject):
    """What both lanes share: a relay per job, and the callbacks run on the main thread."""

    def __init__(self, on_unhandled: ErrorCallback | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._relays: set[_Relay] = set()
        self._on_unhandled = on_unhandled

    @property
    def busy(self) -> bool:
        return bool(self._relays)

    def _relay(self, on_success: Callback | None, on_error: ErrorCallback | None) -> _Relay:
        relay = _Relay()
        self._relays.add(relay)
        relay.succeeded.connect(lambda result: self._finish(relay, on_success, result))
        relay.failed.connect(lambda error: self._fail(relay, on_error, error))
        return relay

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


class TaskRunner(_Lane):
    """The store's lane: work in one background thread; callbacks run on the main thread."""

    def __init__(self, on_unhandled: ErrorCallback | None = None, parent: QObject | None = None):
        super().__init__(on_unhandled, parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)

    def run(
        self,
        work: Callable[[], Any],
        on_success: Callback | None = None,
        on_error: ErrorCallback | None = None,
    ) -> None:
        self._pool.start(_Task(work, self._relay(on_success, on_error)))

    def wait_for_done(self, msecs: int = 10_000) -> bool:
        """Block until the lane is empty (tests and shutdown only)."""
        return self._pool.waitForDone(msecs)


class NetworkLane(_Lane):
    """Runs network work, one job at a time, on a daemon thread; callbacks on the main thread.

    `cancelled` is what a job passes down as its `cancel` callable (a drain checks it between
    requests). After `stop` no new job starts and queued ones are dropped; a job blocked in a
    request is left to the operating system when the process ends.
    """

    def __init__(self, on_unhandled: ErrorCallback | None = None, parent: QObject | None = None):
        super().__init__(on_unhandled, parent)
        self._jobs: queue.Queue[tuple[Callable[[], Any], _Relay] | None] = queue.Queue()
        self._stopped = threading.Event()
        self._pending = 0  # jobs queued or running
        self._done = threading.Condition()
        self._thread: threading.Thread | None = None

    def run(
        self,
        work: Callable[[], Any],
        on_success: Callback | None = None,
        on_error: ErrorCallback | None = None,
    ) -> None:
        if self._stopped.is_set():
            return
        with self._done:
            self._pending += 1
        self._jobs.put((work, self._relay(on_success, on_error)))
        if self._thread is None:
            self._thread = threading.Thread(target=self._serve, name="network", daemon=True)
            self._thread.start()

    def cancelled(self) -> bool:
        return self._stopped.is_set()

    def stop(self) -> None:
        """Cancel: the running job sees `cancelled()`, queued jobs never start."""
        self._stopped.set()
        self._jobs.put(None)

    def wait_for_done(self, msecs: int = 10_000) -> bool:
        """Block until no job is running or queued (tests only: the app never waits for it)."""
        with self._done:
            return self._done.wait_for(lambda: self._pending == 0, msecs / 1000)

    def _serve(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            if not self._stopped.is_set():
                self._run_one(*job)
            with self._done:
                self._pending -= 1
                self._done.notify_all()

    def _run_one(self, work: Callable[[], Any], relay: _Relay) -> None:
        try:
            result = work()
        except BaseException as error:  # handed to the main thread, never lost
            self._emit(relay.failed, error)
        else:
            self._emit(relay.succeeded, result)

    @staticmethod
    def _emit(signal: Any, value: Any) -> None:
        try:
            signal.emit(value)
        except RuntimeError:  # the window (and the relay) went while the job ran
            log.info("A network job finished after its window closed")
