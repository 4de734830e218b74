"""The theme's colours meet WCAG 2.2 AA: text 4.5:1, focus indicators and field edges 3:1; and
a highlighted drop-down item and a focused button are drawn in those colours (read back from the
pixels, not assumed)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDialog, QPushButton, QVBoxLayout

from school_audit.ui.theme import COLOUR_PAIRS, FOCUS_FILL, STYLE
from school_audit.ui.widgets.drop_down import DropDown


def luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    q = QColor(colour)
    return 0.2126 * channel(q.red()) + 0.7152 * channel(q.green()) + 0.0722 * channel(q.blue())


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_formula_matches_known_values():
    assert contrast("#ffffff", "#000000") == pytest.approx(21.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("what,foreground,background,minimum", COLOUR_PAIRS)
def test_each_colour_pair_is_readable(what, foreground, background, minimum):
    assert contrast(foreground, background) >= minimum, what


def styled_dialog(qtbot):
    dialog = QDialog()
    dialog.setStyleSheet(STYLE)
    layout = QVBoxLayout(dialog)
    combo = DropDown()
    combo.addItems(["Primary", "Secondary", "All-through"])
    button = QPushButton("Start this year's audit")
    button.setObjectName("primary")
    layout.addWidget(combo)
    layout.addWidget(button)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog, combo, button


def colours_in(image, rect) -> list[str]:
    """The distinct colours of the pixels inside `rect`, most frequent first."""
    counts: dict[str, int] = {}
    for x in range(rect.left() + 2, rect.right() - 2):
        for y in range(rect.top() + 2, rect.bottom() - 2):
            name = image.pixelColor(x, y).name()
            counts[name] = counts.get(name, 0) + 1
    return sorted(counts, key=counts.get, reverse=True)


def test_the_highlighted_drop_down_item_is_not_white_on_white(qtbot):
    dialog, combo, _ = styled_dialog(qtbot)
    combo.showPopup()
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    qtbot.keyClick(view, Qt.Key.Key_Down)  # as the DSL moves through the list
    index = view.currentIndex()
    assert index.row() == 1
    qtbot.wait(50)
    image = view.viewport().grab().toImage()
    scale = view.devicePixelRatioF()
    rect = view.visualRect(index)
    rect.setRect(*(round(v * scale) for v in (rect.x(), rect.y(), rect.width(), rect.height())))
    found = colours_in(image, rect)
    background = found[0]
    text = max(found, key=lambda colour: contrast(colour, background))
    assert background != "#ffffff"
    assert contrast(text, background) >= 4.5, (background, text)
    combo.hidePopup()
    dialog.close()


def test_a_focused_filled_button_changes_to_the_focus_colours(qtbot):
    dialog, combo, button = styled_dialog(qtbot)
    dialog.activateWindow()
    combo.setFocus()
    qtbot.wait(20)
    unfocused = colours_in(button.grab().toImage(), button.rect())[0]
    button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(button.hasFocus)
    focused = colours_in(button.grab().toImage(), button.rect())[0]
    assert focused == QColor(FOCUS_FILL).name()
    assert contrast(focused, unfocused) >= 3.0
