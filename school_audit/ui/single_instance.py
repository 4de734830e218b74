"""One window per data folder: a second start brings the first window forward and ends.

A DSL who clicks the icon again while the app is still opening (or has it open behind another
window) would otherwise get two windows on one audit, each saving its own copy of an answer over
the other's. The first start holds a lock file in the data folder (`QLockFile`: a lock left by a
process that is no longer running is taken over, so a crash never locks the DSL out) and, once
its first screen is up, listens on a local socket named after the folder. A second start finds
the lock taken, asks the first window to come forward, says so, and ends without touching the
store or the log (or opens after all, if the first window ends meanwhile). A lock held on this
computer by a running app is never broken: if its window does not answer, the DSL is told what
to do. A lock naming another computer (a data folder on a network drive used from several PCs,
left locked by one switched off with the app open) can be taken over when the DSL says so.
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

from PySide6.QtCore import QLockFile, Qt

from school_audit.i18n import tr

log = logging.getLogger(__name__)

LOCK_FILE = "app.lock"
RAISE = b"raise\n"
READ_WAIT_MS = 500  # for a connected second start's line (it is sent at once)
# How long a second start waits for the first window to answer (a first window still opening
# listens within a few seconds; one closing lets go of the lock once its last work is done).
CONNECT_FOR_S = 20.0

taken_over_from: str | None = None  # the computer whose lock this start took over, if any

ALREADY_OPEN = tr(
    "The School Safeguarding Audit is already open on this computer, so its window has been "
    "brought to the front."
)
NO_ANSWER = tr(
    "The School Safeguarding Audit is open on this computer already, but its window is not "
    "answering. If you have just closed it, it is still finishing its last work (sending an "
    "audit, say): start it again in a minute. Otherwise look for it in the taskbar, or close it "
    "(with Task Manager if need be) and start the app again: two windows on one audit could save "
    "over each other's answers."
)
STILL_OPEN_ELSEWHERE = tr(
    "The audit is still open on the computer “{host}”: close it there first, then start the app "
    "here again."
)
OPEN_ELSEWHERE = tr(
    "This audit is marked as open on the computer “{host}”. If it is open there, close it there "
    "first: two windows on one audit could save over each other's answers. If it is not (that "
    "computer was switched off with the app open, say), you can open it here."
)


def server_name(folder: Path) -> str:
    """The local socket's name: one per data folder (and user, by the socket's access rights)."""
    import hashlib  # not before the first screen (see tests/ui/test_startup_path.py)

    digest = hashlib.sha256(str(folder.resolve()).encode("utf-8")).hexdigest()[:20]
    return f"school-audit-{digest}"


def claim(folder: Path) -> QLockFile | None:
    """Take the data folder's lock; None when another running app holds it.

    If the folder cannot hold a lock file (it cannot be created, say), the app still opens,
    unguarded, and the store says what is wrong with the folder: the lock returned is not held."""
    lock = QLockFile(str(folder / LOCK_FILE))
    lock.setStaleLockTime(0)  # never by age: a slow first start must keep its lock
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        log.warning("No lock file: the data folder %s cannot be created (%s)", folder, error)
        return lock
    if lock.tryLock(0):
        return lock
    if lock.error() == QLockFile.LockError.LockFailedError:
        return None
    log.warning("No lock file in %s (%s)", folder, lock.error())
    return lock


def second_start(folder: Path, ask=None, inform=None) -> QLockFile | None:  # type: ignore[no-untyped-def]
    """The lock is taken: bring the open window forward and say so (None), or open after all (the
    lock) if that window ends meanwhile or the DSL takes over a lock from another computer."""
    ask = ask or ask_to_open_anyway
    inform = inform or show_message
    host = holder_elsewhere(folder)
    if host is not None:
        message = OPEN_ELSEWHERE.format(host=host)
        print(message, file=sys.stderr)
        if not ask(message):
            return None
        try:
            (folder / LOCK_FILE).unlink(missing_ok=True)
        except OSError:  # held open: the app is running there after all
            inform(STILL_OPEN_ELSEWHERE.format(host=host))
            return None
        global taken_over_from
        taken_over_from = host  # for the log, once it is set up
        return claim(folder)  # None if yet another start took it meanwhile
    outcome = wait_for_first(folder)
    if isinstance(outcome, QLockFile):
        return outcome  # the first window ended while this start waited: open as usual
    if outcome:
        print(ALREADY_OPEN, file=sys.stderr)
        return None
    print(NO_ANSWER, file=sys.stderr)
    inform(NO_ANSWER)
    return None


def holder_elsewhere(folder: Path) -> str | None:
    """The other computer holding the lock, by name; None when it is this one (or unknown).

    This computer is known by its machine id (Qt writes it in the lock file); the host name
    alone would not do, since on Windows the lock names the computer as COMPUTERNAME has it."""
    import os

    from PySide6.QtCore import QSysInfo

    try:
        lines = (folder / LOCK_FILE).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    host = lines[2].strip() if len(lines) > 2 else ""
    machine = lines[3].strip() if len(lines) > 3 else ""
    if not host:
        return None
    if machine:
        return None if machine == bytes(QSysInfo.machineUniqueId().data()).decode() else host
    here = {QSysInfo.machineHostName().lower(), os.environ.get("COMPUTERNAME", "").lower()}
    return None if host.lower() in here else host


def wait_for_first(folder: Path) -> QLockFile | bool:
    """Until CONNECT_FOR_S: True once the open window has been asked to come forward, the lock
    if that window ends meanwhile, False if it never answered."""
    deadline = time.monotonic() + CONNECT_FOR_S
    while True:
        lock = claim(folder)
        if lock is not None:
            return lock
        if ask_to_come_forward(folder):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.2)  # the first window may still be opening, or closing


def ask_to_come_forward(folder: Path) -> bool:
    """One try at asking the window listening for `folder` to come forward."""
    from PySide6.QtNetwork import QLocalSocket

    socket = QLocalSocket()
    socket.connectToServer(server_name(folder))
    if not socket.waitForConnected(500):
        return False
    if sys.platform == "win32":  # let the open window take the foreground from this process
        import ctypes

        ctypes.windll.user32.AllowSetForegroundWindow(-1)  # ASFW_ANY
    socket.write(RAISE)
    sent = socket.waitForBytesWritten(2_000)
    socket.disconnectFromServer()
    return sent


def show_message(message: str) -> None:
    from PySide6.QtWidgets import QApplication, QMessageBox

    app = QApplication.instance() or QApplication(sys.argv[:1])
    QMessageBox.information(None, tr("School Safeguarding Audit"), message)
    del app


def ask_to_open_anyway(message: str) -> bool:
    """A question box (no main window exists yet): Cancel is the default and Esc."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    app = QApplication.instance() or QApplication(sys.argv[:1])
    box = QMessageBox(QMessageBox.Icon.Warning, tr("School Safeguarding Audit"), message)
    anyway = box.addButton(tr("Open anyway"), QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    del app
    return box.clickedButton() is anyway


class FrontDoor:
    """The first window's end of the socket: brings `window` forward when a second start asks."""

    def __init__(self, folder: Path, window) -> None:  # type: ignore[no-untyped-def]
        from PySide6.QtNetwork import QLocalServer

        self._window = window
        self._server = QLocalServer(window)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._connected)
        name = server_name(folder)
        if not self._server.listen(name):
            # A socket left by a crashed first window: ours to remove, since we hold the lock.
            QLocalServer.removeServer(name)
            if not self._server.listen(name):
                log.warning("A second start cannot reach this window: %s", self._server.errorString())
                return
        log.info("Listening for a second start")

    def _connected(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            # A second start writes its one line as soon as it is connected: read it here and
            # let the socket go, rather than keep it (and callbacks on it) alive.
            data = bytes(socket.readAll().data())
            while b"\n" not in data and socket.waitForReadyRead(READ_WAIT_MS):
                data += bytes(socket.readAll().data())
            socket.abort()
            socket.deleteLater()
            if RAISE.strip() in data.splitlines():
                self._bring_forward()

    def _bring_forward(self) -> None:
        log.info("Brought to the front at the request of a second start")
        window = self._window
        # Un-minimised as it was before (maximised stays maximised).
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
        window.show()
        window.raise_()
        window.activateWindow()

    def close(self) -> None:
        """Stop listening (the window has closed; the process may still finish its work)."""
        self._server.close()
