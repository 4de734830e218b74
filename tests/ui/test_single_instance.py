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


def test_the_second_start_says_why_no_window_opened(qapp, capsys, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *args: shown.append(args[2]))
    single_instance.tell_second_start(True)
    assert "brought to the front" in capsys.readouterr().err and not shown
    single_instance.tell_second_start(False)  # nobody answered: the DSL must see something
    assert "already open" in capsys.readouterr().err
    assert shown == [single_instance.ALREADY_OPEN_UNREACHABLE]
