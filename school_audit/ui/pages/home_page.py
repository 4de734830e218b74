"""Home: the establishment, its audits by year with their state, and what to do next.

The page scrolls, like the standard's page: on a 1366×768 laptop at 200% text (683×364 to lay
out) the LA's notices, the letter panel and the buttons take more height than there is, and a
page that did not scroll squeezed them out of reach.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from school_audit.i18n import tr
from school_audit.ui.models.audit_list_model import TITLE, AuditListModel, state_key


class HomePage(QScrollArea):
    open_requested = Signal(object)  # audit id
    start_requested = Signal()
    profile_requested = Signal()
    sign_requested = Signal(object)  # audit id; enabled only when the audit is ready to sign
    outbox_requested = Signal()
    reopen_requested = Signal(object)  # audit id of an audit returned for changes
    report_requested = Signal(object)  # audit id: the governors' PDF
    move_edition_requested = Signal(object)  # audit id of a draft with a corrected edition
    letter_requested = Signal(str)  # submission id: fetch and open the LA's feedback letter

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = AuditListModel(self)
        self._can_sign = False
        self._report_busy = False
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.body = QWidget()
        self.body.setObjectName("homeBody")
        self.setWidget(self.body)
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(40, 32, 40, 32)
        layout.setSpacing(16)
        layout.addLayout(self._build_header())
        from school_audit.ui.widgets.home_notices import HomeNotices

        self.notices = HomeNotices()  # what the LA said back: received, accepted, returned, letter
        self.notices.letter_requested.connect(self.letter_requested)
        layout.addWidget(self.notices)
        layout.addWidget(self._build_table(), 1)
        self.empty = QLabel(
            tr(
                "No audit yet. Start this year's audit: it is saved as you go, "
                "so you can stop at any time and carry on later."
            )
        )
        self.empty.setObjectName("emptyState")
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)
        layout.addLayout(self._build_edition_notice())
        layout.addLayout(self._build_buttons())

    def _build_edition_notice(self) -> QHBoxLayout:
        """ "A corrected edition is available" for the selected draft, with the way to move."""
        row = QHBoxLayout()
        self.edition_notice = QLabel()
        self.edition_notice.setWordWrap(True)
        self.move_edition_button = QPushButton(tr("See what changed and move…"))
        self.move_edition_button.setMinimumHeight(36)
        self.move_edition_button.clicked.connect(self._move_selected)
        row.addWidget(self.edition_notice, 1)
        row.addWidget(self.move_edition_button)
        self.edition_notice.setVisible(False)
        self.move_edition_button.setVisible(False)
        return row

    def _build_header(self) -> QHBoxLayout:
        row = QHBoxLayout()
        column = QVBoxLayout()
        self.establishment = QLabel()
        self.establishment.setObjectName("pageTitle")
        self.details = QLabel()
        self.details.setObjectName("subtle")
        self.details.setWordWrap(True)
        column.addWidget(self.establishment)
        column.addWidget(self.details)
        row.addLayout(column, 1)
        self.profile_button = QPushButton(tr("Edit profile…"))
        self.profile_button.setAccessibleName(tr("Edit the establishment profile"))
        self.profile_button.clicked.connect(self.profile_requested)
        row.addWidget(self.profile_button)
        return row

    def _build_table(self) -> QTableView:
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(tr("Audits on this computer"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab moves on to the buttons, not along cells
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _: self._open_selected())
        self.table.activated.connect(lambda _: self._open_selected())
        return self.table

    def _build_buttons(self) -> QVBoxLayout:
        row = QHBoxLayout()
        self.start_button = QPushButton(tr("Start this year's audit"))
        self.open_button = QPushButton(tr("Open"))
        self.sign_button = QPushButton(tr("Sign and send…"))
        self.outbox_button = QPushButton(tr("Outbox…"))
        self.outbox_button.setAccessibleName(tr("Outbox: signed audits and sending"))
        self.reopen_button = QPushButton(tr("Make changes (new revision)"))
        self.reopen_button.setVisible(False)
        self._report_name = tr("Governors' report")
        self.report_button = QPushButton(tr("{report} (PDF)…", report=self._report_name))
        self.report_button.setToolTip(tr("Ctrl+P"))
        self.start_button.setEnabled(False)  # until the profile is known
        self.report_button.setEnabled(False)  # until an audit is selected
        self.sign_button.setEnabled(False)
        self.sign_button.setToolTip(tr("Available when the audit is ready to sign (Ctrl+Shift+S)."))
        self.start_button.setToolTip(tr("Ctrl+N"))
        self.outbox_button.setToolTip(tr("Ctrl+Shift+O"))
        for button in (self.start_button, self.open_button, self.sign_button, self.outbox_button,
                       self.reopen_button, self.report_button):  # fmt: skip
            button.setMinimumHeight(36)
        # Two rows, so the page fits a narrow window (a laptop at 150-200%): the other actions
        # above, the next steps (start, open, sign) at the bottom.
        others = QHBoxLayout()
        others.addStretch(1)
        others.addWidget(self.outbox_button)
        others.addWidget(self.reopen_button)
        others.addWidget(self.report_button)
        row.addWidget(self.start_button)
        row.addStretch(1)
        row.addWidget(self.open_button)
        row.addWidget(self.sign_button)
        column = QVBoxLayout()
        column.addLayout(others)
        column.addLayout(row)
        self.outbox_button.clicked.connect(self.outbox_requested)
        self.reopen_button.clicked.connect(self._reopen_selected)
        self.start_button.clicked.connect(self.start_requested)
        self.open_button.clicked.connect(self._open_selected)
        self.sign_button.clicked.connect(self._sign_selected)
        self.report_button.clicked.connect(self._report_selected)
        return column

    def show_home(self, profile, summaries: list, can_start: bool, can_sign: bool = False) -> None:
        self.establishment.setText(profile.name if profile else tr("Welcome"))
        if profile:
            self.details.setText(
                tr("URN {urn} · DSL: {dsl}", urn=profile.urn, dsl=profile.dsl.name or tr("not set"))
            )
        self.model.set_summaries(summaries)
        self.empty.setVisible(not summaries)
        self.table.setVisible(bool(summaries))
        self.start_button.setEnabled(can_start)
        # The main button is the next step: starting only while there is nothing under way.
        under_way = any(state_key(s) in ("draft", "ready") for s in summaries)
        _set_primary(self.start_button, not under_way)
        self._can_sign = can_sign
        if summaries:
            self.table.selectRow(0)
        self._selection_changed()

    def set_report_name(self, name: str) -> None:
        """The printed copy's name for this kind of setting (`domain.setting_words.REPORT_NAME`)."""
        self._report_name = name
        self.report_busy(getattr(self, "_report_busy", False))

    def report_busy(self, busy: bool) -> None:
        """While the governors' PDF is being made (on the store's lane) the button says so."""
        self._report_busy = busy
        self.report_button.setText(
            tr("Making the PDF…") if busy else tr("{report} (PDF)…", report=self._report_name)
        )
        self._selection_changed()

    def show_notices(self, notices: list) -> None:
        """The LA's news, newest first (`services.notices.HomeNotice`); none hides the panel."""
        self.notices.show_notices(notices)

    def selected_summary(self):
        rows = self.table.selectionModel().selectedRows()
        return self.model.summary_at(rows[0].row()) if rows else None

    def _selection_changed(self, *_) -> None:
        summary = self.selected_summary()
        self.open_button.setEnabled(summary is not None)
        self.report_button.setEnabled(summary is not None and not self._report_busy)
        ready = summary is not None and state_key(summary) == "ready"
        self.sign_button.setEnabled(ready and self._can_sign)
        _set_primary(self.sign_button, ready and self._can_sign)  # ready: signing is next
        returned = summary is not None and state_key(summary) == "returned"
        self.reopen_button.setVisible(returned and self._can_sign)
        self.outbox_button.setVisible(self._can_sign)
        corrected = getattr(summary, "corrected_edition", None)
        if corrected:
            self.edition_notice.setText(
                tr(
                    "A corrected edition is available ({version}). Your answers move with it.",
                    version=corrected,
                )
            )
        self.edition_notice.setVisible(bool(corrected))
        self.move_edition_button.setVisible(bool(corrected))

    def _open_selected(self) -> None:
        summary = self.selected_summary()
        if summary is not None:
            self.open_requested.emit(summary.audit_id)

    def _reopen_selected(self) -> None:
        summary = self.selected_summary()
        if summary is not None:
            self.reopen_requested.emit(summary.audit_id)

    def _sign_selected(self) -> None:
        summary = self.selected_summary()
        if summary is not None:
            self.sign_requested.emit(summary.audit_id)

    def _move_selected(self) -> None:
        summary = self.selected_summary()
        if summary is not None:
            self.move_edition_requested.emit(summary.audit_id)

    def _report_selected(self) -> None:
        summary = self.selected_summary()
        if summary is not None:
            self.report_requested.emit(summary.audit_id)


def _set_primary(button: QPushButton, primary: bool) -> None:
    """Make `button` the page's main button (filled) or an ordinary one."""
    name = "primary" if primary else ""
    if button.objectName() == name:
        return
    button.setObjectName(name)
    if button.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):  # restyle it now
        button.style().unpolish(button)
        button.style().polish(button)
