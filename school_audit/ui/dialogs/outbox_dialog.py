"""The outbox: signed audits waiting to go, sent, or refused, with "Send now"."""

from __future__ import annotations

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from school_audit.i18n import N_, LazyMap, tr
from school_audit.ui.screen_fit import fit_to_screen

STATE_LABELS = LazyMap(
    {
        "queued": N_("Waiting to send"),
        "sending": N_("Sending"),
        "sent": N_("Sent: receipt received"),
        "failed": N_("Not sent yet"),
    }
)
REVIEW_LABELS = LazyMap(
    {
        "received": N_("Received"),
        "accepted": N_("Accepted"),
        "returned": N_("Returned for changes"),
        "quarantined": N_("Held for checking"),
        "superseded": N_("Replaced by a newer revision"),
    }
)


class OutboxDialog(QDialog):
    send_requested = Signal()
    check_requested = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Outbox"))
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [
                tr("Signed on"),
                tr("Revision"),
                tr("State"),
                tr("Local authority"),
                tr("Last problem"),
            ]
        )
        self.table.setAccessibleName(tr("Signed audits in the outbox"))
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setWordWrap(True)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.send_button = QPushButton(tr("Send now"))
        self.send_button.setObjectName("primary")
        self.check_button = QPushButton(tr("Check for a review"))
        close = QPushButton(tr("Close"))
        row.addWidget(self.send_button)
        row.addWidget(self.check_button)
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        self.send_button.clicked.connect(self.send_requested)
        self.check_button.clicked.connect(self.check_requested)
        close.clicked.connect(self.accept)
        fit_to_screen(self, QSize(820, 380))

    def show_entries(self, entries: list, message: str = "") -> None:
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            item, review = entry.item, entry.review
            la = REVIEW_LABELS.get(review.status, review.status) if review else ""
            comments = [entry.general_comment] + [
                f"{sid}: {text}" for sid, text in entry.standard_comments.items()
            ]
            if any(comments):
                la += ": " + "; ".join(c for c in comments if c)
            acceptance = getattr(entry, "acceptance", None)
            if acceptance:  # checked against the LA's key before it was kept
                la += " " + tr("(signed acceptance record, {when})",
                               when=str(acceptance.get("accepted_at", ""))[:10])  # fmt: skip
            cells = [
                item.created_at.strftime("%d/%m/%Y %H:%M"), str(item.revision),
                STATE_LABELS.get(item.state, item.state), la, item.last_error or "",
            ]  # fmt: skip
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        waiting = sum(entry.item.state != "sent" for entry in entries)
        self.summary.setText(message or (
            tr("{n} signed audit(s) waiting to send.", n=waiting) if waiting
            else tr("Nothing waiting: every signed audit has been sent.")
        ))  # fmt: skip
        self.send_button.setEnabled(bool(waiting))

    def set_busy(self, busy: bool, message: str = "") -> None:
        self.send_button.setEnabled(not busy)
        self.check_button.setEnabled(not busy)
        if message:
            self.summary.setText(message)
