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
        assert single_instance.hand_over(tmp_path)
        qtbot.waitUntil(lambda: "Brought to the front" in caplog.text, timeout=5_000)
    assert not window.isMinimized()
    assert door is not None


def test_nobody_listening_is_reported_not_hung(tmp_path, monkeypatch):
    monkeypatch.setattr(single_instance, "CONNECT_FOR_S", 0.3)
    started = time.monotonic()
    assert not single_instance.hand_over(tmp_path / "nobody-here")
    assert time.monotonic() - started < 5


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


def test_a_second_start_hands_over_to_a_window_that_answers(qtbot, tmp_path, capsys):
    held = single_instance.claim(tmp_path)
    window = QWidget()
    qtbot.addWidget(window)
    single_instance.FrontDoor(tmp_path, window)
    asked = []
    assert single_instance.second_start(tmp_path, ask=asked.append) is None
    assert "brought to the front" in capsys.readouterr().err
    assert asked == []  # nothing to decide: the open window came forward
    held.unlock()


def test_a_window_that_does_not_answer_may_be_opened_anyway(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(single_instance, "CONNECT_FOR_S", 0.3)
    held = single_instance.claim(tmp_path)  # locked, but nobody listens (hung, say)
    questions = []

    def decline(message):
        questions.append(message)
        return False

    assert single_instance.second_start(tmp_path, ask=decline) is None
    assert questions == [single_instance.NO_ANSWER]
    assert (tmp_path / single_instance.LOCK_FILE).exists()  # declined: nothing touched
    taken = single_instance.second_start(tmp_path, ask=lambda message: True)
    assert taken is not None and taken.isLocked()  # the DSL said that window is gone
    assert "did not answer" in capsys.readouterr().err
    taken.unlock()
    del held


def test_a_lock_from_another_computer_names_it_and_may_be_taken_over(tmp_path):
    # A data folder on a network drive, left locked by a PC that was switched off with the app open.
    (tmp_path / single_instance.LOCK_FILE).write_text("4242\nschool-audit\nstaffroom-pc-3\n")
    assert single_instance.claim(tmp_path) is None  # never stale by age, nor by a PID elsewhere
    questions = []

    def accept(message):
        questions.append(message)
        return True

    taken = single_instance.second_start(tmp_path, ask=accept)
    assert "staffroom-pc-3" in questions[0]
    assert taken is not None and taken.isLocked()
    taken.unlock()


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
