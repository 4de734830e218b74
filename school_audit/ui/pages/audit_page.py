"""The audit workspace: the section navigator beside the standard, the action plan and readiness."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from school_audit.i18n import tr
from school_audit.ui.models.navigator_model import (
    STATUS,
    NavigatorFilterProxy,
    NavigatorModel,
    StandardIdRole,
)
from school_audit.ui.models.progress import progress_of
from school_audit.ui.models.standard_filter import StandardFilter
from school_audit.ui.pages.standard_page import StandardPage
from school_audit.ui.widgets.drop_down import DropDown
from school_audit.ui.widgets.section_delegate import SectionProgressDelegate

if TYPE_CHECKING:  # imported when their tab is first shown
    from school_audit.ui.pages.action_plan_page import ActionPlanPage
    from school_audit.ui.pages.readiness_panel import ReadinessPanel

STANDARD_TAB, PLAN_TAB, READINESS_TAB = range(3)


class AuditPage(QWidget):
    home_requested = Signal()
    standard_shown = Signal(str)

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.current_id: str | None = None
        self.model = NavigatorModel(session, self)
        self.proxy = NavigatorFilterProxy(session, self)
        self.proxy.setSourceModel(self.model)
        self._build()
        self._connect()
        self._shortcuts()
        self._update_header()

    # -- building ------------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._build_top_bar())
        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.navigator = self._build_navigator()
        splitter.addWidget(self.navigator)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.standard_page = StandardPage(self.session)
        # The plan and readiness tabs are built when first shown: the standard comes first.
        self._plan_page: ActionPlanPage | None = None
        self._plan_holder = _holder()
        self._readiness: ReadinessPanel | None = None
        self._readiness_holder = _holder()
        self.tabs.addTab(_with_steps(self.standard_page), tr("Standard"))
        self.tabs.addTab(self._plan_holder, tr("Action plan"))
        self.tabs.addTab(self._readiness_holder, tr("Readiness"))
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([430, 900])
        self.splitter = splitter
        layout.addWidget(splitter, 1)

    def _build_top_bar(self) -> QWidget:
        bar = QWidget()
        bar.setObjectName("topBar")
        row = QHBoxLayout(bar)
        row.setContentsMargins(16, 10, 16, 10)
        self.home_button = QPushButton(tr("← All audits"))
        self.home_button.setAccessibleName(tr("Back to all audits"))
        self.heading = QLabel()
        self.heading.setObjectName("auditHeading")
        self.progress_label = QLabel()
        self.progress_label.setObjectName("progressLabel")
        row.addWidget(self.home_button)
        row.addSpacing(12)
        row.addWidget(self.heading)
        row.addStretch(1)
        row.addWidget(self.progress_label)
        return bar

    def _build_navigator(self) -> QWidget:
        panel = QWidget()
        panel.setObjectName("navigatorPanel")
        column = QVBoxLayout(panel)
        column.setContentsMargins(12, 12, 6, 12)
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Search standards (Ctrl+F)"))
        self.search.setAccessibleName(tr("Search standards"))
        self.search.setClearButtonEnabled(True)
        self.filter = DropDown()
        self.filter.setAccessibleName(tr("Show"))
        returned = self.session.returned_comments
        for chosen in StandardFilter:
            if chosen is StandardFilter.COMMENTED and not (returned and returned.by_standard):
                continue  # only for an audit the LA returned with comments
            self.filter.addItem(chosen.label, chosen.value)
        self.tree = QTreeView()
        self.tree.setModel(self.proxy)
        self.tree.setAccessibleName(tr("Sections and standards"))
        self.tree.setUniformRowHeights(True)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # A fixed width: sizing to contents would measure every row at every change.
        self.tree.header().setSectionResizeMode(STATUS, QHeaderView.ResizeMode.Fixed)
        self.tree.header().resizeSection(
            STATUS, self.tree.fontMetrics().horizontalAdvance("12 of 12 ✓99 ◐9 ✗9") + 24
        )
        self.tree.setItemDelegateForColumn(STATUS, SectionProgressDelegate(self.tree))
        self.tree.expandAll()
        self.no_match = QLabel(tr("No standard matches. Clear the search or choose All standards."))
        self.no_match.setWordWrap(True)
        self.no_match.hide()
        column.addWidget(self.search)
        column.addWidget(self.filter)
        column.addWidget(self.tree, 1)
        column.addWidget(self.no_match)
        return panel

    def _connect(self) -> None:
        self.home_button.clicked.connect(self.home_requested)
        self.search.textChanged.connect(self._search_changed)
        self.search.returnPressed.connect(self._first_match)
        self.filter.currentIndexChanged.connect(self._filter_changed)
        self.tree.selectionModel().currentChanged.connect(self._tree_moved)
        self.tree.activated.connect(self._tree_moved)
        self.standard_page.step_requested.connect(self.step)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.session.problems_changed.connect(self._update_header)

    def _shortcuts(self) -> None:
        bindings = [
            ("Ctrl+F", self.focus_search),
            ("Alt+Right", lambda: self.step(1)),
            ("Alt+Left", lambda: self.step(-1)),
            ("Alt+PgDown", lambda: self.step_section(1)),
            ("Alt+PgUp", lambda: self.step_section(-1)),
            ("Ctrl+G", self.focus_navigator),
        ]
        for keys, slot in bindings:
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    # -- navigation ----------------------------------------------------------------------------

    def go_to(self, standard_id: str) -> None:
        """Show a standard (clearing a filter that hides it) and select it in the navigator."""
        if standard_id not in self._order():
            return  # not asked of this setting (e.g. a stale "last standard")
        if standard_id not in self.proxy.visible_standard_ids():
            self.filter.setCurrentIndex(0)
            self.search.clear()
        order = self._order()
        position = order.index(standard_id) + 1 if standard_id in order else 0
        self.current_id = standard_id
        self.standard_page.show_standard(standard_id, position, len(order))
        self.tabs.setCurrentIndex(STANDARD_TAB)
        self._select_in_tree(standard_id)
        self.standard_shown.emit(standard_id)

    def step(self, delta: int) -> None:
        self.session.flush()
        order = self.proxy.visible_standard_ids() or self._order()
        if not order:
            return
        if self.current_id in order:
            target = order.index(self.current_id) + delta
        else:
            target = 0 if delta > 0 else len(order) - 1
        if 0 <= target < len(order):
            self.go_to(order[target])
            self.focus_answer()

    def focus_answer(self) -> None:
        """After moving on by keyboard, the answer has focus so 1-4 work at once."""
        if self.standard_page.answer is not None:
            self.standard_page.answer.setFocus()

    def step_section(self, delta: int) -> None:
        sections = [(s.id, standards) for s, standards in self.session.sections]
        ids = [sid for sid, _ in sections]
        current = (
            self.session.template.section_of(self.current_id).id if self.current_id else ids[0]
        )
        target = ids.index(current) + delta
        if 0 <= target < len(ids):
            self.go_to(sections[target][1][0].id)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def focus_navigator(self) -> None:
        self.tree.setFocus()

    def show_plan(self) -> None:
        """The plan tab, with focus on its table (a shortcut must not leave focus nowhere)."""
        self.tabs.setCurrentIndex(PLAN_TAB)
        self.plan_page.table.setFocus()

    def show_readiness(self) -> None:
        self.tabs.setCurrentIndex(READINESS_TAB)
        self.readiness.list.setFocus()

    @property
    def plan_page(self) -> ActionPlanPage:
        if self._plan_page is None:
            from school_audit.ui.pages.action_plan_page import ActionPlanPage

            self._plan_page = ActionPlanPage(self.session)
            self._plan_holder.layout().addWidget(self._plan_page)
        return self._plan_page

    @property
    def readiness(self) -> ReadinessPanel:
        if self._readiness is None:
            from school_audit.ui.pages.readiness_panel import ReadinessPanel

            self._readiness = ReadinessPanel(self.session)
            self._readiness.standard_chosen.connect(self.go_to)
            self._readiness_holder.layout().addWidget(self._readiness)
        return self._readiness

    def _tab_changed(self, tab: int) -> None:
        if tab == PLAN_TAB:
            self.plan_page  # noqa: B018 - builds the table on first view
        elif tab == READINESS_TAB:
            self.readiness  # noqa: B018 - builds the list on first view
        # The plan and the readiness list need the width; the navigator serves the standards.
        self.navigator.setVisible(tab == STANDARD_TAB)
        # Only the tab on screen sets how narrow the window can be: the plan's filters need more
        # room than the standard beside the navigator, and a tab widget is as wide as its widest
        # page, so on a 1366×768 laptop at 200% the window grew past the screen's edge.
        for index in range(self.tabs.count()):
            shown = QSizePolicy.Policy.Preferred if index == tab else QSizePolicy.Policy.Ignored
            self.tabs.widget(index).setSizePolicy(shown, shown)

    def _order(self) -> list[str]:
        return [standard.id for standard in self.session.standards]

    def _select_in_tree(self, standard_id: str) -> None:
        source = self.model.index_of_standard(standard_id)
        index = self.proxy.mapFromSource(source)
        if index.isValid():
            self.tree.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.tree.scrollTo(index)

    def _tree_moved(self, index) -> None:
        standard_id = index.data(StandardIdRole) if index.isValid() else None
        if standard_id and standard_id != self.current_id:
            self.session.flush()
            self.go_to(standard_id)

    def _search_changed(self, text: str) -> None:
        self.proxy.set_query(text)
        self._after_filter()

    def _filter_changed(self, _: int) -> None:
        self.proxy.set_filter(StandardFilter(self.filter.currentData()))
        self._after_filter()

    def _after_filter(self) -> None:
        self.tree.expandAll()
        self.no_match.setVisible(not self.proxy.visible_standard_ids())
        if self.current_id:
            self._select_in_tree(self.current_id)

    def _first_match(self) -> None:
        visible = self.proxy.visible_standard_ids()
        if visible:
            self.go_to(visible[0])

    def _update_header(self) -> None:
        audit = self.session.audit
        # Every applicable standard, as the page's "26 of 157" and the home page count them.
        progress = progress_of(self.session.response(s.id) for s in self.session.standards)
        self.heading.setText(
            tr("{name} · {cycle} audit", name=audit.profile.name, cycle=audit.cycle)
        )
        self.progress_label.setText(progress.short_text() + " " + tr("answered"))
        blocking = sum(p.blocking for p in self.session.problems)
        label = tr("Readiness ({n} to fix)", n=blocking) if blocking else tr("Readiness ✓")
        self.tabs.setTabText(READINESS_TAB, label)
        self.tabs.setTabText(PLAN_TAB, tr("Action plan ({n})", n=len(audit.actions)))
        if self.proxy.active:
            self.proxy.refilter()
            self.tree.expandAll()


def _holder() -> QWidget:
    """An empty tab page that a page built later goes into."""
    holder = QWidget()
    QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
    return holder


def _with_steps(page: StandardPage) -> QWidget:
    """The standard's tab: the scrolling page, and Previous/Next under it (always visible)."""
    tab = QWidget()
    column = QVBoxLayout(tab)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(0)
    column.addWidget(page, 1)
    column.addWidget(page.steps)
    return tab
