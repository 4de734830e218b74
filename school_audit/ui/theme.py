"""The look: Fusion everywhere (the same on every PC), calm colours, generous spacing."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from school_audit.ui.palette import ACCENT, RATING_FILL, WARNING_TINT


def rating_style_sheet() -> str:
    """Checked rating buttons take their RAG colour; the label always says the rating."""
    rules = [
        f'QPushButton#choiceButton[choice="{rating}"]:checked '
        f"{{ background: {colour}; color: white; border-color: {colour}; }}"
        for rating, colour in RATING_FILL.items()
    ]
    rules.append(
        'QPushButton#choiceButton[choice="True"]:checked, '
        'QPushButton#choiceButton[choice="False"]:checked '
        f"{{ background: {ACCENT}; color: white; }}"
    )
    return "\n".join(rules)


STYLE = f"""
QMainWindow, QDialog {{ background: #f6f7f9; }}
QWidget#standardBody, QWidget#navigatorPanel {{ background: #ffffff; }}
QWidget#topBar {{ background: #ffffff; border-bottom: 1px solid #dfe3e8; }}
QLabel#pageTitle {{ font-size: 20pt; font-weight: 600; color: #1b2430; }}
QLabel#auditHeading {{ font-size: 13pt; font-weight: 600; color: #1b2430; }}
QLabel#progressLabel, QLabel#subtle, QLabel#crumb, QLabel#reference {{ color: #5b6570; }}
QLabel#standardTitle {{ font-size: 11pt; font-weight: 600; color: {ACCENT}; }}
QLabel#standardText {{ font-size: 15pt; color: #1b2430; }}
QLabel#heading {{ font-size: 12pt; font-weight: 600; color: #1b2430; margin-top: 8px; }}
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
QLabel#emptyState {{ color: #5b6570; font-size: 12pt; padding: 24px; }}
QLabel#readinessSummary {{ font-size: 12pt; padding: 10px 12px; border-radius: 6px;
    background: #fdf1dc; color: #4a3000; }}
QLabel#readinessSummary[ready="true"] {{ background: #e6f4ea; color: #0f4d2e; }}
QFrame#banner {{ background: #fbe9e7; border-bottom: 1px solid #e9b4ae; }}
QLabel#saveIndicator {{ padding: 0 8px; }}
QPushButton {{ padding: 6px 14px; border: 1px solid #c3cad3; border-radius: 6px;
    background: #ffffff; color: #1b2430; }}
QPushButton:hover {{ background: #eef2f7; }}
QPushButton:focus {{ border: 2px solid {ACCENT}; }}
QPushButton:disabled {{ color: #9aa0a6; background: #f1f3f4; }}
QPushButton#primary {{ background: {ACCENT}; color: white; border-color: {ACCENT}; }}
QPushButton#primary:disabled {{ background: #9fb3cf; border-color: #9fb3cf; }}
QLineEdit, QPlainTextEdit, QComboBox, QDateEdit {{ padding: 4px 6px; border: 1px solid #c3cad3;
    border-radius: 4px; background: white; }}
QLineEdit:focus, QPlainTextEdit:focus, QComboBox:focus, QDateEdit:focus {{
    border: 2px solid {ACCENT}; }}
QLineEdit[invalid="true"] {{ border: 2px solid #b3261e; background: #fdf4f3; }}
QTreeView, QTableView, QListWidget {{ border: 1px solid #dfe3e8; background: white; }}
QTreeView::item {{ padding: 4px 2px; }}
QListWidget::item {{ padding: 8px; border-bottom: 1px solid #eef0f2; }}
QTabBar::tab {{ padding: 8px 18px; }}
{rating_style_sheet()}
"""


def apply_theme(app: QApplication) -> None:
    """Colours and font for every window; the Fusion style itself is chosen by `create_app`, the
    style sheet is the main window's (`style_window`)."""
    palette = app.palette()
    palette.setColor(QPalette.ColorRole.Highlight, QColor(ACCENT))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor("white"))
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
