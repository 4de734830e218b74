"""Sign-off, enrolment, the outbox and reopening, through the submission service.

Network and signing work (enrol, finalise, send, check the review) runs on the background lane;
the dialogs only collect. The submission service and its HTTP stack are imported on first use.
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from school_audit.i18n import tr

if TYPE_CHECKING:
    from school_audit.services.submission_service import SubmissionService
    from school_audit.ui.dialogs.outbox_dialog import OutboxDialog
    from school_audit.ui.main_window import MainWindow

log = logging.getLogger(__name__)


def submission_available() -> bool:
    return importlib.util.find_spec("school_audit.services.submission_service") is not None


class SubmissionFlows:
    def __init__(self, window: MainWindow, open_dialog: Callable[[Any], None]) -> None:
        self.window = window
        self._open = open_dialog
        self._service: SubmissionService | None = None
        self.outbox_dialog: OutboxDialog | None = None

    def _submission(self) -> SubmissionService:
        """The submission service (built on the background lane: it imports the HTTP stack)."""
        if self._service is None:
            from school_audit.services.submission_service import SubmissionService

            self._service = SubmissionService(self.window.service.store)
        return self._service

    def _run(self, work: Callable[[], Any], on_success: Callable[[Any], None]) -> None:
        self.window.runner.run(work, on_success, self.window.show_error)

    # -- signing -------------------------------------------------------------------------------

    def sign(self, audit_id) -> None:
        def gather():
            submission = self._submission()
            audit = self.window.service.load(audit_id)
            return submission, submission.enrolment(), audit

        self._run(gather, lambda found: self._signing(audit_id, *found))

    def _signing(self, audit_id, submission, enrolment, audit) -> None:
        if not enrolment.enrolled:
            self.enrol(then=lambda: self.sign(audit_id))
            return
        from school_audit.services.signatories import ROLE_LABELS
        from school_audit.ui.dialogs.sign_off_dialog import SignOffDialog

        signatories = submission.signatories_for(audit.profile)
        dialog = SignOffDialog(signatories, ROLE_LABELS, submission.declaration, audit.profile,
                               self.window)  # fmt: skip
        dialog.accepted.connect(lambda: self._finalise(audit_id, dialog.signatures()))
        self._open(dialog)

    def _finalise(self, audit_id, signatures) -> None:
        def work():
            submission = self._submission()
            sign_offs = [submission.sign_off(role, name) for role, name in signatures]
            submission.finalise(audit_id, sign_offs)
            try:
                report = submission.send_now()
            except Exception as error:  # signed and queued: sending can wait for a connection
                log.warning("Sending after sign-off failed: %s", type(error).__name__)
                return False
            return report.complete

        self._run(work, self._signed)

    def _signed(self, sent: bool) -> None:
        self.window.show_message(
            tr("Signed and sent to the local authority.") if sent else
            tr("Signed. It is in the outbox and will be sent when there is a connection.")
        )  # fmt: skip
        self.window.refresh_home()

    # -- enrolment -----------------------------------------------------------------------------

    def enrol(self, then=None) -> None:
        from school_audit.ui.dialogs.enrolment_dialog import EnrolmentDialog

        dialog = EnrolmentDialog(self.window)
        dialog.accepted.connect(lambda: self._enrol(dialog.values(), then))
        self._open(dialog)

    def _enrol(self, values, then) -> None:
        url, code, device_name = values

        def work():
            return self._submission().enrol(url, code, device_name)

        def done(_state) -> None:
            self.window.show_message(tr("This computer is now connected to your local authority."))
            if then is not None:
                then()

        self._run(work, done)

    # -- the outbox ----------------------------------------------------------------------------

    def outbox(self) -> None:
        from school_audit.ui.dialogs.outbox_dialog import OutboxDialog

        dialog = OutboxDialog(self.window)
        self.outbox_dialog = dialog
        dialog.send_requested.connect(lambda: self._outbox_call(dialog, "send"))
        dialog.check_requested.connect(lambda: self._outbox_call(dialog, "check"))
        self._open(dialog)
        self._run(lambda: self._submission().outbox(), dialog.show_entries)

    def _outbox_call(self, dialog, what: str) -> None:
        dialog.set_busy(
            True, tr("Sending…") if what == "send" else tr("Asking the local authority…")
        )

        def work():
            submission = self._submission()
            if what == "send":
                report = submission.send_now()
                message = (
                    tr("Sent.")
                    if report.complete
                    else tr("Not everything could be sent; it will be tried again.")
                )
            else:
                submission.refresh_status()
                message = ""
            return submission.outbox(), message

        def failed(error) -> None:
            dialog.set_busy(False)
            self.window.show_error(error)

        def done(result) -> None:
            dialog.set_busy(False)
            dialog.show_entries(*result)
            self.window.refresh_home()

        self.window.runner.run(work, done, failed)

    # -- returned for changes ------------------------------------------------------------------

    def reopen(self, audit_id) -> None:
        self._run(lambda: self._submission().reopen(audit_id),
                  lambda _: self.window.open_audit(audit_id))  # fmt: skip
