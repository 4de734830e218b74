"""Start the desktop app: `school-audit` (or `school-audit app`, or `python main.py`).

Start-up stays close to a bare PySide6 window: the garbage collector is paused and the Qt-free
core imported before PySide6 (see below and `gc_pause`), the store is opened off the UI thread after
the window is up, the last audit is read with plain sqlite3 (`store.startup`), and SQLAlchemy is only
loaded once that audit is on screen, ready for the first save. The audit workspace is imported
when first needed.
"""

from __future__ import annotations

import argparse
import atexit
import logging
import os
import sys
from collections.abc import Callable
from contextlib import suppress
from datetime import date
from pathlib import Path

from school_audit.i18n import N_, tr
from school_audit.ui import gc_pause

log = logging.getLogger(__name__)

NO_DISPLAY_MESSAGE = N_(
    "No display was found, so the window cannot open.\n"
    "On a desktop, log in to a graphical session first. On a server, run it inside a virtual "
    "display:\n    xvfb-run -a school-audit\n"
    "or check that it starts without any display:\n    QT_QPA_PLATFORM=offscreen school-audit"
)


# How long a thread may hold Python's global lock while another waits for it (Python's default is
# 5 ms). PySide6 lets go of the lock in every call into Qt, so while the background lane runs
# Python (opening the store, importing SQLAlchemy) the window's thread would wait up to 5 ms for
# it back at each of hundreds of calls: building a page took 30 times as long. A short interval
# keeps the window responsive whatever the lane is doing.
SWITCH_INTERVAL_S = 0.0002

# What the first screen needs that does not use Qt, imported before PySide6. Once loaded, PySide6
# reads the source of every module imported after it (to find modules that opt into its
# `__feature__` switches), a quarter of a millisecond a module; these are about fifty modules.
FIRST_SCREEN_MODULES = (
    "uuid",
    "school_audit.ui.errors",
    "school_audit.ui.logging_setup",
    "school_audit.services.audit_service",
    "school_audit.services.client",  # with the store's first-screen reader
    "school_audit.domain.readiness",
    "school_audit.domain.setting_words",  # the window's title
)

# Fusion (the same look on every PC), chosen as QApplication reads its arguments: asking for it
# afterwards (`setStyle`) hands the style to Python, which then builds its eleven enums.
STYLE_ARGUMENTS = ["-style", "Fusion"]

GC_PAUSE_LIMIT_MS = 10_000  # the first screen resumes the garbage collector; this is a backstop
# The first screen opens the door for a second start (see single_instance) a moment after it is
# painted; the limit is a backstop.
FRONT_DOOR_AFTER_MS = 300
FRONT_DOOR_LIMIT_MS = 3_000

# After the window has closed, how long the process waits for the store's lane to finish its last
# work (local only: the network lane is never waited for, see tasks.NetworkLane).
LANE_FINISH_MS = 90_000


def display_problem(environ: dict[str, str] | None = None, platform: str = sys.platform) -> str:
    """The message to print when Qt would have no display to use ('' when all is well)."""
    env = os.environ if environ is None else environ
    if not platform.startswith("linux") or env.get("QT_QPA_PLATFORM"):
        return ""
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return ""
    return tr(NO_DISPLAY_MESSAGE)


def open_default_service():
    """The real services over the store in the data folder (runs on the store's lane)."""
    from school_audit import paths
    from school_audit.services.client import ClientServices

    return ClientServices.open_for_start(paths.database_path())


