"""A flat Qt table over a Python list: rows are the list's items, columns are named headers.

The action plan and the home page's audit list are both this shape; each says which list it
shows (`_items`) and how a cell reads (`data`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()  # "no parent", shared as the default argument


class ListTableModel(QAbstractTableModel):
    headers: Sequence[str] = ()

    def _items(self) -> Sequence[Any]:
        raise NotImplementedError

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._items())

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None
