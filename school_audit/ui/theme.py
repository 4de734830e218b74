"""The look: Fusion everywhere (the same on every PC), calm colours, generous spacing."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from school_audit.ui.palette import ACCENT, RATING_FILL, WARNING_TINT

# The colours, named once: the style sheet below and the contrast check
# (`tests/ui/test_contrast.py`, WCAG 2.2 AA) both read them.
INK = "#1b2430"  # body text
SUBTLE = "#515a64"  # secondary text and placeholders
PAGE = "#f6f7f9"  # window and dialog background
SURFACE = "#ffffff"  # fields, lists, the standard's page
FIELD_BORDER = "#6b7480"  # a field's outline must stand out from what is around it (3:1)
FOCUS_FILL = "#ffdd00"  # focus: a yellow fill with a near-black edge, as GOV.UK does
FOCUS_EDGE = "#0b0c0c"
FOCUS_TEXT = "#0b0c0c"
ON_FILL = "#ffffff"  # text on a filled button or a chosen rating
SUCCESS_TINT = "#e6f4ea"  # a success message's banner
SUCCESS_TEXT = "#0f4d2e"
ERROR_TINT = "#fbe9e7"

# (what, foreground, background, minimum ratio): text 4.5:1; focus indicators and field edges 3:1.
COLOUR_PAIRS = [
    ("text on the page", INK, PAGE, 4.5),
    ("text in a field", INK, SURFACE, 4.5),
    ("secondary text on the page", SUBTLE, PAGE, 4.5),
    ("placeholder in a field", SUBTLE, SURFACE, 4.5),
    ("highlighted drop-down item", ON_FILL, ACCENT, 4.5),
    ("text on a filled button", ON_FILL, ACCENT, 4.5),
    ("text on a focused control", FOCUS_TEXT, FOCUS_FILL, 4.5),
    ("field edge on a field", FIELD_BORDER, SURFACE, 3.0),
    ("field edge on the page", FIELD_BORDER, PAGE, 3.0),
    ("focus edge on the page", FOCUS_EDGE, PAGE, 3.0),
    ("focus edge on a field", FOCUS_EDGE, SURFACE, 3.0),
    ("focused filled button against its unfocused fill", FOCUS_FILL, ACCENT, 3.0),
    ("focused plain button against its unfocused fill", FOCUS_EDGE, SURFACE, 3.0),
    ("selected list row", ON_FILL, ACCENT, 4.5),
    ("a success message", SUCCESS_TEXT, SUCCESS_TINT, 4.5),
    ("an error message", INK, ERROR_TINT, 4.5),
    *[(f"text on a chosen {r} rating", ON_FILL, c, 4.5) for r, c in RATING_FILL.items()],
    *[
        (f"focus edge on a chosen {r} rating", FOCUS_EDGE, c, 3.0)
        for r, c in RATING_FILL.items()
        if r != "not_met"
    ],
    ("focus fill on a chosen not-met rating", FOCUS_FILL, RATING_FILL["not_met"], 3.0),
]


def rating_style_sheet() -> str:
    """Chosen ratings take their RAG colour; the label always says the rating."""
    rules = [
        f'QRadioButton#choiceButton[choice="{rating}"]:checked '
        f"{{ background: {colour}; color: {ON_FILL}; border-color: {colour}; }}"
        for rating, colour in RATING_FILL.items()
    ]
    rules.append(
        'QRadioButton#choiceButton[choice="True"]:checked, '
        'QRadioButton#choiceButton[choice="False"]:checked '
        f"{{ background: {ACCENT}; color: {ON_FILL}; border-color: {ACCENT}; }}"
    )
    # Focused and chosen: the RAG fill stays (it says the rating) inside a thick dark edge; the
    # not-met red is too dark for that edge alone (2.9:1), so it also gets the focus yellow.
    rules.append(
        # The padding shrinks as the edge grows, so the label keeps its room (no clipped text).
        f"QRadioButton#choiceButton:checked:focus {{ border: 3px solid {FOCUS_EDGE};"
        " padding: 4px 12px; }"
        f'QRadioButton#choiceButton[choice="not_met"]:checked:focus '
        f"{{ border: 3px solid {FOCUS_FILL}; padding: 4px 12px; }}"
    )
    return "\n".join(rules)


FOCUS = (f"background: {FOCUS_FILL}; color: {FOCUS_TEXT}; border: 2px solid {FOCUS_EDGE};"
         " padding: 5px 13px;")  # fmt: skip

STYLE = f"""
QMainWindow, QDialog {{ background: {PAGE}; color: {INK}; }}
QWidget#standardBody, QWidget#navigatorPanel, QWidget#standardSteps {{ background: {SURFACE}; }}
QWidget#homeBody {{ background: {PAGE}; }}
QWidget#standardSteps {{ border-top: 1px solid #dfe3e8; }}
QWidget#topBar {{ background: {SURFACE}; border-bottom: 1px solid #dfe3e8; }}
QLabel#pageTitle {{ font-size: 20pt; font-weight: 600; color: {INK}; }}
QLabel#auditHeading {{ font-size: 13pt; font-weight: 600; color: {INK}; }}
QLabel#progressLabel, QLabel#subtle, QLabel#crumb, QLabel#reference {{ color: {SUBTLE}; }}
QLabel#standardTitle {{ font-size: 11pt; font-weight: 600; color: {ACCENT}; }}
QLabel#standardText {{ font-size: 15pt; color: {INK}; }}
QLabel#heading {{ font-size: 12pt; font-weight: 600; color: {INK}; margin-top: 8px; }}
QLabel#statutoryBadge {{ background: #e8eef7; color: {ACCENT}; border-radius: 4px;
    padding: 2px 8px; font-weight: 600; }}
