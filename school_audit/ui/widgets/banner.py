"""A non-modal message across the top of the window, with an optional button."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from school_audit.i18n import tr

SUCCESS_SHOWN_MS = 30_000


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
        self._stale = QTimer(self)  # a success message is news for a while, then it goes
        self._stale.setSingleShot(True)
        self._stale.setInterval(SUCCESS_SHOWN_MS)
        self._stale.timeout.connect(self.hide)
        self.button.clicked.connect(self._clicked)
        self.hide()

    def show_message(
        self,
        message: str,
        button: str = "",
        action: Callable[[], object] | None = None,
        kind: str = "error",
    ) -> None:
        """Show `message`; `kind` "success" shows it green, and it goes by itself when stale."""
        self._set_kind(kind)
        self._stale.stop()
        if kind == "success":
            self._stale.start()
        self.label.setText(message)
        self.setAccessibleName(message)
        self.button.setText(button)
        self.button.setAccessibleName(button)
        self.button.setVisible(bool(button))
        self._action = action
        self.show()

    @property
    def kind(self) -> str:
        return str(self.property("kind"))

    def _set_kind(self, kind: str) -> None:
        if self.kind == kind:
            return
        self.setProperty("kind", kind)
        if self.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):  # restyle for the new kind
            for widget in (self, self.label):
                widget.style().unpolish(widget)
                widget.style().polish(widget)

    def _clicked(self) -> None:
        if self._action is not None:
            self._action()
