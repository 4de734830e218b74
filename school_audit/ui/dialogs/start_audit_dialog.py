"""Start this year's audit: which template, and whether to start from last year's audit."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from school_audit.i18n import tr
from school_audit.ui.widgets.drop_down import DropDown


class StartAuditDialog(QDialog):
    """Collects the choice; the window starts the audit through the service."""

    def __init__(self, templates: list, previous: list, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Start this year's audit"))
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        form = QFormLayout()
        self.template = DropDown()
        self.template.setAccessibleName(tr("Audit template"))
        for template in templates:
            label = (
                template.title
                if template.cycle in template.title
                else (f"{template.title} ({template.cycle})")
            )
            self.template.addItem(label, template)
        form.addRow(tr("Audit"), self.template)
        self.start_from = DropDown()
        self.start_from.setAccessibleName(tr("Start from"))
        self.start_from.addItem(tr("A blank audit"), None)
        for summary in previous:
            self.start_from.addItem(
                tr("Last year's audit ({cycle})", cycle=summary.cycle), summary.audit_id
            )
        if previous:
            self.start_from.setCurrentIndex(1)
        form.addRow(tr("Start from"), self.start_from)
        layout.addLayout(form)
        self.prefill = QCheckBox(tr("Fill in last year's answers as a starting point"))
        self.prefill.setAccessibleName(self.prefill.text())
        layout.addWidget(self.prefill)
        self.note = QLabel(
            tr(
                "Last year's answers are shown beside each standard, and open actions come "
                "with you. Standards that changed are marked for you to answer afresh."
            )
        )
        self.note.setWordWrap(True)
        self.note.setObjectName("subtle")
        layout.addWidget(self.note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Start"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.start_from.currentIndexChanged.connect(self._start_from_changed)
        self._start_from_changed()
        self.resize(560, 240)

    def _start_from_changed(self, *_) -> None:
        carrying = self.start_from.currentData() is not None
        self.prefill.setEnabled(carrying)
        self.note.setVisible(carrying)
        if not carrying:
            self.prefill.setChecked(False)

    def choice(self) -> tuple[object, object, bool]:
        """(template, audit id to carry forward from or None, prefill)."""
        return self.template.currentData(), self.start_from.currentData(), self.prefill.isChecked()
