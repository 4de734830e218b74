"""The audits on this device, by cycle, with their state and progress (home page table)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from school_audit.i18n import N_, LazyList, LazyMap, tr
from school_audit.ui.models.list_table import Index, ListTableModel

CYCLE, TITLE, STATE, PROGRESS, TO_FIX = range(5)
HEADERS = LazyList([N_("Year"), N_("Audit"), N_("State"), N_("Answered"), N_("To fix")])
SummaryRole = Qt.ItemDataRole.UserRole + 1


STATE_LABELS = LazyMap(
    {
        "draft": N_("Draft"),
        "ready": N_("Ready to sign"),
        "signed": N_("Signed"),
        "queued": N_("Signed · waiting to send"),
        "sending": N_("Sending"),
        "failed": N_("Signed · not sent yet"),
        "sent": N_("Sent"),
        "accepted": N_("Accepted by the local authority"),
        "returned": N_("Returned for changes"),
        "superseded": N_("Replaced by a newer revision"),
    }
)


def state_key(summary) -> str:
    """The state a DSL cares about: a draft with nothing blocking is "ready to sign"."""
    state = str(summary.state)  # no domain import here: the home page must open fast
    if state == "draft":
        return "ready" if summary.total and not summary.blocking else "draft"
    if state == "signed" and summary.outbox_state in ("queued", "sending", "failed"):
        return summary.outbox_state
    return state


class AuditListModel(ListTableModel):
    headers = HEADERS

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._summaries: list = []

    def set_summaries(self, summaries: list) -> None:
        self.beginResetModel()
        self._summaries = sorted(summaries, key=lambda s: (s.cycle, s.revision), reverse=True)
        self.endResetModel()

    def summary_at(self, row: int):
        return self._summaries[row]

    def _items(self) -> list:
        return self._summaries

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        summary = self._summaries[index.row()]
        if role == SummaryRole:
            return summary
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(summary, index.column())
        return None

    def _text(self, summary, column: int) -> str:
        if column == CYCLE:
            return summary.cycle
        if column == TITLE:
            revision = tr(" (revision {n})", n=summary.revision) if summary.revision > 1 else ""
            return summary.template_title + revision
        if column == STATE:
            return STATE_LABELS[state_key(summary)]
        if column == PROGRESS:
            return tr("{a} of {t}", a=summary.answered, t=summary.total)
        return str(summary.blocking) if str(summary.state) == "draft" else ""
