"""The "saved" indicator in the status bar: it says saved only after the store said so."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QLabel, QWidget

from school_audit.i18n import tr

SYMBOLS = {"saved": "✓", "pending": "…", "failed": "⚠"}
# The state's look, as the label's own style sheet: a style rule keyed on a property would need
# the style asked to polish again at each change, and the first such call makes PySide6 build
# QStyle's enums (about 7 ms at start-up).
LOOKS = {
    "saved": "color: #1f7a4d;",
    "pending": "color: #5b6570;",
    "failed": "color: #b3261e; font-weight: 600;",
}


class SaveIndicator(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("saveIndicator")
        self.state = "saved"
        self._look = ""
        self.show_state("saved", tr("All changes saved"))

    def show_state(self, state: str, message: str) -> None:
        self.state = state
        if state == "saved":
            message = tr("All changes saved · {time}", time=datetime.now().strftime("%H:%M"))
        elif state == "failed":
            message = tr("Not saved yet, retrying")
        self.setText(f"{SYMBOLS.get(state, '')} {message}")
        self.setAccessibleName(tr("Save status: {message}", message=message))
        look = LOOKS.get(state, "")
        if look != self._look:
            self._look = look
            self.setStyleSheet(look)
