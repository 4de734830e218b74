"""Sending the outbox from the app: drains started by a timer (or a person), on the network lane.

A drain here never sleeps between tries: it makes one attempt at each item that is due and ends;
the timer starts the next run, and the backoff written to the outbox decides which items are due
by then. A collector that does not answer holds up only the network lane: the store's lane
(opening, signing) and the window never wait for it. Closing the window cancels the drain; an item
it was sending stays in the outbox and is sent again at the next start.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer

from school_audit.ui.tasks import NetworkLane

if TYPE_CHECKING:
    from school_audit.services.submission_service import SubmissionService
    from school_audit.sync.drain import DrainReport

log = logging.getLogger(__name__)

FIRST_DRAIN_MS = 10_000  # after start-up, once what the DSL asked for is on screen
DRAIN_EVERY_MS = 5 * 60_000


class OutboxSender(QObject):
    """Starts outbox drains on the network lane: every few minutes, and when a person asks."""

    def __init__(
        self,
        lane: NetworkLane,
        submission: Callable[[], SubmissionService],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._lane = lane
        self._submission = submission
        self._running = 0  # drains queued or running on the lane
        self._timer = QTimer(self)
        self._timer.setInterval(DRAIN_EVERY_MS)
        self._timer.timeout.connect(self._on_timer)

    @property
    def running(self) -> bool:
        return self._running > 0

    def start(self) -> None:
        QTimer.singleShot(FIRST_DRAIN_MS, self, self._on_timer)
        self._timer.start()

    def stop(self) -> None:
        """No more timed drains (stopping the window's network lane cancels the one under way)."""
        self._timer.stop()

    def drain(
        self,
        on_done: Callable[[DrainReport | None], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        *,
        asked: bool = True,
    ) -> None:
        """Send what is due. `asked`: a person pressed send, so items put off by the backoff go
        too. `on_done` gets the report, or None when this computer is not enrolled."""
        self._running += 1
        self._lane.run(lambda: self._send(asked), self._finished(on_done),
                       self._failed(on_error))  # fmt: skip

    def _on_timer(self) -> None:
        if not self._running and not self._lane.cancelled():  # one timed drain at a time
            self.drain(on_error=_log_only, asked=False)

    def _send(self, asked: bool) -> DrainReport | None:
        submission = self._submission()
        if not submission.enrolment().enrolled:
            return None
        return submission.send_now(
            cancel=self._lane.cancelled, include_waiting=asked, max_attempts_per_run=1,
            wait_in_run=False,
        )  # fmt: skip

    def _finished(self, callback: Callable[[Any], None] | None) -> Callable[[Any], None]:
        def finished(report: Any) -> None:
            self._running -= 1
            if callback is not None:
                callback(report)

        return finished

    def _failed(self, callback: Callable[[BaseException], None] | None) -> Callable[[Any], None]:
        def failed(error: BaseException) -> None:
            self._running -= 1
            (callback or _log_only)(error)

        return failed


def _log_only(error: BaseException) -> None:
    # A timed drain that fails (offline, the LA's server down) is normal: the outbox shows it.
    log.info("Sending the outbox failed: %s", type(error).__name__)
