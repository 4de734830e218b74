"""The main window: home and the audit workspace in one stack, a message banner, the save state.

It wires pages to the service; slow calls (opening the store, loading an audit) go through the
background runner so the window never freezes. Saving runs on the UI thread through the session
(a single SQLite commit, a few milliseconds).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, QSize, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from school_audit import paths
from school_audit.domain.setting_words import REPORT_NAME, SettingKind
from school_audit.i18n import tr
from school_audit.ui import gc_pause
from school_audit.ui.errors import user_message
from school_audit.ui.tasks import NetworkLane, TaskRunner
from school_audit.ui.widgets.banner import Banner
from school_audit.ui.widgets.save_indicator import SaveIndicator

if TYPE_CHECKING:
    from school_audit.services.client import ClientServices
    from school_audit.services.interfaces import AuditServices
    from school_audit.sync.drain import DrainReport
    from school_audit.ui.errors import ErrorReporter
    from school_audit.ui.flows import Flows
    from school_audit.ui.la_news import LaNews
    from school_audit.ui.outbox_sender import OutboxSender
    from school_audit.ui.pages.audit_page import AuditPage
    from school_audit.ui.pages.home_page import HomePage
    from school_audit.ui.session import AuditSession
    from school_audit.ui.widgets.home_notices import HomeNotices

log = logging.getLogger(__name__)
SETTINGS_FILE = "window.ini"
DEFAULT_SIZE = (1280, 860)  # at first start, or less when the screen has less room


def window_settings() -> QSettings:
    """Window geometry and the last place the DSL was (QSettings only for these)."""
    return QSettings(str(paths.data_dir() / SETTINGS_FILE), QSettings.Format.IniFormat)


class MainWindow(QMainWindow):
    """The window; to its flows, a `ui.desk.Desk` (they are given it, and never import this)."""

    home_shown = Signal()
    audit_opened = Signal(object)  # the AuditSession

    def __init__(self, open_service: Callable[[], Any], today: Callable[[], date]) -> None:
        super().__init__()
        self.setWindowTitle(tr("School Safeguarding Audit"))
        self._open_service = open_service
        self.today = today
        self.services: ClientServices | None = None  # the composition root's services
        self.service: AuditServices | None = None  # services.audits, which the pages use
        self.session: AuditSession | None = None
        self.audit_page: AuditPage | None = None
        self.error_reporter: ErrorReporter | None = None
        self._close_warned = False
        self._home: HomePage | None = None  # built when first shown: start-up opens the audit
        self._flows: Flows | None = None
        self.runner = TaskRunner(on_unhandled=self.show_error, parent=self)  # the store's lane
        self.network = NetworkLane(on_unhandled=self.show_error, parent=self)
        self._sender: OutboxSender | None = None
        self._la_news: LaNews | None = None
        self.settings = window_settings()  # read once: each QSettings reads the file again
        self._build()
        self._build_menus()
        self._restore_geometry()

    # -- building ------------------------------------------------------------------------------

    def _build(self) -> None:
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.banner = Banner("error")
        column.addWidget(self.banner)
        self.stack = QStackedWidget()
        self.loading = QLabel(tr("Opening your audits…"))
        self.loading.setObjectName("emptyState")
        self.stack.addWidget(self.loading)
        column.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.save_indicator = SaveIndicator()
        self.statusBar().addPermanentWidget(self.save_indicator)

    @property
    def home(self) -> HomePage:
        if self._home is None:
            from school_audit.ui.pages.home_page import HomePage

            home = self._home = HomePage()
            self.stack.addWidget(home)
            home.open_requested.connect(self.open_audit)
            home.start_requested.connect(self.flows.start_audit)
            home.profile_requested.connect(self.flows.edit_profile)
            home.sign_requested.connect(self.flows.sign)
            home.outbox_requested.connect(self.flows.outbox)
            home.reopen_requested.connect(self.flows.reopen)
            home.report_requested.connect(self.flows.governors_report)
            home.move_edition_requested.connect(self.flows.move_edition)
            home.letter_requested.connect(lambda sid: self.la_news.open_letter(sid))
        return self._home

    @property
    def la_news(self) -> LaNews:
        """Review status and the feedback letter, fetched on the network lane."""
        if self._la_news is None:
            from school_audit.ui.la_news import LaNews

            self._la_news = LaNews(self, parent=self)
        return self._la_news

    @property
    def flows(self) -> Flows:
        """The dialogs and their work (start, profile, sign, outbox), loaded on first use."""
        if self._flows is None:
            from school_audit.ui.flows import Flows

            self._flows = Flows(self)
        return self._flows

    @property
    def sender(self) -> OutboxSender:
        """Sends the outbox on the network lane (by a timer once the store is open, and when
        asked)."""
        if self._sender is None:
            from school_audit.ui.outbox_sender import OutboxSender

            self._sender = OutboxSender(self.network, lambda: self.flows.submission.service(), self)
        return self._sender

    # -- what the flows ask of the window (ui.desk.Desk) ----------------------------------------

    def dialog_parent(self) -> QWidget:
        return self

    def report_busy(self, busy: bool) -> None:
        self.home.report_busy(busy)

    def drain_outbox(
        self,
        on_done: Callable[[DrainReport | None], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        self.sender.drain(on_done, on_error)

    def letter_panel(self) -> HomeNotices:
        return self.home.notices

    def _start_sending(self) -> None:
        """Timed drains, for a real store with the submission service installed."""
        if getattr(self.service, "store", None) is not None and self.flows.can_sign():
            self.sender.start()
            self.la_news.start()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(tr("&File"))
        self._add(file_menu, tr("All audits"), self.show_home, "Ctrl+H")
        self._add(file_menu, tr("Establishment profile…"), lambda: self.flows.edit_profile(),
                  "Ctrl+Shift+E")  # fmt: skip
        self.report_action = self._add(
            file_menu, tr("{report} (PDF)…", report=tr(REPORT_NAME[SettingKind.SCHOOL])),
            self._governors_report, "Ctrl+P",
        )  # fmt: skip
        file_menu.addSeparator()
        self._add(file_menu, tr("Quit"), self.close, QKeySequence.StandardKey.Quit)
        audit = self.menuBar().addMenu(tr("&Audit"))
        self._add(audit, tr("Start this year's audit…"), self._start_audit, "Ctrl+N")
        self._add(audit, tr("Sign and send…"), self._sign_current, "Ctrl+Shift+S")
        self._add(audit, tr("Outbox…"), self._outbox, "Ctrl+Shift+O")
        self._add(audit, tr("Make changes (new revision)"), self._reopen_current, "Ctrl+Shift+M")
        edit = self.menuBar().addMenu(tr("&Edit"))
        self.undo_action = self._add(edit, tr("Undo"), self._undo, QKeySequence.StandardKey.Undo)
        self.redo_action = self._add(edit, tr("Redo"), self._redo, QKeySequence.StandardKey.Redo)
        view = self.menuBar().addMenu(tr("&View"))
        self._add(view, tr("Action plan"), lambda: self._audit_call("show_plan"), "Ctrl+Shift+A")
        self._add(view, tr("Readiness"), lambda: self._audit_call("show_readiness"), "Ctrl+Shift+R")
        help_menu = self.menuBar().addMenu(tr("&Help"))
        self._add(help_menu, tr("About…"), lambda: self.flows.about(), "F1")

    def _add(self, menu, text: str, slot, keys=None) -> QAction:
        action = QAction(text, self)
        if keys is not None:
            action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda *_: slot())
        menu.addAction(action)
        return action

    # -- start-up ------------------------------------------------------------------------------

    def start(self) -> None:
        """Open the store off the UI thread, then show the last open audit (or home).

        The last audit is read in the same background task as the store is opened, started
        before the window is first painted: the reading overlaps the painting, and the audit is
        on screen one round trip sooner."""
        self.stack.setCurrentWidget(self.loading)
        open_service = self._open_service
        last = _audit_id(self.settings.value("last_audit_id"))

        def open_and_read_last():
            services = _composed(open_service(), self.today)
            service = services.audits
            if not last:
                return services, None
            try:
                return services, _read_audit(service, last)
            except Exception:  # noqa: BLE001 - not lost: the audit is listed at home
                log.warning("Could not reopen the last audit; showing home", exc_info=True)
                return services, None

        self.runner.run(open_and_read_last, self._started, self._service_failed)

    def _started(self, started: tuple) -> None:
        services, last_audit = started
        self._use(services)
        if last_audit is None:
            self.refresh_home()
        else:
            self._audit_loaded(*last_audit)

    def _use(self, services: ClientServices) -> None:
        self.services = services
        self.service = services.audits
        self._start_sending()

    def _service_ready(self, services: ClientServices) -> None:
        """Carry on where the DSL stopped: reopen the last draft straight away, else home."""
        self._use(services)
        last = _audit_id(self.settings.value("last_audit_id"))
        if last:
            self.open_audit(last, on_error=lambda _: self.refresh_home())
        else:
            self.refresh_home()

    def _service_failed(self, error: BaseException) -> None:
        from school_audit.ui.recovery import recovery_offer

        log.error("Could not open the store", exc_info=(type(error), error, error.__traceback__))
        gc_pause.resume()
        self.loading.setText(user_message(error))
        offer = recovery_offer(error)
        if offer is None:
            self.banner.show_message(user_message(error), tr("Try again"), self.start)
            return
        label, work = offer
        self.banner.show_message(
            user_message(error),
            label,
            lambda: self.runner.run(work, self._restored, self._service_failed),
        )

    def _restored(self, restored: tuple) -> None:
        services, message = restored
        self._service_ready(services)
        self.banner.show_message(message)

    # -- home ----------------------------------------------------------------------------------

    def refresh_home(self) -> None:
        service, services = self.service, self.services
        self.runner.run(
            lambda: _home_data(service, services),
            lambda loaded: self._home_loaded(*loaded),
        )

    def _home_loaded(self, profile, summaries, notices=()) -> None:  # type: ignore[no-untyped-def]
        self._title_for(profile)
        self.home.show_home(
            profile, summaries, can_start=profile is not None, can_sign=self.flows.can_sign()
        )
        self.home.show_notices(list(notices))
        self._show_home_page()
        gc_pause.resume()
        self._warm_up_later()
        if profile is None:
            self.flows.edit_profile(first_run=True)

    def _title_for(self, profile) -> None:  # type: ignore[no-untyped-def]
        """The window says what kind of setting it is for (no "School" on a nursery's desk)."""
        if profile is not None:
            from school_audit.domain.setting_words import APP_TITLE, kind_of

            kind = kind_of(profile.setting_type, profile.phase)
            self.setWindowTitle(tr(APP_TITLE[kind]))
            self.report_action.setText(tr("{report} (PDF)…", report=tr(REPORT_NAME[kind])))
            self.home.set_report_name(tr(REPORT_NAME[kind]))
            self.flows.report_name = tr(REPORT_NAME[kind])

    def show_home(self) -> None:
        if self.session is not None:
            self.session.flush()
        self._remember("last_audit_id", None)
        if self.service is not None:
            self.refresh_home()

    def _show_home_page(self) -> None:
        self.stack.setCurrentWidget(self.home)
        self.home_shown.emit()

    # -- the audit -----------------------------------------------------------------------------

    def open_audit(
        self, audit_id: uuid.UUID, on_error: Callable[[BaseException], None] | None = None
    ) -> None:
        service = self.service
        self.runner.run(
            lambda: _read_audit(service, audit_id), lambda read: self._audit_loaded(*read), on_error
        )

    def _audit_loaded(self, audit, template, comments=None) -> None:  # type: ignore[no-untyped-def]
        from school_audit.ui.pages.audit_page import AuditPage
        from school_audit.ui.session import AuditSession

        self._close_audit()
        self._title_for(audit.profile)
        self.session = AuditSession(self.service, audit, template, self.today)
        self.session.returned_comments = comments
        self.session.save_state_changed.connect(self._save_state_changed)
        self.audit_page = AuditPage(self.session)
        self.audit_page.home_requested.connect(self.show_home)
        self.audit_page.standard_shown.connect(self._remember_standard)
        self.stack.addWidget(self.audit_page)
        self.stack.setCurrentWidget(self.audit_page)
        self._remember("last_audit_id", str(audit.audit_id))
        last = self.settings.value("last_standard_id")
        order = [s.id for s in self.session.standards]
        first = last if last in order else self._first_to_do(order)
        commented = [sid for sid in order if comments and sid in comments.by_standard]
        if commented and first not in commented:  # "Make changes" opens the first comment
            first = commented[0]
        if comments is not None:
            self._say_returned(comments, len(commented))
        if first:
            self.audit_page.go_to(first)
            self.audit_page.focus_answer()  # keyboard-ready: 1-4 rate at once
        self.save_indicator.show_state("saved", "")
        gc_pause.resume()  # the first screen is built
        log.info("Audit on screen")  # the packaged start-up bench waits for this line
        self.audit_opened.emit(self.session)
        self._warm_up_later()

    def _say_returned(self, comments, commented: int) -> None:  # type: ignore[no-untyped-def]
        parts = [tr("Returned by the local authority.")]
        if comments.general:
            parts.append(comments.general)
        if commented:
            parts.append(tr("{n} standard(s) have a comment: it is shown on the standard's page, "
                            "and Show → Commented by the LA lists them.", n=commented))  # fmt: skip
        self.banner.show_message(" ".join(parts))

    def _warm_up_later(self) -> None:
        """Once what the DSL asked for is painted, get the store ready for the first save."""
        service = self.service
        if service is not None:
            QTimer.singleShot(0, service.warm_up)

    def _first_to_do(self, order: list[str]) -> str | None:
        unanswered = [sid for sid in order if not self.session.response(sid).is_answered]
        return (unanswered or order or [None])[0]

    def _close_audit(self) -> None:
        if self.audit_page is not None:
            self.session.flush()
            self.stack.removeWidget(self.audit_page)
            self.audit_page.deleteLater()
            self.audit_page = None
            self.session = None

    def _remember_standard(self, standard_id: str) -> None:
        self._remember("last_standard_id", standard_id)

    def _audit_call(self, name: str) -> None:
        if self.audit_page is not None and self.stack.currentWidget() is self.audit_page:
            getattr(self.audit_page, name)()

    # -- the Audit menu: the home page's buttons, by keyboard from anywhere ---------------------

    def current_summary_or_session(self):  # type: ignore[no-untyped-def]
        """The audit the menu acts on: the one open in the workspace, else the one selected at
        home (None when there is neither)."""
        if self.session is not None and self.stack.currentWidget() is self.audit_page:
            return self.session
        if self._home is not None and self.stack.currentWidget() is self._home:
            return self._home.selected_summary()
        return None

    def _current_audit_id(self) -> uuid.UUID | None:
        current = self.current_summary_or_session()
        if current is None:
            self.show_message(tr("Choose an audit from the list first (Ctrl+H shows the list)."))
            return None
        return current.audit.audit_id if hasattr(current, "audit") else current.audit_id

    def _start_audit(self) -> None:
        if self.service is not None:
            self.flows.start_audit()

    def _sign_current(self) -> None:
        from school_audit.ui.models.audit_list_model import state_key

        current = self.current_summary_or_session()
        audit_id = self._current_audit_id()
        if audit_id is None or not self._signing_possible():
            return
        ready = (current.ready_to_sign and not current.read_only) if hasattr(current, "audit") \
            else state_key(current) == "ready"  # fmt: skip
        if not ready:
            self.show_message(tr("This audit is not ready to sign yet: the Readiness tab lists "
                                 "what is left."))  # fmt: skip
            return
        if self.session is not None:
            self.session.flush()
        self.flows.sign(audit_id)

    def _outbox(self) -> None:
        if self._signing_possible():
            self.flows.outbox()

    def _reopen_current(self) -> None:
        audit_id = self._current_audit_id()
        if audit_id is not None and self._signing_possible():
            self.flows.reopen(audit_id)

    def _governors_report(self) -> None:
        audit_id = self._current_audit_id()
        if audit_id is not None:
            if self.session is not None:
                self.session.flush()
            self.flows.governors_report(audit_id)

    def _signing_possible(self) -> bool:
        if self.service is None or not self.flows.can_sign():
            self.show_message(tr("Signing and sending are not installed on this computer."))
            return False
        return True

    def _undo(self) -> None:
        if self.session is not None:
            self.session.undo()

    def _redo(self) -> None:
        if self.session is not None:
            self.session.redo()

    def _save_state_changed(self, state: str, message: str) -> None:
        self.save_indicator.show_state(state, message)
        if state == "failed":
            self.banner.show_message(
                tr(
                    "Your last change is not saved yet: {message} It is kept here and saving "
                    "is retried automatically.",
                    message=message,
                ),
                tr("Try again now"),
                lambda: self.session and self.session.flush(),
            )
        elif state == "saved":
            self.banner.hide()

    # -- errors, geometry, closing -------------------------------------------------------------

    def show_error(self, error: BaseException) -> None:
        self.banner.show_message(user_message(error))

    def show_message(
        self, message: str, button: str = "", action: Callable[[], object] | None = None
    ) -> None:
        self.banner.show_message(message, button, action)

    def show_success(
        self, message: str, button: str = "", action: Callable[[], object] | None = None
    ) -> None:
        """Good news, shown green (never in the error's colours), gone when stale."""
        self.banner.show_message(message, button, action, kind="success")

    def _remember(self, key: str, value: object) -> None:
        """Write at once (None removes), so a crash still reopens where the DSL was."""
        if self.settings.value(key) == value:
            return
        if value is None:
            self.settings.remove(key)
        else:
            self.settings.setValue(key, value)
        self.settings.sync()

    def _restore_geometry(self) -> None:
        from school_audit.ui.screen_fit import fit_to_screen, keep_on_screen

        geometry = self.settings.value("geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            fit_to_screen(self, QSize(*DEFAULT_SIZE))
        else:
            keep_on_screen(self)

    def closeEvent(self, event) -> None:
        unsaved = self.session is not None and not self.session.flush()
        if unsaved and not self._close_warned:
            # Warn once: the DSL may have to close anyway, so say plainly what would be lost.
            self._close_warned = True
            self.banner.show_message(
                tr(
                    "Your last change could not be saved. Fix the problem shown and it will be "
                    "saved; closing again now loses that one change."
                ),
            )
            event.ignore()
            return
        self._remember("geometry", self.saveGeometry())
        # The window goes at once. The store's lane finishes its work before the process ends
        # (`app._finish_lane`, at exit); the network lane is cancelled and not waited for: a send
        # under way stays in the outbox and goes at the next start.
        if self._sender is not None:
            self._sender.stop()
        if self._la_news is not None:
            self._la_news.stop()
        self.network.stop()
        event.accept()


def _composed(opened, today):  # type: ignore[no-untyped-def]
    """The services `open_service` gave: a composition root, or an audit service alone (a test's
    double, or one opened by hand), given one around it."""
    from school_audit.services.client import ClientServices

    return opened if isinstance(opened, ClientServices) else ClientServices(opened, today)


def _home_data(service, services) -> tuple:  # type: ignore[no-untyped-def]
    """Home's profile, audits and the LA's notices (the store's lane)."""
    summaries = service.audits()
    notices = services.notices(summaries) if services is not None else []
    return service.profile(), summaries, notices


def _audit_id(remembered: object) -> uuid.UUID | None:
    """The audit id kept in window.ini, or None if there is none or it is damaged."""
    try:
        return uuid.UUID(str(remembered)) if remembered else None
    except ValueError:
        log.warning("The remembered audit id is damaged; starting at home")
        return None


def _read_audit(service, audit_id: uuid.UUID) -> tuple:
    """The audit and its template, with the workspace ready to show them (background lane)."""
    audit = service.load(audit_id)
    template = service.template_of(audit)
    # A draft replacing a returned revision: what the LA said.
    comments = service.returned_comments(audit) if audit.revision > 1 else None
    _import_workspace()
    return audit, template, comments


def _import_workspace() -> None:
    """Import the audit workspace's modules on the background lane, while the UI thread paints
    the window: they are only class definitions (no widget is made off the UI thread)."""
    import school_audit.ui.pages.audit_page  # noqa: F401
    import school_audit.ui.session  # noqa: F401
