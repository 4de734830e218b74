"""Hearing back from the LA: how sent returns are doing, and the feedback letter.

Every call to the collector runs on the window's network lane, never the UI thread: a check of
the review status by a timer (and once soon after start-up), and the letter's download when the
DSL asks for it. What they bring is kept in the store; Home is then read again on the store's lane
and shows it (`ui/widgets/home_notices.py`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from school_audit.i18n import tr

if TYPE_CHECKING:
    from school_audit.ui.desk import Desk

log = logging.getLogger(__name__)

FIRST_CHECK_MS = 20_000  # after start-up, once the outbox has had its first chance to send
CHECK_EVERY_MS = 30 * 60_000  # reviews take days: twice an hour is plenty


class LaNews(QObject):
    def __init__(self, desk: Desk, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self._checking = 0  # checks queued or running on the lane
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_EVERY_MS)
        self._timer.timeout.connect(self._on_timer)
        self.opened: list[object] = []  # the letters opened (tests look at them)
        self.signatures_collected: object | None = None  # the last collect that brought news
        self.open_file = _open_file  # how a letter is shown (a test replaces it)

    def start(self) -> None:
        QTimer.singleShot(FIRST_CHECK_MS, self, self._on_timer)
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _on_timer(self) -> None:
        if not self._checking:  # one timed check at a time
            self.check()

    def check(self, on_done=None) -> None:  # type: ignore[no-untyped-def]
        """Ask the collector about sent returns; Home is read again when anything changed.
        `on_done` gets what changed (None when the check failed)."""
        services = self.desk.services
        if services is None or self.desk.network.cancelled():
            return
        self._checking += 1

        def work():  # type: ignore[no-untyped-def]
            from school_audit.services.sign_off_service import SignOffService

            submission = services.submission
            if not submission.enrolment().enrolled:
                return []
            changed = list(submission.refresh_status())
            # Signatures asked for by email come in on the same timer (not only when the
            # sign-off page is opened); a failure here leaves the reviews already read.
            try:
                signatures = SignOffService(submission).collect_all()
            except Exception as error:  # offline half-way, the LA's server down: next time
                log.info("Collecting signatures failed: %s", type(error).__name__)
            else:
                if signatures.signed or signatures.declined or signatures.expired:
                    self.signatures_collected = signatures
                    changed.append(signatures)
            return changed

        def done(changed) -> None:  # type: ignore[no-untyped-def]
            self._checking -= 1
            if changed and self.desk.service is not None:
                self.desk.refresh_home()
            signed = sum(len(getattr(c, "signed", ())) for c in changed or ())
            if signed:
                self.desk.show_success(tr(
                    "{n} signature(s) asked for by email arrived. Open Sign and send… to finish.",
                    n=signed,
                ))  # fmt: skip
            if on_done is not None:
                on_done(changed)

        def failed(error: BaseException) -> None:
            self._checking -= 1  # offline or the LA's server down: try again next time
            log.info("Checking the review status failed: %s", type(error).__name__)
            if on_done is not None:
                on_done(None)

        self.desk.network.run(work, done, failed)

    def open_letter(self, submission_id: str) -> None:
        """Download the letter on the network lane, keep it in the data folder, open it."""
        services = self.desk.services
        if services is None:
            return
        panel = self.desk.letter_panel()
        panel.letter_busy()

        def done(path) -> None:  # type: ignore[no-untyped-def]
            panel.letter_done(path)
            self.opened.append(path)
            self.open_file(path)

        def failed(error: BaseException) -> None:
            panel.letter_failed(letter_error(error))

        self.desk.network.run(lambda: services.fetch_feedback_letter(submission_id), done, failed)


def letter_error(error: BaseException) -> str:
    """Why the letter could not be had, and what to do, in plain words."""
    from school_audit.sync import errors

    if isinstance(error, errors.NetworkError | errors.ServerBusy):
        return tr("The letter could not be downloaded: this computer cannot reach the local "
                  "authority just now (offline?). Try again when you are connected.")  # fmt: skip
    if isinstance(error, errors.NotFound):
        return tr("The local authority's server has no letter for this return yet. Try again "
                  "later, or ask the local authority.")  # fmt: skip
    if isinstance(error, errors.NotEnrolled):
        return tr("This computer is no longer connected to the local authority: connect it "
                  "again (Sign and send… asks for a new code), then try again.")  # fmt: skip
    if isinstance(error, OSError):
        return tr("The letter was downloaded but could not be saved: {reason}",
                  reason=error.strerror or str(error))  # fmt: skip
    from school_audit.ui.errors import user_message

    return tr("The letter could not be downloaded: {reason}", reason=user_message(error))


def _open_file(path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
