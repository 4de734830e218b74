"""The section navigator: sections with progress and RAG counts, standards with their rating.

A two-level tree over the open session. Filtering (unanswered, needs attention, statutory, search)
is a proxy whose rules live in the Qt-free `standard_filter` module.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from school_audit.domain.audit import Rating
from school_audit.i18n import tr
from school_audit.ui.models import change_filter
from school_audit.ui.models.progress import Progress, progress_of
from school_audit.ui.models.standard_filter import StandardFilter, matches_filter, matches_search
from school_audit.ui.palette import rating_icon

StandardIdRole = Qt.ItemDataRole.UserRole + 1
SectionIdRole = Qt.ItemDataRole.UserRole + 2
ProgressRole = Qt.ItemDataRole.UserRole + 3

TITLE, STATUS = 0, 1
COLUMNS = 2
_SECTION = 0  # internal id of section rows; standard rows carry section index + 1

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()  # "no parent", shared as the default argument
_ITEM_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def status_label(rating: Rating | None, answered: bool) -> str:
    if rating is not None:
        return rating.label
    return tr("Answered") if answered else tr("To do")


class NavigatorModel(QAbstractItemModel):
    def __init__(self, session, parent=None) -> None:
        super().__init__(parent)
        self._session = session
        self._row_of = {
            standard.id: (section_row, row)
            for section_row, (_, standards) in enumerate(session.sections)
            for row, standard in enumerate(standards)
        }
        self._shown = {
            standard_id: (
                session.response(standard_id).rating,
                session.response(standard_id).is_answered,
            )
            for standard_id in self._row_of
        }
        self._sizes = [len(standards) for _, standards in session.sections]
        # Per section row, worked out when first painted and dropped when one of its answers
        # changes: the view asks for several roles of every section at each repaint.
        self._progress: dict[int, Progress] = {}
        # Only answers change what the navigator shows; problems matter to the filter proxy.
        session.response_changed.connect(self._standard_changed)

    # -- structure -----------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = _ROOT) -> QModelIndex:
        # The bounds check of hasIndex(), without its two calls back into Python (this runs
        # thousands of times while the tree is first laid out).
        if row < 0 or not 0 <= column < COLUMNS:
            return QModelIndex()
        if not parent.isValid():
            if row >= len(self._sizes):
                return QModelIndex()
            return self.createIndex(row, column, _SECTION)
        if parent.internalId() != _SECTION or parent.column() != 0:
            return QModelIndex()
        section_row = parent.row()
        if row >= self._sizes[section_row]:
            return QModelIndex()
        return self.createIndex(row, column, section_row + 1)

    def parent(self, child: Index = _ROOT) -> QModelIndex:  # type: ignore[override]
        if not child.isValid() or child.internalId() == _SECTION:
            return QModelIndex()
        return self.createIndex(child.internalId() - 1, 0, _SECTION)

    def rowCount(self, parent: Index = _ROOT) -> int:
        if not parent.isValid():
            return len(self._sizes)
        if parent.internalId() == _SECTION and parent.column() == 0:
            return self._sizes[parent.row()]
        return 0

    def columnCount(self, parent: Index = _ROOT) -> int:
        return COLUMNS

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr("Section and standard") if section == TITLE else tr("Status")
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():  # the root is no item
            return Qt.ItemFlag.NoItemFlags
        return _ITEM_FLAGS

    # -- lookups -------------------------------------------------------------------------------

    def index_of_standard(self, standard_id: str, column: int = TITLE) -> QModelIndex:
        section_row, row = self._row_of[standard_id]
        return self.index(row, column, self.index(section_row, 0))

    def standard_at(self, index: Index):
        if not index.isValid() or index.internalId() == _SECTION:
            return None
        return self._session.sections[index.internalId() - 1][1][index.row()]

    def section_at(self, index: Index):
        if not index.isValid():
            return None
        row = index.row() if index.internalId() == _SECTION else index.internalId() - 1
        return self._session.sections[row][0]

    # -- data ----------------------------------------------------------------------------------

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == _SECTION:
            return self._section_data(index, role)
        return self._standard_data(index, role)

    def _section_data(self, index: Index, role: int) -> Any:
        section = self._session.sections[index.row()][0]
        progress = self._section_progress(index.row())
        if role == Qt.ItemDataRole.DisplayRole:
            return section.title if index.column() == TITLE else progress.short_text()
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{section.title}. {progress.long_text()}"
        if role == SectionIdRole:
            return section.id
        if role == ProgressRole:
            return progress
        if role == Qt.ItemDataRole.FontRole:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setBold(True)
            return font
        return None

    def _section_progress(self, section_row: int) -> Progress:
        progress = self._progress.get(section_row)
        if progress is None:
            standards = self._session.sections[section_row][1]
            progress = progress_of(self._session.response(s.id) for s in standards)
            self._progress[section_row] = progress
        return progress

    def _standard_data(self, index: Index, role: int) -> Any:
        standard = self.standard_at(index)
        response = self._session.response(standard.id)
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == TITLE:
                return f"{standard.id}  {standard.text}"
            return status_label(response.rating, response.is_answered)
        if role == Qt.ItemDataRole.DecorationRole and index.column() == STATUS:
            return rating_icon(response.rating)
        if role == Qt.ItemDataRole.ToolTipRole:
            return standard.text
        if role == Qt.ItemDataRole.AccessibleTextRole:
            status = status_label(response.rating, response.is_answered)
            return f"{standard.id}: {standard.text}. {status}"
        if role == StandardIdRole:
            return standard.id
        if role == SectionIdRole:
            return self.section_at(index).id
        return None

    # -- change notifications ------------------------------------------------------------------

    def _standard_changed(self, standard_id: str) -> None:
        if standard_id not in self._row_of:
            return
        response = self._session.response(standard_id)
        shown = (response.rating, response.is_answered)
        if self._shown.get(standard_id) == shown:
            return  # typing evidence changes nothing here: keep the view still
        self._shown[standard_id] = shown
        self._progress.pop(self._row_of[standard_id][0], None)
        first = self.index_of_standard(standard_id, TITLE)
        self.dataChanged.emit(first, first.siblingAtColumn(STATUS))
        section = first.parent()
        self.dataChanged.emit(section, section.siblingAtColumn(STATUS))


class NavigatorFilterProxy(QSortFilterProxyModel):
    """Shows the standards that match the chosen filter and search, with their sections."""

    def __init__(self, session, parent=None) -> None:
        super().__init__(parent)
        self._session = session
        self._filter = StandardFilter.ALL
        self._query = ""
        self.setRecursiveFilteringEnabled(True)
        self.setDynamicSortFilter(False)  # re-filter when asked, not under the user's cursor

    @property
    def active(self) -> bool:
        return self._filter is not StandardFilter.ALL or bool(self._query.strip())

    def set_filter(self, chosen: StandardFilter) -> None:
        change_filter(self, lambda: setattr(self, "_filter", chosen))

    def set_query(self, query: str) -> None:
        change_filter(self, lambda: setattr(self, "_query", query))

    def refilter(self) -> None:
        change_filter(self, lambda: None)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self.active:
            return True  # nothing chosen: every row, without asking about each standard
        if not source_parent.isValid():
            return False  # a section shows when one of its standards does (recursive filtering)
        standard = self._session.sections[source_parent.row()][1][source_row]
        response = self._session.response(standard.id)
        problems = self._session.problems_for(standard.id)
        return matches_filter(self._filter, standard, response, problems) and matches_search(
            self._query, standard, response
        )

    def visible_standard_ids(self) -> list[str]:
        if not self.active:  # no filter, no search: every standard, without asking the view
            return [standard.id for _, standards in self._session.sections for standard in standards]
        ids = []
        for section_row in range(self.rowCount()):
            section = self.index(section_row, 0)
            for row in range(self.rowCount(section)):
                ids.append(self.index(row, 0, section).data(StandardIdRole))
        return ids
