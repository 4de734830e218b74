"""The action plan: every action of the audit in one sortable, filterable, editable table."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from school_audit.domain.audit import ActionStatus
from school_audit.i18n import tr
from school_audit.ui.models.action_plan_model import (
    DESCRIPTION,
    STATUS,
    STATUS_LABELS,
    ActionPlanFilterProxy,
    ActionPlanModel,
)
from school_audit.ui.widgets.drop_down import DropDown


class StatusDelegate(QStyledItemDelegate):
    """A drop-down of the three statuses for the status column."""

    def createEditor(self, parent, option, index):
        combo = DropDown(parent)
        combo.setAccessibleName(tr("Status"))
        for status, label in STATUS_LABELS.items():
            combo.addItem(label, status.value)
        return combo

    def setEditorData(self, editor, index):
        editor.setCurrentIndex(editor.findData(index.data(Qt.ItemDataRole.EditRole)))

    def setModelData(self, editor, model, index):
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class ActionPlanPage(QWidget):
    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        today = session.today()
        self.model = ActionPlanModel(today, read_only=session.read_only, parent=self)
        self.proxy = ActionPlanFilterProxy(today, self)
        self.proxy.setSourceModel(self.model)
        self._build()
        self.model.action_edited.connect(self.session.update_action)
        self.session.actions_changed.connect(self.refresh)
        self.refresh()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addLayout(self._build_filters())
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(3, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setItemDelegateForColumn(STATUS, StatusDelegate(self.table))
        self.table.setAccessibleName(tr("Action plan"))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        self.empty = QLabel(
            tr("No actions yet. Add one from any standard rated partially met or not met.")
        )
        self.empty.setObjectName("emptyState")
        self.empty.setWordWrap(True)  # a narrow window wraps it, never widens for it
        layout.addWidget(self.empty)

    def _build_filters(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.status_filter = DropDown()
        self.status_filter.setAccessibleName(tr("Show actions with status"))
        self.status_filter.addItem(tr("Any status"), None)
        for status, label in STATUS_LABELS.items():
            self.status_filter.addItem(label, status.value)
        self.owner_filter = QLineEdit()
        self.owner_filter.setPlaceholderText(tr("Owner contains…"))
        self.owner_filter.setAccessibleName(tr("Show actions whose owner contains"))
        self.due_filter = DropDown()
        self.due_filter.setAccessibleName(tr("Show actions due"))
        self.due_filter.addItem(tr("Any due date"), ActionPlanFilterProxy.DUE_ANY)
        self.due_filter.addItem(tr("Overdue"), ActionPlanFilterProxy.DUE_OVERDUE)
        self.due_filter.addItem(tr("Due within 30 days"), ActionPlanFilterProxy.DUE_30_DAYS)
        self.count = QLabel()
        self.count.setWordWrap(True)  # "26 actions, 11 overdue" wraps on a narrow window
        for label, widget in (
            (tr("Status"), self.status_filter),
            (tr("Owner"), self.owner_filter),
            (tr("Due"), self.due_filter),
        ):
            caption = QLabel(label)
            caption.setBuddy(widget)
            row.addWidget(caption)
            row.addWidget(widget)
        # The count takes the row's spare room (right-aligned), so it wraps only when there is none.
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.count, 1)
        self.status_filter.currentIndexChanged.connect(self._status_chosen)
        self.owner_filter.textChanged.connect(self.proxy.set_owner)
        self.due_filter.currentIndexChanged.connect(
            lambda _: self.proxy.set_due(self.due_filter.currentData())
        )
        return row

    def _status_chosen(self, _: int) -> None:
        value = self.status_filter.currentData()
        self.proxy.set_status(ActionStatus(value) if value else None)

    def refresh(self) -> None:
        self.model.set_actions(self.session.audit.actions, self.session.today())
        actions = self.session.audit.actions
        overdue = sum(a.is_overdue(self.session.today()) for a in actions)
        self.count.setText(tr("{n} actions, {overdue} overdue", n=len(actions), overdue=overdue))
        self.empty.setVisible(not actions)
