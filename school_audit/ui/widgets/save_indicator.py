"""The "saved" indicator in the status bar: it says saved only after the store said so."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QLabel, QWidget

from school_audit.i18n import tr

SYMBOLS = {"saved": "✓", "pending": "…", "failed": "⚠"}


class SaveIndicator(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("saveIndicator")
        self.state = "saved"
        self.show_state("saved", tr("All changes saved"))

    def show_state(self, state: str, message: str) -> None:
        self.state = state
        if state == "saved":
            message = tr("All changes saved · {time}", time=datetime.now().strftime("%H:%M"))
        elif state == "failed":
            message = tr("Not saved yet, retrying")
        self.setText(f"{SYMBOLS.get(state, '')} {message}")
        self.setProperty("state", state)
        self.setAccessibleName(tr("Save status: {message}", message=message))
        self.style().unpolish(self)
        self.style().polish(self)