def create_app(
    open_service: Callable[[], object] = open_default_service,
    today: Callable[[], date] = date.today,
):
    """Build the application and its window, show it and start loading. Returns both."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    from school_audit.ui.errors import ErrorReporter
    from school_audit.ui.logging_setup import setup_logging
    from school_audit.ui.main_window import MainWindow
    from school_audit.ui.qt_check import warning_if_faulty
    from school_audit.ui.theme import apply_theme, style_window

    setup_logging()
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    app = QApplication.instance()
    if app is None:
        app = QApplication([*sys.argv[:1], *STYLE_ARGUMENTS])
    else:  # a test's application
        app.setStyle("Fusion")
    app.setApplicationName("school-audit")
    app.setApplicationDisplayName(tr("School Safeguarding Audit"))
    app.setDesktopFileName("school-audit")  # Wayland matches the window to the .desktop entry
    _set_icon(app)
    apply_theme(app)
    window = MainWindow(open_service, today)
    style_window(window)

    def show_plain(message: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            tr("Something went wrong"),
            message,
            QMessageBox.StandardButton.Ok,
            window,
        )
        box.open()  # not exec(): never blocks the event loop

    window.error_reporter = ErrorReporter(show_plain)
    window.error_reporter.install()
    faulty_qt = warning_if_faulty()
    if faulty_qt:
        window.show_message(faulty_qt)
    atexit.register(_finish_lane, window.runner)
    window.start()  # the store opens on the background lane while the window is shown
    window.show()
    return app, window


def _finish_lane(runner) -> None:  # type: ignore[no-untyped-def]
    """Before Python shuts down, the background lane ends its work: a task still running then
    would find Python half gone (whoever made the window, the app or a test)."""
    with suppress(RuntimeError):  # the window and its lane were deleted: Qt waited for it then
        if not runner.wait_for_done(LANE_FINISH_MS):
            log.warning("Closing with background work unfinished; the outbox retries any send")


def _set_icon(app) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QIcon

    # A file beside this module (so also in the packaged app); importlib.resources would add
    # six modules to start-up for it.
    app.setWindowIcon(QIcon(str(Path(__file__).with_name("resources") / "school-audit.png")))


def import_first_screen_modules() -> None:
    """Import FIRST_SCREEN_MODULES: call before PySide6 is imported."""
    import importlib

    for name in FIRST_SCREEN_MODULES:
        importlib.import_module(name)


def run(args: argparse.Namespace | None = None) -> int:
    problem = display_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 2
    gc_pause.pause_for_start()  # until the first screen is built (see gc_pause)
    import_first_screen_modules()
    from school_audit import paths
    from school_audit.ui import single_instance

    folder = paths.data_dir()
    lock = single_instance.claim(folder)
    if lock is None:  # already open on this folder: that window comes forward instead
        lock = single_instance.second_start(folder)
        if lock is None:
            return 0
    # Held until the process ends, after the lane's last work (atexit runs the later _finish_lane
    # first): a start meanwhile waits for it rather than opening a second window on the folder.
    atexit.register(lock.unlock)
    app, window = create_app()
    if single_instance.taken_over_from:
        log.warning("Opened anyway: took over the lock of %s", single_instance.taken_over_from)
    from PySide6.QtCore import QTimer

    QTimer.singleShot(GC_PAUSE_LIMIT_MS, gc_pause.resume)  # whatever happens meanwhile
    close_front_door = _open_front_door_after_first_screen(folder, window)
    log.info("Desktop app started")
    code = int(app.exec())  # the lane's last work is finished at exit (_finish_lane)
    close_front_door()  # the window is gone: nothing to bring forward any more
    return code


def _open_front_door_after_first_screen(folder: Path, window) -> Callable[[], None]:  # type: ignore[no-untyped-def]
    """Listen for a second start once the first screen is up (QtNetwork is not needed before it),
    or after FRONT_DOOR_LIMIT_MS whatever happens; a second start waits for it meanwhile.
    Returns what stops listening."""
    from PySide6.QtCore import QTimer

    from school_audit.ui.single_instance import FrontDoor

    doors: list[FrontDoor] = []  # at most one, kept alive here

    def open_once() -> None:
        if not doors:
            doors.append(FrontDoor(folder, window))

    def soon(*_) -> None:  # type: ignore[no-untyped-def]
        QTimer.singleShot(FRONT_DOOR_AFTER_MS, open_once)  # once the first screen is painted

    window.audit_opened.connect(soon)
    window.home_shown.connect(soon)
    QTimer.singleShot(FRONT_DOOR_LIMIT_MS, open_once)

    def close() -> None:
        for door in doors:
            door.close()

    return close
