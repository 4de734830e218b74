"""The section navigator: sections with progress and RAG counts, standards with their rating.

A two-level tree over the open session. Filtering (unanswered, needs attention, statutory, search)
is a proxy whose rules live in the Qt-free `standard_filter` module.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel

from school_audit.domain.audit import Rating
from school_audit.i18n import tr
from school_audit.ui.models import change_filter
from school_audit.ui.models.progress import progress_of
from school_audit.ui.models.standard_filter import StandardFilter, matches_filter, matches_search
from school_audit.ui.palette import rating_icon

StandardIdRole = Qt.ItemDataRole.UserRole + 1
SectionIdRole = Qt.ItemDataRole.UserRole + 2
ProgressRole = Qt.ItemDataRole.UserRole + 3

TITLE, STATUS = 0, 1
COLUMNS = 2

Index = QModelIndex | QPersistentModelIndex
_ITEM_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def status_label(rating: Rating | None, answered: bool) -> str:
    if rating is not None:
        return rating.label
    return tr("Answered") if answered else tr("To do")


class NavigatorModel(QStandardItemModel):
    """Two levels: sections (bold, with their progress) and their standards (with their rating).

    The items live in Qt (a `QStandardItemModel`), filled once from the session and updated when
    an answer changes what a row shows: the view asks for indexes and data thousands of times
    while laying out and painting a 150-standard tree, and each of those asks used to be a call
    into Python (about a third of the navigator's start-up time)."""

    def __init__(self, session, parent=None) -> None:
        super().__init__(parent)
        self._session = session
        self.setColumnCount(COLUMNS)
        self.setHorizontalHeaderLabels([tr("Section and standard"), tr("Status")])
        bold = QFont()
        bold.setBold(True)
        self._placed: dict[str, tuple[int, Any]] = {}  # standard id: its section's row, itself
        self._shown: dict[str, tuple[Rating | None, bool]] = {}
        self._standard_items: dict[str, tuple[QStandardItem, QStandardItem]] = {}
        self._section_items: list[tuple[QStandardItem, QStandardItem]] = []
        root = self.invisibleRootItem()
        for section_row, (section, standards) in enumerate(session.sections):
            title, status = _row_items(section.id, SectionIdRole, section.id, bold)
            title.setText(section.title)
            for standard in standards:
                self._placed[standard.id] = (section_row, standard)
                cells = _row_items(standard.id, StandardIdRole, section.id)
                cells[0].setText(f"{standard.id}  {standard.text}")
                for cell in cells:
                    cell.setToolTip(standard.text)
                self._standard_items[standard.id] = cells
                self._show_standard(standard)
                title.appendRow(list(cells))
            self._section_items.append((title, status))
            self._show_section(section_row)
            root.appendRow([title, status])
        # Only answers change what the navigator shows; problems matter to the filter proxy.
        session.response_changed.connect(self._standard_changed)

    # -- lookups -------------------------------------------------------------------------------

    def index_of_standard(self, standard_id: str, column: int = TITLE) -> QModelIndex:
        return self._standard_items[standard_id][column].index()

    # -- what each row shows -------------------------------------------------------------------

    def _show_standard(self, standard) -> None:
        response = self._session.response(standard.id)
        self._shown[standard.id] = (response.rating, response.is_answered)
        status = status_label(response.rating, response.is_answered)
        title_item, status_item = self._standard_items[standard.id]
        status_item.setText(status)
        status_item.setIcon(rating_icon(response.rating))
        spoken = f"{standard.id}: {standard.text}. {status}"
        title_item.setAccessibleText(spoken)
        status_item.setAccessibleText(spoken)

    def _show_section(self, section_row: int) -> None:
        section, standards = self._session.sections[section_row]
        progress = progress_of(self._session.response(s.id) for s in standards)
        described = f"{section.title}. {progress.long_text()}"
        title_item, status_item = self._section_items[section_row]
        status_item.setText(progress.short_text())
        for item in (title_item, status_item):
            item.setData(progress, ProgressRole)
            item.setToolTip(described)
            item.setAccessibleText(described)

    def _standard_changed(self, standard_id: str) -> None:
        if standard_id not in self._placed:
            return
        response = self._session.response(standard_id)
        if self._shown.get(standard_id) == (response.rating, response.is_answered):
            return  # typing evidence changes nothing here: keep the view still
        section_row, standard = self._placed[standard_id]
        self._show_standard(standard)
        self._show_section(section_row)


def _row_items(
    id_: str, id_role: int, section_id: str, font: QFont | None = None
) -> tuple[QStandardItem, QStandardItem]:
    """A row's two cells (title, status): selectable, not editable, carrying their ids."""
    cells = (QStandardItem(), QStandardItem())
    for cell in cells:
        cell.setFlags(_ITEM_FLAGS)
        cell.setData(id_, id_role)
        cell.setData(section_id, SectionIdRole)
        if font is not None:
            cell.setFont(font)
    return cells


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
        commented = bool(self._session.la_comment(standard.id))
        return matches_filter(
            self._filter, standard, response, problems, commented
        ) and matches_search(self._query, standard, response)

    def visible_standard_ids(self) -> list[str]:
        if not self.active:  # no filter, no search: every standard, without asking the view
            return [
                standard.id for _, standards in self._session.sections for standard in standards
            ]
        ids = []
        for section_row in range(self.rowCount()):
            section = self.index(section_row, 0)
            for row in range(self.rowCount(section)):
                ids.append(self.index(row, 0, section).data(StandardIdRole))
        return ids
