"""One window per data folder: a second start brings the first forward; a crash locks nobody out."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from PySide6.QtWidgets import QWidget

from school_audit.ui import single_instance
from school_audit.ui.logging_setup import LOG_FILE_NAME

ROOT = Path(__file__).resolve().parents[2]


def test_the_lock_is_held_once_and_free_again_after_unlock(tmp_path):
    first = single_instance.claim(tmp_path / "data")
    assert first is not None and first.isLocked()
    assert single_instance.claim(tmp_path / "data") is None  # a second start is told apart
    first.unlock()
    again = single_instance.claim(tmp_path / "data")
    assert again is not None and again.isLocked()
    again.unlock()


def test_a_data_folder_that_cannot_be_made_still_opens_unguarded(tmp_path, caplog):
    blocked = tmp_path / "a-file"
    blocked.write_text("")  # the data folder would have to be made inside a file
    with caplog.at_level(logging.WARNING):
        lock = single_instance.claim(blocked / "data")
    assert lock is not None and not lock.isLocked()  # the store then says what is wrong
    assert "No lock file" in caplog.text


def test_a_second_start_brings_the_window_forward(qtbot, tmp_path, caplog):
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    window.showMinimized()
    door = single_instance.FrontDoor(tmp_path, window)
    with caplog.at_level(logging.INFO):
        assert single_instance.ask_to_come_forward(tmp_path)
        qtbot.waitUntil(lambda: "Brought to the front" in caplog.text, timeout=5_000)
    assert not window.isMinimized()
    door.close()
    assert not single_instance.ask_to_come_forward(tmp_path)  # closed: nobody to ask


def test_more_than_one_line_does_not_stop_the_window(qtbot, tmp_path, caplog):
    from PySide6.QtNetwork import QLocalSocket

    window = QWidget()
    qtbot.addWidget(window)
    door = single_instance.FrontDoor(tmp_path, window)  # kept, as the app keeps it on the window
    socket = QLocalSocket()
    socket.connectToServer(single_instance.server_name(tmp_path))
    assert socket.waitForConnected(2_000)
    socket.write(b"hello\nraise\nraise\n")
    socket.waitForBytesWritten(2_000)
    with caplog.at_level(logging.INFO):
        qtbot.waitUntil(lambda: "Brought to the front" in caplog.text, timeout=5_000)
    qtbot.wait(50)  # the event loop still runs: every line was read
    door.close()


def test_nobody_listening_is_reported_not_hung(tmp_path, monkeypatch):
    monkeypatch.setattr(single_instance, "CONNECT_FOR_S", 0.3)
    held = single_instance.claim(tmp_path)
    started = time.monotonic()
    assert single_instance.wait_for_first(tmp_path) is False
    assert time.monotonic() - started < 5
    held.unlock()


def test_a_second_start_hands_over_to_a_window_that_answers(qtbot, tmp_path, capsys):
    held = single_instance.claim(tmp_path)
    window = QWidget()
    qtbot.addWidget(window)
    single_instance.FrontDoor(tmp_path, window)
    asked = []
    assert single_instance.second_start(tmp_path, ask=asked.append, inform=asked.append) is None
    assert "brought to the front" in capsys.readouterr().err
    assert asked == []  # nothing to decide: the open window came forward
    held.unlock()


def test_a_running_window_that_does_not_answer_is_never_taken_over(tmp_path, monkeypatch):
    monkeypatch.setattr(single_instance, "CONNECT_FOR_S", 0.3)
    held = single_instance.claim(tmp_path)  # locked by a running app whose window is hung, say
    told = []
    result = single_instance.second_start(tmp_path, ask=_never_asked, inform=told.append)
    assert result is None and told == [single_instance.NO_ANSWER]
    assert held.isLocked() and single_instance.claim(tmp_path) is None  # still its lock
    held.unlock()


def test_a_start_while_the_first_window_closes_opens_once_it_has_gone(tmp_path):
    import threading

    held = single_instance.claim(tmp_path)  # the first window is finishing its last work
    threading.Timer(0.5, held.unlock).start()
    taken = single_instance.second_start(tmp_path, ask=_never_asked, inform=_never_asked)
    assert taken is not None and taken.isLocked()
    taken.unlock()


def test_this_computer_is_known_by_its_machine_id_not_its_name(tmp_path, monkeypatch):
    # On Windows the lock names the computer as COMPUTERNAME has it (upper case, 15 letters).
    monkeypatch.setattr(single_instance, "CONNECT_FOR_S", 0.3)
    held = single_instance.claim(tmp_path)
    lock_file = tmp_path / single_instance.LOCK_FILE
    lines = lock_file.read_text().splitlines()
    lines[2] = "SCHOOL-OFFICE-P"
    lock_file.write_text("\n".join(lines) + "\n")
    assert single_instance.holder_elsewhere(tmp_path) is None
    told = []
    assert single_instance.second_start(tmp_path, ask=_never_asked, inform=told.append) is None
    assert told == [single_instance.NO_ANSWER]  # treated as this computer: never taken over
    held.unlock()


def test_without_a_machine_id_this_computer_is_known_by_either_name(tmp_path, monkeypatch):
    # A lock file with no machine id line: Windows names the computer as COMPUTERNAME has it.
    (tmp_path / single_instance.LOCK_FILE).write_text("4242\nschool-audit\nSCHOOL-OFFICE-P\n")
    monkeypatch.setenv("COMPUTERNAME", "school-office-p")
    assert single_instance.holder_elsewhere(tmp_path) is None
    monkeypatch.setenv("COMPUTERNAME", "reception-pc")
    assert single_instance.holder_elsewhere(tmp_path) == "SCHOOL-OFFICE-P"


def test_a_lock_from_another_computer_names_it_and_may_be_taken_over(tmp_path, monkeypatch):
    monkeypatch.setattr(single_instance, "taken_over_from", None)
    # A data folder on a network drive, left locked by a PC that was switched off with the app open.
    (tmp_path / single_instance.LOCK_FILE).write_text("4242\nschool-audit\nstaffroom-pc-3\n")
    assert single_instance.claim(tmp_path) is None  # never stale by age, nor by a PID elsewhere
    questions = []

    def accept(message):
        questions.append(message)
        return True

    assert single_instance.second_start(tmp_path, ask=lambda message: False) is None
    assert (tmp_path / single_instance.LOCK_FILE).exists()  # declined: left alone
    taken = single_instance.second_start(tmp_path, ask=accept, inform=_never_asked)
    assert "staffroom-pc-3" in questions[0]
    assert taken is not None and taken.isLocked()
    assert single_instance.taken_over_from == "staffroom-pc-3"  # logged once logging is set up
    taken.unlock()


def test_a_lock_still_held_open_on_the_other_computer_is_not_broken(tmp_path, monkeypatch):
    (tmp_path / single_instance.LOCK_FILE).write_text("4242\nschool-audit\nstaffroom-pc-3\n")

    def in_use(self, missing_ok=False):
        raise PermissionError("in use")  # as Windows says of a file another PC has open

    monkeypatch.setattr(Path, "unlink", in_use)
    told = []
    assert single_instance.second_start(tmp_path, ask=lambda m: True, inform=told.append) is None
    assert "still open on the computer “staffroom-pc-3”" in told[0]


def _never_asked(message):
    raise AssertionError(f"the DSL should not have been asked: {message}")


# -- the real app, in processes of its own --------------------------------------------------------


def _env(home: Path) -> dict[str, str]:
    return dict(
        os.environ,
        SCHOOL_AUDIT_HOME=str(home),
        QT_QPA_PLATFORM="offscreen",
        PYTHON_KEYRING_BACKEND="tests.keyring_backend.MemoryKeyring",
        PYTHONPATH=str(ROOT),
    )


def _start(home: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "school_audit.cli.main"],
        cwd=ROOT, env=_env(home), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _log(home: Path) -> str:
    path = home / "logs" / LOG_FILE_NAME
    return path.read_text(encoding="utf-8") if path.exists() else ""


def _wait_for(predicate, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_a_second_start_of_the_app_opens_nothing_and_a_crash_locks_nobody_out(
    isolated_home, school_profile
):
    from school_audit.services.audit_service import AuditService
    from school_audit.store import Store

    home = isolated_home
    store = Store.open_default()
    AuditService(store).save_profile(school_profile)  # home opens, no first-run form
    store.close()
    first = _start(home)
    try:
        _wait_for(lambda: "Listening for a second start" in _log(home))
        second = subprocess.run(
            [sys.executable, "-m", "school_audit.cli.main"],
            cwd=ROOT, env=_env(home), capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert second.returncode == 0
        assert "already open" in second.stderr
        _wait_for(lambda: "Brought to the front at the request of a second start" in _log(home))
        assert _log(home).count("Desktop app started") == 1  # the second opened no window
        assert first.poll() is None  # and the first is still open

        first.send_signal(signal.SIGKILL)  # a crash leaves the lock file and the socket behind
        first.wait(timeout=30)
        assert (home / single_instance.LOCK_FILE).exists()
        first = _start(home)
        _wait_for(lambda: _log(home).count("Listening for a second start") == 2)
        assert first.poll() is None
    finally:
        first.kill()
        first.wait(timeout=30)


def test_the_question_defaults_to_cancel_and_can_open_anyway(qapp):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    def answer(label: str | None) -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        assert box.defaultButton() is box.escapeButton()  # Enter and Esc both mean Cancel
        chosen = [b for b in box.buttons() if b.text() == label] if label else [box.escapeButton()]
        chosen[0].click()

    QTimer.singleShot(0, lambda: answer(None))
    assert not single_instance.ask_to_open_anyway(single_instance.NO_ANSWER)
    QTimer.singleShot(0, lambda: answer("Open anyway"))
    assert single_instance.ask_to_open_anyway(single_instance.NO_ANSWER)
