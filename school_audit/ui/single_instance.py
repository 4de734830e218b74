"""One window per data folder: a second start brings the first window forward and ends.

A DSL who clicks the icon again while the app is still opening (or has it open behind another
window) would otherwise get two windows on one audit, each saving its own copy of an answer over
the other's. The first start holds a lock file in the data folder (`QLockFile`: a lock left by a
process that is no longer running is taken over, so a crash never locks the DSL out) and, once
its first screen is up, listens on a local socket named after the folder. A second start finds
the lock taken, asks the first window to come forward, says so, and ends without touching the
store or the log. When that window cannot be reached (the lock names another computer, for a
data folder on a network drive, or the window does not answer), the DSL is told so and may open
the audit anyway, which takes the lock over.
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

from PySide6.QtCore import QLockFile

from school_audit.i18n import tr

log = logging.getLogger(__name__)

LOCK_FILE = "app.lock"
RAISE = b"raise\n"
# A second start made while the first is still opening waits this long for it to listen.
CONNECT_FOR_S = 5.0

ALREADY_OPEN = tr(
    "The School Safeguarding Audit is already open on this computer, so its window has been "
    "brought to the front."
)
NO_ANSWER = tr(
    "The School Safeguarding Audit seems to be open on this computer already, but its window did "
    "not answer. If you can see it, carry on there: two windows on one audit could save over "
    "each other's answers. If it is not open (it stopped unexpectedly), you can open it anyway."
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


def second_start(folder: Path, ask=None) -> QLockFile | None:  # type: ignore[no-untyped-def]
    """The app is already open on `folder`: bring its window forward and say so (None), or, when
    that window cannot be reached (on another computer, or not answering), ask whether to open
    here anyway; the lock, taken over, when the DSL says yes."""
    ask = ask or ask_to_open_anyway
    host = holder_host(folder)
    if host is None and hand_over(folder):
        print(ALREADY_OPEN, file=sys.stderr)
        return None
    message = NO_ANSWER if host is None else OPEN_ELSEWHERE.format(host=host)
    print(message, file=sys.stderr)
    if not ask(message):
        return None
    (folder / LOCK_FILE).unlink(missing_ok=True)  # the DSL says that window is gone
    return claim(folder)  # None if yet another start took it meanwhile


def holder_host(folder: Path) -> str | None:
    """The other computer named in the lock file, or None when it is this one (or unknown)."""
    from PySide6.QtCore import QSysInfo

    info = QLockFile(str(folder / LOCK_FILE)).getLockInfo()
    host = info[1] if isinstance(info, tuple) and len(info) == 3 else ""
    return host if host and host != QSysInfo.machineHostName() else None


def hand_over(folder: Path) -> bool:
    """Ask the window already open on `folder` to come forward; False if it could not be asked."""
    from PySide6.QtNetwork import QLocalSocket

    deadline = time.monotonic() + CONNECT_FOR_S
    while True:
        socket = QLocalSocket()
        socket.connectToServer(server_name(folder))
        if socket.waitForConnected(500):
            socket.write(RAISE)
            sent = socket.waitForBytesWritten(2_000)
            socket.disconnectFromServer()
            return sent
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.2)  # the first window may still be opening


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
        socket = self._server.nextPendingConnection()
        if socket is None:
            return
        socket.readyRead.connect(lambda: self._read(socket))
        socket.disconnected.connect(socket.deleteLater)
        if socket.bytesAvailable():
            self._read(socket)

    def _read(self, socket) -> None:  # type: ignore[no-untyped-def]
        asked = False
        while socket.canReadLine():
            asked = asked or bytes(socket.readLine().data()) == RAISE
        if not asked:
            return
        log.info("Brought to the front at the request of a second start")
        window = self._window
        if window.isMinimized():
            window.showNormal()
        window.show()
        window.raise_()
        window.activateWindow()
