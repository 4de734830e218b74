"""One named adult in the profile (DSL, deputy): name and training dates. Never a child."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QWidget

from school_audit.domain.profile import Person
from school_audit.i18n import tr
from school_audit.ui.widgets.date_field import DateField


class PersonRow(QWidget):
    def __init__(self, role: str, with_dates: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.role = role
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.name = QLineEdit()
        self.name.setPlaceholderText(tr("Full name"))
        self.name.setAccessibleName(tr("{role}: name", role=role))
        self.caption = caption = QLabel(role)
        caption.setMinimumWidth(280)  # the rows line up one under another
        grid.addWidget(caption, 0, 0)
        grid.addWidget(self.name, 0, 1, 1, 3)
        self.trained: DateField | None = None
        self.updated: DateField | None = None
        if with_dates:
            self.trained = DateField(tr("{role}: last full training", role=role))
            self.updated = DateField(tr("{role}: last update or refresher", role=role))
            grid.addWidget(QLabel(tr("Trained on")), 1, 1)
            grid.addWidget(self.trained, 1, 2)
            grid.addWidget(QLabel(tr("Updated on")), 2, 1)
            grid.addWidget(self.updated, 2, 2)
        grid.setColumnStretch(3, 1)

    def set_role(self, role: str) -> None:
        """What this person is called (it follows the kind of setting)."""
        self.role = role
        self.caption.setText(role)
        self.name.setAccessibleName(tr("{role}: name", role=role))
        if self.trained and self.updated:
            self.trained.setAccessibleName(tr("{role}: last full training", role=role))
            self.updated.setAccessibleName(tr("{role}: last update or refresher", role=role))

    def set_person(self, person: Person) -> None:
        self.name.setText(person.name)
        if self.trained and self.updated:
            self.trained.set_date(person.trained_on)
            self.updated.set_date(person.updated_on)

    def person(self) -> Person:
        return Person(
            name=self.name.text(),
            role=self.role,
            trained_on=self.trained.value() if self.trained else None,
            updated_on=self.updated.value() if self.updated else None,
        )
