"""Enrol this computer with the local authority: the address and the one-time code it sent."""

from __future__ import annotations

import platform

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from school_audit.i18n import tr


class EnrolmentDialog(QDialog):
    def __init__(self, parent=None) -> None:
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
        for label, widget in (
            (tr("Address"), self.url),
            (tr("One-time code"), self.code),
            (tr("Name for this computer"), self.device_name),
        ):
            widget.setAccessibleName(label)
            form.addRow(label, widget)
        layout.addLayout(form)
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
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for field in (self.url, self.code):
            field.textChanged.connect(self._update)
        self._update()
        self.resize(560, 260)

    def _update(self, *_) -> None:
        self.ok.setEnabled(bool(self.url.text().strip() and self.code.text().strip()))

    def values(self) -> tuple[str, str, str]:
        return self.url.text().strip(), self.code.text().strip(), self.device_name.text().strip()
