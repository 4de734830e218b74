"""The short conversations the window has with the DSL: profile, starting an audit, about.

Dialogs are opened non-modally (`open()`), so the event loop keeps running and tests can drive
them; the service is called when the DSL confirms.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from school_audit.domain.dates import cycle_for
from school_audit.i18n import tr

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog

    from school_audit.ui.desk import Desk
    from school_audit.ui.submission_flows import SubmissionFlows

log = logging.getLogger(__name__)


class Flows:
    """Given the window as a `Desk` (ui/desk.py): what it needs of it, not its attributes."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.report_name = tr("Governors' report")  # the printed copy's name for this setting
        self.dialog: QDialog | None = None  # the dialog currently open (tests look at it)
        self._submission: SubmissionFlows | None = None
        self.open_file = _open_file  # how a finished PDF is shown (a test replaces it)

    # -- profile -------------------------------------------------------------------------------

    def edit_profile(self, first_run: bool = False) -> None:
        desk = self.desk
        if desk.service is None:
            return
        from school_audit.ui.dialogs.profile_dialog import ProfileDialog

        if first_run:  # what the enrolment answer said, if this computer is enrolled
            services = desk.services
            desk.runner.run(lambda: services.enrolled_establishment() if services else None,
                              self._first_run, lambda _error: self._first_run(None))  # fmt: skip
            return
        dialog = ProfileDialog(desk.service.profile(), desk.dialog_parent())
        dialog.accepted.connect(lambda: self._profile_entered(dialog))
        self._open(dialog)

    def _first_run(self, enrolled) -> None:
        """The first-run form: filled from the enrolment answer, or offering to connect first."""
        from school_audit.ui.dialogs.profile_dialog import ProfileDialog

        offer = enrolled is None and self.can_sign()
        dialog = ProfileDialog(None, self.desk.dialog_parent(), enrolled=enrolled,
                               offer_connect=offer)  # fmt: skip
        dialog.accepted.connect(lambda: self._profile_entered(dialog))
        dialog.connect_requested.connect(self._connect_first)
        self._open(dialog)

    def _connect_first(self) -> None:
        """Enrol, then the first-run form again, now filled from the LA's records."""
        again = lambda: self.edit_profile(first_run=True)  # noqa: E731
        self.submission.enrol(then=again)
        enrolment = self.dialog
        if enrolment is not None:
            enrolment.rejected.connect(again)  # changed their mind: back to the form

    def _profile_entered(self, dialog) -> None:
        try:
            self.desk.service.save_profile(dialog.result_profile)
        except Exception as error:
            self.desk.show_error(error)
            return
        self.desk.refresh_home()

    # -- starting an audit ---------------------------------------------------------------------

    def start_audit(self) -> None:
        service = self.desk.service
        if service is None:
            return
        this_cycle = cycle_for(self.desk.today())

        def load():
            # This year's newest edition first (the dialog's default), then the latest years.
            newest = sorted(service.available_templates(), key=lambda t: (t.cycle, t.version),
                            reverse=True)  # fmt: skip
            templates = sorted(newest, key=lambda t: t.cycle != this_cycle)
            draft = service.draft_for(templates[0].cycle) if templates else None
            return templates, service.audits(), draft

        self.desk.runner.run(load, lambda loaded: self._choose_start(*loaded))

    def _choose_start(self, templates: list, summaries: list, draft) -> None:
        from school_audit.ui.dialogs.start_audit_dialog import StartAuditDialog

        if not templates:
            self.desk.show_message(
                tr("No audit template is available for your kind of setting on this computer.")
            )
            return
        if draft is not None:  # one draft a cycle (the service's rule): say so before asking
            self.desk.show_message(
                tr(
                    "You already have a draft audit for {cycle}. Open it from the list to carry on.",
                    cycle=templates[0].cycle,
                )
            )
            return
        previous = sorted(
            (s for s in summaries if s.cycle < templates[0].cycle),
            key=lambda s: s.cycle,
            reverse=True,
        )
        dialog = StartAuditDialog(templates, previous[:3], self.desk.dialog_parent())
        dialog.accepted.connect(lambda: self._start(*dialog.choice()))
        self._open(dialog)

    def _start(self, template, carry_from, prefill: bool) -> None:
        service = self.desk.service
        self.desk.runner.run(
            lambda: service.start_audit(template, carry_forward_from=carry_from, prefill=prefill),
            lambda audit: self.desk.open_audit(audit.audit_id),
            self.desk.show_error,
        )

    # -- sign-off (needs the submission service) -----------------------------------------------

    def can_sign(self) -> bool:
        from school_audit.ui.submission_flows import submission_available

        return submission_available()

    @property
    def submission(self) -> SubmissionFlows:
        if self._submission is None:
            from school_audit.ui.submission_flows import SubmissionFlows

            self._submission = SubmissionFlows(self.desk, self._open)
        return self._submission

    def sign(self, audit_id) -> None:
        self.submission.sign(audit_id)

    def outbox(self) -> None:
        self.submission.outbox()

    def reopen(self, audit_id) -> None:
        self.submission.reopen(audit_id)

    # -- the governors' report ------------------------------------------------------------------

    def governors_report(self, audit_id) -> None:
        """Write the governors' PDF on the store's lane, then offer to open it."""
        desk = self.desk
        service = desk.service
        if service is None:
            return
        desk.show_success(tr("Making the {report}…", report=self.report_name.lower()))
        desk.report_busy(True)  # Home's button says so until the PDF is written
        services = desk.services

        def work():
            return services.governors_report(audit_id)

        def done(path) -> None:
            desk.report_busy(False)
            desk.show_success(
                tr("The {report} is saved as {path}", report=self.report_name.lower(), path=str(path)),
                tr("Show in folder"),
                lambda: self.open_file(path.parent),
            )
            self.open_file(path)  # opened in the PDF reader at once

        def failed(error: BaseException) -> None:
            desk.report_busy(False)
            desk.show_error(error)

        desk.runner.run(work, done, failed)

    # -- the corrected edition -----------------------------------------------------------------

    def move_edition(self, audit_id) -> None:
        """Show what changed in the corrected edition; move the draft when the DSL confirms
        (both on the store's lane), then open it, its changed answers marked to re-check."""
        desk = self.desk
        service = desk.service
        if service is None:
            return

        def confirm(found) -> None:
            from school_audit.ui.dialogs.edition_move_dialog import EditionMoveDialog

            new, changes = found
            dialog = EditionMoveDialog(new.version, changes, desk.dialog_parent())
            dialog.accepted.connect(lambda: self._move(audit_id))
            self._open(dialog)

        desk.runner.run(lambda: service.edition_changes(audit_id), confirm, desk.show_error)

    def _move(self, audit_id) -> None:
        desk = self.desk
        service = desk.service

        def moved(move) -> None:
            desk.show_success(
                tr(
                    "Moved to edition {version}. {count} answers are marked for you to check "
                    "again.",
                    version=move.audit.template.version,
                    count=len(move.recheck),
                )
            )
            desk.open_audit(audit_id)

        desk.runner.run(lambda: service.move_to_edition(audit_id), moved, desk.show_error)

    # -- about ---------------------------------------------------------------------------------

    def about(self) -> None:
        from school_audit.ui.dialogs.about_dialog import AboutDialog

        self._open(AboutDialog(self.desk.dialog_parent()))

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(lambda _: setattr(self, "dialog", None))
        dialog.open()


def _open_file(path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
