"""The window around the audit: geometry, About, no display, errors, a failing disk."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from school_audit import __version__, paths
from school_audit.domain.audit import Rating
from school_audit.store import DiskFull
from school_audit.ui.app import display_problem
from school_audit.ui.dialogs.about_dialog import AboutDialog
from school_audit.ui.errors import ErrorReporter, user_message
from school_audit.ui.logging_setup import setup_logging
from tests.ui.helpers import (
    fixture_template,
    open_audit_window,
    prepared_service,
    real_service_factory,
    start_window,
    wait_for_dialog,
)

ROOT = Path(__file__).resolve().parents[2]


def test_window_geometry_is_remembered(qtbot, monkeypatch, school_profile):
    prepared_service(school_profile, [])
    window = start_window(qtbot, monkeypatch, real_service_factory())
    window.resize(701, 503)  # the offscreen screen is small
    qtbot.waitUntil(lambda: window.service is not None, timeout=10_000)
    window.close()
    again = start_window(qtbot, monkeypatch, real_service_factory())
    assert (again.width(), again.height()) == (701, 503)


def test_about_shows_the_version(qtbot, monkeypatch, school_profile):
    prepared_service(school_profile, [])
    window = start_window(qtbot, monkeypatch, real_service_factory())
    window.flows.about()
    dialog = wait_for_dialog(qtbot, window, AboutDialog)
    assert __version__ in dialog.version.text()


def test_without_a_display_it_says_how_to_run_it():
    assert "xvfb-run" in display_problem({}, "linux")
    assert display_problem({"DISPLAY": ":0"}, "linux") == ""
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux") == ""
    env = {k: v for k, v in os.environ.items()
           if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "school_audit.cli.main"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert "xvfb-run -a school-audit" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unexpected_error_is_logged_and_shown_plainly(qtbot):
    log_file = setup_logging()
    shown: list[str] = []
    reporter = ErrorReporter(shown.append)
    try:
        raise RuntimeError("internal detail x17")
    except RuntimeError as error:
        reporter.report(error)
    assert shown and "Something unexpected went wrong" in shown[0]
    assert "internal detail" not in shown[0] and "Traceback" not in shown[0]
    assert str(paths.log_dir()) in shown[0]
    text = log_file.read_text()
    assert "RuntimeError: internal detail x17" in text and "Traceback" in text
    # The core's own errors carry words written for the user.
    assert user_message(DiskFull()).startswith("The disk holding the audit database is full.")


def test_a_failed_save_keeps_the_text_shows_why_and_retries(qtbot, monkeypatch, school_profile):
    template = fixture_template()
    service = prepared_service(school_profile, [template])
    audit = service.start_audit(template)
    window = open_audit_window(qtbot, monkeypatch, audit.audit_id, [template])
    real_save = window.service.save_response
    failing = {"on": True}

    def save(audit_id, response):
        if failing["on"]:
            raise DiskFull()
        real_save(audit_id, response)

    monkeypatch.setattr(window.service, "save_response", save)
    window.audit_page.go_to("A2")
    window.audit_page.focus_answer()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_1)
    assert window.save_indicator.state == "failed"
    assert window.banner.isVisible() and "disk" in window.banner.label.text()
    assert window.session.response("A2").rating is Rating.MET  # kept on screen
    failing["on"] = False
    qtbot.waitUntil(lambda: window.save_indicator.state == "saved", timeout=10_000)  # retried
    assert not window.banner.isVisible()
    assert window.service.load(audit.audit_id).responses["A2"].rating is Rating.MET


def test_an_error_inside_the_running_window_is_a_plain_message(qtbot, monkeypatch, school_profile):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    prepared_service(school_profile, [])
    window = start_window(qtbot, monkeypatch, real_service_factory())

    def broken() -> None:
        raise KeyError("secret internal detail")

    QTimer.singleShot(0, broken)
    qtbot.waitUntil(lambda: window.findChild(QMessageBox) is not None, timeout=5_000)
    box = window.findChild(QMessageBox)
    assert "Something unexpected went wrong" in box.text()
    assert "secret internal detail" not in box.text() and "Traceback" not in box.text()
    log_text = (paths.log_dir() / "school-audit.log").read_text()
    assert "KeyError: 'secret internal detail'" in log_text


def test_a_damaged_database_offers_the_last_good_copy(qtbot, monkeypatch, school_profile):
    from school_audit.store import Store
    from school_audit.store.backups import take_backup

    store = Store.open_default()
    from school_audit.services.audit_service import AuditService

    AuditService(store).save_profile(school_profile)
    store.close()
    take_backup(paths.database_path(), "manual")
    database = paths.database_path()
    database.write_bytes(b"this is not a database" * 100)  # damaged
    from school_audit.ui.main_window import window_settings

    settings = window_settings()
    settings.setValue("last_audit_id", "not an id")  # and the window's memory with it
    settings.sync()

    window = start_window(qtbot, monkeypatch, real_service_factory())
    qtbot.waitUntil(window.banner.isVisible, timeout=10_000)
    assert "damaged" in window.banner.label.text()
    assert window.banner.button.text() == "Restore the last good copy"
    window.banner.button.click()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.home, timeout=10_000)
    assert "Hollybank" in window.home.establishment.text()
    assert "damaged file is kept" in window.banner.label.text()
    assert any(p.name.startswith("damaged-") for p in database.parent.iterdir())


def test_the_app_has_its_icon(qtbot, monkeypatch):
    from school_audit.ui.app import _set_icon

    app = QApplication.instance()
    _set_icon(app)
    assert not app.windowIcon().isNull()
    assert app.windowIcon().availableSizes()  # the shipped PNG was found and read


def test_the_log_is_rotated_at_start_once_it_is_large(tmp_path):
    from school_audit.ui.logging_setup import rotate

    log_file = tmp_path / "school-audit.log"
    log_file.write_text("small")
    rotate(log_file, max_bytes=10, keep=2)
    assert log_file.read_text() == "small"  # under the limit: left alone
    for generation in ("first", "second", "third"):
        log_file.write_text(generation * 10)
        rotate(log_file, max_bytes=10, keep=2)
    assert not log_file.exists()
    assert (tmp_path / "school-audit.log.1").read_text() == "third" * 10
    assert (tmp_path / "school-audit.log.2").read_text() == "second" * 10
    assert not (tmp_path / "school-audit.log.3").exists()  # only `keep` old files


def test_the_window_thread_never_waits_long_for_python_s_lock(qtbot, monkeypatch, school_profile):
    """bench/bench_responsiveness.py shows why: with Python's 5 ms default, a busy background
    lane made stepping through standards 15 times slower."""
    from school_audit.ui.app import SWITCH_INTERVAL_S

    start_window(qtbot, monkeypatch, real_service_factory([fixture_template()]))
    assert sys.getswitchinterval() == pytest.approx(SWITCH_INTERVAL_S) and SWITCH_INTERVAL_S <= 0.001
