"""The app's drop-down: a QComboBox whose list the style sheet can colour.

Fusion draws a combo box's list with its own menu delegate, which ignores the style sheet: with
the fields' white background, the highlighted item came out white on white. A plain item
delegate takes the style sheet's colours (`theme.py`: white on the accent blue).
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QWidget


class DropDown(QComboBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setItemDelegate(QStyledItemDelegate(self))
