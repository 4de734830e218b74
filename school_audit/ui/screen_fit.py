"""Windows and dialogs sized to the screen they open on, never past its available area.

A 1366×768 laptop with a taskbar leaves about 1366×728 for windows, and the window manager's title
bar takes a little more: a window opened at a fixed 1280×860 put its buttons and the saved
indicator below the screen's edge.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

TITLE_BAR_ALLOWANCE = 40  # pixels above the window's client area (title bar and frame)


def size_for_screen(wanted: QSize, available: QSize) -> QSize:
    """`wanted`, made no larger than the available area less the title bar."""
    return QSize(
        min(wanted.width(), available.width()),
        min(wanted.height(), available.height() - TITLE_BAR_ALLOWANCE),
    )


def fit_to_screen(widget: QWidget, wanted: QSize) -> None:
    """Resize `widget` to `wanted`, or to what its screen has room for, and keep it on it."""
    area = _available(widget)
    widget.resize(size_for_screen(wanted, area.size()))
    _move_inside(widget)


def keep_on_screen(widget: QWidget) -> None:
    """After restoring a remembered geometry (from a bigger screen, say), shrink and move the
    widget until it fits the screen it is on now."""
    fit_to_screen(widget, widget.size())


def _available(widget: QWidget):  # type: ignore[no-untyped-def]
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def _move_inside(widget: QWidget) -> None:
    area = _available(widget)
    x = min(max(widget.x(), area.left()), area.right() - widget.width() + 1)
    y = min(max(widget.y(), area.top() + TITLE_BAR_ALLOWANCE), area.bottom() - widget.height() + 1)
    if (x, y) != (widget.x(), widget.y()):
        widget.move(x, y)
