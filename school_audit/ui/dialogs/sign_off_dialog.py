"""Sign-off: each person who signs gives their name and ticks their declaration.

The roles come from the service (`signatories_for(profile)`); the dialog only collects. "Sign and
send" is enabled when every required signature has a name and a ticked declaration.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from school_audit.domain.audit import SignOffRole
from school_audit.i18n import tr
from school_audit.ui.screen_fit import fit_to_screen
from school_audit.ui.widgets.drop_down import DropDown

R = SignOffRole


def name_from_profile(profile, role: SignOffRole) -> str:
    people = {
        R.DSL: profile.dsl, R.HEAD_TEACHER: profile.head, R.MANAGER: profile.head,
        R.CHAIR_OF_GOVERNORS: profile.chair_of_governors, R.PROPRIETOR: profile.chair_of_governors,
        R.SAFEGUARDING_GOVERNOR: profile.safeguarding_governor, R.CHILDMINDER: profile.dsl,
        R.REGISTERED_PERSON: profile.chair_of_governors,  # the profile's "Registered person"
    }  # fmt: skip
    person = people.get(role)
    return person.name if person else ""


class SignatureBox(QGroupBox):
    def __init__(self, slot, labels: dict, declaration, profile, parent=None) -> None:
        title = " or ".join(labels[role] for role in slot.roles)
        if not slot.required:
            title += " " + tr("(optional)")
        super().__init__(title, parent)
        self.slot = slot
        self._declaration = declaration
        column = QVBoxLayout(self)
        self.role = DropDown()
        for role in slot.roles:
            self.role.addItem(labels[role], role.value)
        self.role.setAccessibleName(tr("Signing as"))
        self.role.setVisible(len(slot.roles) > 1)
        self.name = QLineEdit(name_from_profile(profile, slot.role))
        self.name.setPlaceholderText(tr("Full name"))
        self.name.setAccessibleName(tr("{title}: name", title=title))
        self.statement = QLabel()
        self.statement.setWordWrap(True)
        self.statement.setObjectName("subtle")
        self.agree = QCheckBox(tr("I agree with this declaration"))
        self.agree.setAccessibleName(tr("{title}: I agree with the declaration", title=title))
        for widget in (self.role, self.name, self.statement, self.agree):
            column.addWidget(widget)
        self.role.currentIndexChanged.connect(self._role_changed)
        self._role_changed()

    def chosen_role(self) -> SignOffRole:
        return SignOffRole(self.role.currentData())

    def _role_changed(self, *_) -> None:
        statement = self._declaration(self.chosen_role())
        self.statement.setText(statement)
        self.agree.setAccessibleDescription(statement)  # "I agree" is read with what is agreed
        self.agree.setChecked(False)

    def filled(self) -> bool:
        return bool(self.name.text().strip()) and self.agree.isChecked()

    def empty(self) -> bool:
        return not self.name.text().strip() and not self.agree.isChecked()


class SignOffDialog(QDialog):
    def __init__(self, signatories, labels: dict, declaration, profile, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Sign and send the audit"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            tr("Each person below reads their declaration and ticks it. Once signed, the audit "
               "cannot be changed; it is sent to the local authority as soon as there is a "
               "connection.")
        )  # fmt: skip
        intro.setWordWrap(True)
        layout.addWidget(intro)
        body = QWidget()
        column = QVBoxLayout(body)
        self.boxes = [
            SignatureBox(slot, labels, declaration, profile) for slot in signatories.slots
        ]
        for box in self.boxes:
            column.addWidget(box)
            box.name.textChanged.connect(self._update)
            box.agree.toggled.connect(self._update)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout.addWidget(scroll, 1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.sign_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_button.setText(tr("Sign and send"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        fit_to_screen(self, QSize(640, 720))
        self._update()

    def _update(self, *_) -> None:
        complete = all(
            box.filled() if box.slot.required else (box.filled() or box.empty())
            for box in self.boxes
        )
        self.sign_button.setEnabled(complete)

    def signatures(self) -> list[tuple[SignOffRole, str]]:
        """(role, name) for every filled signature."""
        return [(box.chosen_role(), box.name.text().strip()) for box in self.boxes if box.filled()]
