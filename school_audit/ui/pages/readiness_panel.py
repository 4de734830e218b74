"""Readiness: every problem that stops sign-off (and every warning), each one click away."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from school_audit.domain.readiness import describe
from school_audit.i18n import tr

StandardIdRole = Qt.ItemDataRole.UserRole + 1


class ReadinessPanel(QWidget):
    standard_chosen = Signal(str)

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        self.summary = QLabel()
        self.summary.setObjectName("readinessSummary")
        self.summary.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName(tr("Problems to fix before signing"))
        self.list.setWordWrap(True)
        self.list.setSpacing(2)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        self.list.itemActivated.connect(self._chosen)
        self.list.itemClicked.connect(self._chosen)
        session.problems_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        problems = self.session.problems
        blocking = [p for p in problems if p.blocking]
        warnings = [p for p in problems if not p.blocking]
        self.summary.setProperty("ready", not blocking)
        if blocking:
            self.summary.setText(
                tr(
                    "{n} things to fix before this audit can be signed. Click one to go to it.",
                    n=len(blocking),
                )
            )
        else:
            self.summary.setText(tr("✓ Ready to sign: nothing blocks sign-off."))
        self.summary.style().unpolish(self.summary)
        self.summary.style().polish(self.summary)
        self.list.clear()
        for problem in blocking + warnings:
            kind = tr("To fix") if problem.blocking else tr("Worth a look")
            standard = self.session.standard(problem.standard_id)
            text = f"{kind} · {problem.standard_id} · {describe(problem, tr)}\n{standard.text}"
            item = QListWidgetItem(text)
            item.setData(StandardIdRole, problem.standard_id)
            item.setToolTip(standard.text)
            self.list.addItem(item)

    def _chosen(self, item: QListWidgetItem) -> None:
        self.standard_chosen.emit(item.data(StandardIdRole))
