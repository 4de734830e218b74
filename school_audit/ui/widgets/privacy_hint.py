"""Warnings under a text box when what is typed looks like it could identify a child.

A warning, never a block: the check runs a moment after typing stops.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QWidget

from school_audit.i18n import tr

log = logging.getLogger(__name__)
CHECK_PAUSE_MS = 400


def _checker() -> Callable[[str], list] | None:
    try:
        from school_audit.domain.privacy import check_text
    except ImportError:  # not in this build yet: no warnings rather than a crash
        return None
    return check_text


class PrivacyHint(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("privacyHint")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAccessibleName(tr("Privacy warning"))
        self.hide()
        self._text = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHECK_PAUSE_MS)
        self._timer.timeout.connect(self.check_now)
        self.warnings: list = []

    def text_changed(self, text: str) -> None:
        self._text = text
        self._timer.start()

    def check_now(self) -> None:
        self._timer.stop()
        check = _checker()
        try:
            self.warnings = check(self._text) if check and self._text.strip() else []
        except Exception:  # a checker bug must never stop the DSL typing
            log.exception("Privacy check failed")
            self.warnings = []
        messages = list(dict.fromkeys(warning.message for warning in self.warnings))
        self.setText("\n".join(f"⚠ {message}" for message in messages))
        self.setVisible(bool(messages))
