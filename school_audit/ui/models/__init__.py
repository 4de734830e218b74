"""Qt item models over the open session (tested without widgets)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSortFilterProxyModel


def change_filter(proxy: QSortFilterProxyModel, change: Callable[[], None]) -> None:
    """Apply `change` to a proxy's filter settings and re-filter (Qt 6.9+ API when present)."""
    if hasattr(proxy, "beginFilterChange"):
        proxy.beginFilterChange()
        change()
        proxy.endFilterChange()
    else:  # Qt before 6.9
        change()
        proxy.invalidateFilter()
