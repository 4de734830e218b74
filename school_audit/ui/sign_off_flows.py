"""The sign-off page's work: seal, sign here, ask by email, remind, replace, collect, finalise.

Store work (seal, unseal, sign here, finalise) runs on the store's lane; every call to the
collector (ask, remind, replace, collect) on the network lane, never the UI thread. The dialogs
only show and ask (`ui/dialogs/sign_off_dialog.py`, `ui/dialogs/sign_here_dialog.py`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from school_audit.i18n import tr

if TYPE_CHECKING:
    from school_audit.services.sign_off_service import SignOffService
    from school_audit.ui.desk import Desk
    from school_audit.ui.dialogs.sign_off_dialog import SignOffDialog

log = logging.getLogger(__name__)


class SignOffFlows:
    def __init__(
        self, desk: Desk, open_dialog: Callable[[Any], None],
        signed: Callable[[Any], None],
    ) -> None:  # fmt: skip
        self.desk = desk
        self._open = open_dialog
        self._signed = signed  # what happens after finalising (say so, then send)
        self.dialog: SignOffDialog | None = None
        self.child: Any = None  # the sign-here or ask-by-email form over the page, while open
        self.audit_id: Any = None
        self.profile: Any = None

    def signing(self) -> SignOffService:
        from school_audit.services.sign_off_service import SignOffService

        return SignOffService(self.desk.services.submission)

    # -- the page -------------------------------------------------------------------------------

    def open(self, audit_id, submission, audit) -> None:
        from school_audit.domain.signatories import ROLE_LABELS
        from school_audit.ui.dialogs.sign_off_dialog import SignOffDialog

        self.audit_id, self.profile = audit_id, audit.profile
        dialog = SignOffDialog(submission.signatories_for(audit.profile), ROLE_LABELS,
                               self.desk.dialog_parent())  # fmt: skip
        self.dialog = dialog
        dialog.seal_requested.connect(self.seal)
        dialog.unseal_requested.connect(self.unseal)
        dialog.sign_here_requested.connect(self.sign_here)
        dialog.ask_requested.connect(self.ask)
        dialog.remind_requested.connect(self.remind)
        dialog.replace_requested.connect(self.replace)
        dialog.collect_requested.connect(self.collect)
        dialog.finalise_requested.connect(self.finalise)
        self._open(dialog)
        self._store(lambda: self.signing().state(audit_id), self._opened)

    def _opened(self, state) -> None:
        self._show(state)
        if any(status.state == "requested" for status in state.roles):
            self.collect()  # collect whatever was signed by email since last time

    def _show(self, state, message: str = "") -> None:
        if self.dialog is not None:
            self.dialog.show_state(state, message)

    def _refresh(self, message: str = "") -> None:
        self.desk.runner.run(lambda: self.signing().state(self.audit_id),
                               lambda s: self._show(s, message), self.desk.show_error)  # fmt: skip

    # -- store work -----------------------------------------------------------------------------

    def seal(self) -> None:
        self._busy(tr("Sealing…"))
        self._store(lambda: self.signing().seal(self.audit_id),
                    lambda _: self._refresh(tr("Sealed. Each person can now sign.")))  # fmt: skip

    def unseal(self) -> None:
        def done(voided) -> None:
            names = ", ".join(sorted({record.name for record in voided}))
            message = (
                tr("Unsealed. These signatures are void and must be made again: {names}.",
                   names=names) if names else tr("Unsealed: the audit can be changed.")
            )  # fmt: skip
            self._refresh(message)
            self._online(lambda: self.signing().collect(self.audit_id), lambda _: None)

        self._busy(tr("Unsealing…"))
        self._store(lambda: self.signing().unseal(self.audit_id), done)

    def sign_here(self, role) -> None:
        signing = self.signing

        def gather():
            service = signing()
            return service.summary(self.audit_id), service.declaration(role)

        self._store(gather, lambda found: self._ask_to_sign(role, *found))

    def _ask_to_sign(self, role, summary, declaration) -> None:
        from school_audit.domain.signatories import ROLE_LABELS
        from school_audit.ui.dialogs.sign_here_dialog import SignHereDialog

        dialog = SignHereDialog(tr(ROLE_LABELS[role]), declaration, summary, self.dialog)
        dialog.accepted.connect(lambda: self._store(
            lambda: self.signing().sign_here(self.audit_id, role, dialog.typed_name()),
            lambda record: self._refresh(tr("{name} has signed.", name=record.name)),
        ))  # fmt: skip
        self._open_child(dialog)

    def finalise(self) -> None:
        def done(result) -> None:
            if self.dialog is not None:
                self.dialog.accept()
            self._signed(result)

        self._busy(tr("Signing with this computer's key…"))
        self._store(lambda: self.signing().finalise(self.audit_id), done)

    # -- network work ---------------------------------------------------------------------------

    def ask(self, role) -> None:
        from school_audit.ui.dialogs.sign_off_dialog import name_from_profile

        self._email_form(role, name_from_profile(self.profile, role), "")

    def replace(self, role) -> None:
        self._email_form(role, "", "")

    def _email_form(self, role, name: str, email: str) -> None:
        from school_audit.domain.signatories import ROLE_LABELS
        from school_audit.ui.dialogs.sign_here_dialog import AskByEmailDialog

        dialog = AskByEmailDialog(tr(ROLE_LABELS[role]), name, email, self.dialog)

        def send() -> None:
            who, address = dialog.values()
            self._busy(tr("Asking the local authority's collector to email {name}…", name=who))
            self._online(
                lambda: self.signing().ask_by_email(self.audit_id, role, who, address),
                lambda _: self._refresh(
                    tr("Sent: {name} will get an email with a link.", name=who)
                ),  # fmt: skip
            )

        dialog.accepted.connect(send)
        self._open_child(dialog)

    def remind(self, role) -> None:
        self._busy(tr("Sending a reminder…"))
        self._online(lambda: self.signing().remind(self.audit_id, role),
                     lambda record: self._refresh(tr("A new link was sent to {email}.",
                                                     email=record.email)))  # fmt: skip

    def collect(self) -> None:
        def done(report) -> None:
            said = []
            if report.signed:
                said.append(tr("{count} new signature(s).", count=len(report.signed)))
            if report.declined:
                said.append(tr("Someone declined: see their comment."))
            if report.expired:
                said.append(tr("A link expired: ask again."))
            said += report.problems
            self._refresh(" ".join(said) or tr("No new signatures yet."))

        self._busy(tr("Checking for signatures…"))
        self._online(lambda: self.signing().collect(self.audit_id), done)

    # -- plumbing -------------------------------------------------------------------------------

    def _open_child(self, dialog) -> None:
        # Over the sign-off page, which stays the window's open dialog.
        self.child = dialog
        dialog.finished.connect(lambda _: setattr(self, "child", None))
        dialog.open()

    def _busy(self, text: str) -> None:
        if self.dialog is not None:
            self.dialog.set_busy(True, text)

    def _failed(self, error) -> None:
        if self.dialog is not None:
            self.dialog.set_busy(False)
        self._refresh()
        self.desk.show_error(error)

    def _store(self, work: Callable[[], Any], on_success: Callable[[Any], None]) -> None:
        self.desk.runner.run(work, on_success, self._failed)

    def _online(self, work: Callable[[], Any], on_success: Callable[[Any], None]) -> None:
        self.desk.network.run(work, on_success, self._failed)
