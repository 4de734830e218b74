"""Sign-off: the audit is sealed, then each person who must sign does so for themselves.

One row per signature the setting needs (`signatories_for(profile)`), with where it stands: not
asked, asked by email (to whom, when), signed (how, when) or declined (with the comment). Each
row offers "Sign here now" (the person reads a one-page summary, types their own name and
confirms) or "Ask by email", and Remind / Replace once asked. "Finalise and send" is enabled when
every required role has signed. The dialog only shows and asks: the flows do the work
(`ui/sign_off_flows.py`), the network calls on the network lane.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from school_audit.domain.audit import SignOffRole
from school_audit.i18n import tr
from school_audit.ui.screen_fit import fit_to_screen
from school_audit.ui.widgets.drop_down import DropDown

R = SignOffRole
METHOD_WORDS = {
    "in_person": "in person at this computer",
    "email_code": "by a code sent to their email",
    "passkey": "with a passkey",
}


def name_from_profile(profile, role: SignOffRole) -> str:
    people = {
        R.DSL: profile.dsl, R.HEAD_TEACHER: profile.head, R.MANAGER: profile.head,
        R.CHAIR_OF_GOVERNORS: profile.chair_of_governors, R.PROPRIETOR: profile.chair_of_governors,
        R.SAFEGUARDING_GOVERNOR: profile.safeguarding_governor, R.CHILDMINDER: profile.dsl,
        R.REGISTERED_PERSON: profile.chair_of_governors,  # the profile's "Registered person"
    }  # fmt: skip
    person = people.get(role)
    return person.name if person else ""


def _when(moment) -> str:
    return moment.strftime("%d %b %Y %H:%M") if moment else ""


def state_words(status) -> str:
    """Where one role stands, in words (`status`: services.sign_off_service.RoleStatus)."""
    record = status.record
    if record is None:
        return tr("Not asked yet.")
    if record.state == "requested":
        return tr("Asked by email ({email}) on {when}; not signed yet.",
                  email=record.email or "", when=_when(record.requested_at))  # fmt: skip
    if record.state == "declined":
        return tr("{name} declined: “{comment}”", name=record.name,
                  comment=record.comment or tr("no comment"))  # fmt: skip
    method = (record.attestation or {}).get("method", "")
    return tr("Signed by {name} {how}, {when}.", name=record.name,
              how=tr(METHOD_WORDS.get(method, method)), when=_when(record.signed_at))  # fmt: skip


class SignatoryRow(QGroupBox):
    """One role: its state and what can be done about it."""

    def __init__(self, slot, labels: dict, parent=None) -> None:
        title = tr(" or ").join(tr(labels[role]) for role in slot.roles)
        if not slot.required:
            title += " " + tr("(optional)")
        super().__init__(title, parent)
        self.slot = slot
        self.title_text = title
        self.setAccessibleName(title)
        column = QVBoxLayout(self)
        self.role = DropDown()
        for role in slot.roles:
            self.role.addItem(tr(labels[role]), role.value)
        self.role.setAccessibleName(tr("{title}: signing as", title=title))
        self.role.setVisible(len(slot.roles) > 1)
        self.state = QLabel(tr("Not asked yet."))
        self.state.setWordWrap(True)
        self.state.setAccessibleName(tr("{title}: state", title=title))
        buttons = QHBoxLayout()
        self.sign_here = QPushButton(tr("Sign here now"))
        self.ask = QPushButton(tr("Ask by email"))
        self.remind = QPushButton(tr("Remind"))
        self.replace = QPushButton(tr("Replace"))
        for button, what in (
            (self.sign_here, "sign here now"),
            (self.ask, "ask by email"),
            (self.remind, "remind"),
            (self.replace, "replace the signatory"),
        ):
            button.setAccessibleName(tr("{title}: {what}", title=title, what=tr(what)))
            buttons.addWidget(button)  # fmt: skip
        buttons.addStretch(1)
        column.addWidget(self.role)
        column.addWidget(self.state)
        column.addLayout(buttons)
        self.show_status(None, sealed=False)

    def chosen_role(self) -> SignOffRole:
        return SignOffRole(self.role.currentData())

    def show_status(self, status, *, sealed: bool) -> None:
        self.state.setText(state_words(status) if status is not None else tr("Not asked yet."))
        current = status.state if status is not None else "not_asked"
        if status is not None and status.record is not None:
            index = self.role.findData(status.record.role)
            if index >= 0:
                self.role.setCurrentIndex(index)
        self.role.setEnabled(sealed and current in ("not_asked", "declined"))
        self.sign_here.setEnabled(sealed and current != "signed")
        self.ask.setEnabled(sealed and current in ("not_asked", "declined"))
        self.ask.setVisible(current in ("not_asked", "declined"))
        self.remind.setVisible(current == "requested")
        self.remind.setEnabled(sealed and current == "requested")
        self.replace.setVisible(current != "not_asked")
        self.replace.setEnabled(sealed and current != "not_asked")


class SignOffDialog(QDialog):
    seal_requested = Signal()
    unseal_requested = Signal()
    sign_here_requested = Signal(object)  # SignOffRole
    ask_requested = Signal(object)
    remind_requested = Signal(object)
    replace_requested = Signal(object)
    collect_requested = Signal()
    finalise_requested = Signal()

    def __init__(self, signatories, labels: dict, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Sign off the audit"))
        layout = QVBoxLayout(self)
        intro = QLabel(tr(
            "First seal the audit: its answers are frozen so that everyone signs exactly the "
            "same thing. Then each person signs for themselves, here or by email. Changing "
            "anything means unsealing it, and everyone who signed must sign again."
        ))  # fmt: skip
        intro.setWordWrap(True)
        layout.addWidget(intro)
        seal_row = QHBoxLayout()
        self.seal_state = QLabel(tr("Not sealed yet."))
        self.seal_state.setWordWrap(True)
        self.seal_state.setAccessibleName(tr("Seal"))
        self.seal_button = QPushButton(tr("Seal for signing"))
        self.seal_button.setAccessibleName(tr("Seal the audit for signing"))
        self.unseal_button = QPushButton(tr("Unseal to change it"))
        self.unseal_button.setAccessibleName(tr("Unseal the audit to change it"))
        seal_row.addWidget(self.seal_state, 1)
        seal_row.addWidget(self.seal_button)
        seal_row.addWidget(self.unseal_button)
        layout.addLayout(seal_row)
        body = QWidget()
        column = QVBoxLayout(body)
        self.rows = [SignatoryRow(slot, labels) for slot in signatories.slots]
        for row in self.rows:
            column.addWidget(row)
            row.sign_here.clicked.connect(
                lambda _=False, r=row: self.sign_here_requested.emit(r.chosen_role())
            )
            row.ask.clicked.connect(lambda _=False, r=row: self.ask_requested.emit(r.chosen_role()))
            row.remind.clicked.connect(
                lambda _=False, r=row: self.remind_requested.emit(r.chosen_role())
            )
            row.replace.clicked.connect(lambda _=False, r=row: self.replace_requested.emit(r.chosen_role()))  # fmt: skip
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout.addWidget(scroll, 1)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setAccessibleName(tr("Sign-off messages"))
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.collect_button = QPushButton(tr("Check for signatures"))
        self.collect_button.setAccessibleName(tr("Check for signatures made by email"))
        self.finalise_button = QPushButton(tr("Finalise and send"))
        self.finalise_button.setAccessibleName(tr("Finalise and send the audit"))
        self.buttons.addButton(self.collect_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.finalise_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.rejected.connect(self.reject)
        self.seal_button.clicked.connect(self.seal_requested)
        self.unseal_button.clicked.connect(self.unseal_requested)
        self.collect_button.clicked.connect(self.collect_requested)
        self.finalise_button.clicked.connect(self.finalise_requested)
        layout.addWidget(self.buttons)
        self.state = None
        fit_to_screen(self, QSize(680, 720))
        self.show_state(None)

    def show_state(self, state, message: str = "") -> None:
        """`state`: services.sign_off_service.SignOffState (None: not loaded yet)."""
        self.state = state
        sealed = state is not None and state.seal is not None
        if sealed:
            self.seal_state.setText(tr(
                "Sealed on {when}. Content fingerprint {fingerprint}.",
                when=_when(state.seal.sealed_at), fingerprint=state.seal.content_sha256[:16],
            ))  # fmt: skip
        else:
            self.seal_state.setText(tr("Not sealed yet: seal it when the answers are final."))
        self.seal_button.setVisible(not sealed)
        self.unseal_button.setVisible(sealed)
        by_role = {status.role: status for status in state.roles} if state else {}
        for row in self.rows:
            row.show_status(by_role.get(row.slot.role), sealed=sealed)
        asked = state is not None and any(s.state == "requested" for s in state.roles)
        self.collect_button.setEnabled(asked)
        self.finalise_button.setEnabled(state is not None and state.complete)
        self.set_busy(False)
        self.message.setText(message)

    def set_busy(self, busy: bool, text: str = "") -> None:
        for row in self.rows:
            row.setEnabled(not busy)
        for button in (self.seal_button, self.unseal_button):
            button.setEnabled(not busy)
        if busy:
            self.collect_button.setEnabled(False)
            self.finalise_button.setEnabled(False)
            self.message.setText(text)
