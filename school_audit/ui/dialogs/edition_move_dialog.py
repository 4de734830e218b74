"""Before moving a draft to the corrected edition: what changed in it, and why.

The DSL reads the list, then moves. Nothing is lost by moving (every answer, date and action goes
with its standard), so the list is there to say which answers they will be asked to look at again:
those whose statutory flag changed are named first.
"""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from school_audit.i18n import tr


class EditionMoveDialog(QDialog):
    def __init__(self, version: str, changes: list, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Move to the corrected edition"))
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        intro = QLabel(
            tr(
                "Edition {version} corrects this year's template. Every answer, date and action "
                "moves with it; nothing is lost. Answers to changed standards are kept and "
                "marked for you to check again.",
                version=version,
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.changes = QTextBrowser()
        self.changes.setAccessibleName(tr("What changed in edition {version}", version=version))
        self.changes.setHtml(_changes_html(changes))
        layout.addWidget(self.changes, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.move_button = buttons.addButton(
            tr("Move to edition {version}", version=version), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.move_button.setObjectName("primary")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 520)


def _changes_html(changes: list) -> str:
    """Statutory changes first (they matter most), then the rest, each with its reasons."""
    ordered = sorted(changes, key=lambda c: not c.statutory_changed)
    items = []
    for change in ordered:
        flag = f" <b>{escape(tr('Statutory flag changed'))}</b>" if change.statutory_changed else ""
        reasons = "".join(f"<li>{escape(text)}</li>" for text in change.changes)
        items.append(f"<p><b>{escape(change.standard_id)}</b>{flag}</p><ul>{reasons}</ul>")
    if not items:
        return f"<p>{escape(tr('No standard says it changed.'))}</p>"
    return "".join(items)
