"""A date that may be unset: typed as day/month/year, or picked from a calendar, or cleared.

A plain text box is kinder to keyboards than a spin box with a "not set" value: typing
01/09/2025 just works, and an empty box means "not set".
"""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QPushButton,
    QWidget,
    QWidgetAction,
)

from school_audit.i18n import tr

_DMY = re.compile(r"^\s*(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")


def parse_date(text: str) -> date | None:
    """Day/month/year (UK order) or ISO; None when the text is not a whole, real date."""
    if match := _DMY.match(text):
        day, month, year = (int(part) for part in match.groups())
    elif match := _ISO.match(text):
        year, month, day = (int(part) for part in match.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def format_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


class DateField(QWidget):
    date_changed = Signal(object)  # datetime.date or None

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._value: date | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(tr("dd/mm/yyyy"))
        self.edit.setAccessibleName(accessible_name)
        self.edit.setAccessibleDescription(tr("Day, month and year, for example 01/09/2025"))
        self.edit.setMaximumWidth(160)
        self.setFocusProxy(self.edit)
        self.pick_button = QPushButton(tr("Calendar…"))
        self.pick_button.setAccessibleName(tr("Pick {name} from a calendar", name=accessible_name))
        self.pick_button.setMenu(self._calendar_menu())
        layout.addWidget(self.edit)
        layout.addWidget(self.pick_button)
        layout.addStretch(1)
        self.edit.textEdited.connect(self._typed)

    def _calendar_menu(self) -> QMenu:
        menu = QMenu(self)
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        holder = QWidgetAction(menu)
        holder.setDefaultWidget(self.calendar)
        menu.addAction(holder)
        menu.aboutToShow.connect(self._calendar_opening)
        self.calendar.clicked.connect(lambda day: (self._picked(day), menu.close()))
        return menu

    def value(self) -> date | None:
        return self._value

    def set_date(self, value: date | None, emit: bool = False) -> None:
        """Show a date from the model (never while the user is mid-way through typing one)."""
        if value == self._value:
            return  # keeps a half-typed date the model does not know about yet
        self._value = value
        self.edit.setText(format_date(value))
        self._mark_invalid(False)
        if emit:
            self.date_changed.emit(value)

    def _typed(self, text: str) -> None:
        if not text.strip():
            self._mark_invalid(False)
            self._store(None)
            return
        parsed = parse_date(text)
        self._mark_invalid(parsed is None)
        if parsed is not None:
            self._store(parsed)

    def _store(self, value: date | None) -> None:
        if value != self._value:
            self._value = value
            self.date_changed.emit(value)

    def _picked(self, day: QDate) -> None:
        self.set_date(date(day.year(), day.month(), day.day()), emit=True)

    def _calendar_opening(self) -> None:
        shown = self._value or date.today()
        self.calendar.setSelectedDate(QDate(shown.year, shown.month, shown.day))

    def _mark_invalid(self, invalid: bool) -> None:
        self.edit.setProperty("invalid", invalid)
        self.edit.setToolTip(tr("Use day/month/year, for example 01/09/2025") if invalid else "")
        self.edit.style().unpolish(self.edit)
        self.edit.style().polish(self.edit)
