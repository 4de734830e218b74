"""Enrol this computer with the local authority: the address and the one-time code it sent, and
(optionally) the DSL's email address, where the LA sends its reminders and notices."""

from __future__ import annotations

import platform

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from school_audit.i18n import tr


class EnrolmentDialog(QDialog):
    def __init__(self, parent=None, dsl_email: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Connect to your local authority"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            tr("Your local authority sent you an address and a one-time code. Enter them here "
               "once; this computer can then send signed audits.")
        )  # fmt: skip
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://safeguarding-audit.example.gov.uk")
        self.code = QLineEdit()
        self.device_name = QLineEdit(platform.node() or tr("School office PC"))
        self.dsl_email = QLineEdit(dsl_email)
        self.dsl_email.setPlaceholderText("dsl@school.example.sch.uk")
        for label, widget in (
            (tr("Address"), self.url),
            (tr("One-time code"), self.code),
            (tr("Name for this computer"), self.device_name),
            (tr("DSL's email (optional)"), self.dsl_email),
        ):
            widget.setAccessibleName(label)
            form.addRow(label, widget)
        layout.addLayout(form)
        self.email_help = QLabel(
            tr("The local authority sends reminders before its deadlines, and tells you when "
               "your return is received, accepted or returned for changes, at this address. "
               "Leave it empty if the local authority already has it.")
        )  # fmt: skip
        self.email_help.setObjectName("subtle")
        self.email_help.setWordWrap(True)
        self.dsl_email.setAccessibleDescription(self.email_help.text())
        layout.addWidget(self.email_help)
        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(tr("Connect"))
        buttons.accepted.connect(self._connect)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for field in (self.url, self.code):
            field.textChanged.connect(self._update)
        self.dsl_email.textChanged.connect(lambda *_: self._mark_email(valid=True))
        self._update()
        self.resize(560, 320)

    def _update(self, *_) -> None:
        self.ok.setEnabled(bool(self.url.text().strip() and self.code.text().strip()))

    def _connect(self) -> None:
        """Connect only with an address that can be one: the one-time code is not spent on a
        typing slip, and nothing typed is lost (the dialog stays open, the field marked)."""
        from school_audit.sync.enrolment import checked_dsl_email

        try:
            checked_dsl_email(self.dsl_email.text())
        except ValueError:
            self._mark_email(valid=False)
            self.error.setText(tr(
                "The DSL's email does not look like an email address. Enter one address, such "
                "as dsl@school.example.sch.uk, or leave it empty."
            ))  # fmt: skip
            self.error.show()
            self.dsl_email.setFocus()
            return
        self.accept()

    def _mark_email(self, valid: bool) -> None:
        if valid:
            self.error.hide()
        self.dsl_email.setProperty("invalid", "false" if valid else "true")
        self.dsl_email.style().unpolish(self.dsl_email)
        self.dsl_email.style().polish(self.dsl_email)

    def values(self) -> tuple[str, str, str]:
        return self.url.text().strip(), self.code.text().strip(), self.device_name.text().strip()

    def email(self) -> str | None:
        """The DSL's address as typed, or None when left empty (checked on Connect)."""
        return self.dsl_email.text().strip() or None
