"""One person signs at this computer, and the DSL asks someone by email.

`SignHereDialog`: the one-page summary of what they are signing (statutory standards not met,
overdue actions, warnings, what changed since last year), their declaration, then they type their
own name (never filled in for them) and confirm. `AskByEmailDialog`: the name and address the
collector's link goes to.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTextBrowser,
    QVBoxLayout,
)

from school_audit.i18n import tr
from school_audit.ui.screen_fit import fit_to_screen


def summary_html(summary) -> str:
    """`summary`: services.sign_off_summary.SigningSummary, as a short page."""

    def section(title: str, lines: list[str], none: str) -> str:
        items = "".join(f"<li>{escape(line)}</li>" for line in lines)
        body = f"<ul>{items}</ul>" if lines else f"<p>{escape(none)}</p>"
        return f"<h3>{escape(title)}</h3>{body}"

    overdue = summary.overdue_actions
    return "".join([
        section(tr("Statutory standards not fully met"), summary.statutory_not_met,
                tr("None: every statutory standard is met.")),
        f"<h3>{escape(tr('Overdue actions'))}</h3><p>"
        + escape(tr("{count} action(s) are past their target date.", count=overdue)
                 if overdue else tr("None.")) + "</p>",
        section(tr("Warnings"), summary.warnings, tr("None.")),
        section(tr("What changed since last year"), summary.changed_since_last_year,
                tr("No rating changed since last year (or there was no audit last year).")),
    ])  # fmt: skip


class SignHereDialog(QDialog):
    def __init__(self, role_label: str, declaration: str, summary, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("{role}: sign here", role=role_label))
        layout = QVBoxLayout(self)
        intro = QLabel(tr(
            "{role}: please read what you are signing. Only the person signing should type "
            "their name here.", role=role_label,
        ))  # fmt: skip
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.summary = QTextBrowser()
        self.summary.setAccessibleName(tr("Summary of what you are signing"))
        self.summary.setHtml(summary_html(summary))
        layout.addWidget(self.summary, 1)
        self.declaration = QLabel(declaration)
        self.declaration.setWordWrap(True)
        layout.addWidget(self.declaration)
        form = QFormLayout()
        self.name = QLineEdit()
        self.name.setPlaceholderText(tr("Type your own full name"))
        self.name.setAccessibleName(tr("{role}: your full name", role=role_label))
        form.addRow(tr("Your name"), self.name)
        layout.addLayout(form)
        self.agree = QCheckBox(tr("I have read this summary and agree with the declaration"))
        self.agree.setAccessibleName(tr("{role}: I agree with the declaration", role=role_label))
        self.agree.setAccessibleDescription(declaration)
        layout.addWidget(self.agree)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.sign_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_button.setText(tr("Sign"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.name.textChanged.connect(self._update)
        self.agree.toggled.connect(self._update)
        fit_to_screen(self, QSize(620, 640))
        self._update()
        self.name.setFocus()

    def _update(self, *_) -> None:
        self.sign_button.setEnabled(bool(self.name.text().strip()) and self.agree.isChecked())

    def typed_name(self) -> str:
        return self.name.text().strip()


class AskByEmailDialog(QDialog):
    def __init__(self, role_label: str, name: str = "", email: str = "", parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("{role}: ask by email", role=role_label))
        layout = QVBoxLayout(self)
        intro = QLabel(tr(
            "The local authority's collector emails this person a link that works once and "
            "expires after 14 days. They read the summary there and sign with a code sent to "
            "the same address."
        ))  # fmt: skip
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.name = QLineEdit(name)
        self.name.setAccessibleName(tr("{role}: name", role=role_label))
        self.email = QLineEdit(email)
        self.email.setPlaceholderText("chair@example.org")
        self.email.setAccessibleName(tr("{role}: email address", role=role_label))
        form.addRow(tr("Name"), self.name)
        form.addRow(tr("Email address"), self.email)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.send_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.send_button.setText(tr("Send the request"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        for field in (self.name, self.email):
            field.textChanged.connect(self._update)
        fit_to_screen(self, QSize(520, 280))
        self._update()

    def _update(self, *_) -> None:
        self.send_button.setEnabled(bool(self.name.text().strip()) and "@" in self.email.text())

    def values(self) -> tuple[str, str]:
        return self.name.text().strip(), self.email.text().strip()
