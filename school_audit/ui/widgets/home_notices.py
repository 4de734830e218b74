"""Home's notices from the LA: a return received, accepted or returned for changes (each with its
date), and "Feedback letter from the LA" with a button that fetches and opens it.

Only shows what it is given (`services.notices.HomeNotice`); the window downloads the letter on
its network lane and tells the panel how it went (`letter_busy`, `letter_failed`, `letter_done`).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from school_audit.i18n import tr
from school_audit.ui.theme import INK, SUCCESS_TEXT, SUCCESS_TINT

# (background, edge, text) for each kind: all pass WCAG AA for their text (tests/ui/test_contrast).
STYLES = {
    "accepted": (SUCCESS_TINT, "#9fd3b0", SUCCESS_TEXT),
    "received": ("#eef2f7", "#b8c4d6", INK),
    "returned": ("#fdf1dc", "#e3b466", "#4a3000"),
    "letter": ("#ffffff", "#6b7480", INK),
}


def day_text(day: date | None) -> str:
    """A date as people write it: 3 December 2026."""
    return f"{day.day} {day.strftime('%B %Y')}" if day else ""


def notice_text(notice) -> str:  # type: ignore[no-untyped-def]
    when = day_text(notice.on)
    if notice.kind == "received":
        return tr("Your {cycle} return was received by the local authority on {day}. It will "
                  "tell you when it has been reviewed.", cycle=notice.cycle, day=when)  # fmt: skip
    if notice.kind == "accepted":
        return tr("Accepted: the local authority accepted your {cycle} return on {day}.",
                  cycle=notice.cycle, day=when)  # fmt: skip
    return tr("Returned by the LA on {day}: your {cycle} return needs changes ({n} comment(s)). "
              "Select it below and choose \u201cMake changes\u201d to see them.",
              day=when, cycle=notice.cycle, n=notice.comments)  # fmt: skip


def _never_cut(label: QLabel) -> None:
    """A short window squeezes the audits table (it scrolls), never a notice's words."""
    policy = label.sizePolicy()
    policy.setVerticalPolicy(QSizePolicy.Policy.Minimum)
    label.setSizePolicy(policy)


def _frame(kind: str) -> QFrame:
    background, edge, text = STYLES[kind]
    frame = QFrame()
    frame.setObjectName("homeNotice")
    frame.setProperty("kind", kind)
    frame.setStyleSheet(
        f"QFrame#homeNotice {{ background: {background}; border: 1px solid {edge}; "
        f"border-radius: 6px; }} QFrame#homeNotice QLabel {{ color: {text}; }}"
    )
    return frame


class HomeNotices(QWidget):
    letter_requested = Signal(str)  # submission id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._column = QVBoxLayout(self)
        self._column.setContentsMargins(0, 0, 0, 0)
        self._column.setSpacing(8)
        self.labels: list[QLabel] = []
        self.letter_box: QFrame | None = None
        self.letter_button: QPushButton | None = None
        self.letter_status: QLabel | None = None
        self.letter_progress: QProgressBar | None = None
        self._letter_for = ""
        self.setVisible(False)

    def show_notices(self, notices: list) -> None:
        while self._column.count():
            widget = self._column.takeAt(0).widget()
            if widget is not None:  # gone from the screen now, deleted later
                widget.hide()
                widget.deleteLater()
        self.labels = []
        self.letter_box = self.letter_button = self.letter_status = self.letter_progress = None
        for notice in notices:
            frame = _frame(notice.kind)
            row = QHBoxLayout(frame)
            row.setContentsMargins(14, 10, 14, 10)
            label = QLabel(notice_text(notice))
            label.setWordWrap(True)
            _never_cut(label)
            label.setAccessibleName(label.text())
            row.addWidget(label, 1)
            self.labels.append(label)
            self._column.addWidget(frame)
        letter = next((n for n in notices if n.letter_issued_on is not None), None)
        if letter is not None:
            self._column.addWidget(self._letter(letter))
        for index in range(self._column.count()):  # shown now, not at the layout's next pass
            self._column.itemAt(index).widget().setVisible(True)
        self.setVisible(bool(notices))

    def _letter(self, notice) -> QFrame:  # type: ignore[no-untyped-def]
        self._letter_for = notice.submission_id
        frame = self.letter_box = _frame("letter")
        column = QVBoxLayout(frame)
        column.setContentsMargins(14, 10, 14, 10)
        title = QLabel(tr("Feedback letter from the LA"))
        title.setObjectName("sectionTitle")
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        row = QHBoxLayout()
        self.letter_status = QLabel(tr(
            "Sent on {day}, on your {cycle} return.",
            cycle=notice.cycle, day=day_text(notice.letter_issued_on),
        ))  # fmt: skip
        frame.setToolTip(tr(
            "Your ratings section by section beside similar settings and the whole local "
            "authority, the reviewer's comments, and the actions the local authority expects."
        ))  # fmt: skip
        self.letter_status.setWordWrap(True)
        _never_cut(self.letter_status)
        button = self.letter_button = QPushButton(tr("Download and open the letter"))
        button.setAccessibleName(tr("Download and open the feedback letter from the LA"))
        button.setMinimumHeight(36)
        button.clicked.connect(lambda: self.letter_requested.emit(self._letter_for))
        row.addWidget(self.letter_status, 1)
        row.addWidget(button)
        self.letter_progress = QProgressBar()
        self.letter_progress.setRange(0, 0)  # busy: the size is not known in advance
        self.letter_progress.setAccessibleName(tr("Downloading the feedback letter"))
        self.letter_progress.setTextVisible(False)
        self.letter_progress.setMaximumHeight(8)
        self.letter_progress.hide()
        column.addWidget(title)
        column.addLayout(row)
        column.addWidget(self.letter_progress)
        return frame

    # -- how the download goes (called by the window) ------------------------------------------

    def letter_busy(self) -> None:
        if self.letter_button is None:
            return
        self.letter_button.setEnabled(False)
        self.letter_status.setText(tr("Downloading the letter from the local authority…"))
        self.letter_progress.show()

    def letter_done(self, path) -> None:  # type: ignore[no-untyped-def]
        if self.letter_button is None:
            return
        self.letter_progress.hide()
        self.letter_button.setEnabled(True)
        self.letter_button.setText(tr("Open the letter again"))
        self.letter_status.setText(tr("Saved on this computer as {name}; it opens in your PDF "
                                      "reader.", name=path.name))  # fmt: skip
        self.letter_status.setToolTip(str(path))  # the whole path, for whoever needs it

    def letter_failed(self, message: str) -> None:
        if self.letter_button is None:
            return
        self.letter_progress.hide()
        self.letter_button.setEnabled(True)
        self.letter_button.setText(tr("Try again"))
        self.letter_status.setText(message)
