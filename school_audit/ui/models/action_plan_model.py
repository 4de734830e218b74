"""The action plan: every action in one table, editable in place, sortable and filterable.

The model shows the session's actions; an edit becomes an `action_edited` intent carrying the
changed Action, which the page hands to the session (that saves it and refreshes the model).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import (
    QDate,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from school_audit.domain.audit import Action, ActionStatus
from school_audit.i18n import tr
from school_audit.ui.models import change_filter
from school_audit.ui.models.list_table import Index, ListTableModel
from school_audit.ui.palette import OVERDUE_TINT

STANDARD, DESCRIPTION, OWNER, DUE, STATUS, SUPPORT = range(6)
HEADERS = [
    tr("Standard"),
    tr("Action"),
    tr("Owner (role)"),
    tr("Due by"),
    tr("Status"),
    tr("Support asked"),
]
STATUS_LABELS = {
    ActionStatus.NOT_STARTED: tr("Not started"),
    ActionStatus.IN_PROGRESS: tr("In progress"),
    ActionStatus.COMPLETE: tr("Complete"),
}
ActionRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2
OverdueRole = Qt.ItemDataRole.UserRole + 3
EDITABLE = {DESCRIPTION, OWNER, DUE, STATUS}



def to_qdate(day: date | None) -> QDate | None:
    return QDate(day.year, day.month, day.day) if day else None


def from_qdate(value: Any) -> date | None:
    if isinstance(value, QDate) and value.isValid():
        return date(value.year(), value.month(), value.day())
    if isinstance(value, date):
        return value
    return None


class ActionPlanModel(ListTableModel):
    headers = HEADERS

    action_edited = Signal(object)  # the changed Action

    def __init__(self, today: date, read_only: bool = False, parent=None) -> None:
        super().__init__(parent)
        self._actions: list[Action] = []
        self._today = today
        self._read_only = read_only

    def set_actions(self, actions: list[Action], today: date | None = None) -> None:
        if today is not None:
            self._today = today
        if [a.action_id for a in actions] == [a.action_id for a in self._actions]:
            self._actions = list(actions)
            last = self.index(self.rowCount() - 1, len(HEADERS) - 1)
            if self._actions:
                self.dataChanged.emit(self.index(0, 0), last)
            return
        self.beginResetModel()
        self._actions = list(actions)
        self.endResetModel()

    def action_at(self, row: int) -> Action:
        return self._actions[row]

    def _items(self) -> list:
        return self._actions

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._read_only:
            return flags
        if index.column() in EDITABLE:
            flags |= Qt.ItemFlag.ItemIsEditable
        if index.column() == SUPPORT:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        action = self._actions[index.row()]
        column = index.column()
        overdue = action.is_overdue(self._today)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(action, column, overdue)
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_value(action, column)
        if role == Qt.ItemDataRole.CheckStateRole and column == SUPPORT:
            return Qt.CheckState.Checked if action.support_requested else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.BackgroundRole and overdue:
            return QColor(OVERDUE_TINT)
        if role == SortRole:
            return self._sort_key(action, column)
        if role == ActionRole:
            return action
        if role == OverdueRole:
            return overdue
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = self._display(action, column, overdue)
            return f"{HEADERS[column]}: {text or tr('empty')}"
        return None

    def _display(self, action: Action, column: int, overdue: bool) -> str:
        if column == STANDARD:
            return action.standard_id
        if column == DESCRIPTION:
            return action.description
        if column == OWNER:
            return action.owner_role
        if column == DUE:
            return action.target_date.strftime("%d %b %Y") if action.target_date else tr("Not set")
        if column == STATUS:
            label = STATUS_LABELS[action.status]
            return tr("{status} · overdue", status=label) if overdue else label
        return tr("Yes") if action.support_requested else ""

    def _edit_value(self, action: Action, column: int) -> Any:
        if column == DUE:
            return to_qdate(action.target_date) or QDate.currentDate()
        if column == STATUS:
            return action.status.value
        return self._display(action, column, False)

    def _sort_key(self, action: Action, column: int) -> Any:
        if column == DUE:
            return action.target_date.toordinal() if action.target_date else 10**7
        if column == STATUS:
            return list(ActionStatus).index(action.status)
        if column == SUPPORT:
            return int(action.support_requested)
        return self._display(action, column, False).casefold()

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or self._read_only:
            return False
        action = self._actions[index.row()]
        changed = self._changed(action, index.column(), value, role)
        if changed is None or changed == action:
            return False
        self._actions[index.row()] = changed
        self.dataChanged.emit(index.siblingAtColumn(0), index.siblingAtColumn(len(HEADERS) - 1))
        self.action_edited.emit(changed)
        return True

    def _changed(self, action: Action, column: int, value: Any, role: int) -> Action | None:
        if column == SUPPORT and role == Qt.ItemDataRole.CheckStateRole:
            checked = Qt.CheckState(value) == Qt.CheckState.Checked
            return action.model_copy(update={"support_requested": checked})
        if role != Qt.ItemDataRole.EditRole:
            return None
        if column == DESCRIPTION:
            return action.model_copy(update={"description": str(value).strip()})
        if column == OWNER:
            return action.model_copy(update={"owner_role": str(value).strip()})
        if column == DUE:
            return action.model_copy(update={"target_date": from_qdate(value)})
        if column == STATUS:
            return action.model_copy(update={"status": ActionStatus(str(value))})
        return None


class ActionPlanFilterProxy(QSortFilterProxyModel):
    """Filters by status, owner text and due date; sorts by each column's natural order."""

    DUE_ANY, DUE_OVERDUE, DUE_30_DAYS = "any", "overdue", "30_days"

    def __init__(self, today: date, parent=None) -> None:
        super().__init__(parent)
        self._today = today
        self._status: ActionStatus | None = None
        self._owner = ""
        self._due = self.DUE_ANY
        self.setSortRole(SortRole)

    def set_status(self, status: ActionStatus | None) -> None:
        change_filter(self, lambda: setattr(self, "_status", status))

    def set_owner(self, text: str) -> None:
        change_filter(self, lambda: setattr(self, "_owner", text.strip().casefold()))

    def set_due(self, due: str) -> None:
        change_filter(self, lambda: setattr(self, "_due", due))

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        action: Action = self.sourceModel().action_at(source_row)
        if self._status is not None and action.status is not self._status:
            return False
        if self._owner and self._owner not in action.owner_role.casefold():
            return False
        if self._due == self.DUE_OVERDUE:
            return action.is_overdue(self._today)
        if self._due == self.DUE_30_DAYS:
            due = action.target_date
            return due is not None and (due - self._today).days <= 30
        return True
