"""A non-modal message across the top of the window, with an optional button."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from school_audit.i18n import tr


class Banner(QFrame):
    def __init__(self, kind: str = "error", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setProperty("kind", kind)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.button = QPushButton()
        self.close_button = QPushButton(tr("Dismiss"))
        self.close_button.setAccessibleName(tr("Dismiss this message"))
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        layout.addWidget(self.close_button)
        self.close_button.clicked.connect(self.hide)
        self._action: Callable[[], object] | None = None
        self.button.clicked.connect(self._clicked)
        self.hide()

    def show_message(
        self, message: str, button: str = "", action: Callable[[], object] | None = None
    ) -> None:
        self.label.setText(message)
        self.setAccessibleName(message)
        self.button.setText(button)
        self.button.setAccessibleName(button)
        self.button.setVisible(bool(button))
        self._action = action
        self.show()

    def _clicked(self) -> None:
        if self._action is not None:
            self._action()
