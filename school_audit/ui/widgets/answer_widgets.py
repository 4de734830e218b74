"""The answer widgets, one per AnswerKind, chosen from a registry (the page is generated).

Each widget shows one response and emits `answer_changed(fields, typed)`: the Response fields the
user changed, and whether it was typing (saved after a pause) or a click (saved at once).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QButtonGroup,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)

from school_audit.domain.audit import Rating, Response
from school_audit.domain.template import AnswerKind, Standard
from school_audit.i18n import N_, tr
from school_audit.ui.widgets.drop_down import DropDown
from school_audit.ui.widgets.flow_layout import FlowLayout


class AnswerWidget(QWidget):
    answer_changed = Signal(object, bool)  # dict of Response fields, typed

    def __init__(self, standard: Standard, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.standard = standard

    def show_response(self, response: Response) -> None:
        raise NotImplementedError

    def choose_by_number(self, number: int) -> bool:
        """Keyboard 1-4; returns False when the number means nothing here."""
        return False


class _ChoiceButtons(AnswerWidget):
    """A named group of radio buttons (one choice), with numbers for the keyboard.

    Radio buttons in a group box, so a screen reader announces "Rating, grouping" and then
    "Met, radio button, 1 of 4", not four check boxes."""

    OPTIONS: list[tuple[Any, str]] = []
    GROUP_NAME = N_("Rating")

    def __init__(self, standard: Standard, parent: QWidget | None = None) -> None:
        super().__init__(standard, parent)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.group_box = QGroupBox()
        self.group_box.setObjectName("choiceGroup")
        self.group_box.setFlat(True)
        self.group_box.setAccessibleName(tr(self.GROUP_NAME))
        outer.addWidget(self.group_box, 1)
        layout = FlowLayout(self.group_box, spacing=8)  # wraps on a narrow window
        self._group = QButtonGroup(self)
        self._values: list[Any] = []
        for number, (value, label) in enumerate(self.options(), start=1):
            button = QRadioButton(f"{number}  {label}")
            button.setObjectName("choiceButton")
            button.setProperty("choice", self._style_key(value))
            button.setAccessibleName(label)
            button.setAccessibleDescription(tr("Shortcut: press {n}", n=number))
            button.setToolTip(tr("{label} (press {n})", label=label, n=number))
            button.setMinimumHeight(36)
            if number == 1:
                self.setFocusProxy(button)
            self._group.addButton(button, number - 1)
            self._values.append(value)
            layout.addWidget(button)
            button.installEventFilter(self)
        self._group.idClicked.connect(self._clicked)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """The arrows move along the buttons in order, wherever the rows wrap (Qt's own
        arrow keys move to the nearest button on screen, which after a wrap is not the next)."""
        if event.type() == QEvent.Type.KeyPress and watched in self._group.buttons():
            step = {Qt.Key.Key_Right: 1, Qt.Key.Key_Down: 1, Qt.Key.Key_Left: -1, Qt.Key.Key_Up: -1}
            key = event.key()  # type: ignore[attr-defined]
            if key in step and not event.modifiers():  # type: ignore[attr-defined]
                self._move_focus(self._group.id(watched), step[key])
                return True
        return super().eventFilter(watched, event)

    def _move_focus(self, start: int, step: int) -> None:
        buttons = self._group.buttons()
        index = start
        for _ in buttons:  # the next enabled one, going round
            index = (index + step) % len(buttons)
            if self._group.button(index).isEnabled():
                self._group.button(index).setFocus(Qt.FocusReason.TabFocusReason)
                return

    def options(self) -> list[tuple[Any, str]]:
        return [(value, tr(label)) for value, label in self.OPTIONS]

    def _style_key(self, value: Any) -> str:
        return str(value)

    def _field(self) -> str:
        raise NotImplementedError

    def _clicked(self, button_id: int) -> None:
        self.answer_changed.emit({self._field(): self._values[button_id]}, False)

    def show_response(self, response: Response) -> None:
        current = getattr(response, self._field())
        self._group.setExclusive(False)
        for button_id, value in enumerate(self._values):
            self._group.button(button_id).setChecked(value == current and current is not None)
        self._group.setExclusive(True)

    def choose_by_number(self, number: int) -> bool:
        button = self._group.button(number - 1)
        if button is None or not button.isEnabled():
            return False
        button.click()
        return True


class RatingAnswer(_ChoiceButtons):
    def options(self) -> list[tuple[Any, str]]:
        return [(rating, tr(rating.label)) for rating in Rating]

    def __init__(self, standard: Standard, parent: QWidget | None = None) -> None:
        super().__init__(standard, parent)
        if standard.statutory:  # statutory standards can never be "not applicable"
            na = self._group.button(len(self._values) - 1)
            na.setEnabled(False)
            why = tr("Statutory standards cannot be marked not applicable.")
            na.setToolTip(why)
            na.setAccessibleDescription(why)  # a disabled button shows no tooltip to everyone

    def _field(self) -> str:
        return "rating"


class YesNoAnswer(_ChoiceButtons):
    OPTIONS = [(True, N_("Yes")), (False, N_("No"))]
    GROUP_NAME = N_("Answer (yes or no)")

    def _field(self) -> str:
        return "value"


class NumberAnswer(AnswerWidget):
    def __init__(self, standard: Standard, parent: QWidget | None = None) -> None:
        super().__init__(standard, parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._edit = QLineEdit()
        self._edit.setValidator(QIntValidator(0, 1_000_000, self))
        self._edit.setPlaceholderText(tr("Enter a number"))
        self._edit.setAccessibleName(tr("Answer (a number)"))
        self._edit.setMaximumWidth(200)
        self.setFocusProxy(self._edit)
        layout.addWidget(self._edit)
        layout.addStretch(1)
        self._edit.textEdited.connect(self._edited)

    def _edited(self, text: str) -> None:
        self.answer_changed.emit({"value": int(text) if text.strip() else None}, True)

    def show_response(self, response: Response) -> None:
        text = "" if response.value is None else str(response.value)
        if self._edit.text() != text:
            self._edit.setText(text)


class ChoiceAnswer(AnswerWidget):
    def __init__(self, standard: Standard, parent: QWidget | None = None) -> None:
        super().__init__(standard, parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._combo = DropDown()
        self._combo.setAccessibleName(tr("Answer (choose one)"))
        self._combo.addItem(tr("Choose…"), None)
        self.setFocusProxy(self._combo)
        for choice in standard.choices or []:
            self._combo.addItem(choice, choice)
        layout.addWidget(self._combo)
        layout.addStretch(1)
        self._combo.activated.connect(self._chosen)

    def _chosen(self, row: int) -> None:
        self.answer_changed.emit({"value": self._combo.itemData(row)}, False)

    def show_response(self, response: Response) -> None:
        row = self._combo.findData(response.value) if response.value is not None else 0
        self._combo.setCurrentIndex(max(row, 0))


class TextAnswer(AnswerWidget):
    def __init__(self, standard: Standard, parent: QWidget | None = None) -> None:
        super().__init__(standard, parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._edit = QPlainTextEdit()
        self._edit.setAccessibleName(tr("Answer (text)"))
        self._edit.setTabChangesFocus(True)
        self._edit.setFixedHeight(80)
        self.setFocusProxy(self._edit)
        layout.addWidget(self._edit)
        self._edit.textChanged.connect(self._edited)

    def _edited(self) -> None:
        text = self._edit.toPlainText()
        self.answer_changed.emit({"value": text if text.strip() else None}, True)

    def show_response(self, response: Response) -> None:
        text = "" if response.value is None else str(response.value)
        if self._edit.toPlainText() != text:
            self._edit.blockSignals(True)
            self._edit.setPlainText(text)
            self._edit.blockSignals(False)


ANSWER_WIDGETS: dict[AnswerKind, type[AnswerWidget]] = {
    AnswerKind.RATING: RatingAnswer,
    AnswerKind.YES_NO: YesNoAnswer,
    AnswerKind.NUMBER: NumberAnswer,
    AnswerKind.CHOICE: ChoiceAnswer,
    AnswerKind.TEXT: TextAnswer,
}


def create_answer_widget(standard: Standard, parent: QWidget | None = None) -> AnswerWidget:
    return ANSWER_WIDGETS[standard.answer](standard, parent)
