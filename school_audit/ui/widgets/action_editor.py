"""Actions inline on a standard's page: add, edit and remove, saved as they change."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from school_audit.domain.audit import Action, ActionStatus
from school_audit.domain.setting_words import ACTION_OWNERS, SettingKind
from school_audit.i18n import N_, tr
from school_audit.ui.models.action_plan_model import STATUS_LABELS
from school_audit.ui.widgets.date_field import DateField
from school_audit.ui.widgets.drop_down import DropDown
from school_audit.ui.widgets.privacy_hint import PrivacyHint

PAST_DATE = N_("This date has passed. Is that right? (Pick a date still to come for an action not done yet.)")


class ActionEditor(QFrame):
    edited = Signal(object, bool)  # Action, typed
    remove_requested = Signal(object)  # action id

    def __init__(
        self,
        action: Action,
        number: int,
        parent: QWidget | None = None,
        owners: Sequence[str] = ACTION_OWNERS[SettingKind.SCHOOL],
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("actionCard")
        self.action = action
        self._today = today
        grid = QGridLayout(self)
        grid.setContentsMargins(12, 10, 12, 10)
        grid.setHorizontalSpacing(10)
        self.description = QLineEdit()
        self.description.setPlaceholderText(tr("What will be done"))
        self.description.setAccessibleName(tr("Action {n}: what will be done", n=number))
        self.owner = DropDown()
        self.owner.setEditable(True)
        self.owner.addItems([tr(owner) for owner in owners])
        # Not as wide as the longest role: the card fits a 1366×768 laptop at 200% text.
        self.owner.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.owner.setMinimumContentsLength(12)
        self.owner.setAccessibleName(tr("Action {n}: owner (a role, not a child)", n=number))
        self.due = DateField(tr("Action {n}: due by", n=number))
        self.status = DropDown()
        for status, label in STATUS_LABELS.items():
            self.status.addItem(label, status.value)
        self.status.setAccessibleName(tr("Action {n}: status", n=number))
        self.remove = QPushButton(tr("Remove"))
        self.remove.setAccessibleName(tr("Remove action {n}", n=number))
        self.privacy = PrivacyHint()
        self.past_date = QLabel(tr(PAST_DATE))
        self.past_date.setObjectName("pastDateQuery")
        self.past_date.setWordWrap(True)
        self.past_date.setAccessibleName(tr("Action {n}: the due date has passed", n=number))
        self.past_date.setVisible(False)
        grid.addWidget(QLabel(tr("Action {n}", n=number)), 0, 0)
        grid.addWidget(self.description, 0, 1, 1, 3)
        grid.addWidget(self.remove, 0, 4)
        grid.addWidget(self.privacy, 1, 1, 1, 4)
        # One field a row, each the card's width (never held back by Remove's column), so the card
        # stays narrow enough for a small window at 200% text.
        grid.addWidget(QLabel(tr("Owner")), 2, 0)
        grid.addWidget(self.owner, 2, 1, 1, 4)
        grid.addWidget(QLabel(tr("Due by")), 3, 0)
        grid.addWidget(self.due, 3, 1, 1, 4)
        grid.addWidget(self.past_date, 4, 1, 1, 4)
        grid.addWidget(QLabel(tr("Status")), 5, 0)
        grid.addWidget(self.status, 5, 1, 1, 4)
        grid.setColumnStretch(1, 1)
        self.show_action(action)
        self.description.textEdited.connect(self._description_typed)
        self.owner.editTextChanged.connect(self._owner_typed)
        self.due.date_changed.connect(self._due_changed)
        self.status.activated.connect(self._status_chosen)
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self.action.action_id))

    def show_action(self, action: Action) -> None:
        self.action = action
        if self.description.text() != action.description:
            self.description.setText(action.description)
        if self.owner.currentText() != action.owner_role:
            self.owner.blockSignals(True)
            self.owner.setEditText(action.owner_role)
            self.owner.blockSignals(False)
        self.due.set_date(action.target_date)
        self.status.setCurrentIndex(self.status.findData(action.status.value))

    def set_read_only(self, read_only: bool) -> None:
        for widget in (self.description, self.owner, self.due, self.status, self.remove):
            widget.setEnabled(not read_only)

    def _description_typed(self, text: str) -> None:
        self.privacy.text_changed(text)
        self._emit({"description": text}, True)

    def _owner_typed(self, text: str) -> None:
        if text != self.action.owner_role:
            self._emit({"owner_role": text}, True)

    def _due_changed(self, day: date | None) -> None:
        """A date already past, typed or picked for an action not yet complete, is queried (it
        is kept: an overdue action can be true, but a slip of the year is common)."""
        self._emit({"target_date": day}, False)
        self.past_date.setVisible(self._date_has_passed())

    def _date_has_passed(self) -> bool:
        due = self.action.target_date
        return due is not None and due < self._today() and self.action.status is not ActionStatus.COMPLETE

    def _status_chosen(self, row: int) -> None:
        self._emit({"status": ActionStatus(self.status.itemData(row))}, False)
        if self.past_date.isVisible():
            self.past_date.setVisible(self._date_has_passed())

    def _emit(self, fields: dict, typed: bool) -> None:
        self.action = self.action.model_copy(update=fields)
        self.edited.emit(self.action, typed)


class ActionList(QWidget):
    """The editors for one standard's actions, kept in step without losing the caret."""

    edited = Signal(object, bool)
    remove_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None, today: Callable[[], date] = date.today) -> None:
        super().__init__(parent)
        self._today = today
        self._owners: Sequence[str] = ACTION_OWNERS[SettingKind.SCHOOL]
        self._editors_stale = False
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(8)
        self._editors: dict[uuid.UUID, ActionEditor] = {}
        self._read_only = False

    def show_actions(self, actions: list[Action], read_only: bool = False) -> None:
        ids = [action.action_id for action in actions]
        if ids != list(self._editors) or read_only != self._read_only or self._editors_stale:
            self._rebuild(actions, read_only)
            return
        for action in actions:
            self._editors[action.action_id].show_action(action)

    def set_owners(self, owners: Sequence[str]) -> None:
        """The roles the owner box offers (the setting's own); applied to editors made after."""
        if tuple(owners) != tuple(self._owners):
            self._owners = tuple(owners)
            self._editors_stale = True

    def editors(self) -> list[ActionEditor]:
        return list(self._editors.values())

    def _rebuild(self, actions: list[Action], read_only: bool) -> None:
        for editor in self._editors.values():
            editor.setParent(None)
            editor.deleteLater()
        self._editors = {}
        self._read_only = read_only
        self._editors_stale = False
        for number, action in enumerate(actions, start=1):
            editor = ActionEditor(action, number, owners=self._owners, today=self._today)
            editor.set_read_only(read_only)
            editor.edited.connect(self.edited)
            editor.remove_requested.connect(self.remove_requested)
            self._layout.addWidget(editor)
            editor.setVisible(True)  # now, not later: the page's height must count it
            self._editors[action.action_id] = editor
