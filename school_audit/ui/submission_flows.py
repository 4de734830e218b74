"""Sign-off, enrolment, the outbox and reopening, through the submission service.

Signing (`sign_off_flows.py`: seal, each person signs, finalise) is local work on the store's
lane except asking people by email; sending it, enrolling and asking
for a review are network work on the network lane, so "Signed" is said the moment the audit is
signed, whatever the network is doing. The dialogs only collect. The submission service and its
HTTP stack are imported on first use, off the UI thread.
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from school_audit.i18n import tr

if TYPE_CHECKING:
    from school_audit.services.submission_service import SubmissionService
    from school_audit.ui.desk import Desk
    from school_audit.ui.dialogs.outbox_dialog import OutboxDialog
    from school_audit.ui.sign_off_flows import SignOffFlows

log = logging.getLogger(__name__)


def submission_available() -> bool:
    return importlib.util.find_spec("school_audit.services.submission_service") is not None


class SubmissionFlows:
    def __init__(self, desk: Desk, open_dialog: Callable[[Any], None]) -> None:
        self.desk = desk
        self._open = open_dialog
        self.outbox_dialog: OutboxDialog | None = None
        self.sign_off: SignOffFlows | None = None  # the sign-off page's work, while it is open

    def service(self) -> SubmissionService:
        """The submission service (ask off the UI thread: the first time imports the HTTP
        stack)."""
        return self.desk.services.submission

    def _run(self, work: Callable[[], Any], on_success: Callable[[Any], None]) -> None:
        self.desk.runner.run(work, on_success, self.desk.show_error)

    def _run_online(self, work: Callable[[], Any], on_success: Callable[[Any], None]) -> None:
        self.desk.network.run(work, on_success, self.desk.show_error)

    # -- signing -------------------------------------------------------------------------------

    def sign(self, audit_id) -> None:
        def gather():
            submission = self.service()
            audit = self.desk.service.load(audit_id)
            return submission, submission.enrolment(), audit

        self._run(gather, lambda found: self._signing(audit_id, *found))

    def _signing(self, audit_id, submission, enrolment, audit) -> None:
        if not enrolment.enrolled:
            self.enrol(then=lambda: self.sign(audit_id))
            return
        from school_audit.ui.sign_off_flows import SignOffFlows

        self.sign_off = SignOffFlows(self.desk, self._open, self._signed)
        self.sign_off.open(audit_id, submission, audit)

    def _signed(self, result) -> None:
        """Signed and queued: say so now, then send it on the network lane."""
        self.desk.show_success(tr("Signed. Sending it to the local authority…"))
        self.desk.refresh_home()

        def sent(report) -> None:
            if report is not None and str(result.submission_id) in report.sent:
                self._run(lambda: self.service().outbox(),
                          lambda entries: self._receipt_shown(entries, result))  # fmt: skip
            else:
                self.desk.show_success(tr(
                    "Signed. It is in the outbox and will be sent when there is a connection."
                ))  # fmt: skip
            self.desk.refresh_home()

        def not_sent(error) -> None:  # signed and queued: sending can wait for a connection
            log.warning("Sending after sign-off failed: %s", type(error).__name__)
            sent(None)

        self.desk.drain_outbox(sent, not_sent)

    def _receipt_shown(self, entries, result) -> None:
        """ "Sent", with the receipt's reference and time, as the LA's records will have them."""
        receipt = next((e.item.receipt for e in entries
                        if e.item.submission_id == str(result.submission_id)), None) or {}  # fmt: skip
        received = str(receipt.get("received_at", ""))[:16].replace("T", " ")
        self.desk.show_success(tr(
            "Signed and sent to the local authority. Receipt {reference}, received {time} UTC.",
            reference=str(result.submission_id)[:8], time=received or tr("just now"),
        ))  # fmt: skip

    # -- enrolment -----------------------------------------------------------------------------

    def enrol(self, then=None) -> None:
        from school_audit.ui.dialogs.enrolment_dialog import EnrolmentDialog

        dialog = EnrolmentDialog(self.desk.dialog_parent())
        dialog.accepted.connect(lambda: self._enrol(dialog.values(), then, dialog.email()))
        self._open(dialog)

    def _enrol(self, values, then, dsl_email=None) -> None:
        url, code, device_name = values

        def work():
            return self.service().enrol(url, code, device_name, dsl_email=dsl_email)

        def done(_state) -> None:
            self.desk.show_success(tr("This computer is now connected to your local authority."))
            if then is not None:
                then()

        self._run_online(work, done)

    # -- the outbox ----------------------------------------------------------------------------

    def outbox(self) -> None:
        from school_audit.ui.dialogs.outbox_dialog import OutboxDialog

        dialog = OutboxDialog(self.desk.dialog_parent())
        self.outbox_dialog = dialog
        dialog.send_requested.connect(lambda: self._send_from(dialog))
        dialog.check_requested.connect(lambda: self._check_from(dialog))
        self._open(dialog)
        self._run(lambda: self.service().outbox(), dialog.show_entries)

    def _send_from(self, dialog) -> None:
        dialog.set_busy(True, tr("Sending…"))

        def sent(report) -> None:
            message = (
                tr("Sent.")
                if report is not None and report.complete
                else tr("Not everything could be sent; it will be tried again.")
            )
            self._show_outbox(dialog, message)

        self.desk.drain_outbox(sent, lambda error: self._outbox_failed(dialog, error))

    def _check_from(self, dialog) -> None:
        dialog.set_busy(True, tr("Asking the local authority…"))
        self.desk.network.run(
            lambda: self.service().refresh_status(),
            lambda _changed: self._show_outbox(dialog, ""),
            lambda error: self._outbox_failed(dialog, error),
        )

    def _show_outbox(self, dialog, message: str) -> None:
        """Read the outbox again on the store's lane and show it."""

        def show(entries) -> None:
            dialog.set_busy(False)
            dialog.show_entries(entries, message)
            self.desk.refresh_home()

        self._run(lambda: self.service().outbox(), show)

    def _outbox_failed(self, dialog, error) -> None:
        dialog.set_busy(False)
        self.desk.show_error(error)

    # -- returned for changes ------------------------------------------------------------------

    def reopen(self, audit_id) -> None:
        self._run(lambda: self.service().reopen(audit_id),
                  lambda _: self.desk.open_audit(audit_id))  # fmt: skip
