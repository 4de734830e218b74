"""Colours and shapes for ratings: always shown with a text label, never colour alone."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from school_audit.domain.audit import Rating

# Accessible RAG shades: dark enough for white text (WCAG AA on the chip), calm on the eye.
RATING_FILL = {
    Rating.MET: "#1f7a4d",
    Rating.PARTIALLY_MET: "#a35f00",
    Rating.NOT_MET: "#b3261e",
    Rating.NOT_APPLICABLE: "#5f6368",
}
RATING_TINT = {
    Rating.MET: "#e6f4ea",
    Rating.PARTIALLY_MET: "#fdf1dc",
    Rating.NOT_MET: "#fbe9e7",
    Rating.NOT_APPLICABLE: "#eeeff1",
}
UNANSWERED_FILL = "#9aa0a6"
ACCENT = "#1d4f91"
OVERDUE_TINT = "#fbe9e7"
WARNING_TINT = "#fff4d6"


@cache
def rating_icon(rating: Rating | None, size: int = 12) -> QIcon:
    """A dot for a rating (a ring when unanswered), drawn once."""
    pixmap = QPixmap(size * 2, size * 2)
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = QColor(RATING_FILL[rating] if rating else UNANSWERED_FILL)
    if rating is None:
        painter.setPen(colour)
        painter.drawEllipse(1, 1, size - 3, size - 3)
    else:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)