QFrame#guidanceCard {{ background: #f3f6fa; border: 1px solid #dfe6ef; border-radius: 8px; }}
QFrame#previousCard {{ background: #f7f7f2; border: 1px solid #e5e4d8; border-radius: 8px; }}
QFrame#afreshCard {{ background: {WARNING_TINT}; border: 1px solid #e8c770; border-radius: 8px; }}
QFrame#actionCard {{ background: #fafbfc; border: 1px solid #dfe3e8; border-radius: 8px; }}
QLabel#problems {{ background: #fdf1dc; border-left: 4px solid #a35f00; padding: 8px 12px;
    color: #4a3000; }}
QLabel#privacyHint {{ color: #7a4500; background: {WARNING_TINT}; padding: 6px 10px;
    border-radius: 4px; }}
QLabel#formError {{ color: #8c1d18; background: #fbe9e7; padding: 8px 12px; border-radius: 4px; }}
QLabel#emptyState {{ color: {SUBTLE}; font-size: 12pt; padding: 24px; }}
QLabel#readinessSummary {{ font-size: 12pt; padding: 10px 12px; border-radius: 6px;
    background: #fdf1dc; color: #4a3000; }}
QLabel#readinessSummary[ready="true"] {{ background: #e6f4ea; color: #0f4d2e; }}
QFrame#banner {{ background: #fbe9e7; border-bottom: 1px solid #e9b4ae; }}
QFrame#banner[kind="success"] {{ background: {SUCCESS_TINT}; border-bottom: 1px solid #9fd3b0; }}
QFrame#banner[kind="success"] QLabel {{ color: {SUCCESS_TEXT}; }}
QLabel#saveIndicator {{ padding: 0 8px; }}
QPushButton, QRadioButton#choiceButton {{ padding: 6px 14px; border: 1px solid {FIELD_BORDER};
    border-radius: 6px; background: {SURFACE}; color: {INK}; }}
QPushButton:hover, QRadioButton#choiceButton:hover {{ background: #eef2f7; }}
QPushButton:disabled, QRadioButton#choiceButton:disabled {{ color: #80868b;
    background: #f1f3f4; border-color: #c3cad3; }}
QPushButton#primary {{ background: {ACCENT}; color: {ON_FILL}; border-color: {ACCENT}; }}
QPushButton#primary:disabled {{ background: #9fb3cf; border-color: #9fb3cf; }}
QPushButton:focus, QPushButton#primary:focus, QRadioButton#choiceButton:focus {{ {FOCUS} }}
QCheckBox, QRadioButton {{ border: 2px solid transparent; padding: 2px; }}
QCheckBox:focus, QRadioButton:focus {{ background: {FOCUS_FILL}; color: {FOCUS_TEXT};
    border: 2px solid {FOCUS_EDGE}; }}
QGroupBox#choiceGroup {{ border: none; margin: 0; padding: 0; }}
QLineEdit, QPlainTextEdit, QComboBox, QDateEdit {{ padding: 4px 6px;
    border: 1px solid {FIELD_BORDER}; border-radius: 4px; background: {SURFACE}; color: {INK}; }}
QLineEdit:focus, QPlainTextEdit:focus, QComboBox:focus, QDateEdit:focus {{
    border: 3px solid {FOCUS_EDGE}; }}
QComboBox QAbstractItemView {{ background: {SURFACE}; color: {INK};
    selection-background-color: {ACCENT}; selection-color: {ON_FILL}; }}
QComboBox QAbstractItemView::item {{ padding: 4px 6px; }}
QComboBox QAbstractItemView::item:selected {{ background: {ACCENT}; color: {ON_FILL}; }}
QLineEdit[invalid="true"] {{ border: 2px solid #b3261e; background: #fdf4f3; }}
QTreeView, QTableView, QListWidget {{ border: 1px solid #dfe3e8; background: {SURFACE};
    color: {INK}; selection-background-color: {ACCENT}; selection-color: {ON_FILL}; }}
QTreeView:focus, QTableView:focus, QListWidget:focus {{ border: 2px solid {FOCUS_EDGE}; }}
QTreeView::item {{ padding: 4px 2px; }}
QListWidget::item {{ padding: 8px; border-bottom: 1px solid #eef0f2; }}
QListWidget::item:selected {{ background: {ACCENT}; color: {ON_FILL}; }}
QTabBar::tab {{ padding: 8px 18px; }}
QTabBar:focus {{ border-bottom: 3px solid {FOCUS_EDGE}; }}
{rating_style_sheet()}
"""


def apply_theme(app: QApplication) -> None:
    """Colours and font for every window; the Fusion style itself is chosen by `create_app`, the
    style sheet is the main window's (`style_window`)."""
    palette = app.palette()
    palette.setColor(QPalette.ColorRole.Highlight, QColor(ACCENT))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor(ON_FILL))
    palette.setColor(QPalette.ColorRole.PlaceholderText, QColor(SUBTLE))
    app.setPalette(palette)
    font = QFont(app.font())
    font.setPointSizeF(max(font.pointSizeF(), 10.5))
    app.setFont(font)


def style_window(window: QWidget) -> None:
    """The style sheet goes on the main window, not the application: it reaches every widget
    and dialog inside the window, while a page built apart (the audit workspace, about 60
    widgets) is styled once, when it is put in the window. With an application style sheet, each
    step of building (a card into the page, the page into its tab, the tab into the splitter)
    restyles everything under it again, which cost about 30 ms when opening an audit."""
    window.setStyleSheet(STYLE)
