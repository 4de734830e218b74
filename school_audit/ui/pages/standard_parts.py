"""Small building blocks of the standard page: cards, headings, last year's answer."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from school_audit.domain.audit import Response
from school_audit.i18n import tr


def wrapped(text: str, name: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("heading")
    label.setAccessibleName(text)
    return label


def card(name: str, widgets: list[QWidget]) -> QFrame:
    frame = QFrame()
    frame.setObjectName(name)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(16, 12, 16, 12)
    layout.setSpacing(6)
    for widget in widgets:
        layout.addWidget(widget)
    return frame


class PreviousAnswerCard(QFrame):
    """Last year's answer, for reference only."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("previousCard")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        self.label = wrapped("", "previousText")
        layout.addWidget(self.label)
        self.setAccessibleName(tr("Last year's answer"))

    def show_previous(self, response: Response | None) -> None:
        if response is None or not response.is_answered:
            self.hide()
            return
        answer = response.rating.label if response.rating else str(response.value)
        text = tr("Last year: {answer}", answer=answer)
        if response.evidence.strip():
            text += "\n" + tr("Evidence then: {evidence}", evidence=response.evidence.strip())
        self.label.setText(text)
        self.show()
