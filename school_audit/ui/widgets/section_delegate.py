"""Paints a section's progress with red/amber/green counts in the navigator.

Each count has its own symbol as well as its colour (never colour alone), and the row's
tooltip and accessible text say the same in words.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from school_audit.domain.audit import Rating
from school_audit.ui.models.navigator_model import ProgressRole
from school_audit.ui.palette import RATING_FILL

CHIPS = [
    (Rating.MET, "✓", "met"),
    (Rating.PARTIALLY_MET, "◐", "partially_met"),
    (Rating.NOT_MET, "✗", "not_met"),
]


def chip_texts(progress) -> list[tuple[str, str]]:
    """(text, colour) for each non-zero count, e.g. ("✓9", green)."""
    return [
        (f"{symbol}{getattr(progress, field)}", RATING_FILL[rating])
        for rating, symbol, field in CHIPS
        if getattr(progress, field)
    ]


class SectionProgressDelegate(QStyledItemDelegate):
    """The style paints the row (background, selection, focus) with the text left out; the
    progress and its counts are drawn over it. Nothing here asks for QStyle's own enums, which
    PySide6 would build (about 7 ms) the first time the navigator is painted."""

    def initStyleOption(self, option: QStyleOptionViewItem, index) -> None:
        super().initStyleOption(option, index)
        if index.data(ProgressRole) is not None:
            option.text = ""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        super().paint(painter, option, index)
        progress = index.data(ProgressRole)
        if progress is None:
            return
        styled = QStyleOptionViewItem(option)
        self.initStyleOption(styled, index)  # the row's font (sections are bold)
        view = option.widget
        selected = view is not None and view.selectionModel().isSelected(index)
        painter.save()
        painter.setFont(styled.font)
        metrics = QFontMetrics(styled.font)
        x = option.rect.left() + 4
        rect = option.rect
        for chip, colour in [(index.data(), "")] + chip_texts(progress):
            width = metrics.horizontalAdvance(chip) + 8
            pen = QColor(colour) if colour and not selected else option.palette.text().color()
            if selected:
                pen = option.palette.highlightedText().color()
            painter.setPen(pen)
            painter.drawText(QRect(x, rect.top(), width, rect.height()),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, chip)  # fmt: skip
            x += width
        painter.restore()
