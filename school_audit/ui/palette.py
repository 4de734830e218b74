"""Colours and shapes for ratings: always shown with a text label, never colour alone.

Keyed by the rating's value: `Rating` is a StrEnum, so `RATING_FILL[Rating.MET]` works, and this
module (imported before the window shows) does not pull in the domain models.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

# Accessible RAG shades: dark enough for white text (WCAG AA on the chip), calm on the eye.
RATING_FILL = {
    "met": "#1f7a4d",
    "partially_met": "#a35f00",
    "not_met": "#b3261e",
    "not_applicable": "#5f6368",
}
RATING_TINT = {
    "met": "#e6f4ea",
    "partially_met": "#fdf1dc",
    "not_met": "#fbe9e7",
    "not_applicable": "#eeeff1",
}
UNANSWERED_FILL = "#9aa0a6"
ACCENT = "#1d4f91"
OVERDUE_TINT = "#fbe9e7"
WARNING_TINT = "#fff4d6"


@cache
def rating_icon(rating: str | None, size: int = 12) -> QIcon:
    """A dot for a rating (a ring when unanswered), drawn once."""
    pixmap = QPixmap(size * 2, size * 2)
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = QColor(RATING_FILL[str(rating)] if rating else UNANSWERED_FILL)
    if rating is None:
        painter.setPen(colour)
        painter.drawEllipse(1, 1, size - 3, size - 3)
    else:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)
